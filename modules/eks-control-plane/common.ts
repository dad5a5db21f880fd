/**
 * What the extended and the local control planes truly share: the cluster IAM role, the
 * control-plane log group, and the typed attributes a cluster exposes.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatementCondition } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn, propertyAccess, Token } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "crypto";
import { createLogGroupKey } from "../shared/log-group-key";
import { iamRoleArguments, IamRoleOptions } from "../shared/resource-options";

/** Every control-plane log type EKS offers. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export type AuthenticationMode = "API" | "API_AND_CONFIG_MAP" | "CONFIG_MAP";

/** What a control plane exposes to the layers above it. */
export interface EksControlPlaneAttributes {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The local cluster's ID (nodeadm needs it on local clusters); empty for extended clusters. */
  readonly clusterId: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly clusterSecurityGroupId: string;
  readonly serviceIpv4Cidr: string;
  readonly authenticationMode: AuthenticationMode;
  readonly kubernetesVersion: string;
  readonly clusterRoleArn: string;
}

export interface ClusterRoleProps {
  readonly roleName: string;
  /** The cluster that assumes the role: the aws:SourceArn of an eks.amazonaws.com trust. */
  readonly clusterName: string;
  /** The service principal that assumes the role. */
  readonly trustedService: "eks.amazonaws.com" | "ec2.amazonaws.com";
  /** AWS managed policy names attached to the role. */
  readonly managedPolicies: readonly string[];
  /**
   * Permissions boundary and path of the role.
   * @default - no boundary, path "/"
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

/** The cluster IAM role and its managed-policy attachments. */
export function createClusterRole(
  scope: Construct,
  props: ClusterRoleProps,
): { role: IamRole; attachments: IamRolePolicyAttachment[]; partition: string } {
  const partition = new DataAwsPartition(scope, "partition");
  // EKS assumes its cluster role on behalf of the cluster and accepts aws:SourceArn and
  // aws:SourceAccount in the trust policy (EKS User Guide, "Cross-service confused deputy prevention
  // in Amazon EKS"). AWS documents no such keys for ec2.amazonaws.com, which assumes an EBS-backed
  // local cluster's role as its control-plane instances (EKS User Guide, local cluster IAM role):
  // that trust stays unconditioned. The Region is a wildcard, as AWS allows for a part of the ARN
  // not known here (same page): the account and the cluster name pin it.
  let condition: DataAwsIamPolicyDocumentStatementCondition[] | undefined;
  if (props.trustedService === "eks.amazonaws.com") {
    const account = new DataAwsCallerIdentity(scope, "account").accountId;
    condition = [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition.partition}:eks:*:${account}:cluster/${props.clusterName}`] },
    ];
  }
  const trust = new DataAwsIamPolicyDocument(scope, "cluster-role-trust", {
    statement: [
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: [props.trustedService] }],
        condition,
      },
    ],
  });
  const role = new IamRole(scope, "cluster-role", {
    name: props.roleName,
    assumeRolePolicy: trust.json,
    description: "EKS cluster role (outposts-eks)",
    ...iamRoleArguments(props.iamRoleOptions),
  });
  const attachments = props.managedPolicies.map(
    (policy) =>
      new IamRolePolicyAttachment(scope, `cluster-role-${policy}`, {
        role: role.name,
        policyArn: `arn:${partition.partition}:iam::aws:policy/${policy}`,
      }),
  );
  return { role, attachments, partition: partition.partition };
}

/** The EKS access policy that grants cluster-wide admin through an access entry, in a partition. */
export function clusterAdminAccessPolicyArn(partition: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
}

/** The cluster's IAM OIDC provider, for IRSA: its ARN and the issuer URL without the scheme. */
export function createOidcProvider(scope: Construct, cluster: EksCluster): { arn: string; url: string } {
  const issuer = cluster.identity.get(0).oidc.get(0).issuer;
  const oidc = new IamOpenidConnectProvider(scope, "oidc-provider", { url: issuer, clientIdList: ["sts.amazonaws.com"] });
  return { arn: oidc.arn, url: Fn.replace(issuer, "https://", "") };
}

/** A STANDARD access entry with cluster-wide admin for each principal. */
export function createAdminAccessEntries(scope: Construct, clusterName: string, principalArns: readonly string[], partition: string): void {
  const shortKey = (arn: string) => arn.replace(/^.*:(role|user)\//, "$1-").replace(/[^A-Za-z0-9-]/g, "-");
  const shortKeys = principalArns.map(shortKey);
  for (const principalArn of principalArns) {
    // The short key keeps existing IDs; principals whose short keys collide (same name in two
    // accounts, or paths) get the ARN's hash as well.
    const short = shortKey(principalArn);
    const key = shortKeys.filter((k) => k === short).length > 1 ? `${short}-${createHash("sha256").update(principalArn).digest("hex").slice(0, 8)}` : short;
    const entry = new EksAccessEntry(scope, `admin-${key}`, { clusterName, principalArn, type: "STANDARD" });
    new EksAccessPolicyAssociation(scope, `admin-${key}-policy`, {
      clusterName,
      principalArn: entry.principalArn,
      policyArn: clusterAdminAccessPolicyArn(partition),
      accessScope: { type: "cluster" },
    });
  }
}

/**
 * Whether the cluster creator gets admin from EKS itself (`bootstrap_cluster_creator_admin_permissions`).
 * Only where access entries do not exist: EKS rejects false with CONFIG_MAP ("bootstrapClusterCreatorAdminPermissions
 * must be true if cluster authentication mode is set to CONFIG_MAP", CreateCluster API), and an
 * EBS-backed local cluster has no other way to get a first admin. Wherever access entries exist,
 * EKS's bootstrap entry would collide (409 ResourceInUseException on CreateAccessEntry) with an
 * explicit entry for the same principal, so the entries are written out instead
 * (EKS User Guide, "Grant IAM users access to Kubernetes with EKS access entries": the creator's
 * entry is an ordinary access entry of type STANDARD with AmazonEKSClusterAdminPolicy).
 */
export function bootstrapCreatorAdmin(authenticationMode: AuthenticationMode): boolean {
  return authenticationMode === "CONFIG_MAP";
}

/**
 * An admin access entry for the identity that runs apply, unless it is already among the explicit
 * admins. The identity is the session's issuer (`data.aws_iam_session_context`): for an assumed role,
 * the role's ARN rather than the session's `assumed-role` ARN, which an access entry cannot name.
 * The comparison runs in Terraform at plan, as `count`, since only then is the caller known, and
 * ignores case. The entry follows whoever ran the last apply: its principal_arn is ForceNew, so another
 * caller replaces it (docs/cluster.md).
 */
export function createCallerAdminAccessEntry(scope: Construct, clusterName: string, adminPrincipalArns: readonly string[], partition: string): void {
  // The cluster role's trust already reads the caller's identity; one data source serves both.
  const caller = (scope.node.tryFindChild("account") as DataAwsCallerIdentity | undefined) ?? new DataAwsCallerIdentity(scope, "account");
  const session = new DataAwsIamSessionContext(scope, "caller-session", { arn: caller.arn });
  // Case-insensitive: IAM role names are unique regardless of case (IAM User Guide, "IAM identifiers":
  // names are not distinguished by case), so an ARN written in another case names the same role. The
  // path is not normalized: issuer_arn carries the role's path, and an admin ARN written without it
  // does not match (the caller then gets an entry of its own as well).
  const lowered = adminPrincipalArns.map((arn) => (Token.isUnresolved(arn) ? Fn.lower(arn) : arn.toLowerCase()));
  const count = Token.asNumber(Fn.conditional(Fn.contains(lowered, Fn.lower(session.issuerArn)), 0, 1));
  const entry = new EksAccessEntry(scope, "caller-admin", { count, clusterName, principalArn: session.issuerArn, type: "STANDARD" });
  new EksAccessPolicyAssociation(scope, "caller-admin-policy", {
    count,
    clusterName,
    principalArn: session.issuerArn,
    policyArn: clusterAdminAccessPolicyArn(partition),
    accessScope: { type: "cluster" },
    dependsOn: [entry],
  });
}

/**
 * The log group EKS writes control-plane logs to. Created before the cluster, with the name EKS
 * uses, so its retention applies from the first line instead of "never expire".
 */
export function createControlPlaneLogGroup(scope: Construct, clusterName: string, retentionDays: number, region?: string): CloudwatchLogGroup {
  const name = `/aws/eks/${clusterName}/cluster`;
  // With the Region known, a key of its own (CKV_AWS_158); else CloudWatch Logs' own encryption.
  const key = region === undefined ? undefined : createLogGroupKey(scope, "log-group-key", { logGroupName: name, region });
  return new CloudwatchLogGroup(scope, "log-group", { name, retentionInDays: retentionDays, kmsKeyId: key?.arn });
}

/**
 * What both control planes expose, read off their `aws_eks_cluster`. Subclasses call
 * `exposeCluster` once their cluster exists.
 */
export abstract class EksControlPlaneBase extends Construct implements EksControlPlaneAttributes {
  declare readonly clusterName: string;
  declare readonly clusterArn: string;
  declare readonly clusterId: string;
  declare readonly endpoint: string;
  declare readonly certificateAuthorityData: string;
  declare readonly clusterSecurityGroupId: string;
  declare readonly serviceIpv4Cidr: string;
  declare readonly authenticationMode: AuthenticationMode;
  declare readonly kubernetesVersion: string;
  declare readonly clusterRoleArn: string;

  protected exposeCluster(cluster: EksCluster, role: IamRole, authenticationMode: AuthenticationMode): void {
    Object.assign(this, clusterAttributes(cluster, role, authenticationMode));
  }
}

/** Reads the typed attributes off a synthesized cluster. */
export function clusterAttributes(
  cluster: EksCluster,
  role: IamRole,
  authenticationMode: AuthenticationMode,
): EksControlPlaneAttributes {
  return {
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    clusterId: cluster.clusterId,
    endpoint: cluster.endpoint,
    certificateAuthorityData: cluster.certificateAuthority.get(0).data,
    clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
    // one(block[*].attr) rather than block[0].attr: the same value from AWS, and null rather than an
    // "Invalid index" where the block is absent, as under terraform test's mock provider, which
    // fills computed attributes but never an unconfigured nested block (scripts/tftest-lib.ts).
    serviceIpv4Cidr: Token.asString(Fn.one(propertyAccess(cluster.interpolationForAttribute("kubernetes_network_config"), ["*", "service_ipv4_cidr"]))),
    authenticationMode,
    // The version EKS runs, not the one asked for: the nodes' upgrade guard compares with it.
    kubernetesVersion: cluster.version,
    clusterRoleArn: role.arn,
  };
}
