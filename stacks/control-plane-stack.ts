/**
 * The control-plane layer: an extended cluster (control plane in the Region) or a local cluster
 * (control plane on the Outpost), chosen by `variant`. It reads the network only through the
 * network stack's published outputs, so it deploys with nothing but that stack's state.
 */
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { Blueprint, clusterArchitecture, controlPlaneZones, iamRoleNames, localControlPlaneCapacity, partitionOf, vpcCniHasOwnRole } from "../config";
import { EksControlPlaneAttributes, EksExtendedControlPlane, EksLocalControlPlane, INSTANCE_STORE_MIN_AWS_PROVIDER } from "../modules/eks-control-plane";
import { VPC_CNI_SERVICE_ACCOUNT, VpcCniAddon } from "../modules/eks-core-addons";
import { IrsaRole } from "../modules/irsa-role";
import { requireAwsProviderVersion } from "../modules/shared/newer-provider-arguments";
import { BlueprintStack } from "./blueprint-stack";
import { CONTROL_PLANE_OUTPUTS } from "./control-plane-contract";
import { NetworkOutputs, readNetworkOutputs } from "./network-contract";

export class ControlPlaneStack extends BlueprintStack {
  readonly controlPlane: EksExtendedControlPlane | EksLocalControlPlane;
  readonly network: NetworkOutputs;
  /** The vpc-cni add-on with its own role, where the CNI has one (`vpcCniHasOwnRole`). */
  readonly vpcCni?: VpcCniAddon;

  constructor(scope: Construct, blueprint: Blueprint, site?: string) {
    super(scope, "control-plane", blueprint, site);
    const outpostNames = blueprint.outposts.map((outpost) => outpost.name);
    const clusterZones = controlPlaneZones(blueprint);
    this.network = readNetworkOutputs(this, "network", { backend: blueprint.backend, outpostNames, regionalSubnetZones: clusterZones });
    const { controlPlane } = blueprint;
    const common = {
      clusterName: blueprint.name,
      kubernetesVersion: blueprint.kubernetesVersion,
      clusterRoleName: iamRoleNames(blueprint.name).cluster,
      logRetentionDays: controlPlane.logRetentionDays,
      logKeyRegion: blueprint.region,
      deletionProtection: controlPlane.deletionProtection,
      serviceIpv4Cidr: controlPlane.serviceIpv4Cidr,
      iamRoleOptions: this.iamRoleOptions(),
    };

    const architecture = clusterArchitecture(blueprint);
    if (architecture.controlPlaneOnOutpost) {
      const rack = blueprint.outposts[0];
      const local = controlPlane.local!;
      // The instance-store architecture's arguments exist from this provider release on.
      if (local.instanceStore) requireAwsProviderVersion(this, INSTANCE_STORE_MIN_AWS_PROVIDER);
      this.controlPlane = new EksLocalControlPlane(this, "cluster", {
        ...common,
        outpostArn: this.network.outposts[rack.name].arn,
        subnetId: this.network.outposts[rack.name].subnetId,
        controlPlaneInstanceType: local.controlPlaneInstanceType,
        apiClientCidrs: { [`outpost-${rack.name}`]: this.network.outposts[rack.name].subnetCidr, vpc: this.network.vpcCidr },
        rackCount: local.rackCount,
        spreadLevel: local.spreadLevel,
        instanceStore: local.instanceStore,
        clusterRole: architecture.clusterRole,
        authenticationMode: architecture.authenticationMode,
        adminPrincipalArns: architecture.adminAccessEntries ? controlPlane.adminPrincipalArns : undefined,
        callerAdminAccessEntry: architecture.adminAccessEntries && controlPlane.callerAdminAccess,
        endpointPublicAccess: architecture.publicEndpointAllowed && controlPlane.endpointPublicAccess,
        publicAccessCidrs: architecture.publicEndpointAllowed ? controlPlane.publicAccessCidrs : undefined,
        oidcProvider: architecture.workloadIdentity === "irsa",
        availabilityZone: rack.availabilityZone,
        excludedZoneIds: architecture.excludedZoneIds,
        requiredCapacity: localControlPlaneCapacity(blueprint),
      });
    } else {
      // Every regional subnet, picked from the network output by AZ.
      const subnetIds = clusterZones.map((zone) => this.network.regionalSubnets[zone].subnetId);
      this.controlPlane = new EksExtendedControlPlane(this, "cluster", {
        ...common,
        subnetIds,
        outpostSubnetCidrs: Object.fromEntries(outpostNames.map((name) => [name, this.network.outposts[name].subnetCidr])),
        endpointPublicAccess: controlPlane.endpointPublicAccess,
        publicAccessCidrs: controlPlane.publicAccessCidrs,
        adminPrincipalArns: controlPlane.adminPrincipalArns,
        callerAdminAccessEntry: controlPlane.callerAdminAccess,
        secretsKmsKeyArn: controlPlane.secretsKmsKeyArn,
      });
    }
    if (vpcCniHasOwnRole(blueprint)) this.vpcCni = this.createVpcCni(this.controlPlane);
    this.publishOutputs(this.controlPlane);
  }

  /**
   * The VPC CNI with its own IRSA role, here so that aws-node has credentials before the first node
   * joins: the node role no longer carries AmazonEKS_CNI_Policy (EKS User Guide, "Configure the
   * Amazon VPC CNI plugin to use IRSA"). With no node yet, the DaemonSet has nothing to schedule
   * and the add-on turns ACTIVE.
   */
  private createVpcCni(cluster: EksExtendedControlPlane | EksLocalControlPlane): VpcCniAddon {
    const { blueprint } = this;
    const role = new IrsaRole(this, "vpc-cni-role", {
      roleName: iamRoleNames(blueprint.name).vpcCni,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcProviderUrl: cluster.oidcProviderUrl,
      namespace: VPC_CNI_SERVICE_ACCOUNT.namespace,
      serviceAccount: VPC_CNI_SERVICE_ACCOUNT.name,
      managedPolicyArns: [`arn:${partitionOf(blueprint.region)}:iam::aws:policy/AmazonEKS_CNI_Policy`],
      iamRoleOptions: this.iamRoleOptions(),
    });
    return new VpcCniAddon(this, "vpc-cni", {
      clusterName: cluster.clusterName,
      kubernetesVersion: blueprint.kubernetesVersion,
      cni: blueprint.addons.vpcCni,
      serviceAccountRoleArn: role.roleArn,
    });
  }

  private publishOutputs(cluster: EksControlPlaneAttributes & Partial<Pick<EksExtendedControlPlane, "oidcProviderArn" | "oidcProviderUrl">>) {
    const o = CONTROL_PLANE_OUTPUTS;
    this.publish(o.clusterName, cluster.clusterName);
    this.publish(o.clusterId, cluster.clusterId);
    this.publish(o.clusterArn, cluster.clusterArn);
    this.publish(o.clusterEndpoint, cluster.endpoint);
    this.publish(o.clusterEndpointHost, Fn.replace(Fn.replace(cluster.endpoint, "https://", ""), "/:[0-9]+$/", ""));
    this.publish(o.clusterCertificateAuthorityData, cluster.certificateAuthorityData);
    this.publish(o.clusterSecurityGroupId, cluster.clusterSecurityGroupId);
    this.publish(o.serviceIpv4Cidr, cluster.serviceIpv4Cidr);
    this.publish(o.authenticationMode, cluster.authenticationMode);
    this.publish(o.kubernetesVersion, cluster.kubernetesVersion);
    this.publish(o.clusterRoleArn, cluster.clusterRoleArn);
    this.publish(o.oidcProviderArn, cluster.oidcProviderArn ?? "");
    this.publish(o.oidcProviderUrl, cluster.oidcProviderUrl ?? "");
  }
}
