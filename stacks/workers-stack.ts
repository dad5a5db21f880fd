/**
 * The workers layer: self-managed node groups on each Outpost, their IAM role and security group,
 * how they join the cluster, and the Node Termination Handler's queue. It reads the network and
 * control-plane layers only through their published outputs.
 */
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { Blueprint, iamRoleNames, nodeGroupResourceName, terminationQueueName } from "../config";
import { AwsAuth, nodeRoleMapping } from "../modules/aws-auth";
import { ClusterAccess } from "../modules/cluster-access";
import { IrsaRole } from "../modules/irsa-role";
import { NodeRole } from "../modules/node-role";
import { NodeSecurityGroup } from "../modules/node-security-group";
import { lniTaggingStatements, OutpostNodeGroup, OutpostSpreadPlacement } from "../modules/outpost-node-group";
import { TerminationQueue } from "../modules/termination-queue";
import { BlueprintStack } from "./blueprint-stack";
import { ControlPlaneOutputs, readControlPlaneOutputs } from "./control-plane-contract";
import { NetworkOutputs, readNetworkOutputs } from "./network-contract";
import { WORKERS_OUTPUTS } from "./workers-contract";

/** Namespace and service account of the Node Termination Handler (its chart's defaults). */
export const NTH_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-node-termination-handler" } as const;

/** Labels every node carries, so add-ons can spread across Outposts. */
export const OUTPOST_LABEL = "outposts-eks.io/outpost";
export const NODE_GROUP_LABEL = "outposts-eks.io/node-group";

export class WorkersStack extends BlueprintStack {
  readonly nodeRole: NodeRole;
  readonly nodeGroups: Readonly<Record<string, OutpostNodeGroup>>;
  readonly terminationQueue: TerminationQueue;
  readonly network: NetworkOutputs;
  readonly controlPlane: ControlPlaneOutputs;

  constructor(scope: Construct, blueprint: Blueprint) {
    super(scope, "workers", blueprint);
    const { workers } = blueprint;
    const local = blueprint.variant === "local";
    const outpostNames = blueprint.outposts.map((outpost) => outpost.name);
    this.network = readNetworkOutputs(this, "network", { backend: blueprint.backend, outpostNames });
    this.controlPlane = readControlPlaneOutputs(this, "control-plane", blueprint.backend);
    const roleNames = iamRoleNames(blueprint.name);

    const lniSubnetIds = [...new Set(blueprint.nodeGroups.filter((group) => hasLni(blueprint, group.outpost)).map((group) => group.outpost))].map(
      (name) => this.network.outposts[name].subnetId,
    );
    this.nodeRole = new NodeRole(this, "node-role", {
      roleName: roleNames.node,
      extraPolicyArns: workers.extraNodePolicyArns,
      // Nodes tag their own LNI so the VPC CNI leaves it alone.
      inlinePolicies: lniSubnetIds.length > 0 ? { "tag-local-network-interface": lniTaggingStatements(lniSubnetIds) } : undefined,
    });

    const controlPlaneCidrs: Record<string, string> = local
      ? { [`outpost-${outpostNames[0]}`]: this.network.outposts[outpostNames[0]].subnetCidr }
      : Object.fromEntries(
          blueprint.network.regionalSubnets.flatMap((subnet, i) =>
            subnet.forControlPlane ? [[`regional-${subnet.availabilityZone}`, Token.asString(Fn.element(this.network.regionalSubnetCidrs, i))]] : [],
          ),
        );
    const securityGroup = new NodeSecurityGroup(this, "node-security-group", {
      name: blueprint.name,
      vpcId: this.network.vpcId,
      nodeCidrs: Object.fromEntries(outpostNames.map((name) => [name, this.network.outposts[name].subnetCidr])),
      controlPlaneCidrs,
      allowAllNodeTraffic: workers.allowAllNodeTraffic,
      egressCidrs: workers.egressCidrs,
    });

    const placements: Record<string, OutpostSpreadPlacement> = {};
    const spreadLevel = workers.placementSpreadLevel;
    for (const name of new Set(blueprint.nodeGroups.map((group) => group.outpost))) {
      // A server is one host: a spread group there would hold a single node.
      const isRack = blueprint.outposts.find((o) => o.name === name)?.formFactor === "rack";
      if (spreadLevel === "none" || !isRack) continue;
      placements[name] = new OutpostSpreadPlacement(this, `placement-${name}`, { name: `${blueprint.name}-${name}-nodes`, spreadLevel });
    }

    const cluster = {
      clusterName: this.controlPlane.clusterName,
      endpoint: this.controlPlane.clusterEndpoint,
      certificateAuthorityData: this.controlPlane.clusterCertificateAuthorityData,
      serviceIpv4Cidr: this.controlPlane.serviceIpv4Cidr,
      dnsClusterIp: Fn.cidrhost(this.controlPlane.serviceIpv4Cidr, 10),
      localClusterId: local ? this.controlPlane.clusterId : undefined,
    };
    const nodeGroups: Record<string, OutpostNodeGroup> = {};
    for (const group of blueprint.nodeGroups) {
      const outpost = blueprint.outposts.find((o) => o.name === group.outpost)!;
      const lniDeviceIndex = outpost.formFactor === "server" ? outpost.lniDeviceIndex : undefined;
      const name = nodeGroupResourceName(blueprint.name, group.name);
      nodeGroups[group.name] = new OutpostNodeGroup(this, `node-group-${group.name}`, {
        name,
        clusterName: blueprint.name,
        kubernetesVersion: blueprint.kubernetesVersion,
        outpostArn: this.network.outposts[outpost.name].arn,
        formFactor: outpost.formFactor,
        subnetId: this.network.outposts[outpost.name].subnetId,
        securityGroupIds: [securityGroup.securityGroupId],
        instanceProfileArn: this.nodeRole.instanceProfileArn,
        instanceType: group.instanceType,
        minSize: group.minSize + group.spareNodes,
        maxSize: group.maxSize + group.spareNodes,
        desiredSize: (group.desiredSize ?? group.minSize) + group.spareNodes,
        cluster,
        amiFamily: group.ami.family,
        architecture: group.ami.architecture,
        amiId: group.ami.id,
        rootVolume: group.rootVolume,
        metadataHopLimit: group.metadataHopLimit ?? (local ? 2 : 1),
        lni: lniDeviceIndex !== undefined ? { deviceIndex: lniDeviceIndex, addressing: group.lni ?? { mode: "dhcp" } } : undefined,
        labels: { [OUTPOST_LABEL]: outpost.name, [NODE_GROUP_LABEL]: group.name, ...group.labels },
        placementGroupName: placements[outpost.name]?.placementGroupName,
        tags: { "outposts-eks:node-group": group.name },
      });
    }
    this.nodeGroups = nodeGroups;

    if (local) {
      // CONFIG_MAP authentication: nodes join through the aws-auth ConfigMap.
      const access = new ClusterAccess(this, "cluster-access", {
        clusterName: this.controlPlane.clusterName,
        localClusterId: this.controlPlane.clusterId,
        endpoint: this.controlPlane.clusterEndpoint,
        certificateAuthorityData: this.controlPlane.clusterCertificateAuthorityData,
        auth: { mode: "token" },
      });
      new AwsAuth(this, "aws-auth", { roles: [nodeRoleMapping(this.nodeRole.roleArn)] }).configMap.node.addDependency(access);
    } else {
      new EksAccessEntry(this, "node-access-entry", {
        clusterName: this.controlPlane.clusterName,
        principalArn: this.nodeRole.roleArn,
        type: "EC2_LINUX",
      });
    }

    this.terminationQueue = new TerminationQueue(this, "termination-queue", {
      name: terminationQueueName(blueprint.name),
      autoScalingGroupNames: blueprint.nodeGroups.map((group) => nodeGroupResourceName(blueprint.name, group.name)),
    });
    let nthRoleArn = "";
    if (local) {
      // No IRSA on local clusters: the handler runs with the node's instance profile.
      this.nodeRole.addInlinePolicy("node-termination-handler", this.terminationQueue.handlerStatements);
    } else {
      nthRoleArn = new IrsaRole(this, "node-termination-handler-role", {
        roleName: roleNames.nodeTerminationHandler,
        oidcProviderArn: this.controlPlane.oidcProviderArn,
        oidcProviderUrl: this.controlPlane.oidcProviderUrl,
        namespace: NTH_SERVICE_ACCOUNT.namespace,
        serviceAccount: NTH_SERVICE_ACCOUNT.name,
        statements: this.terminationQueue.handlerStatements,
      }).roleArn;
    }

    const o = WORKERS_OUTPUTS;
    this.publish(o.nodeRoleArn, this.nodeRole.roleArn);
    this.publish(o.nodeRoleName, this.nodeRole.roleName);
    this.publish(o.nodeInstanceProfileArn, this.nodeRole.instanceProfileArn);
    this.publish(o.nodeSecurityGroupId, securityGroup.securityGroupId);
    this.publish(o.autoScalingGroupNames, Object.fromEntries(Object.entries(nodeGroups).map(([name, group]) => [name, group.autoScalingGroupName])));
    this.publish(o.placementGroupNames, Object.fromEntries(Object.entries(placements).map(([name, group]) => [name, group.placementGroupName])));
    this.publish(o.nthQueueUrl, this.terminationQueue.queueUrl);
    this.publish(o.nthQueueArn, this.terminationQueue.queueArn);
    this.publish(o.nthRoleArn, nthRoleArn);
  }
}

function hasLni(blueprint: Blueprint, outpostName: string): boolean {
  const outpost = blueprint.outposts.find((o) => o.name === outpostName);
  return outpost?.formFactor === "server" && outpost.lniDeviceIndex !== undefined;
}
