/**
 * Settings that follow from other fields of the blueprint, decided once here for the rules, the
 * stacks and the scripts alike.
 */
import { NODE_MANAGED_POLICIES } from "../modules/node-role";
import { EBS_CSI_DRIVER_POLICY } from "../modules/ebs-storage/chart";
import { clusterArchitecture } from "./cluster-architecture";
import { type Blueprint, HCP_WORKSPACE_NAME_MAX, HCP_WORKSPACE_NAME_RECOMMENDED_MAX, lniAddressingSchema, rootVolumeSchema } from "./schema";
import { partitionOf } from "./images";
import { RolloutPreferences, rolloutPreferencesOf } from "./rollout";
import { CONTROL_PLANE_SIZES, ETCD_SIZES, requiredCapacity } from "./sizing";

/** Whether VPC endpoints are created: as asked, else by default with private egress only. */
export function endpointsEnabledFor(egress: string | undefined, enabled: boolean | undefined): boolean {
  return enabled ?? egress === "private";
}

/** Whether the blueprint creates VPC endpoints. */
export function endpointsEnabled(blueprint: Blueprint): boolean {
  return endpointsEnabledFor(blueprint.network.egress, blueprint.network.endpoints.enabled);
}

/**
 * How add-on pods get AWS credentials, from the cluster architecture: extended and instance-store
 * local clusters have an OIDC provider, so each add-on gets its own IRSA role. EBS-backed local
 * clusters have none (EKS UG, local clusters): add-ons use the node role through the instance
 * profile, which needs IMDS hop limit 2 where they run (`addonControllerGroups`).
 */
export type WorkloadIdentityKind = "irsa" | "node-role";

export function workloadIdentityKind(blueprint: Pick<Blueprint, "variant" | "controlPlane">): WorkloadIdentityKind {
  return clusterArchitecture(blueprint).workloadIdentity;
}

/** Node label of the groups that run the add-on controllers which take AWS credentials from the node role. */
export const ADDON_CONTROLLERS_LABEL = "outposts-eks.io/addon-controllers";

/**
 * The node groups where add-on controllers that call AWS (Load Balancer Controller, EBS CSI
 * controller, Node Termination Handler) run when their credentials come from the node role: those
 * marked `addonControllers: true`, else the first group. Only these get IMDS hop limit 2, so pods
 * on the other groups cannot reach the instance profile. Empty with IRSA, where controllers run
 * anywhere.
 */
export function addonControllerGroups(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "nodeGroups">): string[] {
  if (workloadIdentityKind(blueprint) !== "node-role") return [];
  const marked = blueprint.nodeGroups.filter((group) => group.addonControllers === true).map((group) => group.name);
  if (marked.length > 0) return marked;
  return blueprint.nodeGroups.slice(0, 1).map((group) => group.name);
}

/** The node selector that keeps node-role add-on controllers on their groups; empty with IRSA. */
export function addonControllerNodeSelector(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "nodeGroups">): Record<string, string> {
  return addonControllerGroups(blueprint).length > 0 ? { [ADDON_CONTROLLERS_LABEL]: "true" } : {};
}

/**
 * The AZs of the regional subnets an extended cluster is given: all of them, including those in an
 * Outpost's parent AZ (EKS User Guide, network requirements: the cluster's subnets can't reside in
 * AWS Outposts; seed 002 puts them in the racks' AZs). None for a local cluster.
 */
export function controlPlaneZones(blueprint: Blueprint): string[] {
  if (clusterArchitecture(blueprint).controlPlaneOnOutpost) return [];
  return blueprint.network.regionalSubnets.map((subnet) => subnet.availabilityZone);
}

/**
 * The AZs whose private subnets hold the interface endpoints: with the control plane on the
 * Outpost, only the rack's parent AZ (EKS UG, local cluster VPC and subnet requirements: "in a
 * private subnet located in your Outpost's parent Availability Zone"); else every regional subnet's.
 */
export function endpointZones(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "outposts" | "network">): string[] {
  if (clusterArchitecture(blueprint).controlPlaneOnOutpost) return blueprint.outposts.slice(0, 1).map((outpost) => outpost.availabilityZone);
  return blueprint.network.regionalSubnets.map((subnet) => subnet.availabilityZone);
}

type NodeGroupOf = Blueprint["nodeGroups"][number];
type OutpostOf = Blueprint["outposts"][number];

/** The Outpost a node group runs on; the config rules guarantee it is declared. */
export function outpostOfGroup(blueprint: Pick<Blueprint, "outposts">, group: Pick<NodeGroupOf, "outpost">): OutpostOf {
  const outpost = blueprint.outposts.find((candidate) => candidate.name === group.outpost);
  if (!outpost) throw new Error(`bug: node group names undeclared Outpost '${group.outpost}'`);
  return outpost;
}

/** Whether the EBS CSI driver runs: storage on, and at least one rack (servers have no EBS). */
export function ebsStorageEnabled(blueprint: Pick<Blueprint, "outposts" | "addons">): boolean {
  return blueprint.addons.storage.enabled && blueprint.outposts.some((outpost) => outpost.formFactor === "rack");
}

/**
 * Whether the EBS CSI node plugin runs on the host network, where it reads the Outpost ARN from
 * instance metadata with hop limit 1 (aws-ebs-csi-driver docs/outposts.md): always, for the Helm
 * chart (local clusters) and the EKS managed add-on (`node.hostNetwork` in its configuration) alike,
 * so no rack needs hop limit 2 for storage (issue 30; docs/decisions.md).
 */
export const EBS_CSI_NODE_ON_HOST_NETWORK = true;

/**
 * Whether the VPC CNI has its own IAM role (IRSA for kube-system/aws-node, AmazonEKS_CNI_Policy),
 * created with the vpc-cni managed add-on in the control-plane stack before any node joins, and the
 * node role goes without the CNI policy: wherever the architecture has IRSA and managed core add-ons
 * (EKS User Guide, "Configure the Amazon VPC CNI plugin to use IRSA"). EBS-backed local clusters
 * have neither: there the CNI keeps the node role.
 */
export function vpcCniHasOwnRole(blueprint: Pick<Blueprint, "variant" | "controlPlane">): boolean {
  const architecture = clusterArchitecture(blueprint);
  return architecture.workloadIdentity === "irsa" && architecture.managedCoreAddons;
}

type HopLimitInput = Pick<Blueprint, "variant" | "controlPlane" | "outposts" | "addons" | "nodeGroups">;

/**
 * The minimum IMDSv2 hop limit a node group needs, and why; 1 when nothing needs more. Pods reach
 * instance metadata through one more hop than the host, so hop limit 2 hands every pod the node
 * role. It is needed only on an EBS-backed local cluster (no IRSA), by the groups that run the
 * add-on controllers, which take the node role from the instance profile (`addonControllerGroups`).
 * Everywhere else add-ons have their own roles and the EBS CSI node plugin runs on the host network
 * (`EBS_CSI_NODE_ON_HOST_NETWORK`), so 1 (EKS User Guide and EKS best-practices guide, "Restrict access
 * to the instance profile assigned to the worker node").
 */
export function requiredHopLimit(blueprint: HopLimitInput, group: Pick<NodeGroupOf, "outpost"> & { readonly name?: string }): { readonly hopLimit: 1 | 2; readonly reason?: string } {
  if (group.name !== undefined && addonControllerGroups(blueprint).includes(group.name)) {
    return { hopLimit: 2, reason: "for a group that runs the add-on controllers of an EBS-backed local cluster: without IRSA they reach AWS through the instance profile" };
  }
  return { hopLimit: 1 };
}

/** The IMDSv2 hop limit of a node group's instances: as asked, else what it needs. The one place that decides it. */
export function metadataHopLimit(blueprint: HopLimitInput, group: Pick<NodeGroupOf, "name" | "outpost" | "metadataHopLimit">): number {
  return group.metadataHopLimit ?? requiredHopLimit(blueprint, group).hopLimit;
}

/**
 * The synth warning for a group whose explicit `metadataHopLimit` is above what it needs: every pod
 * on it can then take the node role's credentials from instance metadata. Undefined when none.
 */
export function hopLimitWarning(blueprint: HopLimitInput, group: Pick<NodeGroupOf, "name" | "outpost" | "metadataHopLimit">): string | undefined {
  const required = requiredHopLimit(blueprint, group).hopLimit;
  if (group.metadataHopLimit === undefined || group.metadataHopLimit <= required) return undefined;
  const index = blueprint.nodeGroups.findIndex((candidate) => candidate.name === group.name);
  return (
    `nodeGroups[${index}].metadataHopLimit is ${group.metadataHopLimit} (needed: ${required}): every pod on node group '${group.name}' can use the node role ` +
    "through instance metadata. Give the workload its own role (IRSA) and leave the hop limit out, unless it truly needs the instance profile."
  );
}

/** Auto Scaling sizes with the spare nodes added; desired defaults to min. */
export function nodeGroupSizes(group: Pick<NodeGroupOf, "minSize" | "maxSize" | "desiredSize" | "spareNodes">): { min: number; max: number; desired: number } {
  return {
    min: group.minSize + group.spareNodes,
    max: group.maxSize + group.spareNodes,
    desired: (group.desiredSize ?? group.minSize) + group.spareNodes,
  };
}

/** The root (or Bottlerocket data) volume of a rack node group: as written, else the schema's defaults. None on servers. */
export function rootVolumeOf(outpost: Pick<OutpostOf, "formFactor">, group: Pick<NodeGroupOf, "rootVolume">): { sizeGiB: number; type: string } | undefined {
  if (outpost.formFactor !== "rack") return undefined;
  return group.rootVolume ?? rootVolumeSchema.parse({});
}

/** How a server node group's LNI is addressed, and the site networks it routes. */
export type LniAddressingOf =
  | { readonly mode: "dhcp"; readonly routes: readonly string[] }
  | { readonly mode: "static"; readonly addresses: readonly string[]; readonly gateway?: string; readonly routes: readonly string[] };

/**
 * How a server node group's LNI is addressed (as written, else DHCP) and what it routes: the
 * outpost's onPremCidrs and a static group's own lni.routes, once each, through the DHCP server's
 * gateway or lni.gateway. None without an LNI.
 */
export function lniAddressingOf(outpost: OutpostOf, group: Pick<NodeGroupOf, "lni">): { deviceIndex: number; addressing: LniAddressingOf } | undefined {
  if (outpost.formFactor !== "server" || outpost.lniDeviceIndex === undefined) return undefined;
  const addressing = group.lni ?? lniAddressingSchema.parse({ mode: "dhcp" });
  const routes = lniRoutes(outpost.onPremCidrs, addressing.mode === "static" ? addressing.routes : []);
  return { deviceIndex: outpost.lniDeviceIndex, addressing: { ...addressing, routes } };
}

/** The networks a node routes out of its LNI: the server's onPremCidrs, then a static group's lni.routes, once each. */
export function lniRoutes(onPremCidrs: readonly string[], groupRoutes: readonly string[]): string[] {
  return [...new Set([...onPremCidrs, ...groupRoutes])];
}

/** Whether the break-glass certificate is made: on by default for local clusters, never for extended ones. */
export function breakGlassEnabled(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "addons">): boolean {
  return clusterArchitecture(blueprint).breakGlass && (blueprint.addons.breakGlass.enabled ?? true);
}

/** Days before the break-glass certificate's expiry from which every plan warns. */
export const BREAK_GLASS_WARNING_DAYS = 30;

/** The boundary and path of every IAM role the blueprint creates; the default path is left unset. */
export function iamRoleOptionsOf(
  blueprint: Pick<Blueprint, "iam" | "name" | "backend" | "region">,
  account?: string,
): { permissionsBoundary?: string; path?: string } {
  const { path } = blueprint.iam;
  const managed = managedPermissionsBoundary(blueprint);
  if (managed !== undefined && account === undefined) throw new Error("bug: the blueprint's own permissions boundary needs the account (BlueprintStack.iamRoleOptions)");
  const permissionsBoundary = managed === undefined ? blueprint.iam.permissionsBoundary : `arn:${partitionOf(blueprint.region)}:iam::${account}:policy${managed.path}${managed.name}`;
  return { permissionsBoundary, path: path === "/" ? undefined : path };
}

/**
 * The permissions boundary the blueprint creates itself (issue 30): where it creates the HCP
 * Terraform run role with its default policy and `iam.permissionsBoundary` names none. The run role
 * may then create and change roles only with this boundary, so it cannot make a role stronger than
 * the boundary allows, nor itself an administrator. Created by the workspaces stack (deployed first,
 * with the operator's credentials); every other stack's roles carry it. Undefined otherwise.
 */
export function managedPermissionsBoundary(
  blueprint: Pick<Blueprint, "iam" | "name" | "backend">,
): { readonly name: string; readonly path: string } | undefined {
  if (blueprint.iam.permissionsBoundary !== undefined || blueprint.backend.type !== "cloud") return undefined;
  const credentials = blueprint.backend.workspaces?.awsCredentials;
  if (!credentials?.enabled || credentials.roleArn !== undefined || (credentials.policyArns ?? []).length > 0) return undefined;
  return { name: `${blueprint.name}-hcp-terraform-boundary`, path: blueprint.iam.path };
}

/** The nodes' Kubernetes minor version: the group's own, else the cluster's. */
export function nodeKubernetesVersion(blueprint: Pick<Blueprint, "kubernetesVersion">, group: Pick<NodeGroupOf, "kubernetesVersion">): string {
  return group.kubernetesVersion ?? blueprint.kubernetesVersion;
}

/** The AMI release a node group pins: its own, else the blueprint's; undefined follows the newest. */
export function amiReleaseOf(blueprint: Pick<Blueprint, "workers">, group: Pick<NodeGroupOf, "ami">): string | undefined {
  return group.ami.release ?? blueprint.workers.amiRelease;
}

/** The group's instance refresh (config/rollout.ts): one node at a time, terminated first, unless a surge or minHealthyPercentage says otherwise. */
export function nodeRolloutOf(group: Pick<NodeGroupOf, "minSize" | "maxSize" | "desiredSize" | "spareNodes" | "rollout">): RolloutPreferences {
  const { desired } = nodeGroupSizes(group);
  const { minHealthyPercentage, maxSurge, instanceWarmupSeconds } = group.rollout;
  return rolloutPreferencesOf({ desired, minHealthyPercentage, maxSurge, instanceWarmupSeconds });
}

/** Instances a local cluster's control plane keeps on its rack: 3, and 3 etcd with instance store. */
export function localControlPlaneInstances(blueprint: Pick<Blueprint, "variant" | "controlPlane">): number {
  if (!clusterArchitecture(blueprint).controlPlaneOnOutpost) return 0;
  return blueprint.controlPlane.local?.instanceStore ? 6 : 3;
}

type ArchitectureInput = Parameters<typeof clusterArchitecture>[0];

/** The most nodes the cluster may reach: every group's maxSize plus its spare nodes. */
export function maxClusterNodes(blueprint: Pick<Blueprint, "nodeGroups">): number {
  return blueprint.nodeGroups.reduce((sum, group) => sum + group.maxSize + group.spareNodes, 0);
}

/**
 * The vCPUs and memory the instance-store sizing table suggests for the control-plane and etcd
 * instances at the cluster's node count; every plan warns below it. None for EBS-backed clusters,
 * whose capacity page names sizes only (large, xlarge...), which a rule checks.
 */
export function localControlPlaneCapacity(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "nodeGroups">) {
  if (clusterArchitecture(blueprint).name !== "local-instance-store") return undefined;
  const nodes = maxClusterNodes(blueprint);
  const controlPlane = requiredCapacity(nodes, CONTROL_PLANE_SIZES);
  if (controlPlane === undefined) return undefined;
  const etcd = blueprint.controlPlane.local?.instanceStore ? requiredCapacity(nodes, ETCD_SIZES) : undefined;
  return { controlPlane, etcd };
}

/** Whether the Kubernetes API endpoint is private only: unless made public where the architecture allows it. */
export function apiEndpointPrivate(blueprint: ArchitectureInput & { readonly controlPlane: { readonly endpointPublicAccess: boolean } }): boolean {
  return !clusterArchitecture(blueprint).publicEndpointAllowed || !blueprint.controlPlane.endpointPublicAccess;
}

/**
 * The stacks whose runs talk to the Kubernetes API: addons always (Kubernetes and Helm providers),
 * and the workers where nodes join through the aws-auth ConfigMap. Elsewhere nodes join through
 * access entries, an AWS API.
 */
export function stacksUsingKubernetesApi(blueprint: ArchitectureInput): string[] {
  return clusterArchitecture(blueprint).nodeJoin === "aws-auth" ? ["workers", "addons"] : ["addons"];
}

/**
 * Each stack's HCP Terraform execution mode: the stacks that must reach a private API endpoint run
 * on self-hosted agents (or locally, as configured); HCP-hosted runners cannot reach it. The others
 * run remote.
 */
export function executionModeOf(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "backend">, stack: string): "remote" | "agent" | "local" {
  const backend = blueprint.backend;
  if (backend.type !== "cloud" || !backend.workspaces) return "remote";
  const needsPrivateEndpoint = apiEndpointPrivate(blueprint) && stacksUsingKubernetesApi(blueprint).includes(stack);
  return needsPrivateEndpoint ? backend.workspaces.privateEndpointExecution : "remote";
}

/** Whether the app builds the `workspaces` bootstrap stack. */
export function hcpWorkspacesEnabled(blueprint: Pick<Blueprint, "backend">): boolean {
  return blueprint.backend.type === "cloud" && blueprint.backend.workspaces !== undefined;
}

/**
 * Every managed policy the stacks attach to a role: the cluster role's (by architecture), the node
 * role's own, the EBS CSI driver's, and the blueprint's extra node policies. The HCP run role may
 * attach these and no other.
 */
export function attachedManagedPolicyArns(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "workers">, partition: string): string[] {
  const awsManaged = (name: string) => `arn:${partition}:iam::aws:policy/${name}`;
  const clusterRole = clusterArchitecture(blueprint).clusterRole.managedPolicies;
  return [...new Set([...clusterRole, ...NODE_MANAGED_POLICIES, EBS_CSI_DRIVER_POLICY].map(awsManaged).concat(blueprint.workers.extraNodePolicyArns))];
}

/**
 * The Outposts that get a service-link alarm: racks only. The Outposts User Guide documents
 * `ConnectedStatus` (AWS/Outposts, OutpostId) in its racks pages; no AWS page read for this project
 * says servers emit it (issue 30), and an alarm on a metric that never arrives, with missing data
 * breaching, would sit in ALARM forever.
 */
export function disconnectAlarmOutposts(blueprint: Pick<Blueprint, "outposts" | "monitoring">): Blueprint["outposts"] {
  return blueprint.monitoring.disconnectAlarms ? blueprint.outposts.filter((outpost) => outpost.formFactor === "rack") : [];
}

/** Synth warnings about the disconnect alarms: servers without one, and alarms that notify nobody. */
export function monitoringWarnings(blueprint: Pick<Blueprint, "outposts" | "monitoring">): string[] {
  const { monitoring } = blueprint;
  if (!monitoring.disconnectAlarms) return [];
  const warnings: string[] = [];
  const servers = blueprint.outposts.filter((outpost) => outpost.formFactor === "server").map((outpost) => outpost.name);
  if (servers.length > 0) {
    warnings.push(
      `No service-link alarm for the Outposts server(s) ${servers.join(", ")}: AWS documents ConnectedStatus for racks only, and an alarm on a metric that never arrives would stay in ALARM.`,
    );
  }
  const { emails, httpsEndpoints, topicArns } = monitoring.notify;
  if (disconnectAlarmOutposts(blueprint).length > 0 && monitoring.alarmTopicArn === undefined && emails.length + httpsEndpoints.length + topicArns.length === 0) {
    warnings.push("monitoring.notify is empty: the disconnect alarms publish to a topic nobody is subscribed to. Add emails, httpsEndpoints or topicArns.");
  }
  return warnings;
}


/**
 * The synth warning for an HCP Terraform workspace name longer than HashiCorp recommends (90): HCP
 * Terraform takes up to 260 (config/schema.ts HCP_WORKSPACE_NAME_MAX), but long names are cut in its
 * UI and lists. The schema bounds keep every derived name under the limit (a prefix and a site of one
 * DNS label each, and a stack name), so only the recommendation can be exceeded.
 */
export function workspaceNameWarning(workspaceName: string): string | undefined {
  if (workspaceName.length <= HCP_WORKSPACE_NAME_RECOMMENDED_MAX) return undefined;
  return (
    `The HCP Terraform workspace name ${workspaceName} has ${workspaceName.length} characters: HCP Terraform takes up to ${HCP_WORKSPACE_NAME_MAX}, ` +
    `but HashiCorp recommends at most ${HCP_WORKSPACE_NAME_RECOMMENDED_MAX}; shorten backend.workspacePrefix (or the site name) by ${workspaceName.length - HCP_WORKSPACE_NAME_RECOMMENDED_MAX} to follow it.`
  );
}
