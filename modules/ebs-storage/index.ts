/**
 * EBS storage on Outposts racks: the EBS CSI driver and a default StorageClass for gp2 (the only
 * EBS type racks offer), encrypted, binding when a pod is scheduled so the volume is created on the
 * pod's Outpost. Servers have no EBS, so a servers-only cluster gets none of this.
 *
 * The driver is the EKS managed add-on with an IRSA role on extended clusters, and the Helm chart
 * with the node instance profile on local clusters (no IRSA, no managed add-ons there).
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/ebs-storage", ["@cdktf/provider-helm", "@cdktf/provider-kubernetes"]);
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { Annotations as KubernetesAnnotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { nodeSelectorValues } from "../shared/node-selector";
import { Addon, addonRelease, AddonSpec } from "../shared/addon";
import { catalogueImagesOf, ImageRef, imageValues } from "../shared/image-catalogue";
import { grantWorkloadPermissions, WorkloadIdentity } from "../shared/workload-identity";

import { EBS_CSI_CHART, EBS_CSI_CHART_VERSION, EBS_CSI_DRIVER_POLICY } from "./chart";
import { IamRoleOptions, tagResources } from "../shared/resource-options";
import { OWNED_VALUES } from "../shared/owned-values";

export * from "./chart";
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

export const EBS_CSI_ADDON: AddonSpec = {
  name: EBS_CSI_CHART.name,
  chart: { ...EBS_CSI_CHART, version: EBS_CSI_CHART_VERSION },
  namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
  serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
  images: catalogueImagesOf("aws-ebs-csi-driver"),
  ownedValues: OWNED_VALUES["aws-ebs-csi-driver"],
};
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
/** The first Kubernetes minor version whose EKS clusters no longer mark their `gp2` class default. */
const FIRST_VERSION_WITHOUT_DEFAULT_GP2 = 30;

/** How the driver is installed: the EKS managed add-on, or the Helm chart where managed add-ons do not exist (local clusters). */
export type EbsCsiDriver =
  | {
      readonly kind: "managed-addon";
      readonly clusterName: string;
      readonly kubernetesVersion: string;
      /**
       * Run the node plugin on the host network (`node.hostNetwork` in the add-on's configuration),
       * where it reads the Outpost ARN from instance metadata with hop limit 1.
       * @default true
       */
      readonly nodeOnHostNetwork?: boolean;
    }
  | {
      readonly kind: "helm";
      /**
       * The image catalogue's tags match that version.
       * @default EBS_CSI_CHART_VERSION
       */
      readonly chartVersion?: string;
      /**
       * Image references by catalogue name (`driver`, `csi-provisioner`, ...).
       * @default the catalogue's upstream images
       */
      readonly images?: Readonly<Record<string, ImageRef>>;
      /**
       * Chart values merged over the construct's own; `ownedValues` paths are refused.
       * @default none
       */
      readonly extraValues?: Record<string, unknown>;
      /**
       * Node labels the controller's pods must match (see LoadBalancerControllerProps.controllerNodeSelector).
       * @default - any node
       */
      readonly controllerNodeSelector?: Readonly<Record<string, string>>;
      /**
       * Run the node plugin on the host network, where it reads the Outpost ARN from instance
       * metadata with hop limit 1 (aws-ebs-csi-driver docs/outposts.md) and pods need no hop limit 2.
       * @default true
       */
      readonly nodeOnHostNetwork?: boolean;
    };

export interface EbsStorageProps {
  readonly driver: EbsCsiDriver;
  /** How the driver gets AWS credentials: its own IRSA role, or the node role (local clusters). */
  readonly identity: WorkloadIdentity;
  /** Name of the IRSA role (irsa identity only). */
  readonly roleName: string;
  /** Name of the default StorageClass. */
  readonly storageClassName: string;
  /**
   * The cluster's Kubernetes minor version, such as "1.33". Clusters before 1.30 come with EKS's own
   * `gp2` class marked default; it is then un-marked so only one class is the default.
   */
  readonly kubernetesVersion: string;
  /**
   * The helm provider to use (ClusterAccess builds one).
   * @default - the stack's default helm provider
   */
  readonly helmProvider?: TerraformProvider;
  /**
   * The kubernetes provider to use (ClusterAccess builds one).
   * @default - the stack's default kubernetes provider
   */
  readonly kubernetesProvider?: TerraformProvider;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary and path of every IAM role the construct creates.
   * @default - no boundary, path "/"
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

export class EbsStorage extends Construct implements Addon {
  readonly spec = EBS_CSI_ADDON;
  readonly values: Record<string, unknown>;
  readonly storageClass: StorageClassV1;
  /** The driver installation the class depends on. */
  readonly driver: ITerraformDependable;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EbsStorageProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const partition = new DataAwsPartition(this, "partition");
    const driverPolicy = `arn:${partition.partition}:iam::aws:policy/${EBS_CSI_DRIVER_POLICY}`;
    const permissions = grantWorkloadPermissions(
      this,
      { irsaRole: "driver-role", nodeRolePolicy: "node-role-driver-policy" },
      {
        identity: props.identity,
        serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
        roleName: props.roleName,
        nodeRolePolicyName: EBS_CSI_ADDON.name,
        managedPolicyArns: [driverPolicy],
        iamRoleOptions: props.iamRoleOptions,
      },
    );
    this.roleArn = permissions.roleArn;
    if (props.driver.kind === "managed-addon") {
      this.values = { node: { hostNetwork: props.driver.nodeOnHostNetwork ?? true } };
      const version = new DataAwsEksAddonVersion(this, "driver-version", {
        addonName: "aws-ebs-csi-driver",
        kubernetesVersion: props.driver.kubernetesVersion,
        mostRecent: true,
      });
      this.driver = new EksAddon(this, "driver", {
        clusterName: props.driver.clusterName,
        addonName: "aws-ebs-csi-driver",
        addonVersion: version.version,
        serviceAccountRoleArn: permissions.roleArn || undefined,
        configurationValues: JSON.stringify(this.values),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      });
    } else {
      this.values = {
        ...imageValues("aws-ebs-csi-driver", props.driver.images),
        controller: {
          serviceAccount: { create: true, name: EBS_CSI_SERVICE_ACCOUNT.name, ...annotationsOf(permissions.serviceAccountAnnotations) },
          ...nodeSelectorValues(props.driver.controllerNodeSelector),
        },
        node: { hostNetwork: props.driver.nodeOnHostNetwork ?? true },
      };
      this.driver = addonRelease(this, "driver", this.spec, {
        values: this.values,
        extraValues: props.driver.extraValues,
        version: props.driver.chartVersion,
        provider: props.helmProvider,
      });
    }

    this.storageClass = new StorageClassV1(this, "storage-class", {
      metadata: { name: props.storageClassName, annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: { type: "gp2", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
      dependsOn: [this.driver],
      provider: props.kubernetesProvider,
    });

    if (Number(props.kubernetesVersion.split(".")[1]) < FIRST_VERSION_WITHOUT_DEFAULT_GP2) {
      new KubernetesAnnotations(this, "eks-gp2-not-default", {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "gp2" },
        annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
        force: true,
        provider: props.kubernetesProvider,
      });
    }
  }

  get installed(): StorageClassV1[] {
    return [this.storageClass];
  }
}

/** Service-account annotations as chart values: left out when there are none. */
function annotationsOf(annotations: Record<string, string>): { annotations?: Record<string, string> } {
  return Object.keys(annotations).length > 0 ? { annotations } : {};
}
