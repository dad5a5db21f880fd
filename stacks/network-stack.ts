/**
 * The network layer: VPC, regional subnets, one subnet per Outpost, local-gateway routing for
 * racks, and VPC endpoints. Wiring only; the modules do the work.
 */
import { Annotations } from "cdktf";
import { Construct } from "constructs";
import { interfaceEndpointServicesOf } from "../config/endpoints";
import { VpcDns } from "../modules/vpc-dns";
import { defaultDhcpDomainName, outpostResolverAdvice, vpcForwarding } from "../config/dns";
import { outpostSubnetCapacityWarnings } from "../config/rules/subnet-capacity";
import type { Raw } from "../config/rules/context";
import { Blueprint, clusterTagKey, disconnectAlarmOutposts, monitoringWarnings, endpointsEnabled, endpointZones, iamRoleNames, imageSourceOf, NetworkModel, networkModel, Outpost, OUTPOST_CONSTRUCT_SUFFIXES, privateRepositoryImages } from "../config";
import { FlowLogs } from "../modules/flow-logs";
import { DisconnectAlarms } from "../modules/outpost-monitoring";
import { EcrPublicCache, ImageRepositories } from "../modules/image-repositories";
import { AdoptedRoutesCheck, LocalGatewayRouting } from "../modules/local-gateway-routing";
import { OutpostSubnet } from "../modules/outpost-subnet";
import { Vpc } from "../modules/vpc";
import { VpcEndpoints } from "../modules/vpc-endpoints";
import { BlueprintStack } from "./blueprint-stack";
import { DISTRIBUTION_NETWORK_OUTPUTS, NETWORK_OUTPUTS } from "./network-contract";
import { Fn } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import {
  HYPERSHIFT_CLUSTER_TAG_VALUE,
  hypershiftNames,
  isNetworkOnly,
  OPENSHIFT_CLUSTER_NETWORK_MTU,
  openshiftOutpostSubnetTags,
  OUTPOST_REGION_MTU,
  REGIONAL_PRIVATE_SUBNET_TAGS,
  REGIONAL_PUBLIC_SUBNET_TAGS,
} from "../config/distributions";

export { ADDON_INTERFACE_ENDPOINTS, BASE_INTERFACE_ENDPOINTS } from "../config/endpoints";

/** The interface endpoint services for a blueprint, in a stable order. */
export function interfaceEndpointServices(blueprint: Blueprint): string[] {
  return interfaceEndpointServicesOf(blueprint.variant, blueprint.controlPlane.local?.instanceStore, blueprint.network.endpoints.extraServices);
}

/** Tags that let the Load Balancer Controller find an Outpost subnet; regional subnets never get them. */
function outpostSubnetTags(blueprint: Blueprint, outpost: Outpost): Record<string, string> {
  if (isNetworkOnly(blueprint)) return openshiftOutpostSubnetTags(outpost);
  const tags: Record<string, string> = { [clusterTagKey(blueprint.name)]: "shared" };
  if (outpost.formFactor === "rack") {
    // ALBs exist on racks only. Internet-facing ALBs on a rack take addresses from a CoIP pool.
    tags["kubernetes.io/role/internal-elb"] = "1";
    if (outpost.coip) tags["kubernetes.io/role/elb"] = "1";
  }
  return tags;
}

export class NetworkStack extends BlueprintStack {
  readonly vpc: Vpc;
  readonly outpostSubnets: Readonly<Record<string, OutpostSubnet>>;
  readonly endpoints?: VpcEndpoints;
  /**
   * Private repositories for the add-on images AWS does not publish regionally. They live in the
   * first stack deployed, so the images can be copied before the addons stack plans.
   */
  readonly imageRepositories: ImageRepositories;
  /** The Outposts' service-link alarms (seed 004). */
  readonly disconnectAlarms?: DisconnectAlarms;
  /** Flow logs of a VPC the blueprint creates. */
  readonly flowLogs?: FlowLogs;
  /** The ECR Public pull-through cache rule, with source pullThroughCache. */
  readonly imageCache?: EcrPublicCache;
  /** Forwarding of on-premises domains, DHCP options and private hosted zones (config/dns.ts). */
  readonly dns?: VpcDns;
  /** distribution hypershift: the hosted cluster's worker security group (seed 003). */
  readonly workerSecurityGroup?: SecurityGroup;

  constructor(scope: Construct, blueprint: Blueprint, site?: string) {
    super(scope, "network", blueprint, site);
    const { network } = blueprint;

    this.vpc = new Vpc(this, "vpc", {
      name: blueprint.name,
      cidr: network.vpc.cidr,
      existingVpcId: network.vpc.id,
      privateSubnets: network.regionalSubnets.map((subnet) => ({
        availabilityZone: subnet.availabilityZone,
        cidr: subnet.cidr,
        existingSubnetId: subnet.id,
      })),
      publicSubnets: network.egress === "nat" ? network.publicSubnets : [],
      ...(isNetworkOnly(blueprint) ? { privateSubnetTags: REGIONAL_PRIVATE_SUBNET_TAGS, publicSubnetTags: REGIONAL_PUBLIC_SUBNET_TAGS } : {}),
      // HyperShift's infra-ID tag, with a value its destroy does not delete by (config/distributions.ts).
      ...(blueprint.distribution === "hypershift" ? { tags: { [clusterTagKey(hypershiftNames(blueprint).infraId)]: HYPERSHIFT_CLUSTER_TAG_VALUE } } : {}),
    });

    const outpostSubnets: Record<string, OutpostSubnet> = {};
    for (const outpost of blueprint.outposts) {
      const natGatewayIds = this.vpc.natGatewayIds;
      const natGatewayId = natGatewayIds[outpost.availabilityZone] ?? Object.values(natGatewayIds)[0];
      outpostSubnets[outpost.name] = new OutpostSubnet(this, `outpost-${outpost.name}`, {
        name: `${blueprint.name}-${outpost.name}`,
        vpcId: this.vpc.vpcId,
        outpostArn: outpost.arn,
        formFactor: outpost.formFactor,
        availabilityZone: outpost.availabilityZone,
        cidr: outpost.subnet.cidr,
        existingSubnetId: outpost.subnet.id,
        lniDeviceIndex: outpost.formFactor === "server" ? outpost.lniDeviceIndex : undefined,
        customerOwnedIp:
          outpost.formFactor === "rack" && outpost.coip
            ? { ...outpost.coip, localGatewayRouteTableId: outpost.localGatewayRouteTableId }
            : undefined,
        natGatewayId,
        manageAdoptedRouteTable: outpost.subnet.manageRouting,
        tags: outpostSubnetTags(blueprint, outpost),
        requiredInstanceTypes: blueprint.openshift?.computeInstanceType ? [blueprint.openshift.computeInstanceType] : undefined,
      });
    }
    this.outpostSubnets = outpostSubnets;

    const model = networkModel(blueprint);
    this.routeOutposts(blueprint, model, outpostSubnets);

    const existing = new Set(network.endpoints.existingServices);
    if (endpointsEnabled(blueprint)) {
      const outpostRouteTableIds = Object.values(outpostSubnets)
        .map((subnet) => subnet.routeTableId)
        .filter((id): id is string => id !== undefined);
      this.endpoints = new VpcEndpoints(this, "endpoints", {
        name: blueprint.name,
        vpcId: this.vpc.vpcId,
        region: blueprint.region,
        interfaceServices: interfaceEndpointServices(blueprint).filter((service) => !existing.has(service)),
        subnetIds: this.vpc.privateSubnets.filter((subnet) => endpointZones(blueprint).includes(subnet.availabilityZone)).map((subnet) => subnet.id),
        allowedCidrs: [network.vpc.cidr, ...blueprint.outposts.map((outpost) => outpost.subnet.cidr)],
        gatewayRouteTableIds: existing.has("s3") ? [] : [...this.vpc.privateRouteTableIds, ...outpostRouteTableIds],
        existingS3GatewayEndpoint: existing.has("s3"),
      });
    }

    const { dns } = blueprint;
    const hypershift = blueprint.distribution === "hypershift" ? hypershiftNames(blueprint) : undefined;
    // HyperShift's two private zones (seed 003): the cluster's <prefix>.<baseDomain> and <name>.hypershift.local.
    const zones = [...dns.privateHostedZones, ...(hypershift ? [{ name: hypershift.privateZoneName }, { name: hypershift.localZoneName }] : [])];
    const forwarded = vpcForwarding(blueprint);
    if (forwarded.domains.length > 0 || zones.length > 0) {
      this.dns = new VpcDns(this, "dns", {
        name: blueprint.name,
        vpcId: this.vpc.vpcId,
        endpointSubnetIds: this.vpc.privateSubnets.map((subnet) => subnet.id),
        onPremDomains: forwarded.domains,
        forwarding: forwarded.mode,
        dhcpDomainName: defaultDhcpDomainName(blueprint.region),
        privateHostedZones: zones,
        amazonProvidedDhcpOptions: hypershift !== undefined,
        ...(hypershift ? { tags: { [clusterTagKey(hypershift.infraId)]: HYPERSHIFT_CLUSTER_TAG_VALUE } } : {}),
      });
    }
    if (hypershift) this.workerSecurityGroup = this.hypershiftWorkerSecurityGroup(blueprint, hypershift.infraId);
    const resolverAdvice = outpostResolverAdvice(blueprint);
    if (resolverAdvice) Annotations.of(this).addWarning(resolverAdvice);

    const flowLogs = network.flowLogs;
    if (network.vpc.id === undefined && flowLogs.enabled) {
      this.flowLogs = new FlowLogs(this, "flow-logs", {
        vpcId: this.vpc.vpcId,
        name: blueprint.name,
        trafficType: flowLogs.trafficType,
        iamRoleOptions: this.iamRoleOptions(),
        destination:
          flowLogs.destination === "s3"
            ? { kind: "s3", bucketArn: flowLogs.s3BucketArn! }
            : { kind: "cloudwatch", retentionDays: flowLogs.retentionDays, roleName: iamRoleNames(blueprint.name).vpcFlowLogs, keyRegion: blueprint.region },
      });
    }

    const monitoring = blueprint.monitoring;
    const alarmed = disconnectAlarmOutposts(blueprint);
    if (alarmed.length > 0) {
      this.disconnectAlarms = new DisconnectAlarms(this, "disconnect-alarms", {
        name: blueprint.name,
        outpostIds: Object.fromEntries(alarmed.map((outpost) => [outpost.name, outpost.arn.split("/")[1]])),
        topicArn: monitoring.alarmTopicArn,
        notify: monitoring.notify,
        evaluationMinutes: monitoring.evaluationMinutes,
      });
    }
    for (const warning of monitoringWarnings(blueprint)) Annotations.of(this).addWarning(warning);
    for (const warning of outpostSubnetCapacityWarnings(blueprint as unknown as Raw)) Annotations.of(this).addWarning(warning);

    this.imageRepositories = new ImageRepositories(this, "image-repositories", {
      repositoryNames: (isNetworkOnly(blueprint) ? [] : privateRepositoryImages(blueprint)).map((resolved) => resolved.repository),
    });
    const cache = blueprint.addons.images.pullThroughCache;
    if (!isNetworkOnly(blueprint) && imageSourceOf(blueprint) === "pullThroughCache" && cache.createRule) {
      this.imageCache = new EcrPublicCache(this, "image-cache", { prefix: cache.prefix });
    }

    this.publishOutputs();
    if (isNetworkOnly(blueprint)) this.publishDistributionOutputs(blueprint);
  }

  /** The worker security group HyperShift's hosted cluster account holds (seed 003): all traffic within the VPC, all egress. */
  private hypershiftWorkerSecurityGroup(blueprint: Blueprint, infraId: string): SecurityGroup {
    const group = new SecurityGroup(this, "hypershift-worker-security-group", {
      name: `${infraId}-worker-sg`,
      description: "HyperShift hosted cluster worker nodes",
      vpcId: this.vpc.vpcId,
      // No cluster tag: HyperShift's control-plane operator creates <infraID>-default-sg, found by
      // that tag (hostedcontrolplane_controller.go); two tagged groups on a node confuse the cloud provider.
      tags: { Name: `${infraId}-worker-sg` },
    });
    new VpcSecurityGroupIngressRule(this, "hypershift-worker-from-vpc", {
      securityGroupId: group.id,
      description: "All traffic from the VPC (nodes, endpoints, Outpost subnets)",
      ipProtocol: "-1",
      cidrIpv4: blueprint.network.vpc.cidr,
    });
    new VpcSecurityGroupEgressRule(this, "hypershift-worker-egress", {
      securityGroupId: group.id,
      description: "All egress",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    return group;
  }

  private publishDistributionOutputs(blueprint: Blueprint): void {
    const out = DISTRIBUTION_NETWORK_OUTPUTS;
    this.publish(out.region, blueprint.region);
    this.publish(out.distribution, blueprint.distribution);
    this.publish(out.publicSubnetIds, this.vpc.publicSubnets.map((subnet) => subnet.id));
    this.publish(out.outpostMtu, OUTPOST_REGION_MTU);
    if (blueprint.distribution === "openshift") {
      this.publish(out.clusterNetworkMtu, OPENSHIFT_CLUSTER_NETWORK_MTU);
      this.publish(out.computeInstanceType, blueprint.openshift?.computeInstanceType ?? "");
      return;
    }
    const names = hypershiftNames(blueprint);
    const zoneId = (name: string) => this.dns!.privateHostedZoneIds[name];
    // Field names and order of openshift/hypershift cmd/infra/aws/create.go, CreateInfraOutput (json tags).
    const infra = {
      region: blueprint.region,
      zone: this.vpc.privateSubnets[0].availabilityZone,
      infraID: names.infraId,
      machineCIDR: blueprint.network.vpc.cidr,
      vpcID: this.vpc.vpcId,
      zones: this.vpc.privateSubnets.map((subnet) => ({ name: subnet.availabilityZone, subnetID: subnet.id })),
      Name: blueprint.name,
      baseDomain: names.baseDomain,
      baseDomainPrefix: names.baseDomainPrefix,
      // The public zone of the base domain lives with the HyperShift operator's account (seed 003), not here.
      publicZoneID: "",
      privateZoneID: zoneId(names.privateZoneName),
      localZoneID: zoneId(names.localZoneName),
      proxyAddr: "",
      secureProxyAddr: "",
      proxyPrivateSSHKey: "",
      publicOnly: false,
      proxyCA: "",
      vpcCreatorAccountID: "",
      clusterAccountID: "",
    };
    this.publish(out.hypershiftInfraJson, Fn.jsonencode(infra));
    this.publish(out.hypershiftWorkerSecurityGroupId, this.workerSecurityGroup!.id);
  }

  /**
   * Each rack's subnet routes what the network model says to its local gateway: on-prem networks and
   * the racks it reaches. An adopted subnet is routed the same way, or, when its owner keeps its
   * routing, checked at plan time.
   */
  private routeOutposts(blueprint: Blueprint, model: NetworkModel, outpostSubnets: Record<string, OutpostSubnet>): void {
    for (const site of model.sites) {
      const outpost = blueprint.outposts[site.index];
      const subnet = outpostSubnets[site.name];
      const localGateway =
        outpost.formFactor === "rack"
          ? { outpostArn: outpost.arn, localGatewayRouteTableId: outpost.localGatewayRouteTableId, destinationCidrs: model.localGatewayRoutes[site.name] }
          : undefined;
      if (!site.routesManaged) {
        new AdoptedRoutesCheck(this, `outpost-${site.name}-${OUTPOST_CONSTRUCT_SUFFIXES.routesCheck}`, {
          subnetId: subnet.subnetId,
          region: blueprint.region,
          localGateway,
          s3Gateway: endpointsEnabled(blueprint) || blueprint.network.endpoints.existingServices.includes("s3"),
        });
      } else if (localGateway && subnet.routeTableId !== undefined) {
        new LocalGatewayRouting(this, `outpost-${site.name}-${OUTPOST_CONSTRUCT_SUFFIXES.localGateway}`, {
          name: `${blueprint.name}-${site.name}`,
          vpcId: this.vpc.vpcId,
          routeTableId: subnet.routeTableId,
          ...localGateway,
        });
      }
    }
  }

  private publishOutputs(): void {
    const byOutpost = <T>(pick: (subnet: OutpostSubnet) => T) =>
      Object.fromEntries(Object.entries(this.outpostSubnets).map(([name, subnet]) => [name, pick(subnet)]));
    const lniOutposts = Object.entries(this.outpostSubnets).filter(([, subnet]) => subnet.lniDeviceIndex !== undefined);

    this.publish(NETWORK_OUTPUTS.vpcId, this.vpc.vpcId);
    this.publish(NETWORK_OUTPUTS.vpcCidr, this.vpc.cidrBlock);
    this.publish(NETWORK_OUTPUTS.regionalSubnetIds, this.vpc.privateSubnets.map((subnet) => subnet.id));
    this.publish(NETWORK_OUTPUTS.regionalSubnetAvailabilityZones, this.vpc.privateSubnets.map((subnet) => subnet.availabilityZone));
    this.publish(NETWORK_OUTPUTS.regionalSubnetCidrs, this.vpc.privateSubnets.map((subnet) => subnet.cidr));
    const byZone = <T>(pick: (subnet: (typeof this.vpc.privateSubnets)[number]) => T) =>
      Object.fromEntries(this.vpc.privateSubnets.map((subnet) => [subnet.availabilityZone, pick(subnet)]));
    this.publish(NETWORK_OUTPUTS.regionalSubnetIdsByAz, byZone((subnet) => subnet.id));
    this.publish(NETWORK_OUTPUTS.regionalSubnetCidrsByAz, byZone((subnet) => subnet.cidr));
    this.publish(NETWORK_OUTPUTS.regionalRouteTableIds, [...this.vpc.privateRouteTableIds]);
    this.publish(NETWORK_OUTPUTS.outpostSubnetIds, byOutpost((subnet) => subnet.subnetId));
    this.publish(NETWORK_OUTPUTS.outpostSubnetCidrs, byOutpost((subnet) => subnet.cidr));
    this.publish(NETWORK_OUTPUTS.outpostArns, byOutpost((subnet) => subnet.outpostArn));
    this.publish(NETWORK_OUTPUTS.outpostFormFactors, byOutpost((subnet) => subnet.formFactor));
    this.publish(NETWORK_OUTPUTS.outpostAvailabilityZones, byOutpost((subnet) => subnet.availabilityZone));
    this.publish(NETWORK_OUTPUTS.outpostRouteTableIds, byOutpost((subnet) => subnet.routeTableId ?? ""));
    this.publish(NETWORK_OUTPUTS.outpostLniDeviceIndexes, Object.fromEntries(lniOutposts.map(([name, subnet]) => [name, subnet.lniDeviceIndex])));
    this.publish(NETWORK_OUTPUTS.privateImageRepositoryUrls, this.imageRepositories.repositoryUrls);
    this.publish(NETWORK_OUTPUTS.disconnectAlarmTopicArn, this.disconnectAlarms?.topicArn ?? "");
    this.publish(NETWORK_OUTPUTS.disconnectAlarmNames, this.disconnectAlarms?.alarmNames ?? {});
    this.publish(NETWORK_OUTPUTS.endpointSecurityGroupId, this.endpoints?.securityGroupId ?? "");
    this.publish(NETWORK_OUTPUTS.dnsResolverEndpointId, this.dns?.resolverEndpointId ?? "");
    this.publish(NETWORK_OUTPUTS.privateHostedZoneIds, this.dns?.privateHostedZoneIds ?? {});
  }
}
