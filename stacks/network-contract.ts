/**
 * The network stack's outputs: fixed names, documented once here, and the typed reader that
 * consuming stacks (here or in another repository) use instead of cross-stack references.
 */
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { readRemoteState, StateBackend } from "../modules/state-backend";
import { OutputSpec } from "./blueprint-stack";

export const NETWORK_OUTPUTS = {
  vpcId: { name: "vpc_id", description: "ID of the VPC." },
  vpcCidr: { name: "vpc_cidr", description: "Primary IPv4 CIDR of the VPC." },
  regionalSubnetIds: { name: "regional_subnet_ids", description: "IDs of the regional private subnets, one per AZ." },
  regionalSubnetAvailabilityZones: {
    name: "regional_subnet_availability_zones",
    description: "Availability Zones of the regional private subnets, in the order of regional_subnet_ids.",
  },
  regionalSubnetCidrs: {
    name: "regional_subnet_cidrs",
    description: "CIDRs of the regional private subnets, in the order of regional_subnet_ids.",
  },
  regionalSubnetIdsByAz: { name: "regional_subnet_ids_by_az", description: "Regional private subnet ID by Availability Zone." },
  regionalSubnetCidrsByAz: { name: "regional_subnet_cidrs_by_az", description: "Regional private subnet CIDR by Availability Zone." },
  regionalRouteTableIds: { name: "regional_route_table_ids", description: "Route tables of the regional private subnets the blueprint created." },
  outpostSubnetIds: { name: "outpost_subnet_ids", description: "Outpost subnet ID by Outpost name." },
  outpostSubnetCidrs: { name: "outpost_subnet_cidrs", description: "Outpost subnet CIDR by Outpost name." },
  outpostArns: { name: "outpost_arns", description: "Outpost ARN by Outpost name." },
  outpostFormFactors: { name: "outpost_form_factors", description: "Form factor (rack or server) by Outpost name." },
  outpostAvailabilityZones: { name: "outpost_availability_zones", description: "Parent Availability Zone by Outpost name." },
  outpostRouteTableIds: { name: "outpost_route_table_ids", description: "Route table of each created Outpost subnet, by Outpost name." },
  outpostLniDeviceIndexes: { name: "outpost_lni_device_indexes", description: "LNI device index by Outpost name, for servers with LNI." },
  privateImageRepositoryUrls: {
    name: "private_image_repository_urls",
    description: "URL of each private ECR repository for add-on images, by repository name; empty when every image comes from elsewhere.",
  },
  disconnectAlarmTopicArn: {
    name: "disconnect_alarm_topic_arn",
    description: "SNS topic of the Outposts' service-link alarms; empty when disconnect alarms are off.",
  },
  disconnectAlarmNames: { name: "disconnect_alarm_names", description: "Service-link alarm name by Outpost name." },
  endpointSecurityGroupId: {
    name: "endpoint_security_group_id",
    description: "Security group of the VPC interface endpoints; empty when the blueprint creates none.",
  },
  dnsResolverEndpointId: {
    name: "dns_resolver_endpoint_id",
    description: "Route 53 Resolver outbound endpoint that forwards dns.onPremDomains; empty without one.",
  },
  privateHostedZoneIds: { name: "private_hosted_zone_ids", description: "Private hosted zone ID by zone name (dns.privateHostedZones)." },
} as const satisfies Record<string, OutputSpec>;

/**
 * Outputs of a network-only blueprint (distribution openshift or hypershift) only, so an EKS
 * blueprint's network stack is unchanged. npm run openshift-fragments and npm run hypershift-infra
 * read them from state.
 */
export const DISTRIBUTION_NETWORK_OUTPUTS = {
  region: { name: "region", description: "The Region of the VPC." },
  distribution: { name: "distribution", description: "The blueprint's distribution: openshift or hypershift." },
  publicSubnetIds: { name: "public_subnet_ids", description: "IDs of the public subnets (egress nat), for install-config next to the private ones." },
  outpostMtu: { name: "outpost_mtu", description: "MTU between the Outposts and the Region (1300)." },
  clusterNetworkMtu: {
    name: "openshift_cluster_network_mtu",
    description: "OVN-Kubernetes cluster network MTU for nodes on the Outposts: the Outpost MTU less OVN-Kubernetes' 100 bytes.",
  },
  computeInstanceType: { name: "openshift_compute_instance_type", description: "Instance type of the Outpost compute MachineSet; empty when not set." },
  hypershiftInfraJson: {
    name: "hypershift_infra_json",
    description: "The infrastructure as `hypershift create infra aws --output-file` writes it (CreateInfraOutput), for `hypershift create cluster aws --infra-json`.",
  },
  hypershiftWorkerSecurityGroupId: { name: "hypershift_worker_security_group_id", description: "Security group of the hosted cluster's worker nodes." },
} as const satisfies Record<string, OutputSpec>;

/** One Outpost's share of the network outputs. */
export interface OutpostNetwork {
  readonly subnetId: string;
  readonly subnetCidr: string;
  readonly arn: string;
  readonly formFactor: string;
  readonly availabilityZone: string;
}

/** One regional subnet's share of the network outputs. */
export interface RegionalSubnetNetwork {
  readonly subnetId: string;
  readonly subnetCidr: string;
}

/** The network outputs as tokens, typed for the consuming stack. */
export interface NetworkOutputs {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly regionalSubnetIds: string[];
  readonly regionalSubnetAvailabilityZones: string[];
  readonly regionalSubnetCidrs: string[];
  readonly endpointSecurityGroupId: string;
  /** The Outposts' parent AZs, as one list (for plan-time checks against them). */
  readonly outpostAvailabilityZones: string[];
  /** By Outpost name. */
  readonly outposts: Readonly<Record<string, OutpostNetwork>>;
  /** By Availability Zone, for the zones the consumer asked for. */
  readonly regionalSubnets: Readonly<Record<string, RegionalSubnetNetwork>>;
}

export interface ReadNetworkOutputsProps {
  /** The backend the network stack was deployed with. */
  readonly backend: StateBackend;
  /** The Outposts whose entries the consumer reads. */
  readonly outpostNames: readonly string[];
  /** The Availability Zones whose regional subnets the consumer reads. Default: none. */
  readonly regionalSubnetZones?: readonly string[];
}

/** Reads the network stack's outputs through the reader that matches its backend (terraform_remote_state or tfe_outputs). */
export function readNetworkOutputs(scope: Construct, id: string, props: ReadNetworkOutputsProps): NetworkOutputs {
  const state = readRemoteState(scope, id, props.backend, "network");
  // Entries are picked by key (Outpost name or AZ), never by position in a list.
  const entry = (spec: OutputSpec, key: string) => Token.asString(Fn.lookup(state.get(spec), key));
  const outposts: Record<string, OutpostNetwork> = {};
  for (const name of props.outpostNames) {
    outposts[name] = {
      subnetId: entry(NETWORK_OUTPUTS.outpostSubnetIds, name),
      subnetCidr: entry(NETWORK_OUTPUTS.outpostSubnetCidrs, name),
      arn: entry(NETWORK_OUTPUTS.outpostArns, name),
      formFactor: entry(NETWORK_OUTPUTS.outpostFormFactors, name),
      availabilityZone: entry(NETWORK_OUTPUTS.outpostAvailabilityZones, name),
    };
  }
  const regionalSubnets: Record<string, RegionalSubnetNetwork> = {};
  for (const zone of props.regionalSubnetZones ?? []) {
    regionalSubnets[zone] = {
      subnetId: entry(NETWORK_OUTPUTS.regionalSubnetIdsByAz, zone),
      subnetCidr: entry(NETWORK_OUTPUTS.regionalSubnetCidrsByAz, zone),
    };
  }
  return {
    vpcId: state.getString(NETWORK_OUTPUTS.vpcId),
    vpcCidr: state.getString(NETWORK_OUTPUTS.vpcCidr),
    regionalSubnetIds: state.getList(NETWORK_OUTPUTS.regionalSubnetIds),
    regionalSubnetAvailabilityZones: state.getList(NETWORK_OUTPUTS.regionalSubnetAvailabilityZones),
    regionalSubnetCidrs: state.getList(NETWORK_OUTPUTS.regionalSubnetCidrs),
    endpointSecurityGroupId: state.getString(NETWORK_OUTPUTS.endpointSecurityGroupId),
    outpostAvailabilityZones: Token.asList(Fn.values(state.get(NETWORK_OUTPUTS.outpostAvailabilityZones))),
    outposts,
    regionalSubnets,
  };
}
