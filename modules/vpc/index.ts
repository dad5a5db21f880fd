/**
 * The VPC and its regional subnets: created new, or an existing VPC adopted by ID.
 *
 * A new VPC has DNS support and DNS hostnames on (both are required by EKS local clusters and by
 * private VPC endpoint DNS), one private subnet and route table per Availability Zone, and with NAT
 * egress, public subnets, an internet gateway and one NAT gateway per public subnet. The default
 * security group is emptied so nothing can use it by accident.
 *
 * An existing VPC and its subnets are read with data sources whose postconditions check, at plan
 * time, that what AWS reports matches the blueprint (CIDRs, AZs, DNS settings).
 */
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsVpcs } from "@cdktf/provider-aws/lib/data-aws-vpcs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as AwsVpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn, Op, Token } from "cdktf";
import { exactlyOne, notFoundMessage } from "../shared/lookups";
import { allOf, selfAttribute } from "../shared/plan-checks";
import { Construct } from "constructs";
import { tagResources } from "../shared/resource-options";

export interface RegionalSubnetSpec {
  /** Availability Zone name; the construct keys subnets by AZ, so each AZ appears once. */
  readonly availabilityZone: string;
  /** IPv4 CIDR inside the VPC CIDR. */
  readonly cidr: string;
  /**
   * Adopt this existing subnet instead of creating one (existing VPC only).
   * @default - a new subnet
   */
  readonly existingSubnetId?: string;
}

export interface VpcProps {
  /** Prefix of the Name tags. */
  readonly name: string;
  /** Primary IPv4 CIDR. For an existing VPC, the CIDR it must have (checked at plan time). */
  readonly cidr: string;
  /**
   * Adopt this existing VPC instead of creating one.
   * @default - a new VPC
   */
  readonly existingVpcId?: string;
  /** Private subnets in the Region, one per Availability Zone. */
  readonly privateSubnets: readonly RegionalSubnetSpec[];
  /**
   * Public subnets, each with a NAT gateway; the private subnets route 0.0.0.0/0 to the NAT gateway
   * in their AZ, or the first one. New VPC only.
   * @default none (no internet path)
   */
  readonly publicSubnets?: readonly Omit<RegionalSubnetSpec, "existingSubnetId">[];
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Extra tags on the created private subnets only (load balancer roles, for OpenShift and HyperShift).
   * @default none
   */
  readonly privateSubnetTags?: Readonly<Record<string, string>>;
  /**
   * Extra tags on the created public subnets only.
   * @default none
   */
  readonly publicSubnetTags?: Readonly<Record<string, string>>;
}

/** A regional subnet as later layers see it. */
export interface RegionalSubnet {
  readonly id: string;
  readonly availabilityZone: string;
  readonly cidr: string;
}

export class Vpc extends Construct {
  /** The VPC ID. */
  readonly vpcId: string;
  /** The VPC's primary CIDR. */
  readonly cidrBlock: string;
  /** The regional private subnets, in the order given. */
  readonly privateSubnets: readonly RegionalSubnet[];
  /** Route tables of the private subnets this construct created (empty for an existing VPC). */
  readonly privateRouteTableIds: readonly string[];
  /** NAT gateway IDs by AZ (empty without public subnets). */
  readonly natGatewayIds: Readonly<Record<string, string>>;
  /** The public subnets the VPC created for NAT egress; empty otherwise. */
  readonly publicSubnets: readonly RegionalSubnet[] = [];
  /** The public subnets' route table (to the internet gateway), when there are public subnets. */
  publicRouteTableId?: string;
  /** True when the VPC was adopted rather than created. */
  readonly isExisting: boolean;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    tagResources(this, props.tags);
    this.isExisting = props.existingVpcId !== undefined;
    this.cidrBlock = props.cidr;
    if (props.existingVpcId !== undefined) {
      const existingVpcId = props.existingVpcId;
      this.vpcId = this.adoptVpc(existingVpcId, props.cidr);
      this.privateSubnets = props.privateSubnets.map((spec) => this.adoptSubnet(existingVpcId, spec));
      this.privateRouteTableIds = [];
      this.natGatewayIds = {};
      return;
    }

    const vpc = new AwsVpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    this.vpcId = vpc.id;
    // An emptied default security group: rules attach only to groups this blueprint names.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: vpc.id, tags: { Name: `${props.name}-default-unused` } });

    this.natGatewayIds = this.createPublicEgress(vpc.id, props);
    const natZones = Object.keys(this.natGatewayIds);
    const routeTableIds: string[] = [];
    this.privateSubnets = props.privateSubnets.map((spec) => {
      const zone = spec.availabilityZone;
      const subnet = new Subnet(this, `private-${zone}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: spec.cidr,
        mapPublicIpOnLaunch: false,
        // IP-based hostnames: EKS local clusters require them, and they keep node names predictable.
        privateDnsHostnameTypeOnLaunch: "ip-name",
        tags: { Name: `${props.name}-private-${zone}`, ...props.privateSubnetTags },
      });
      const routeTable = new RouteTable(this, `private-${zone}-routes`, {
        vpcId: vpc.id,
        tags: { Name: `${props.name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-${zone}-routes-association`, { subnetId: subnet.id, routeTableId: routeTable.id });
      if (natZones.length > 0) {
        const natZone = natZones.includes(zone) ? zone : natZones[0];
        new Route(this, `private-${zone}-default-route`, {
          routeTableId: routeTable.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: this.natGatewayIds[natZone],
        });
      }
      routeTableIds.push(routeTable.id);
      return { id: subnet.id, availabilityZone: zone, cidr: spec.cidr };
    });
    this.privateRouteTableIds = routeTableIds;
  }

  private createPublicEgress(vpcId: string, props: VpcProps): Record<string, string> {
    const publicSubnets = props.publicSubnets ?? [];
    if (publicSubnets.length === 0) return {};
    const internetGateway = new InternetGateway(this, "internet-gateway", { vpcId, tags: { Name: props.name } });
    const publicRoutes = new RouteTable(this, "public-routes", { vpcId, tags: { Name: `${props.name}-public` } });
    this.publicRouteTableId = publicRoutes.id;
    new Route(this, "public-default-route", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });
    const natGatewayIds: Record<string, string> = {};
    for (const spec of publicSubnets) {
      const zone = spec.availabilityZone;
      const subnet = new Subnet(this, `public-${zone}`, {
        vpcId,
        availabilityZone: zone,
        cidrBlock: spec.cidr,
        // Only the NAT gateway lives here, with its own Elastic IP: nothing needs an automatic public IP.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${zone}`, ...props.publicSubnetTags },
      });
      (this.publicSubnets as RegionalSubnet[]).push({ id: subnet.id, availabilityZone: zone, cidr: spec.cidr });
      new RouteTableAssociation(this, `public-${zone}-routes-association`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      const address = new Eip(this, `nat-${zone}-address`, { domain: "vpc", tags: { Name: `${props.name}-nat-${zone}` } });
      const natGateway = new NatGateway(this, `nat-${zone}`, {
        allocationId: address.allocationId,
        subnetId: subnet.id,
        tags: { Name: `${props.name}-${zone}` },
        dependsOn: [internetGateway],
      });
      natGatewayIds[zone] = natGateway.id;
    }
    return natGatewayIds;
  }

  private adoptVpc(vpcId: string, cidr: string): string {
    const lookup = new DataAwsVpcs(this, "existing-vpc-lookup", {
      filter: [{ name: "vpc-id", values: [vpcId] }],
      lifecycle: exactlyOne(notFoundMessage("VPC", vpcId, "network.vpc.id")),
    });
    const existing = new DataAwsVpc(this, "existing-vpc", {
      id: Token.asString(Fn.one(lookup.ids)),
      lifecycle: {
        postcondition: [
          {
            condition: Op.eq(selfAttribute("cidr_block"), cidr),
            errorMessage: `VPC ${vpcId}: its primary CIDR differs from network.vpc.cidr (${cidr}) in the blueprint.`,
          },
          {
            condition: Op.and(selfAttribute("enable_dns_support"), selfAttribute("enable_dns_hostnames")),
            errorMessage: `VPC ${vpcId}: EKS on Outposts needs DNS support and DNS hostnames enabled on the VPC.`,
          },
        ],
      },
    });
    return existing.id;
  }

  private adoptSubnet(vpcId: string, spec: RegionalSubnetSpec): RegionalSubnet {
    const subnetId = spec.existingSubnetId!;
    const lookup = new DataAwsSubnets(this, `existing-private-${spec.availabilityZone}-lookup`, {
      filter: [{ name: "subnet-id", values: [subnetId] }],
      lifecycle: exactlyOne(notFoundMessage("Subnet", subnetId, `the regional subnet of ${spec.availabilityZone} (network.regionalSubnets[].id)`)),
    });
    const existing = new DataAwsSubnet(this, `existing-private-${spec.availabilityZone}`, {
      id: Token.asString(Fn.one(lookup.ids)),
      lifecycle: {
        postcondition: [
          {
            condition: allOf(
              Op.eq(selfAttribute("vpc_id"), vpcId),
              Op.eq(selfAttribute("cidr_block"), spec.cidr),
              Op.eq(selfAttribute("availability_zone"), spec.availabilityZone),
            ),
            errorMessage: `Subnet ${subnetId}: expected VPC ${vpcId}, CIDR ${spec.cidr} and AZ ${spec.availabilityZone}, as the blueprint says.`,
          },
          {
            // An empty string literal does not survive cdktf token resolution, so compare a coalesced marker.
            condition: Op.eq(Fn.coalesce([selfAttribute("outpost_arn"), "regional"]), "regional"),
            errorMessage: `Subnet ${subnetId} is an Outpost subnet; network.regionalSubnets must be subnets in the Region.`,
          },
        ],
      },
    });
    return { id: existing.id, availabilityZone: spec.availabilityZone, cidr: spec.cidr };
  }
}
