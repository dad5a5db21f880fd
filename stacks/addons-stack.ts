/**
 * The addons layer: the Load Balancer Controller with one ingress class per rack, EBS storage,
 * core add-ons and CNI tuning, the Node Termination Handler, and for local clusters a break-glass
 * admin that works while IAM is unreachable. Everything Kubernetes-side goes through the Helm and
 * Kubernetes providers, pointed at the cluster with the authentication the blueprint chooses.
 */
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { Annotations, Fn } from "cdktf";
import { Construct } from "constructs";
import { Blueprint, iamRoleNames } from "../config";
import { BreakGlassAccess } from "../modules/break-glass-access";
import { ClusterAccess, ClusterAuth } from "../modules/cluster-access";
import { EbsStorage } from "../modules/ebs-storage";
import { CniEnvironmentPatch, ManagedCoreAddons } from "../modules/eks-core-addons";
import { LoadBalancerController } from "../modules/load-balancer-controller";
import { NodeTerminationHandler } from "../modules/node-termination-handler";
import { NTH_MANAGED_TAG } from "../modules/outpost-node-group";
import { ADDONS_OUTPUTS } from "./addons-contract";
import { BlueprintStack } from "./blueprint-stack";
import { readControlPlaneOutputs } from "./control-plane-contract";
import { readNetworkOutputs } from "./network-contract";
import { readWorkersOutputs } from "./workers-contract";
import { OUTPOST_LABEL } from "./workers-stack";

export class AddonsStack extends BlueprintStack {
  readonly access: ClusterAccess;
  readonly loadBalancerController?: LoadBalancerController;
  readonly storage?: EbsStorage;
  readonly nodeTerminationHandler?: NodeTerminationHandler;
  readonly breakGlass?: BreakGlassAccess;

  constructor(scope: Construct, blueprint: Blueprint) {
    super(scope, "addons", blueprint);
    const { addons } = blueprint;
    const local = blueprint.variant === "local";
    const roleNames = iamRoleNames(blueprint.name);
    const racks = blueprint.outposts.filter((outpost) => outpost.formFactor === "rack");
    const network = readNetworkOutputs(this, "network", { backend: blueprint.backend, outpostNames: racks.map((rack) => rack.name) });
    const controlPlane = readControlPlaneOutputs(this, "control-plane", blueprint.backend);
    const workers = readWorkersOutputs(this, "workers", blueprint.backend);

    this.access = new ClusterAccess(this, "cluster-access", {
      clusterName: controlPlane.clusterName,
      localClusterId: local ? controlPlane.clusterId : undefined,
      endpoint: controlPlane.clusterEndpoint,
      certificateAuthorityData: controlPlane.clusterCertificateAuthorityData,
      auth: clusterAuth(blueprint),
      helm: true,
    });

    if (addons.loadBalancerController.enabled && racks.length === 0) {
      Annotations.of(this).addWarning(
        "No AWS Load Balancer Controller: this blueprint has only Outposts servers, and ALBs run only on Outposts racks.",
      );
    } else if (addons.loadBalancerController.enabled) {
      this.loadBalancerController = new LoadBalancerController(this, "load-balancer-controller", {
        clusterName: controlPlane.clusterName,
        region: blueprint.region,
        vpcId: network.vpcId,
        credentials: local
          ? { kind: "node-role", nodeRoleName: workers.nodeRoleName }
          : {
              kind: "irsa",
              roleName: roleNames.loadBalancerController,
              oidcProviderArn: controlPlane.oidcProviderArn,
              oidcProviderUrl: controlPlane.oidcProviderUrl,
            },
        racks: racks.map((rack) => ({ outpost: rack.name, subnetId: network.outposts[rack.name].subnetId })),
        replicas: addons.loadBalancerController.replicas,
        outpostTopologyKey: OUTPOST_LABEL,
      });
    }

    if (addons.storage.enabled && racks.length === 0) {
      Annotations.of(this).addWarning("No EBS storage: Outposts servers have no EBS volumes, so this blueprint gets no EBS CSI driver or StorageClass.");
    } else if (addons.storage.enabled) {
      this.storage = new EbsStorage(this, "ebs-storage", {
        storageClassName: addons.storage.storageClassName,
        driver: local
          ? { kind: "helm", chartVersion: addons.storage.ebsCsiChartVersion, nodeRoleName: workers.nodeRoleName }
          : {
              kind: "managed-addon",
              clusterName: controlPlane.clusterName,
              kubernetesVersion: blueprint.kubernetesVersion,
              roleName: roleNames.ebsCsiDriver,
              oidcProviderArn: controlPlane.oidcProviderArn,
              oidcProviderUrl: controlPlane.oidcProviderUrl,
            },
        kubernetesVersion: blueprint.kubernetesVersion,
      });
    }

    if (local) {
      new CniEnvironmentPatch(this, "cni-settings", { cni: addons.vpcCni });
    } else {
      new ManagedCoreAddons(this, "core-addons", {
        clusterName: controlPlane.clusterName,
        kubernetesVersion: blueprint.kubernetesVersion,
        cni: addons.vpcCni,
        coreDnsReplicas: addons.coreDns.replicas,
        outpostTopologyKey: OUTPOST_LABEL,
      });
    }

    if (addons.nodeTerminationHandler.enabled) {
      this.nodeTerminationHandler = new NodeTerminationHandler(this, "node-termination-handler", {
        region: blueprint.region,
        queueUrl: workers.nthQueueUrl,
        managedTag: NTH_MANAGED_TAG,
        roleArn: local ? undefined : workers.nthRoleArn,
        replicas: addons.nodeTerminationHandler.replicas,
        outpostTopologyKey: OUTPOST_LABEL,
      });
    }

    if (local && (addons.breakGlass.enabled ?? true)) {
      new TlsProvider(this, "tls");
      this.breakGlass = new BreakGlassAccess(this, "break-glass", {
        clusterName: controlPlane.clusterName,
        endpoint: controlPlane.clusterEndpoint,
        certificateAuthorityData: controlPlane.clusterCertificateAuthorityData,
        userName: addons.breakGlass.userName,
      });
    }

    const o = ADDONS_OUTPUTS;
    this.publish(o.ingressClassNames, this.loadBalancerController?.ingressClassNames ?? {});
    this.publish(o.defaultStorageClass, this.storage ? addons.storage.storageClassName : "");
    this.publish(o.loadBalancerControllerRoleArn, this.loadBalancerController?.roleArn ?? "");
    this.publish(o.ebsCsiDriverRoleArn, this.storage?.roleArn ?? "");
    this.publish(o.breakGlassKubeconfig, this.breakGlass?.kubeconfig ?? "", true);
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
