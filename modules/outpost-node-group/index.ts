/**
 * A self-managed node group on one Outpost: launch template and Auto Scaling group.
 *
 * Outposts run only self-managed nodes, and this is where their rules bite: the instance type must
 * be slotted on that Outpost; racks offer gp2 EBS only (the config rules check the type); servers have no EBS at all and boot only
 * AMIs with exactly one snapshot (seed 001); a server's LNI is a second interface the OS configures
 * itself. Plan-time preconditions check what only AWS knows.
 */
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { DataAwsEc2InstanceType } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type";
import { DataAwsOutpostsOutpostInstanceTypes } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost-instance-types";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { DataAwsSsmParametersByPath } from "@cdktf/provider-aws/lib/data-aws-ssm-parameters-by-path";
import { LaunchTemplate, LaunchTemplateNetworkInterfaces } from "@cdktf/provider-aws/lib/launch-template";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { Fn, Op, TerraformLocal, TerraformSelf } from "cdktf";
import { Construct } from "constructs";
import { AmiFamily, ClusterJoin, LniAddressing, nodeUserData, NodeTaint, OnPremResolverRoutes, RegistryMirror } from "./user-data";

export * from "./user-data";

/** The lifecycle hook NTH completes after draining (seed 002). */
export const TERMINATION_LIFECYCLE_HOOK = {
  name: "node-termination-handler",
  lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
  defaultResult: "CONTINUE",
  heartbeatTimeout: 300,
} as const;

/** Tag NTH checks before draining a node (`checkTagBeforeDraining`). */
export const NTH_MANAGED_TAG = "aws-node-termination-handler/managed";

import type { OutpostFormFactor } from "../outpost-subnet";
export type { OutpostFormFactor };

/**
 * The public SSM parameter of the EKS-optimized AMI (EKS User Guide, "Retrieve recommended Amazon
 * Linux AMI IDs" and "Retrieve recommended Bottlerocket AMI IDs").
 */
/**
 * The SSM parameter of an EKS-optimized AMI: the newest (`recommended`, `latest`), or a pinned
 * release through its release path (EKS User Guide, "Retrieve recommended Amazon Linux AMI IDs";
 * Bottlerocket's "Retrieving an AMI ID"): AL2023 and AL2 releases are dates such as v20251103,
 * Bottlerocket releases versions such as 1.49.0.
 */
export function eksOptimizedAmiParameter(kubernetesVersion: string, family: AmiFamily, architecture: "x86_64" | "arm64", release?: string): string {
  if (family === "bottlerocket") {
    return `/aws/service/bottlerocket/aws-k8s-${kubernetesVersion}/${architecture}/${release ?? "latest"}/image_id`;
  }
  if (family === "al2023") {
    const name = release === undefined ? "recommended" : `amazon-eks-node-al2023-${architecture}-standard-${kubernetesVersion}-${release}`;
    return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${architecture}/standard/${name}/image_id`;
  }
  const arm = architecture === "arm64";
  const name = release === undefined ? "recommended" : `amazon-eks${arm ? "-arm64" : ""}-node-${kubernetesVersion}-${release}`;
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2${arm ? "-arm64" : ""}/${name}/image_id`;
}

/** How the group's instances are replaced when the launch template changes (ASG instance refresh). */
export interface NodeRollout {
  /** Capacity kept healthy, % of desired; below 100 the refresh terminates first, at 100 it launches first (Auto Scaling User Guide, instance refresh). */
  readonly minHealthyPercentage: number;
  /** The most capacity, % of desired; above 100, replacements launch before old nodes terminate (a surge). @default - AWS's: 100, or the group's instance maintenance policy */
  readonly maxHealthyPercentage?: number;
  /** Seconds a new instance gets before the next batch. */
  readonly instanceWarmupSeconds: number;
}

/** Plan-time checks that keep the upgrade order: control plane first, and nodes still while it updates. */
export interface UpgradeGuards {
  /** The control plane's Kubernetes minor version, such as a remote-state output. */
  readonly controlPlaneVersion: string;
  /** The cluster's status (data.aws_eks_cluster), to refuse rolling nodes while EKS updates it. @default - not checked */
  readonly clusterStatus?: string;
}

export interface OutpostSpreadPlacementProps {
  readonly name: string;
  /** host or rack. */
  readonly spreadLevel: "host" | "rack";
}

/** A spread placement group for one Outpost's nodes, for fault isolation (seed 002). */
export class OutpostSpreadPlacement extends Construct {
  readonly placementGroupName: string;

  constructor(scope: Construct, id: string, props: OutpostSpreadPlacementProps) {
    super(scope, id);
    const group = new PlacementGroup(this, "placement-group", { name: props.name, strategy: "spread", spreadLevel: props.spreadLevel });
    this.placementGroupName = group.name;
  }
}

export interface OutpostNodeGroupProps {
  /** Name of the launch template and the Auto Scaling group. */
  readonly name: string;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly outpostArn: string;
  readonly formFactor: OutpostFormFactor;
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
  readonly instanceProfileArn: string;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** The cluster values nodes join with. */
  readonly cluster: ClusterJoin;
  /** The node operating system: how the user data is written and which public AMI is looked up. */
  readonly amiFamily: AmiFamily;
  /** The AMI's CPU architecture; checked at plan time against the instance type's (and an explicit AMI's). */
  readonly architecture: "x86_64" | "arm64";
  /**
   * An explicit AMI.
   * @default the EKS-optimized AMI from SSM
   */
  readonly amiId?: string;
  /**
   * The EBS volume nodes keep their images and pods on: the root volume, or Bottlerocket's data
   * volume. Racks only (servers have no EBS); always encrypted.
   * @default the AMI's own mapping
   */
  readonly rootVolume?: { readonly sizeGiB: number; readonly type: string };
  /** IMDSv2 hop limit; the caller decides it (2 where pods must reach the instance's metadata). */
  readonly metadataHopLimit: number;
  /**
   * Servers with LNI only: the LNI device index and how it is addressed.
   * @default - no local network interface
   */
  readonly lni?: { readonly deviceIndex: number; readonly addressing: LniAddressing };
  /**
   * Pin this EKS-optimized AMI release (see eksOptimizedAmiParameter).
   * @default - the newest release ("recommended"; "latest" for Bottlerocket)
   */
  readonly amiRelease?: string;
  /**
   * Roll instances through an ASG instance refresh when the launch template changes.
   * @default - no instance refresh: running nodes keep their AMI
   */
  readonly rollout?: NodeRollout;
  /**
   * Refuse, at plan time, a node version ahead of the control plane, and rolling nodes while the
   * cluster updates.
   * @default - no checks
   */
  readonly upgradeGuards?: UpgradeGuards;
  /**
   * Kubernetes node labels.
   * @default - none beyond the Outpost and node-group labels
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taints the nodes register with.
   * @default none
   */
  readonly taints?: readonly NodeTaint[];
  /**
   * Registry mirrors written for containerd before the node joins.
   * @default none
   */
  readonly registryMirrors?: readonly RegistryMirror[];
  /**
   * On-premises domains the nodes ask the on-premises servers for themselves (AL2023).
   * @default none
   */
  readonly onPremResolverRoutes?: OnPremResolverRoutes;
  /**
   * A spread placement group for the instances (OutpostSpreadPlacement).
   * @default - no placement group
   */
  readonly placementGroupName?: string;
  /**
   * Tags on the instances (and the ASG, propagated).
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class OutpostNodeGroup extends Construct {
  readonly autoScalingGroupName: string;
  readonly launchTemplateId: string;
  readonly launchTemplate: LaunchTemplate;
  /** The user data before base64 encoding, for inspection. */
  readonly userData: string;

  constructor(scope: Construct, id: string, props: OutpostNodeGroupProps) {
    super(scope, id);
    if (props.formFactor === "server" && props.rootVolume) {
      throw new Error(`${this.node.path}: Outposts servers have no EBS; remove rootVolume`);
    }
    if (props.formFactor === "rack" && props.lni) {
      throw new Error(`${this.node.path}: local network interfaces exist only on Outposts servers`);
    }
    const amiFamily = props.amiFamily;
    if (props.formFactor === "server" && amiFamily === "bottlerocket") {
      throw new Error(`${this.node.path}: Bottlerocket AMIs have two snapshots; Outposts servers boot single-snapshot AMIs only`);
    }
    const imageId = props.amiId ?? this.amiParameter(props, amiFamily).insecureValue;

    const offered = new DataAwsOutpostsOutpostInstanceTypes(this, "outpost-instance-types", { arn: props.outpostArn });
    // EC2 refuses a launch whose AMI architecture is not the instance type's.
    const typeInfo = new DataAwsEc2InstanceType(this, "instance-type", { instanceType: props.instanceType });
    const preconditions: { condition: unknown; errorMessage: string }[] = [
      {
        condition: Fn.contains(offered.instanceTypes, props.instanceType),
        errorMessage: `Node group ${props.name}: the Outpost does not offer ${props.instanceType}; see aws outposts get-outpost-instance-types.`,
      },
      {
        condition: Fn.contains(typeInfo.supportedArchitectures, props.architecture),
        errorMessage: `Node group ${props.name}: ${props.instanceType} does not run ${props.architecture} AMIs; set ami.architecture to the type's architecture.`,
      },
    ];
    // Looked up by ID alone, deprecated or shared from another account, as the launch template uses it.
    const ami =
      props.formFactor === "server" || props.amiId !== undefined
        ? new DataAwsAmi(this, "ami", { includeDeprecated: true, filter: [{ name: "image-id", values: [imageId] }] })
        : undefined;
    if (ami && props.amiId !== undefined) {
      preconditions.push({
        condition: Op.eq(ami.architecture, props.architecture),
        errorMessage: `Node group ${props.name}: the AMI ${props.amiId} is not ${props.architecture}, the architecture of ${props.instanceType}.`,
      });
    }
    if (props.formFactor === "server" && ami) {
      // The EBS snapshots behind the AMI's block device mappings, as a list.
      const snapshots = new TerraformLocal(
        this,
        "ami-snapshots",
        `\${[for mapping in data.aws_ami.${ami.friendlyUniqueId}.block_device_mappings : mapping.ebs.snapshot_id if try(mapping.ebs.snapshot_id, "") != ""]}`,
      );
      preconditions.push({
        condition: Op.eq(Fn.lengthOf(snapshots.asList), 1),
        errorMessage: `Node group ${props.name}: an Outposts server boots only AMIs with exactly one EBS snapshot (Bottlerocket has two).`,
      });
    }
    const rootVolume = props.formFactor === "rack" ? props.rootVolume : undefined;

    this.userData = nodeUserData({
      amiFamily,
      cluster: props.cluster,
      labels: props.labels ?? {},
      taints: props.taints,
      lni: props.lni,
      registryMirrors: props.registryMirrors,
      onPremResolverRoutes: props.onPremResolverRoutes,
    });
    // A local holds the text as a Terraform template: quotes stay as they are, cluster values
    // interpolate, and the shell's own ${...} arrive escaped as $${...}.
    const userDataLocal = new TerraformLocal(this, "user-data", this.userData);
    const networkInterfaces: LaunchTemplateNetworkInterfaces[] = [
      { deviceIndex: 0, subnetId: props.subnetId, securityGroups: [...props.securityGroupIds], deleteOnTermination: "true" },
    ];
    if (props.lni) {
      // The LNI sits in the same Outpost subnet at its device index; the OS addresses it on the site
      // network, and the boot script tags it so the VPC CNI leaves it alone.
      networkInterfaces.push({ deviceIndex: props.lni.deviceIndex, subnetId: props.subnetId, deleteOnTermination: "true" });
    }

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: props.name,
      description: `EKS nodes of ${props.clusterName} on ${props.formFactor === "rack" ? "an Outposts rack" : "an Outposts server"}`,
      imageId,
      instanceType: props.instanceType,
      userData: Fn.base64encode(userDataLocal.asString),
      updateDefaultVersion: true,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: props.metadataHopLimit,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: rootVolume
        ? [
            {
              // Bottlerocket keeps its OS on /dev/xvda and images and pods on its data volume, /dev/xvdb.
              deviceName: amiFamily === "bottlerocket" ? "/dev/xvdb" : "/dev/xvda",
              ebs: { volumeSize: rootVolume.sizeGiB, volumeType: rootVolume.type, encrypted: "true", deleteOnTermination: "true" },
            },
          ]
        : undefined,
      networkInterfaces,
      monitoring: { enabled: true },
      tagSpecifications: [{ resourceType: "instance", tags: { Name: props.name, ...props.tags } }],
      lifecycle: { precondition: preconditions },
    });
    this.launchTemplateId = this.launchTemplate.id;

    const group = new AutoscalingGroup(this, "auto-scaling-group", {
      name: props.name,
      minSize: props.minSize,
      maxSize: props.maxSize,
      desiredCapacity: props.desiredSize,
      vpcZoneIdentifier: [props.subnetId],
      placementGroup: props.placementGroupName,
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      // On-demand only: there is no Spot on Outposts.
      capacityRebalance: false,
      initialLifecycleHook: [{ ...TERMINATION_LIFECYCLE_HOOK }],
      tag: [
        { key: `kubernetes.io/cluster/${props.clusterName}`, value: "owned", propagateAtLaunch: true },
        { key: NTH_MANAGED_TAG, value: "true", propagateAtLaunch: true },
        ...Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      ],
      // A new launch template version (AMI, user data) rolls the nodes; each one is drained by the
      // termination lifecycle hook and the Node Termination Handler before it goes.
      instanceRefresh: props.rollout
        ? {
            strategy: "Rolling",
            preferences: {
              minHealthyPercentage: props.rollout.minHealthyPercentage,
              maxHealthyPercentage: props.rollout.maxHealthyPercentage,
              instanceWarmup: String(props.rollout.instanceWarmupSeconds),
              skipMatching: true,
            },
          }
        : undefined,
      // A cluster autoscaler or an operator changes the desired count; Terraform keeps min and max.
      lifecycle: { ignoreChanges: ["desired_capacity"], precondition: upgradeChecks(props) },
    });
    this.autoScalingGroupName = group.name;
  }

  /**
   * The EKS-optimized AMI's public SSM parameter. A pinned release that AWS never published (or not
   * for this Kubernetes version, architecture or Region) would fail the plan with the provider's
   * "couldn't find resource": the release's parameter path is listed first
   * (`data.aws_ssm_parameters_by_path`, empty for an unknown path), and a postcondition names it.
   */
  private amiParameter(props: OutpostNodeGroupProps, amiFamily: AmiFamily): DataAwsSsmParameter {
    const name = eksOptimizedAmiParameter(props.kubernetesVersion, amiFamily, props.architecture, props.amiRelease);
    const release =
      props.amiRelease === undefined
        ? undefined
        : new DataAwsSsmParametersByPath(this, "ami-release-lookup", {
            path: name.slice(0, name.lastIndexOf("/")),
            withDecryption: false,
            lifecycle: {
              postcondition: [
                {
                  condition: Fn.contains(TerraformSelf.getAny("names"), name),
                  errorMessage:
                    `Node group ${props.name}: AWS publishes no ${amiFamily} AMI release ${props.amiRelease} for Kubernetes ${props.kubernetesVersion} ` +
                    `(${props.architecture}) in this Region: ${name} does not exist. Pin a release AWS lists for that family and version ` +
                    "(ami.release, workers.amiRelease), or leave it unset for the recommended AMI.",
                },
              ],
            },
          });
    return new DataAwsSsmParameter(this, "ami-parameter", { name, dependsOn: release ? [release] : undefined });
  }
}

/** The ASG's plan-time checks of the upgrade order; none without guards. */
function upgradeChecks(props: OutpostNodeGroupProps) {
  const guards = props.upgradeGuards;
  if (!guards) return undefined;
  const nodeMinor = Number(props.kubernetesVersion.split(".")[1]);
  const checks = [
    {
      condition: Op.gte(Fn.tonumber(Fn.element(Fn.split(".", guards.controlPlaneVersion), 1)), nodeMinor),
      errorMessage: `Node group ${props.name} runs Kubernetes ${props.kubernetesVersion}, ahead of the control plane: upgrade the control plane first (docs/upgrades.md).`,
    },
  ];
  if (guards.clusterStatus !== undefined) {
    checks.push({
      condition: Op.neq(guards.clusterStatus, "UPDATING"),
      errorMessage: `The cluster is updating (a local cluster's control-plane instances are being replaced one at a time): changing node group ${props.name} now could take the slot EKS freed. Wait for ACTIVE (docs/upgrades.md).`,
    });
  }
  return checks;
}
