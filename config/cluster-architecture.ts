/**
 * What AWS builds for each cluster architecture, in one table: the one switch that decides the
 * cluster role, authentication, how nodes join, how add-ons get credentials, which endpoints and
 * managed add-ons exist, and how tokens and nodes name the cluster. The rules, the stacks and the
 * scripts read it; nothing else tests `variant === "local"` for these.
 *
 * Sources (EKS User Guide, read 2026-12-02; docs/decisions.md "One cluster architecture"):
 * - extended: "Amazon EKS cluster IAM role", "Grant IAM users access with access entries";
 * - local-ebs: "Create a local Amazon EKS cluster on AWS Outposts" (cluster role trusted by
 *   ec2.amazonaws.com with AmazonEKSLocalOutpostClusterPolicy; CONFIG_MAP; no OIDC, no managed
 *   add-ons; tokens and nodes by cluster ID), "Create Amazon Linux nodes on AWS Outposts";
 * - local-instance-store: the instance-store pages of 2026 (cluster role trusted by
 *   eks.amazonaws.com with AmazonEKSClusterPolicy; API_AND_CONFIG_MAP with access entries, as
 *   eksctl PR #8774 enforces; IRSA, Pod Identity and managed add-ons; private endpoint required,
 *   public optional; kubeconfig by `--cluster-name`; subnets outside three AZ IDs);
 * - both local kinds: no secrets envelope encryption (the guide's comparison table).
 */
import { ClusterArchitecture, clusterArchitectureOf } from "./versions";

export type { ClusterArchitecture } from "./versions";

/** The EKS API's authentication modes. */
export type ClusterAuthenticationMode = "API" | "API_AND_CONFIG_MAP" | "CONFIG_MAP";

export interface ClusterArchitectureFacts {
  /** The cluster IAM role: who assumes it and which AWS managed policies it carries. */
  readonly clusterRole: { readonly trustedService: "eks.amazonaws.com" | "ec2.amazonaws.com"; readonly managedPolicies: readonly string[] };
  readonly authenticationMode: ClusterAuthenticationMode;
  /** How self-managed nodes join: an EC2_LINUX access entry, or a mapping in the aws-auth ConfigMap. */
  readonly nodeJoin: "access-entry" | "aws-auth";
  /** Whether `controlPlane.adminPrincipalArns` can become access entries. */
  readonly adminAccessEntries: boolean;
  /**
   * How add-on pods get AWS credentials: IRSA roles through the cluster's OIDC provider, or the node
   * role through the instance profile (no OIDC provider).
   */
  readonly workloadIdentity: "irsa" | "node-role";
  /** Whether vpc-cni, kube-proxy and CoreDNS are EKS managed add-ons (else EKS installs them itself). */
  readonly managedCoreAddons: boolean;
  /** Whether the EBS CSI driver is the EKS managed add-on (else the Helm chart). */
  readonly managedEbsCsiDriver: boolean;
  /** Whether a public API endpoint may be added beside the private one. */
  readonly publicEndpointAllowed: boolean;
  /** What `aws eks get-token` and `data.aws_eks_cluster_auth` are given: the cluster's name or its ID. */
  readonly tokensBy: "name" | "id";
  /**
   * Whether nodes bootstrap as nodes of a local cluster (nodeadm `enableOutpost` with `id`, AL2
   * `bootstrap.sh --enable-local-outpost --cluster-id`): the API server's addresses in /etc/hosts
   * and a bootstrap kubeconfig, so the kubelet moves to an x.509 certificate that outlives a
   * disconnect (amazon-eks-ami nodeadm internal/kubelet). The `id` given is what the kubelet's
   * token names: the cluster as `tokensBy` says.
   */
  readonly outpostNodeBootstrap: boolean;
  /** Whether secrets envelope encryption with KMS exists. */
  readonly secretsEncryption: boolean;
  /** Whether the control plane runs on the Outpost (one rack, its subnet) instead of in the Region. */
  readonly controlPlaneOnOutpost: boolean;
  /** Availability Zone IDs whose Outposts the architecture does not support. */
  readonly excludedZoneIds: readonly string[];
  /** Whether the break-glass client certificate (for a control plane cut off from IAM) applies. */
  readonly breakGlass: boolean;
  /** Whether the kubelet gets a resolv.conf of name servers only, for disconnects (EKS UG, instance-store network disconnects). */
  readonly kubeletResolvConf: boolean;
}

const LOCAL_COMMON = {
  outpostNodeBootstrap: true,
  secretsEncryption: false,
  controlPlaneOnOutpost: true,
  managedEbsCsiDriver: false,
  breakGlass: true,
} as const;

export const CLUSTER_ARCHITECTURE_FACTS: Readonly<Record<ClusterArchitecture, ClusterArchitectureFacts>> = {
  extended: {
    clusterRole: { trustedService: "eks.amazonaws.com", managedPolicies: ["AmazonEKSClusterPolicy"] },
    authenticationMode: "API_AND_CONFIG_MAP",
    nodeJoin: "access-entry",
    adminAccessEntries: true,
    workloadIdentity: "irsa",
    managedCoreAddons: true,
    managedEbsCsiDriver: true,
    publicEndpointAllowed: true,
    tokensBy: "name",
    outpostNodeBootstrap: false,
    secretsEncryption: true,
    controlPlaneOnOutpost: false,
    excludedZoneIds: [],
    breakGlass: false,
    kubeletResolvConf: false,
  },
  "local-ebs": {
    ...LOCAL_COMMON,
    clusterRole: { trustedService: "ec2.amazonaws.com", managedPolicies: ["AmazonEKSLocalOutpostClusterPolicy"] },
    authenticationMode: "CONFIG_MAP",
    nodeJoin: "aws-auth",
    adminAccessEntries: false,
    workloadIdentity: "node-role",
    managedCoreAddons: false,
    publicEndpointAllowed: false,
    tokensBy: "id",
    excludedZoneIds: [],
    kubeletResolvConf: false,
  },
  "local-instance-store": {
    ...LOCAL_COMMON,
    // The instance-store create page names both policies. The general cluster IAM role page calls
    // AmazonEKSServicePolicy unneeded since April 2020; the architecture's own page wins here.
    clusterRole: { trustedService: "eks.amazonaws.com", managedPolicies: ["AmazonEKSClusterPolicy", "AmazonEKSServicePolicy"] },
    authenticationMode: "API_AND_CONFIG_MAP",
    nodeJoin: "access-entry",
    adminAccessEntries: true,
    workloadIdentity: "irsa",
    managedCoreAddons: true,
    publicEndpointAllowed: true,
    // nodeadm's kubeconfig passes `id` to `aws eks get-token --cluster-name` when enableOutpost is
    // set, so nodes give the cluster's name as their ID (the guide's AL2 step: "set the cluster
    // name for --cluster-id").
    tokensBy: "name",
    excludedZoneIds: ["use1-az3", "usw1-az2", "cac1-az3"],
    kubeletResolvConf: true,
  },
};

/** The facts of a blueprint's architecture. */
export function clusterArchitecture(blueprint: {
  readonly variant: string;
  readonly controlPlane: { readonly local?: { readonly instanceStore?: unknown } };
}): ClusterArchitectureFacts & { readonly name: ClusterArchitecture } {
  const name = clusterArchitectureOf(blueprint.variant, blueprint.controlPlane.local?.instanceStore);
  if (name === undefined) throw new Error(`bug: variant '${blueprint.variant}' passed validation`);
  return { name, ...CLUSTER_ARCHITECTURE_FACTS[name] };
}

/** The facts for raw (unvalidated) input, for the rules; undefined while the variant is invalid. */
export function clusterArchitectureOfInput(variant: unknown, instanceStore: unknown): ClusterArchitectureFacts | undefined {
  const name = clusterArchitectureOf(variant, instanceStore);
  return name === undefined ? undefined : CLUSTER_ARCHITECTURE_FACTS[name];
}
