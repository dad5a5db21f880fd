/**
 * `outposts-eks hypershift-infra`: a distribution hypershift blueprint's network as the file
 * `hypershift create infra aws --output-file` writes (CreateInfraOutput, openshift/hypershift
 * cmd/infra/aws/create.go), for `hypershift create cluster aws --infra-json <file>` (issue 23, seed 003).
 *
 *   outposts-eks hypershift-infra --config <blueprint> [--outputs <terraform output -json file>] > infra.json
 */
import type { Blueprint } from "../config";
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

/** The infra JSON `outposts-eks hypershift-infra` prints; `outputsFile` is a `terraform output -json` file (default: the local state). */
export function hypershiftInfraCommand(blueprint: Blueprint, outputsFile?: string): string {
  if (blueprint.distribution !== "hypershift") throw new CommandError(`the blueprint's distribution is ${blueprint.distribution}; the infra JSON is for distribution hypershift`);
  return hypershiftInfraJson(readNetworkOutputs(blueprint, outputsFile, "hypershift-infra"));
}
