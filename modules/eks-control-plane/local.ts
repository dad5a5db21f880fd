/**
 * An EKS *local cluster*: the Kubernetes control plane on one Outposts rack, so the cluster keeps
 * serving when the service link drops (seed 004).
 *
 * The EKS API accepts a classic local cluster only with CONFIG_MAP authentication and the creator
 * as admin, no secrets encryption, no OIDC provider and no managed add-ons (outposts-facts.md;
 * terraform-aws-eks #2925, eksctl #7552), a private endpoint, the Outpost's subnet, and a cluster
 * role trusted by ec2.amazonaws.com with AmazonEKSLocalOutpostClusterPolicy.
 */
import { DataAwsOutpostsOutpost } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost";
import { DataAwsOutpostsOutpostInstanceTypes } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost-instance-types";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, Op } from "cdktf";
import { Construct } from "constructs";
import { IamRoleOptions, tagResources } from "../shared/resource-options";
import { applyNewerProviderArguments } from "../shared/newer-provider-arguments";
import { CONTROL_PLANE_LOG_TYPES, createClusterRole, createControlPlaneLogGroup, EksControlPlaneBase } from "./common";

export type SpreadLevel = "host" | "rack";

/**
 * The first hashicorp/aws release with `outpost_config.etcd_instance_type`, `etcd_placement` and
 * `control_plane_placement.spread_level`: 6.51.0 (17 June 2026; terraform-provider-aws PR #48367,
 * whose release note calls the support best effort).
 */
export const INSTANCE_STORE_MIN_AWS_PROVIDER = "6.51.0";

/** The 2026 instance-store architecture: dedicated etcd instances beside the control plane. */
export interface InstanceStoreControlPlane {
  /** Instance type of the 3 etcd instances. */
  readonly etcdInstanceType: string;
}

export interface EksLocalControlPlaneProps {
  readonly clusterName: string;
  /** Kubernetes minor version, such as "1.33". */
  readonly kubernetesVersion: string;
  /** Name of the cluster IAM role. */
  readonly clusterRoleName: string;
  /** The one Outposts rack the control plane runs on. */
  readonly outpostArn: string;
  /** The Outpost subnet; the only subnet a local cluster takes. */
  readonly subnetId: string;
  /** Instance type of the 3 control-plane instances; checked against the Outpost at plan time. */
  readonly controlPlaneInstanceType: string;
  /**
   * Physical racks in the Outpost.
   * @default 1
   */
  readonly rackCount?: number;
  /**
   * Spread level of the control-plane placement group.
   * @default host for 1-2 racks, rack for 3+
   */
  readonly spreadLevel?: SpreadLevel;
  /**
   * Control-plane log retention in days.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * EKS deletion protection.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Kubernetes service CIDR.
   * @default chosen by EKS
   */
  readonly serviceIpv4Cidr?: string;
  /**
   * CIDRs that reach the API on 443 (the nodes' Outpost subnet, the VPC): the cluster security group
   * EKS creates admits only its own members, and nodes carry the node security group.
   */
  readonly apiClientCidrs: Readonly<Record<string, string>>;
  /**
   * Opt in to the instance-store architecture.
   * @default the classic local cluster
   */
  readonly instanceStore?: InstanceStoreControlPlane;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary and path of the cluster IAM role.
   * @default - no boundary, path "/"
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

/** Host-level spread for 1-2 racks, rack-level for 3+ (EKS User Guide, capacity considerations). */
export function defaultSpreadLevel(rackCount: number): SpreadLevel {
  return rackCount >= 3 ? "rack" : "host";
}

export class EksLocalControlPlane extends EksControlPlaneBase {
  /** The control plane's placement group; empty for instance-store clusters, which use a spread level. */
  readonly placementGroupName: string;
  readonly spreadLevel: SpreadLevel;
  readonly cluster: EksCluster;

  constructor(scope: Construct, id: string, props: EksLocalControlPlaneProps) {
    super(scope, id);
    tagResources(this, props.tags);
    this.spreadLevel = props.spreadLevel ?? defaultSpreadLevel(props.rackCount ?? 1);

    const { role, attachments } = createClusterRole(this, {
      roleName: props.clusterRoleName,
      trustedService: "ec2.amazonaws.com",
      managedPolicies: ["AmazonEKSLocalOutpostClusterPolicy"],
      iamRoleOptions: props.iamRoleOptions,
    });
    const logGroup = createControlPlaneLogGroup(this, props.clusterName, props.logRetentionDays ?? 90);

    // Classic local clusters place the control plane in a spread placement group. Instance-store
    // Outposts take a spread level instead and ignore group names (EKS User Guide, 2026).
    const placement = props.instanceStore
      ? undefined
      : new PlacementGroup(this, "control-plane-placement", {
          name: `${props.clusterName}-control-plane`,
          strategy: "spread",
          spreadLevel: this.spreadLevel,
        });
    this.placementGroupName = placement?.name ?? "";

    const outpost = new DataAwsOutpostsOutpost(this, "outpost", { arn: props.outpostArn });
    const offered = new DataAwsOutpostsOutpostInstanceTypes(this, "outpost-instance-types", { arn: props.outpostArn });
    const instanceTypes = [props.controlPlaneInstanceType, ...(props.instanceStore ? [props.instanceStore.etcdInstanceType] : [])];

    this.cluster = new EksCluster(this, "cluster", {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [props.subnetId],
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
      accessConfig: {
        authenticationMode: "CONFIG_MAP",
        bootstrapClusterCreatorAdminPermissions: true,
      },
      outpostConfig: {
        controlPlaneInstanceType: props.controlPlaneInstanceType,
        outpostArns: [props.outpostArn],
        controlPlanePlacement: placement ? { groupName: placement.name } : undefined,
      },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      kubernetesNetworkConfig: props.serviceIpv4Cidr ? { serviceIpv4Cidr: props.serviceIpv4Cidr, ipFamily: "ipv4" } : undefined,
      deletionProtection: props.deletionProtection ?? true,
      dependsOn: [logGroup, ...attachments],
      lifecycle: {
        precondition: [
          {
            condition: Op.eq(outpost.supportedHardwareType, "RACK"),
            errorMessage: `Outpost ${props.outpostArn} is not an Outposts rack: EKS local clusters run on racks only.`,
          },
          ...instanceTypes.map((instanceType) => ({
            condition: Fn.contains(offered.instanceTypes, instanceType),
            errorMessage: `Outpost ${props.outpostArn} does not offer ${instanceType}; see aws outposts get-outpost-instance-types.`,
          })),
        ],
      },
    });

    for (const [name, cidr] of Object.entries(props.apiClientCidrs)) {
      new VpcSecurityGroupIngressRule(this, `api-from-${name}`, {
        securityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
        description: `Kubernetes API from ${name}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    }

    if (props.instanceStore) {
      applyNewerProviderArguments(this.cluster, {
        minimumAwsProviderVersion: INSTANCE_STORE_MIN_AWS_PROVIDER,
        arguments: {
          "outpost_config.etcd_instance_type": props.instanceStore.etcdInstanceType,
          "outpost_config.etcd_placement": { spread_level: this.spreadLevel },
          "outpost_config.control_plane_placement": { spread_level: this.spreadLevel },
        },
      });
    }

    this.exposeCluster(this.cluster, role, "CONFIG_MAP", props.kubernetesVersion);
  }
}
