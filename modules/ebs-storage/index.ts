/**
 * EBS storage on Outposts racks: the EBS CSI driver and a default StorageClass for gp2 (the only
 * EBS type racks offer), encrypted, binding when a pod is scheduled so the volume is created on the
 * pod's Outpost. Servers have no EBS, so a servers-only cluster gets none of this.
 *
 * The driver is the EKS managed add-on with an IRSA role on extended clusters, and the Helm chart
 * with the node instance profile on local clusters (no IRSA, no managed add-ons there).
 */
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Annotations as KubernetesAnnotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { IrsaRole } from "../irsa-role";

export const EBS_CSI_CHART = { name: "aws-ebs-csi-driver", repository: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver" } as const;
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
/** The first Kubernetes minor version whose EKS clusters no longer mark their `gp2` class default. */
const FIRST_VERSION_WITHOUT_DEFAULT_GP2 = 30;

export type EbsCsiDriver =
  | {
      readonly kind: "managed-addon";
      readonly clusterName: string;
      readonly kubernetesVersion: string;
      readonly roleName: string;
      readonly oidcProviderArn: string;
      readonly oidcProviderUrl: string;
    }
  | { readonly kind: "helm"; readonly chartVersion: string; readonly nodeRoleName: string };

export interface EbsStorageProps {
  readonly driver: EbsCsiDriver;
  /** Name of the default StorageClass. */
  readonly storageClassName: string;
  /**
   * The cluster's Kubernetes minor version, such as "1.33". Clusters before 1.30 come with EKS's own
   * `gp2` class marked default; it is then un-marked so only one class is the default.
   */
  readonly kubernetesVersion: string;
  readonly helmProvider?: TerraformProvider;
  readonly kubernetesProvider?: TerraformProvider;
}

export class EbsStorage extends Construct {
  readonly storageClass: StorageClassV1;
  /** The driver installation the class depends on. */
  readonly driver: ITerraformDependable;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EbsStorageProps) {
    super(scope, id);
    const partition = new DataAwsPartition(this, "partition");
    const driverPolicy = `arn:${partition.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`;
    if (props.driver.kind === "managed-addon") {
      const role = new IrsaRole(this, "driver-role", {
        roleName: props.driver.roleName,
        oidcProviderArn: props.driver.oidcProviderArn,
        oidcProviderUrl: props.driver.oidcProviderUrl,
        namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
        serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
        managedPolicyArns: [driverPolicy],
      });
      const version = new DataAwsEksAddonVersion(this, "driver-version", {
        addonName: "aws-ebs-csi-driver",
        kubernetesVersion: props.driver.kubernetesVersion,
        mostRecent: true,
      });
      this.driver = new EksAddon(this, "driver", {
        clusterName: props.driver.clusterName,
        addonName: "aws-ebs-csi-driver",
        addonVersion: version.version,
        serviceAccountRoleArn: role.roleArn,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      });
      this.roleArn = role.roleArn;
    } else {
      // Local clusters have no IRSA: the driver uses the node instance profile.
      new IamRolePolicyAttachment(this, "node-role-driver-policy", { role: props.driver.nodeRoleName, policyArn: driverPolicy });
      this.driver = new Release(this, "driver", {
        name: EBS_CSI_CHART.name,
        repository: EBS_CSI_CHART.repository,
        chart: EBS_CSI_CHART.name,
        version: props.driver.chartVersion,
        namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
        values: [stringify({ controller: { serviceAccount: { create: true, name: EBS_CSI_SERVICE_ACCOUNT.name } } })],
        provider: props.helmProvider,
      });
      this.roleArn = "";
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
}
