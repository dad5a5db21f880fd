/**
 * The addons layer: the Load Balancer Controller with one ingress class per rack, EBS storage,
 * core add-ons and CNI tuning, the Node Termination Handler, and for local clusters a break-glass
 * admin that works while IAM is unreachable. Everything Kubernetes-side goes through the Helm and
 * Kubernetes providers, pointed at the cluster with the authentication the blueprint chooses.
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { Annotations, Fn } from "cdktf";
import { Construct } from "constructs";
import {
  addonControllerNodeSelector,
  Blueprint,
  BREAK_GLASS_WARNING_DAYS,
  clusterArchitecture,
  EBS_CSI_NODE_ON_HOST_NETWORK,
  vpcCniHasOwnRole,
  breakGlassEnabled,
  checkedAtPlan,
  iamRoleNames,
  ImageAddon,
  partitionOf,
  ImageRef,
  RackOutpost,
  resolveAddonImages,
} from "../config";
import { ImageCopyCheck } from "../modules/image-repositories";
import { BreakGlassAccess } from "../modules/break-glass-access";
import { ClusterAccess, ClusterAuth } from "../modules/cluster-access";
import { EbsStorage } from "../modules/ebs-storage";
import { CniEnvironmentPatch, ManagedCoreAddons } from "../modules/eks-core-addons";
import { LoadBalancerController } from "../modules/load-balancer-controller";
import { NodeTerminationHandler } from "../modules/node-termination-handler";
import { NTH_MANAGED_TAG } from "../modules/outpost-node-group";
import { Addon } from "../modules/shared/addon";
import { WorkloadIdentity } from "../modules/shared/workload-identity";
import { ADDONS_OUTPUTS } from "./addons-contract";
import { BlueprintStack } from "./blueprint-stack";
import { ControlPlaneOutputs, readControlPlaneOutputs } from "./control-plane-contract";
import { NetworkOutputs, readNetworkOutputs } from "./network-contract";
import { readWorkersOutputs, WorkersOutputs } from "./workers-contract";
import { workloadIdentity } from "./workload-identity";
import { OUTPOST_LABEL } from "./workers-stack";

/**
 * One entry per add-on, walked in order. None of today's add-ons needs another's resources (each
 * module orders its own, such as the StorageClass after the driver); an add-on that does not apply
 * to the blueprint says why, as a synth warning, where the user asked for it.
 */
interface AddonEntry {
  readonly id: string;
  readonly enabled: (blueprint: Blueprint) => boolean;
  /** Why an enabled add-on cannot run on this blueprint; undefined when it can. */
  readonly unavailable?: (blueprint: Blueprint) => string | undefined;
  readonly build: (stack: AddonsStack, context: AddonContext) => Addon | Construct;
}

/** What the entries build from: the blueprint, the other layers' outputs and the identity decision. */
interface AddonContext {
  readonly blueprint: Blueprint;
  readonly racks: readonly RackOutpost[];
  readonly network: NetworkOutputs;
  readonly controlPlane: ControlPlaneOutputs;
  readonly workers: WorkersOutputs;
  readonly identity: WorkloadIdentity;
  /** Image references of an add-on's chart, by catalogue name, from the blueprint's image source. */
  readonly images: (addon: ImageAddon) => Record<string, ImageRef>;
}

/** The address the vpc-cni managed add-on had in this stack up to 0.2.0 (test/facts/released-addresses.json). */
export const RELEASED_VPC_CNI_ADDON_ADDRESS = "aws_eks_addon.core-addons_vpc-cni_071EE681";

/** What the user runs, from a host with internet access, to copy the images into private ECR. */
export const IMAGES_COPY_COMMAND = "npx outposts-eks images copy --config <your blueprint> (with a fleet, add --site <site>; then run the printed commands)";
/** What the user runs, from a host with internet access, to warm the pull-through cache. */
export const IMAGES_WARM_COMMAND = "npx outposts-eks images warm --config <your blueprint> (with a fleet, add --site <site>; then run the printed commands)";

const hasRacks = (blueprint: Blueprint) => blueprint.outposts.some((outpost) => outpost.formFactor === "rack");

export const ADDON_ENTRIES: readonly AddonEntry[] = [
  {
    id: "load-balancer-controller",
    enabled: (b) => b.addons.loadBalancerController.enabled,
    unavailable: (b) =>
      hasRacks(b) ? undefined : "No AWS Load Balancer Controller: this blueprint has only Outposts servers, and ALBs run only on Outposts racks.",
    build: (stack, { blueprint, racks, network, controlPlane, identity, images }) =>
      new LoadBalancerController(stack, "load-balancer-controller", {
        clusterName: controlPlane.clusterName,
        region: blueprint.region,
        partition: partitionOf(blueprint.region),
        vpcId: network.vpcId,
        identity,
        roleName: iamRoleNames(blueprint.name).loadBalancerController,
        racks: racks.map((rack) => ({ outpost: rack.name, subnetId: network.outposts[rack.name].subnetId })),
        replicas: blueprint.addons.loadBalancerController.replicas,
        outpostTopologyKey: OUTPOST_LABEL,
        images: images("aws-load-balancer-controller"),
        controllerNodeSelector: addonControllerNodeSelector(blueprint),
        extraValues: blueprint.addons.loadBalancerController.values,
        iamRoleOptions: stack.iamRoleOptions(),
      }),
  },
  {
    id: "ebs-storage",
    enabled: (b) => b.addons.storage.enabled,
    unavailable: (b) =>
      hasRacks(b) ? undefined : "No EBS storage: Outposts servers have no EBS volumes, so this blueprint gets no EBS CSI driver or StorageClass.",
    build: (stack, { blueprint, controlPlane, identity, images }) =>
      new EbsStorage(stack, "ebs-storage", {
        storageClassName: blueprint.addons.storage.storageClassName,
        // The EKS managed add-on where the architecture validates it, else the chart.
        driver: clusterArchitecture(blueprint).managedEbsCsiDriver
          ? {
              kind: "managed-addon",
              clusterName: controlPlane.clusterName,
              kubernetesVersion: blueprint.kubernetesVersion,
              nodeOnHostNetwork: EBS_CSI_NODE_ON_HOST_NETWORK,
            }
          : {
              kind: "helm",
              chartVersion: blueprint.addons.storage.ebsCsiChartVersion,
              images: images("aws-ebs-csi-driver"),
              extraValues: blueprint.addons.storage.values,
              controllerNodeSelector: addonControllerNodeSelector(blueprint),
              nodeOnHostNetwork: EBS_CSI_NODE_ON_HOST_NETWORK,
            },
        identity,
        roleName: iamRoleNames(blueprint.name).ebsCsiDriver,
        kubernetesVersion: blueprint.kubernetesVersion,
        iamRoleOptions: stack.iamRoleOptions(),
      }),
  },
  {
    id: "core-addons",
    enabled: () => true,
    build: (stack, { blueprint, controlPlane }) =>
      // Managed add-ons where the architecture has them; on EBS-backed local clusters EKS installs
      // the core add-ons itself and only the CNI settings are ours.
      clusterArchitecture(blueprint).managedCoreAddons
        ? new ManagedCoreAddons(stack, "core-addons", {
            clusterName: controlPlane.clusterName,
            kubernetesVersion: blueprint.kubernetesVersion,
            cni: blueprint.addons.vpcCni,
            // Where the CNI has its own role, the control-plane stack installs vpc-cni before the nodes.
            vpcCni: !vpcCniHasOwnRole(blueprint),
            coreDnsReplicas: blueprint.addons.coreDns.replicas,
            outpostTopologyKey: OUTPOST_LABEL,
          })
        : new CniEnvironmentPatch(stack, "cni-settings", { cni: blueprint.addons.vpcCni }),
  },
  {
    id: "node-termination-handler",
    enabled: (b) => b.addons.nodeTerminationHandler.enabled,
    build: (stack, { blueprint, workers, identity, images }) =>
      new NodeTerminationHandler(stack, "node-termination-handler", {
        region: blueprint.region,
        queueUrl: workers.nthQueueUrl,
        managedTag: NTH_MANAGED_TAG,
        // The role lives beside the queue, in the workers stack.
        roleArn: identity.kind === "irsa" ? workers.nthRoleArn : undefined,
        replicas: blueprint.addons.nodeTerminationHandler.replicas,
        outpostTopologyKey: OUTPOST_LABEL,
        images: images("aws-node-termination-handler"),
        controllerNodeSelector: addonControllerNodeSelector(blueprint),
        extraValues: blueprint.addons.nodeTerminationHandler.values,
      }),
  },
  {
    id: "break-glass",
    enabled: breakGlassEnabled,
    build: (stack, { blueprint, controlPlane }) => {
      new TlsProvider(stack, "tls");
      return new BreakGlassAccess(stack, "break-glass", {
        clusterName: controlPlane.clusterName,
        endpoint: controlPlane.clusterEndpoint,
        certificateAuthorityData: controlPlane.clusterCertificateAuthorityData,
        userName: blueprint.addons.breakGlass.userName,
        validityDays: blueprint.addons.breakGlass.validityDays,
        warningDays: BREAK_GLASS_WARNING_DAYS,
      });
    },
  },
];

export class AddonsStack extends BlueprintStack {
  readonly access: ClusterAccess;
  /** Every add-on built, by entry ID. */
  readonly addons: Readonly<Record<string, Addon | Construct>>;

  constructor(scope: Construct, blueprint: Blueprint, site?: string) {
    super(scope, "addons", blueprint, site);
    const racks = blueprint.outposts.filter((outpost): outpost is RackOutpost => outpost.formFactor === "rack");
    const network = readNetworkOutputs(this, "network", { backend: blueprint.backend, outpostNames: racks.map((rack) => rack.name) });
    const controlPlane = readControlPlaneOutputs(this, "control-plane", blueprint.backend);
    const workers = readWorkersOutputs(this, "workers", blueprint.backend);

    this.access = new ClusterAccess(this, "cluster-access", {
      clusterName: controlPlane.clusterName,
      localClusterId: clusterArchitecture(blueprint).tokensBy === "id" ? controlPlane.clusterId : undefined,
      endpoint: controlPlane.clusterEndpoint,
      certificateAuthorityData: controlPlane.clusterCertificateAuthorityData,
      auth: clusterAuth(blueprint),
      helm: true,
    });

    const imageRefs = this.imageReferences(blueprint);
    const context: AddonContext = {
      blueprint,
      racks,
      network,
      controlPlane,
      workers,
      identity: workloadIdentity(blueprint, { ...controlPlane, nodeRoleName: workers.nodeRoleName }),
      images: (addon) => imageRefs[addon] ?? {},
    };
    const built: Record<string, Addon | Construct> = {};
    for (const entry of ADDON_ENTRIES) {
      if (!entry.enabled(blueprint)) continue;
      const reason = entry.unavailable?.(blueprint);
      if (reason !== undefined) {
        Annotations.of(this).addWarning(reason);
        continue;
      }
      built[entry.id] = entry.build(this, context);
    }
    this.addons = built;
    if (vpcCniHasOwnRole(blueprint)) {
      // The vpc-cni add-on moved to the control-plane stack (issue 30): this state forgets it without
      // deleting it from the cluster (CHANGELOG: import it into the control-plane state first).
      this.forget(RELEASED_VPC_CNI_ADDON_ADDRESS);
    }

    const loadBalancerController = built["load-balancer-controller"] as LoadBalancerController | undefined;
    const storage = built["ebs-storage"] as EbsStorage | undefined;
    const breakGlass = built["break-glass"] as BreakGlassAccess | undefined;
    const o = ADDONS_OUTPUTS;
    this.publish(o.ingressClassNames, loadBalancerController?.ingressClassNames ?? {});
    this.publish(o.defaultStorageClass, storage ? blueprint.addons.storage.storageClassName : "");
    this.publish(o.loadBalancerControllerRoleArn, loadBalancerController?.roleArn ?? "");
    this.publish(o.ebsCsiDriverRoleArn, storage?.roleArn ?? "");
    this.publish(o.breakGlassKubeconfig, breakGlass?.kubeconfig ?? "");
    this.publish(o.breakGlassCertificateExpiry, breakGlass?.expiry ?? "");
  }

  /**
   * Every chart image's reference from the blueprint's image source, by add-on and catalogue name.
   * Each image served from this account's private ECR gets a plan-time check that its copy exists.
   */
  private imageReferences(blueprint: Blueprint): Partial<Record<ImageAddon, Record<string, ImageRef>>> {
    const resolvedImages = resolveAddonImages(blueprint);
    let privateRegistry = "";
    if (resolvedImages.some((resolved) => resolved.registry === undefined)) {
      const account = new DataAwsCallerIdentity(this, "account");
      const partition = new DataAwsPartition(this, "partition");
      privateRegistry = `${account.accountId}.dkr.ecr.${blueprint.region}.${partition.dnsSuffix}`;
    }
    const refs: Partial<Record<ImageAddon, Record<string, ImageRef>>> = {};
    for (const resolved of resolvedImages) {
      const registry = resolved.registry ?? privateRegistry;
      (refs[resolved.image.addon] ??= {})[resolved.image.name] = { repository: `${registry}/${resolved.repository}`, tag: resolved.tag };
      if (checkedAtPlan(blueprint, resolved)) {
        new ImageCopyCheck(this, `image-${resolved.image.addon}-${resolved.image.name}`, {
          repositoryName: resolved.repository,
          tag: resolved.tag,
          remedy: resolved.origin === "pullThroughCache" ? IMAGES_WARM_COMMAND : IMAGES_COPY_COMMAND,
        });
      }
    }
    return refs;
  }
}

function clusterAuth(blueprint: Blueprint): ClusterAuth {
  const auth = blueprint.addons.clusterAuth;
  switch (auth.mode) {
    case "token":
      return { mode: "token" };
    case "exec":
      return { mode: "exec", region: blueprint.region, awsProfile: auth.awsProfile };
    case "certificate":
      return { mode: "certificate", clientCertificatePem: Fn.file(auth.clientCertificateFile), clientKeyPem: Fn.file(auth.clientKeyFile) };
  }
}
