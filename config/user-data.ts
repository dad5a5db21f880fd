/**
 * What a node group's launch template carries as user data, decided from the blueprint before any
 * construct is built, and its size against EC2's limit: "User data is limited to 16 KB, in raw form,
 * before it is base64-encoded" (Amazon EC2 User Guide, "Run commands when you launch an EC2
 * instance with user data input"). Many labels or taints, static LNI addresses or registry mirrors
 * can pass it; EC2 would refuse the launch template at apply, or the Auto Scaling group its launch.
 *
 * The workers stack builds the user data from the same inputs (nodeLabelsOf, workloadRegistryMirrors)
 * with the cluster's values, which only exist at plan time: here they are stood in for by values of
 * their longest length, so the size measured is an upper bound of the real one.
 */
import { ClusterJoin, nodeUserData, NodeUserDataProps, RegistryMirror } from "../modules/outpost-node-group/user-data";
import { clusterArchitecture } from "./cluster-architecture";
import { ADDON_CONTROLLERS_LABEL, addonControllerGroups, lniAddressingOf, outpostOfGroup } from "./derived";
import { kubeletResolvConfOf, nodeResolverRoutes } from "./dns";
import { imageSourceOf } from "./image-sources";
import type { Blueprint } from "./schema";

export const OUTPOST_LABEL = "outposts-eks.io/outpost";
export const NODE_GROUP_LABEL = "outposts-eks.io/node-group";

/** EC2's limit on user data, in bytes of the raw (not base64-encoded) text. */
export const USER_DATA_MAX_BYTES = 16 * 1024;

type NodeGroupOf = Blueprint["nodeGroups"][number];

/** The Kubernetes labels a node group's nodes register with: where they run, their group, and the group's own. */
export function nodeLabelsOf(blueprint: Blueprint, group: NodeGroupOf): Record<string, string> {
  return {
    [OUTPOST_LABEL]: group.outpost,
    [NODE_GROUP_LABEL]: group.name,
    ...(addonControllerGroups(blueprint).includes(group.name) ? { [ADDON_CONTROLLERS_LABEL]: "true" } : {}),
    ...group.labels,
  };
}

/** The workload registries that nodes pull through the mirror, with source mirror. */
export function workloadRegistryMirrors(blueprint: Blueprint): RegistryMirror[] | undefined {
  const mirror = blueprint.addons.images.mirror;
  if (imageSourceOf(blueprint) !== "mirror" || !mirror || mirror.registries.length === 0) return undefined;
  return mirror.registries.map((registry) => ({ upstream: registry.upstream, host: mirror.host, pathPrefix: registry.pathPrefix }));
}

/**
 * Stand-ins for the cluster's values at their longest: a 100-character cluster name (EKS's limit), an
 * endpoint of EKS's form, 4 KiB of base64 certificate authority data (an EKS CA is about 1.5 KiB),
 * a cluster ID of UUID form.
 */
function longestClusterJoin(blueprint: Blueprint): ClusterJoin {
  const architecture = clusterArchitecture(blueprint);
  return {
    clusterName: "c".repeat(100),
    endpoint: `https://${"F".repeat(32)}.gr7.${blueprint.region}.eks.amazonaws.com`,
    certificateAuthorityData: "A".repeat(4096),
    serviceIpv4Cidr: "172.200.255.0/24",
    dnsClusterIp: "172.200.255.100",
    localClusterId: architecture.outpostNodeBootstrap ? "0".repeat(36) : undefined,
    kubeletResolvConf: kubeletResolvConfOf(blueprint),
  };
}

/** The user data inputs of a node group, without the cluster's values. */
export function nodeUserDataInputs(blueprint: Blueprint, group: NodeGroupOf): Omit<NodeUserDataProps, "cluster"> {
  return {
    amiFamily: group.ami.family,
    labels: nodeLabelsOf(blueprint, group),
    taints: group.taints,
    lni: lniAddressingOf(outpostOfGroup(blueprint, group), group),
    registryMirrors: workloadRegistryMirrors(blueprint),
    onPremResolverRoutes: nodeResolverRoutes(blueprint),
  };
}

/** The size in bytes of a node group's rendered user data, with the cluster's values at their longest. */
export function renderedUserDataBytes(blueprint: Blueprint, group: NodeGroupOf): number {
  return Buffer.byteLength(nodeUserData({ ...nodeUserDataInputs(blueprint, group), cluster: longestClusterJoin(blueprint) }), "utf8");
}
