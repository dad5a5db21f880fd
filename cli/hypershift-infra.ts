/**
 * `outposts-eks hypershift-infra`: a distribution hypershift blueprint's network as the file
 * `hypershift create infra aws --output-file` writes (CreateInfraOutput, openshift/hypershift
 * cmd/infra/aws/create.go), for `hypershift create cluster aws --infra-json <file>` (issue 23, seed 003).
 *
 *   outposts-eks hypershift-infra --config <blueprint> [--outputs <terraform output -json file>] [--infra-json-file infra.json] > infra.json
 *
 * The JSON goes to stdout; the hand-off commands that use it go to stderr (issue 31).
 */
import type { Blueprint } from "../config";
import { hypershiftNames, OUTPOST_ROOT_VOLUME_TYPE } from "../config/distributions";
import { OutputValues, readNetworkOutputs } from "./network-state";
import { CommandError } from "./exit-codes";

/** CreateInfraOutput's json tags, in their order (openshift/hypershift 3ee9615567acffaf3e3ee25c2ca2942d650565cf). */
export const CREATE_INFRA_OUTPUT_FIELDS = [
  "region",
  "zone",
  "infraID",
  "machineCIDR",
  "vpcID",
  "zones",
  "Name",
  "baseDomain",
  "baseDomainPrefix",
  "publicZoneID",
  "privateZoneID",
  "localZoneID",
  "proxyAddr",
  "secureProxyAddr",
  "proxyPrivateSSHKey",
  "publicOnly",
  "proxyCA",
  "vpcCreatorAccountID",
  "clusterAccountID",
] as const;

/** The infra JSON, checked for CreateInfraOutput's fields and pretty-printed. */
export function hypershiftInfraJson(outputs: OutputValues): string {
  const raw = outputs.hypershift_infra_json;
  if (typeof raw !== "string") throw new CommandError("the network outputs have no hypershift_infra_json: is this a distribution hypershift blueprint's network stack?");
  const infra = JSON.parse(raw) as Record<string, unknown>;
  const missing = CREATE_INFRA_OUTPUT_FIELDS.filter((field) => !(field in infra));
  if (missing.length > 0) throw new CommandError(`hypershift_infra_json lacks ${missing.join(", ")}`);
  if (!Array.isArray(infra.zones) || infra.zones.length === 0) throw new CommandError("hypershift_infra_json has no zones");
  return `${JSON.stringify(infra, null, 2)}\n`;
}

/**
 * What `outposts-eks hypershift-infra` prints: the infra JSON (stdout) and the hand-off commands
 * (stderr); `outputsFile` is a `terraform output -json` file (default: the local state).
 */
export function hypershiftInfraCommand(blueprint: Blueprint, outputsFile?: string, infraJsonFile = "infra.json"): { stdout: string; stderr: string } {
  if (blueprint.distribution !== "hypershift") throw new CommandError(`the blueprint's distribution is ${blueprint.distribution}; the infra JSON is for distribution hypershift`);
  const outputs = readNetworkOutputs(blueprint, outputsFile, "hypershift-infra");
  return { stdout: hypershiftInfraJson(outputs), stderr: hypershiftHandOff(blueprint, outputs, infraJsonFile) };
}

/**
 * The commands that build the hosted cluster into the network, from the blueprint and the outputs.
 * `hypershift create cluster aws` takes the IDs, zones, base domain and prefix from `--infra-json`
 * but neither the name nor the Region: without `--name` and `--region` it builds a cluster named
 * `example` in us-east-1 (openshift/hypershift cmd/cluster/core/create.go and cmd/cluster/aws/create.go,
 * commit 3ee9615567acffaf3e3ee25c2ca2942d650565cf). The name is the blueprint's: the private zone
 * `<name>.hypershift.local` and the default prefix were derived from it. Credentials come from the AWS
 * SDK's default chain (or `--role-arn`); the pull secret and release are the operator's.
 */
export function hypershiftHandOff(blueprint: Pick<Blueprint, "name" | "region" | "hypershift" | "outposts">, outputs: OutputValues, infraJsonFile: string): string {
  const names = hypershiftNames(blueprint);
  const subnets = (outputs.outpost_subnet_ids ?? {}) as Record<string, unknown>;
  const cluster = [
    "hypershift create cluster aws",
    `--name ${blueprint.name}`,
    `--region ${blueprint.region}`,
    `--infra-json ${infraJsonFile}`,
    `--infra-id ${names.infraId}`,
    `--base-domain ${names.baseDomain}`,
    "--pull-secret <pull-secret file>",
  ];
  // One NodePool per Outpost on its subnet; Outposts racks offer gp2, not hypershift's default gp3.
  const nodePools = blueprint.outposts.map((outpost) => [
    "hypershift create nodepool aws",
    `--cluster-name ${blueprint.name}`,
    `--name ${blueprint.name}-${outpost.name}`,
    `--subnet-id ${typeof subnets[outpost.name] === "string" ? subnets[outpost.name] : `<outpost_subnet_ids.${outpost.name}>`}`,
    `--root-volume-type ${OUTPOST_ROOT_VOLUME_TYPE}`,
    "--instance-type <a type the Outpost offers>",
    "--replicas <count>",
  ]);
  const lines = (parts: string[]) => parts.join(" \\\n    ");
  return [
    "# The hosted cluster, into the network stack's VPC (docs/openshift-and-hypershift.md):",
    lines(cluster),
    ...(nodePools.length > 0 ? ["# Its NodePools on the Outposts:", ...nodePools.map(lines)] : []),
    "",
  ].join("\n");
}
