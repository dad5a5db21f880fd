/**
 * `outposts-eks openshift-fragments`: what the OpenShift installer needs from a distribution openshift
 * blueprint's network stack (issue 23, seed 000), as fragments to merge by hand:
 *
 * - install-config.yaml: the region, the regional subnets (private and public) and the machine network.
 *   `platform.aws.subnets` by default (OpenShift 4.15's documented field); `--vpc-subnets` writes the newer `platform.aws.vpc.subnets`
 *   list, which openshift/installer (pkg/types/aws/platform.go) keeps as deprecated.
 * - manifests/cluster-network-03-config.yml: the OVN-Kubernetes MTU for nodes on the Outposts
 *   (1300 to the Region less OVN-Kubernetes' 100 bytes).
 * - a patch per Outpost for a copy of a generated worker MachineSet: the Outpost subnet and AZ, an
 *   instance type the Outpost offers and a gp2 root volume (Outposts offer no gp3).
 *
 *   outposts-eks openshift-fragments --config <blueprint> [--outputs <terraform output -json file>] [--instance-type <type>] [--vpc-subnets]
 */
import { stringify } from "yaml";
import type { Blueprint } from "../config";
import { OutputValues, readNetworkOutputs } from "./network-state";
import { CommandError } from "./exit-codes";

export interface OpenshiftFragmentOptions {
  /** Overrides the openshift_compute_instance_type output. */
  readonly instanceType?: string;
  /**
   * platform.aws.vpc.subnets, which newer installers read (openshift/installer pkg/types/aws/platform.go),
   * instead of platform.aws.subnets, which OpenShift 4.15's Outposts procedure documents and every
   * 4.x installer reads (deprecated, not removed).
   */
  readonly vpcSubnets?: boolean;
  /** Root volume size of the Outpost machines, GiB. Default 120, the installer's default. */
  readonly rootVolumeSize?: number;
}

export interface OpenshiftFragments {
  readonly installConfig: string;
  readonly networkManifest: string;
  /** One MachineSet patch per Outpost, by Outpost name. */
  readonly machineSetPatches: Readonly<Record<string, string>>;
}

const list = (outputs: OutputValues, name: string): string[] => {
  const value = outputs[name];
  if (!Array.isArray(value)) throw new CommandError(`the network outputs have no list ${name}: is this a distribution openshift blueprint's network stack?`);
  return value.map(String);
};
const map = (outputs: OutputValues, name: string): Record<string, string> => {
  const value = outputs[name];
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CommandError(`the network outputs have no map ${name}`);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
};
const text = (outputs: OutputValues, name: string): string => {
  const value = outputs[name];
  if (value === undefined || value === null) throw new CommandError(`the network outputs have no ${name}: is this a distribution openshift blueprint's network stack?`);
  return String(value);
};

export function openshiftFragments(outputs: OutputValues, options: OpenshiftFragmentOptions = {}): OpenshiftFragments {
  if (outputs.distribution !== undefined && outputs.distribution !== "openshift") throw new CommandError(`the network stack is of distribution ${String(outputs.distribution)}, not openshift`);
  const region = text(outputs, "region");
  const subnetIds = [...list(outputs, "regional_subnet_ids"), ...list(outputs, "public_subnet_ids")];
  const aws = options.vpcSubnets ? { region, vpc: { subnets: subnetIds.map((id) => ({ id })) } } : { region, subnets: subnetIds };
  const installConfig = stringify({
    platform: { aws },
    networking: { networkType: "OVNKubernetes", machineNetwork: [{ cidr: text(outputs, "vpc_cidr") }] },
  });

  const mtu = Number(text(outputs, "openshift_cluster_network_mtu"));
  const networkManifest = stringify({
    apiVersion: "operator.openshift.io/v1",
    kind: "Network",
    metadata: { name: "cluster" },
    spec: { defaultNetwork: { ovnKubernetesConfig: { mtu } } },
  });

  const instanceType = options.instanceType ?? (outputs.openshift_compute_instance_type ? String(outputs.openshift_compute_instance_type) : undefined);
  if (!instanceType) throw new CommandError("no instance type: set openshift.computeInstanceType in the blueprint, or give --instance-type (one the Outpost offers: aws outposts get-outpost-instance-types)");
  const subnets = map(outputs, "outpost_subnet_ids");
  const zones = map(outputs, "outpost_availability_zones");
  const machineSetPatches = Object.fromEntries(
    Object.entries(subnets).map(([outpost, subnetId]) => {
      const role = { "node-role.kubernetes.io/outposts": "", location: "outposts" };
      const patch = {
        metadata: { labels: { "outposts-eks/outpost": outpost } },
        spec: {
          replicas: 1,
          template: {
            spec: {
              metadata: { labels: role },
              taints: [{ key: "node-role.kubernetes.io/outposts", effect: "NoSchedule" }],
              providerSpec: {
                value: {
                  instanceType,
                  placement: { region, availabilityZone: zones[outpost] },
                  subnet: { id: subnetId },
                  blockDevices: [{ ebs: { volumeSize: options.rootVolumeSize ?? 120, volumeType: "gp2", encrypted: true } }],
                },
              },
            },
          },
        },
      };
      return [outpost, stringify(patch)];
    }),
  );
  return { installConfig, networkManifest, machineSetPatches };
}

/** All fragments as one text, each under a comment saying where it goes. */
export function renderOpenshiftFragments(fragments: OpenshiftFragments): string {
  const documents: Array<[string, string]> = [
    ["install-config.yaml: merge into the generated file", fragments.installConfig],
    ["manifests/cluster-network-03-config.yml (after openshift-install create manifests): the Outpost MTU", fragments.networkManifest],
    ...Object.entries(fragments.machineSetPatches).map(([outpost, patch]): [string, string] => [
      `Outpost ${outpost}: merge into a copy of a generated worker MachineSet (openshift/99_openshift-cluster-api_worker-machineset-*.yaml), renamed`,
      patch,
    ]),
  ];
  return documents.map(([where, yaml]) => `# ${where}\n${yaml}`).join("---\n");
}

/** The text `outposts-eks openshift-fragments` prints; `outputsFile` is a `terraform output -json` file (default: the local state). */
export function openshiftFragmentsCommand(blueprint: Blueprint, outputsFile: string | undefined, options: OpenshiftFragmentOptions = {}): string {
  if (blueprint.distribution !== "openshift") throw new CommandError(`the blueprint's distribution is ${blueprint.distribution}; the fragments are for distribution openshift`);
  return renderOpenshiftFragments(openshiftFragments(readNetworkOutputs(blueprint, outputsFile, "openshift-fragments"), options));
}
