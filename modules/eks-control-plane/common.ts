/**
 * What the extended and the local control planes truly share: the cluster IAM role, the
 * control-plane log group, and the typed attributes a cluster exposes.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
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
  const trust = new DataAwsIamPolicyDocument(scope, "cluster-role-trust", {
    statement: [
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: [props.trustedService] }],
      },
    ],
  });
  const role = new IamRole(scope, "cluster-role", {
    name: props.roleName,
    assumeRolePolicy: trust.json,
    description: "EKS cluster role (outposts-eks)",
    ...iamRoleArguments(props.iamRoleOptions),
  });
  const partition = new DataAwsPartition(scope, "partition");
  const attachments = props.managedPolicies.map(
    (policy) =>
      new IamRolePolicyAttachment(scope, `cluster-role-${policy}`, {
        role: role.name,
        policyArn: `arn:${partition.partition}:iam::aws:policy/${policy}`,
      }),
  );
  return { role, attachments, partition: partition.partition };
}

/**
 * The log group EKS writes control-plane logs to. Created before the cluster, with the name EKS
 * uses, so its retention applies from the first line instead of "never expire".
 */
export function createControlPlaneLogGroup(scope: Construct, clusterName: string, retentionDays: number): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, "log-group", {
    name: `/aws/eks/${clusterName}/cluster`,
    retentionInDays: retentionDays,
  });
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

  protected exposeCluster(cluster: EksCluster, role: IamRole, authenticationMode: AuthenticationMode, kubernetesVersion: string): void {
    Object.assign(this, clusterAttributes(cluster, role, authenticationMode, kubernetesVersion));
  }
}

/** Reads the typed attributes off a synthesized cluster. */
export function clusterAttributes(
  cluster: EksCluster,
  role: IamRole,
  authenticationMode: AuthenticationMode,
  kubernetesVersion: string,
): EksControlPlaneAttributes {
  return {
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    clusterId: cluster.clusterId,
    endpoint: cluster.endpoint,
    certificateAuthorityData: cluster.certificateAuthority.get(0).data,
    clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
    serviceIpv4Cidr: cluster.kubernetesNetworkConfig.serviceIpv4Cidr,
    authenticationMode,
    kubernetesVersion,
    clusterRoleArn: role.arn,
  };
}
