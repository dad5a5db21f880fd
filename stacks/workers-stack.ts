/**
 * The workers layer: self-managed node groups on each Outpost, their IAM role and security group,
 * how they join the cluster, and the Node Termination Handler's queue. It reads the network and
 * control-plane layers only through their published outputs.
 */
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { Annotations, Fn } from "cdktf";
import { Construct } from "constructs";
import {
  kubeletResolvConfOf,
  nodeResolverRoutes,
  amiArchitectureOf,
  Blueprint,
  clusterArchitecture,
  controlPlaneZones,
  amiReleaseOf,
  iamRoleNames,
  nodeKubernetesVersion,
  nodeRolloutOf,
  imageSourceOf,
  lniAddressingOf,
  metadataHopLimit,
  hopLimitWarning,
  networkModel,
  nodeGroupResourceName,
  nodeGroupSizes,
  outpostOfGroup,
  partitionOf,
  rootVolumeOf,
  terminationQueueName,
  vpcCniHasOwnRole,
} from "../config";
import { pullThroughCacheStatements } from "../modules/image-repositories";
import { AwsAuth, nodeRoleMapping } from "../modules/aws-auth";
import { ClusterAccess } from "../modules/cluster-access";
import { NodeRole } from "../modules/node-role";
import { NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT } from "../modules/node-termination-handler/service-account";
import { NodeSecurityGroup } from "../modules/node-security-group";
import { lniTaggingStatements, OutpostNodeGroup, OutpostSpreadPlacement } from "../modules/outpost-node-group";
import { grantWorkloadPermissions, WorkloadPermissions } from "../modules/shared/workload-identity";
import { TerminationQueue } from "../modules/termination-queue";
import { nodeLabelsOf, workloadRegistryMirrors } from "../config/user-data";
import { BlueprintStack } from "./blueprint-stack";
import { ControlPlaneOutputs, readControlPlaneOutputs } from "./control-plane-contract";
import { NetworkOutputs, readNetworkOutputs } from "./network-contract";
import { WORKERS_OUTPUTS } from "./workers-contract";
import { workloadIdentity } from "./workload-identity";

/** Labels every node carries, so add-ons can spread across Outposts. */
export { NODE_GROUP_LABEL, OUTPOST_LABEL } from "../config/user-data";

export class WorkersStack extends BlueprintStack {
  readonly nodeRole: NodeRole;
  readonly securityGroup: NodeSecurityGroup;
  readonly placements: Readonly<Record<string, OutpostSpreadPlacement>>;
  readonly nodeGroups: Readonly<Record<string, OutpostNodeGroup>>;
  readonly terminationQueue: TerminationQueue;
  readonly network: NetworkOutputs;
  readonly controlPlane: ControlPlaneOutputs;

  constructor(scope: Construct, blueprint: Blueprint, site?: string) {
    super(scope, "workers", blueprint, site);
    const outpostNames = blueprint.outposts.map((outpost) => outpost.name);
    this.network = readNetworkOutputs(this, "network", {
      backend: blueprint.backend,
      outpostNames,
      regionalSubnetZones: controlPlaneZones(blueprint),
    });
    this.controlPlane = readControlPlaneOutputs(this, "control-plane", blueprint.backend);
    this.nodeRole = this.createNodeRole();
    this.securityGroup = this.createSecurityGroup();
    this.placements = this.createPlacements();
    this.nodeGroups = this.createNodeGroups();
    this.joinCluster();
    this.terminationQueue = new TerminationQueue(this, "termination-queue", {
      name: terminationQueueName(blueprint.name),
      autoScalingGroupNames: blueprint.nodeGroups.map((group) => nodeGroupResourceName(blueprint.name, group.name)),
    });
    const handler = this.grantTerminationHandler();
    this.publishOutputs(handler.roleArn);
  }

  private createNodeRole(): NodeRole {
    const { blueprint } = this;
    const lniOutposts = new Set(blueprint.nodeGroups.filter((group) => hasLni(blueprint, group.outpost)).map((group) => group.outpost));
    const lniSubnetIds = [...lniOutposts].map((name) => this.network.outposts[name].subnetId);
    const inlinePolicies: Record<string, DataAwsIamPolicyDocumentStatement[]> = {};
    // Nodes tag their own LNI so the VPC CNI leaves it alone.
    if (lniSubnetIds.length > 0) inlinePolicies["tag-local-network-interface"] = lniTaggingStatements(partitionOf(blueprint.region), lniSubnetIds);
    // The kubelet pulls through the cache rule as the node role.
    if (imageSourceOf(blueprint) === "pullThroughCache") {
      const prefix = blueprint.addons.images.pullThroughCache.prefix;
      inlinePolicies["pull-through-cache"] = pullThroughCacheStatements(partitionOf(blueprint.region), blueprint.region, prefix);
    }
    return new NodeRole(this, "node-role", {
      roleName: iamRoleNames(blueprint.name).node,
      // aws-node has its own role, installed by the control-plane stack before these nodes join.
      cniPolicy: !vpcCniHasOwnRole(blueprint),
      extraPolicyArns: blueprint.workers.extraNodePolicyArns,
      inlinePolicies: Object.keys(inlinePolicies).length > 0 ? inlinePolicies : undefined,
      iamRoleOptions: this.iamRoleOptions(),
    });
  }

  private createSecurityGroup(): NodeSecurityGroup {
    const { blueprint, network } = this;
    const outpostNames = blueprint.outposts.map((outpost) => outpost.name);
    const controlPlaneCidrs: Record<string, string> =
      clusterArchitecture(blueprint).controlPlaneOnOutpost
        ? { [`outpost-${outpostNames[0]}`]: network.outposts[outpostNames[0]].subnetCidr }
        : Object.fromEntries(controlPlaneZones(blueprint).map((zone) => [`regional-${zone}`, network.regionalSubnets[zone].subnetCidr]));
    return new NodeSecurityGroup(this, "node-security-group", {
      name: blueprint.name,
      vpcId: network.vpcId,
      // The node subnets the network model says reach each other, read from the network stack's outputs.
      nodeCidrs: Object.fromEntries(Object.keys(networkModel(blueprint).nodeCidrs).map((name) => [name, network.outposts[name].subnetCidr])),
      controlPlaneCidrs,
      allowAllNodeTraffic: blueprint.workers.allowAllNodeTraffic,
      egressCidrs: blueprint.workers.egressCidrs,
    });
  }

  /** One spread placement group per rack that runs nodes; a server is one host, where a spread group would hold one node. */
  private createPlacements(): Record<string, OutpostSpreadPlacement> {
    const { blueprint } = this;
    const spreadLevel = blueprint.workers.placementSpreadLevel;
    const placements: Record<string, OutpostSpreadPlacement> = {};
    if (spreadLevel === "none") return placements;
    for (const name of new Set(blueprint.nodeGroups.map((group) => group.outpost))) {
      if (outpostOfGroup(blueprint, { outpost: name }).formFactor !== "rack") continue;
      placements[name] = new OutpostSpreadPlacement(this, `placement-${name}`, { name: `${blueprint.name}-${name}-nodes`, spreadLevel });
    }
    return placements;
  }

  private createNodeGroups(): Record<string, OutpostNodeGroup> {
    const { blueprint, controlPlane, network } = this;
    const architecture = clusterArchitecture(blueprint);
    const cluster = {
      clusterName: controlPlane.clusterName,
      endpoint: controlPlane.clusterEndpoint,
      certificateAuthorityData: controlPlane.clusterCertificateAuthorityData,
      serviceIpv4Cidr: controlPlane.serviceIpv4Cidr,
      dnsClusterIp: Fn.cidrhost(controlPlane.serviceIpv4Cidr, 10),
      // nodeadm puts `id` into the kubelet's token request: the cluster as its tokens name it.
      localClusterId: architecture.outpostNodeBootstrap ? (architecture.tokensBy === "id" ? controlPlane.clusterId : controlPlane.clusterName) : undefined,
      kubeletResolvConf: kubeletResolvConfOf(blueprint),
    };
    const onPremResolverRoutes = nodeResolverRoutes(blueprint);
    // The upgrade order, checked at plan time: nodes never ahead of the control plane, and on a local
    // cluster nothing rolls while EKS replaces its control-plane instances into freed slots.
    const clusterStatus = architecture.controlPlaneOnOutpost ? new DataAwsEksCluster(this, "cluster-status", { name: controlPlane.clusterName }).status : undefined;
    const upgradeGuards = { controlPlaneVersion: controlPlane.kubernetesVersion, clusterStatus };
    const nodeGroups: Record<string, OutpostNodeGroup> = {};
    for (const group of blueprint.nodeGroups) {
      const outpost = outpostOfGroup(blueprint, group);
      const sizes = nodeGroupSizes(group);
      const hopLimitAdvice = hopLimitWarning(blueprint, group);
      if (hopLimitAdvice) Annotations.of(this).addWarning(hopLimitAdvice);
      nodeGroups[group.name] = new OutpostNodeGroup(this, `node-group-${group.name}`, {
        name: nodeGroupResourceName(blueprint.name, group.name),
        clusterName: blueprint.name,
        kubernetesVersion: nodeKubernetesVersion(blueprint, group),
        outpostArn: network.outposts[outpost.name].arn,
        formFactor: outpost.formFactor,
        subnetId: network.outposts[outpost.name].subnetId,
        securityGroupIds: [this.securityGroup.securityGroupId, ...group.additionalSecurityGroupIds],
        instanceProfileArn: this.nodeRole.instanceProfileArn,
        instanceType: group.instanceType,
        minSize: sizes.min,
        maxSize: sizes.max,
        desiredSize: sizes.desired,
        cluster,
        amiFamily: group.ami.family,
        architecture: amiArchitectureOf(group),
        amiId: group.ami.id,
        amiRelease: amiReleaseOf(blueprint, group),
        rollout: nodeRolloutOf(group),
        upgradeGuards,
        rootVolume: rootVolumeOf(outpost, group),
        metadataHopLimit: metadataHopLimit(blueprint, group),
        lni: lniAddressingOf(outpost, group),
        labels: nodeLabelsOf(blueprint, group),
        taints: group.taints,
        placementGroupName: this.placements[outpost.name]?.placementGroupName,
        tags: { "outposts-eks:node-group": group.name },
        registryMirrors: workloadRegistryMirrors(blueprint),
        onPremResolverRoutes,
      });
    }
    return nodeGroups;
  }

  /** How nodes join: an EC2_LINUX access entry, or the aws-auth ConfigMap (CONFIG_MAP local clusters). */
  private joinCluster(): void {
    const { controlPlane } = this;
    const architecture = clusterArchitecture(this.blueprint);
    if (architecture.nodeJoin === "access-entry") {
      new EksAccessEntry(this, "node-access-entry", { clusterName: controlPlane.clusterName, principalArn: this.nodeRole.roleArn, type: "EC2_LINUX" });
      return;
    }
    const access = new ClusterAccess(this, "cluster-access", {
      clusterName: controlPlane.clusterName,
      localClusterId: architecture.tokensBy === "id" ? controlPlane.clusterId : undefined,
      endpoint: controlPlane.clusterEndpoint,
      certificateAuthorityData: controlPlane.clusterCertificateAuthorityData,
      auth: { mode: "token" },
    });
    const awsAuth = new AwsAuth(this, "aws-auth", { roles: [nodeRoleMapping(this.nodeRole.roleArn)] });
    for (const written of [awsAuth.configMap, awsAuth.createdConfigMap]) written.node.addDependency(access);
  }

  /** The Node Termination Handler's permissions live beside its queue; the addons stack installs the handler. */
  private grantTerminationHandler(): WorkloadPermissions {
    const identity = workloadIdentity(this.blueprint, { ...this.controlPlane, nodeRoleName: this.nodeRole.roleName });
    // Scoped so the role (in the stack) and the node-role policy (in the node role) keep their logical IDs.
    return grantWorkloadPermissions(
      identity.kind === "irsa" ? this : this.nodeRole,
      { irsaRole: "node-termination-handler-role", nodeRolePolicy: "node-termination-handler" },
      {
        identity,
        serviceAccount: NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT,
        roleName: iamRoleNames(this.blueprint.name).nodeTerminationHandler,
        nodeRolePolicyName: "node-termination-handler",
        iamRoleOptions: this.iamRoleOptions(),
        statements: this.terminationQueue.handlerStatements,
      },
    );
  }

  private publishOutputs(nthRoleArn: string): void {
    const o = WORKERS_OUTPUTS;
    const names = <T>(items: Record<string, T>, pick: (item: T) => string) => Object.fromEntries(Object.entries(items).map(([name, item]) => [name, pick(item)]));
    this.publish(o.nodeRoleArn, this.nodeRole.roleArn);
    this.publish(o.nodeRoleName, this.nodeRole.roleName);
    this.publish(o.nodeInstanceProfileArn, this.nodeRole.instanceProfileArn);
    this.publish(o.nodeSecurityGroupId, this.securityGroup.securityGroupId);
    this.publish(o.autoScalingGroupNames, names(this.nodeGroups, (group) => group.autoScalingGroupName));
    this.publish(o.placementGroupNames, names(this.placements, (group) => group.placementGroupName));
    this.publish(o.nthQueueUrl, this.terminationQueue.queueUrl);
    this.publish(o.nthQueueArn, this.terminationQueue.queueArn);
    this.publish(o.nthRoleArn, nthRoleArn);
  }
}

function hasLni(blueprint: Blueprint, outpostName: string): boolean {
  const outpost = blueprint.outposts.find((o) => o.name === outpostName);
  return outpost?.formFactor === "server" && outpost.lniDeviceIndex !== undefined;
}
