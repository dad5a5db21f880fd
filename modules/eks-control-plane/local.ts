/**
 * An EKS *local cluster*: the Kubernetes control plane on one Outposts rack, so the cluster keeps
 * serving when the service link drops (seed 004).
 *
 * Two architectures, which differ in what the EKS API accepts:
 * - EBS-backed (the default): CONFIG_MAP authentication with the creator as admin, no OIDC
 *   provider, no managed add-ons (terraform-aws-eks #2925, eksctl #7552), a private endpoint only,
 *   and a cluster role trusted by ec2.amazonaws.com with AmazonEKSLocalOutpostClusterPolicy;
 * - instance-store (2026, `instanceStore`): 3 API-server and 3 etcd instances; the caller passes
 *   the eks.amazonaws.com role, API_AND_CONFIG_MAP, an OIDC provider and an optional public
 *   endpoint (EKS UG, instance-store local cluster create page).
 * Neither offers secrets envelope encryption. The construct takes each choice as a prop with the
 * EBS-backed value as default; config/cluster-architecture.ts decides them for blueprints.
 */
import { DataAwsAvailabilityZone } from "@cdktf/provider-aws/lib/data-aws-availability-zone";
import { DataAwsEc2InstanceType } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type";
import { DataAwsOutpostsOutpost } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost";
import { DataAwsOutpostsOutpostInstanceTypes } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost-instance-types";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, Op } from "cdktf";
import { Construct } from "constructs";
import { IamRoleOptions, tagResources } from "../shared/resource-options";
import { applyNewerProviderArguments } from "../shared/newer-provider-arguments";
import { TerraformCheck } from "../shared/terraform-check";
import {
  AuthenticationMode,
  ClusterRoleProps,
  CONTROL_PLANE_LOG_TYPES,
  bootstrapCreatorAdmin,
  createAdminAccessEntries,
  createCallerAdminAccessEntry,
  createClusterRole,
  createControlPlaneLogGroup,
  createOidcProvider,
  EksControlPlaneBase,
} from "./common";

export type SpreadLevel = "host" | "rack";

/** A lifecycle precondition of the cluster resource. */
type TerraformCondition = { readonly condition: unknown; readonly errorMessage: string };

/**
 * The first hashicorp/aws release with `outpost_config.etcd_instance_type`, `etcd_placement` and
 * `control_plane_placement.spread_level`: 6.51.0 (17 June 2026; terraform-provider-aws PR #48367,
 * whose release note calls the support best effort).
 */
export const INSTANCE_STORE_MIN_AWS_PROVIDER = "6.51.0";

/** The `aws_eks_cluster` arguments of the instance-store architecture, set through the escape hatch. */
export const INSTANCE_STORE_ARGUMENTS = ["outpost_config.etcd_instance_type", "outpost_config.etcd_placement", "outpost_config.control_plane_placement"] as const;

/** The 2026 instance-store architecture: dedicated etcd instances beside the control plane. */
export interface InstanceStoreControlPlane {
  /** Instance type of the 3 etcd instances. */
  readonly etcdInstanceType: string;
}

/** The least an instance type must offer, checked at plan time with `data.aws_ec2_instance_type`. */
export interface InstanceCapacity {
  readonly vcpus: number;
  readonly memoryMiB: number;
}

/** The cluster role of the EBS-backed architecture (EKS UG, local cluster create page). */
export const EBS_BACKED_CLUSTER_ROLE: Pick<ClusterRoleProps, "trustedService" | "managedPolicies"> = {
  trustedService: "ec2.amazonaws.com",
  managedPolicies: ["AmazonEKSLocalOutpostClusterPolicy"],
};

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
   * The Region, for the control-plane log group's own KMS key (logs.<region>.amazonaws.com may use
   * it for that log group only).
   * @default - no key: CloudWatch Logs' own encryption
   */
  readonly logKeyRegion?: string;
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
   * Who assumes the cluster role and which AWS managed policies it carries.
   * @default EBS_BACKED_CLUSTER_ROLE (ec2.amazonaws.com, AmazonEKSLocalOutpostClusterPolicy)
   */
  readonly clusterRole?: Pick<ClusterRoleProps, "trustedService" | "managedPolicies">;
  /**
   * The cluster's authentication mode; EBS-backed local clusters accept CONFIG_MAP only.
   * @default "CONFIG_MAP"
   */
  readonly authenticationMode?: AuthenticationMode;
  /**
   * IAM principals granted cluster admin through access entries; not with CONFIG_MAP.
   * @default none
   */
  readonly adminPrincipalArns?: readonly string[];
  /**
   * An admin access entry for the identity that runs apply, unless it is among
   * `adminPrincipalArns`; only where access entries exist. With CONFIG_MAP, EKS makes the creator
   * admin itself (the only way to a first admin there).
   * @default true
   */
  readonly callerAdminAccessEntry?: boolean;
  /**
   * A public API endpoint beside the private one (instance-store clusters only).
   * @default false
   */
  readonly endpointPublicAccess?: boolean;
  /**
   * CIDRs for a public endpoint; required when it is on.
   * @default none
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Create the cluster's IAM OIDC provider, for IRSA (instance-store clusters).
   * @default false
   */
  readonly oidcProvider?: boolean;
  /**
   * The rack's parent Availability Zone (a name); with `excludedZoneIds`, its zone ID is checked at plan time.
   * @default - not checked
   */
  readonly availabilityZone?: string;
  /**
   * Availability Zone IDs the architecture does not support; the plan fails when the rack's zone is one.
   * @default none
   */
  readonly excludedZoneIds?: readonly string[];
  /**
   * What the sizing table suggests each control-plane (and etcd) instance offer for the cluster's
   * node count; every plan warns (a `check` block) when `data.aws_ec2_instance_type` offers less.
   * @default - not checked
   */
  readonly requiredCapacity?: { readonly controlPlane: InstanceCapacity; readonly etcd?: InstanceCapacity };
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
  /** ARN of the IAM OIDC provider; empty without one. */
  readonly oidcProviderArn: string;
  /** Issuer URL without the scheme; empty without an OIDC provider. */
  readonly oidcProviderUrl: string;

  constructor(scope: Construct, id: string, props: EksLocalControlPlaneProps) {
    super(scope, id);
    tagResources(this, props.tags);
    this.spreadLevel = props.spreadLevel ?? defaultSpreadLevel(props.rackCount ?? 1);
    const authenticationMode = props.authenticationMode ?? "CONFIG_MAP";
    const admins = props.adminPrincipalArns ?? [];
    if (authenticationMode === "CONFIG_MAP" && admins.length > 0) {
      throw new Error(`${this.node.path}: adminPrincipalArns need access entries, which CONFIG_MAP authentication does not have`);
    }
    const endpointPublicAccess = props.endpointPublicAccess ?? false;
    if (endpointPublicAccess && (props.publicAccessCidrs ?? []).length === 0) {
      throw new Error(`${this.node.path}: a public endpoint needs explicit publicAccessCidrs`);
    }

    const clusterRole = props.clusterRole ?? EBS_BACKED_CLUSTER_ROLE;
    const { role, attachments, partition } = createClusterRole(this, {
      roleName: props.clusterRoleName,
      clusterName: props.clusterName,
      trustedService: clusterRole.trustedService,
      managedPolicies: clusterRole.managedPolicies,
      iamRoleOptions: props.iamRoleOptions,
    });
    const logGroup = createControlPlaneLogGroup(this, props.clusterName, props.logRetentionDays ?? 90, props.logKeyRegion);

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
    const instanceTypes = [...new Set([props.controlPlaneInstanceType, ...(props.instanceStore ? [props.instanceStore.etcdInstanceType] : [])])];
    const zoneChecks = this.zoneChecks(props);

    this.cluster = new EksCluster(this, "cluster", {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [props.subnetId],
        endpointPrivateAccess: true,
        endpointPublicAccess,
        publicAccessCidrs: endpointPublicAccess ? [...(props.publicAccessCidrs ?? [])] : undefined,
      },
      accessConfig: {
        authenticationMode,
        // True only with CONFIG_MAP (EBS-backed), where EKS requires it; elsewhere the caller's entry is explicit.
        bootstrapClusterCreatorAdminPermissions: bootstrapCreatorAdmin(authenticationMode),
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
        // EKS cannot change the setting on an existing cluster, so the provider would replace it:
        // clusters created before keep EKS's creator entry (CHANGELOG 0.3.0).
        ignoreChanges: ["access_config[0].bootstrap_cluster_creator_admin_permissions"],
        precondition: [
          {
            condition: Op.eq(outpost.supportedHardwareType, "RACK"),
            errorMessage: `Outpost ${props.outpostArn} is not an Outposts rack: EKS local clusters run on racks only.`,
          },
          ...instanceTypes.map((instanceType) => ({
            condition: Fn.contains(offered.instanceTypes, instanceType),
            errorMessage: `Outpost ${props.outpostArn} does not offer ${instanceType}; see aws outposts get-outpost-instance-types.`,
          })),
          ...zoneChecks,
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
          [INSTANCE_STORE_ARGUMENTS[0]]: props.instanceStore.etcdInstanceType,
          [INSTANCE_STORE_ARGUMENTS[1]]: { spread_level: this.spreadLevel },
          [INSTANCE_STORE_ARGUMENTS[2]]: { spread_level: this.spreadLevel },
        },
        // Nested blocks in the provider's schema (CDK Terrain's 6.66.0 bindings type them as blocks).
        blocks: [INSTANCE_STORE_ARGUMENTS[1], INSTANCE_STORE_ARGUMENTS[2]],
      });
    }

    if (props.oidcProvider) {
      const oidc = createOidcProvider(this, this.cluster);
      this.oidcProviderArn = oidc.arn;
      this.oidcProviderUrl = oidc.url;
    } else {
      this.oidcProviderArn = "";
      this.oidcProviderUrl = "";
    }
    createAdminAccessEntries(this, this.cluster.name, admins, partition);
    if (authenticationMode !== "CONFIG_MAP" && (props.callerAdminAccessEntry ?? true)) {
      createCallerAdminAccessEntry(this, this.cluster.name, admins, partition);
    }
    this.sizingCheck(props);

    this.exposeCluster(this.cluster, role, authenticationMode);
  }

  /** The rack's zone ID outside the ones the architecture excludes. */
  private zoneChecks(props: EksLocalControlPlaneProps): TerraformCondition[] {
    const excluded = props.excludedZoneIds ?? [];
    if (excluded.length === 0 || props.availabilityZone === undefined) return [];
    const zone = new DataAwsAvailabilityZone(this, "outpost-zone", { name: props.availabilityZone });
    return [
      {
        condition: Op.not(Fn.contains([...excluded], zone.zoneId)),
        errorMessage:
          `The Outpost's Availability Zone ${props.availabilityZone} has a zone ID this cluster architecture does not support ` +
          `(${excluded.join(", ")}; EKS UG, instance-store local cluster VPC and subnet requirements).`,
      },
    ];
  }

  /**
   * A warning in every plan when an instance type offers fewer vCPUs or less memory than the sizing
   * table asks for the node count: the instance-store capacity page calls its table "a guideline
   * rather than a strict requirement", so a `check` block warns instead of failing the plan.
   */
  private sizingCheck(props: EksLocalControlPlaneProps): void {
    const required = props.requiredCapacity;
    if (required === undefined) return;
    const roles: [string, string, InstanceCapacity | undefined][] = [
      ["control-plane", props.controlPlaneInstanceType, required.controlPlane],
      ["etcd", props.instanceStore?.etcdInstanceType ?? "", props.instanceStore ? required.etcd : undefined],
    ];
    const assertions = roles.flatMap(([role, instanceType, capacity]) => {
      if (capacity === undefined) return [];
      const offered = new DataAwsEc2InstanceType(this, `${role}-instance-type`, { instanceType });
      return [
        {
          condition: Op.and(Op.gte(offered.defaultVcpus, capacity.vcpus), Op.gte(offered.memorySize, capacity.memoryMiB)),
          errorMessage:
            `The ${role} instance type ${instanceType} offers fewer than ${capacity.vcpus} vCPUs or ${capacity.memoryMiB / 1024} GiB, ` +
            "what the EKS sizing guideline suggests for this cluster's node count (EKS UG, instance-store local cluster capacity considerations).",
        },
      ];
    });
    if (assertions.length > 0) new TerraformCheck(this, "sizing-guideline", { assertions });
  }
}
