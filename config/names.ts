/**
 * The one place that derives AWS names from the blueprint name, so every stack names things the
 * same way and the config rules can check AWS length limits before anything is built.
 */

/** IAM role and policy names are limited to 64 characters (IAM User Guide, "IAM object quotas"). */
export const IAM_NAME_MAX = 64;
/** EKS cluster names are 1-100 characters (EKS API reference, CreateCluster). */
export const EKS_CLUSTER_NAME_MAX = 100;
/** Names that reach Kubernetes labels and DNS are one DNS label: at most 63 characters. */
export const DNS_LABEL_MAX = 63;

/** Every IAM role name the blueprint derives, by purpose. */
export function iamRoleNames(blueprintName: string): Record<string, string> {
  return {
    cluster: `${blueprintName}-cluster`,
    node: `${blueprintName}-node`,
    loadBalancerController: `${blueprintName}-aws-load-balancer-controller`,
    nodeTerminationHandler: `${blueprintName}-node-termination-handler`,
    ebsCsiDriver: `${blueprintName}-ebs-csi-driver`,
    vpcCni: `${blueprintName}-vpc-cni`,
    vpcFlowLogs: `${blueprintName}-vpc-flow-logs`,
    hcpTerraformRuns: `${blueprintName}-hcp-terraform-runs`,
  };
}

/** The longest blueprint name for which every derived IAM role name fits. */
export function maxBlueprintNameLength(): number {
  const longestSuffix = Math.max(...Object.values(iamRoleNames("")).map((suffix) => suffix.length));
  return Math.min(IAM_NAME_MAX - longestSuffix, DNS_LABEL_MAX);
}

/**
 * Suffixes of the network stack's per-Outpost construct IDs (`outpost-<name>-<suffix>`) beside the
 * subnet's own (`outpost-<name>`): an Outpost named `<other>-<suffix>` would collide with them.
 */
export const OUTPOST_CONSTRUCT_SUFFIXES = { routesCheck: "routes-check", localGateway: "local-gateway" } as const;

/** Name of a node group's launch template and Auto Scaling group. */
export function nodeGroupResourceName(blueprintName: string, nodeGroup: string): string {
  return `${blueprintName}-${nodeGroup}`;
}

/**
 * Name of the Node Termination Handler queue, also the prefix of its EventBridge rules: those add up
 * to 17 characters, and with a blueprint name of at most 35 they stay under EventBridge's 64.
 */
export function terminationQueueName(blueprintName: string): string {
  return `${blueprintName}-nth`;
}

/** Tag that marks a subnet or instance as belonging to the cluster, for the LB controller and CNI. */
export function clusterTagKey(clusterName: string): string {
  return `kubernetes.io/cluster/${clusterName}`;
}

/** Tags every resource of a blueprint carries, applied as provider default_tags. */
export function commonTags(blueprintName: string, extra: Record<string, string>): Record<string, string> {
  return { "outposts-eks:blueprint": blueprintName, ...extra };
}

/** The stacks of a blueprint, in deploy order. Their names are part of the contract (stacks/blueprint-stack.ts builds them). */
export const STACK_NAMES = ["network", "control-plane", "workers", "addons"] as const;
export type StackName = (typeof STACK_NAMES)[number];
