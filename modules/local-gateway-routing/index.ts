/**
 * Routing between an Outposts rack's subnet and its local gateway (LGW).
 *
 * The VPC is associated with the rack's LGW route table, then the Outpost subnet's route table
 * sends the given destinations to the LGW: on-premises networks, and for intra-VPC traffic between
 * racks (seed 002) the other racks' subnet CIDRs. That traffic cannot hairpin through the Region,
 * so without these routes nodes on two racks cannot reach each other.
 */
import { DataAwsEc2LocalGatewayRouteTable } from "@cdktf/provider-aws/lib/data-aws-ec2-local-gateway-route-table";
import { DataAwsEc2LocalGatewayRouteTables } from "@cdktf/provider-aws/lib/data-aws-ec2-local-gateway-route-tables";
import { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list";
import { Ec2LocalGatewayRouteTableVpcAssociation } from "@cdktf/provider-aws/lib/ec2-local-gateway-route-table-vpc-association";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Fn, IResolvable, Op, propertyAccess, TerraformSelf, Token } from "cdktf";
import { Construct } from "constructs";
import { exactlyOne, notFoundMessage } from "../shared/lookups";
import { selfAttribute } from "../shared/plan-checks";
import { subnetRouteTable } from "../shared/subnet-route-table";
import { tagResources } from "../shared/resource-options";

export interface LocalGatewayRoutingProps {
  readonly vpcId: string;
  /** The rack; its LGW route table must belong to it (checked at plan time). */
  readonly outpostArn: string;
  readonly localGatewayRouteTableId: string;
  /** Route table of the rack's subnet. */
  readonly routeTableId: string;
  /** CIDRs routed to the local gateway. */
  readonly destinationCidrs: readonly string[];
  /** Name tag of the association. */
  readonly name: string;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The rack's LGW route table, checked to belong to the rack. */
function rackRouteTable(scope: Construct, localGatewayRouteTableId: string, outpostArn: string): DataAwsEc2LocalGatewayRouteTable {
  const lookup = new DataAwsEc2LocalGatewayRouteTables(scope, "route-table-lookup", {
    filter: [{ name: "local-gateway-route-table-id", values: [localGatewayRouteTableId] }],
    lifecycle: exactlyOne(notFoundMessage("Local gateway route table", localGatewayRouteTableId, `the route table of Outpost ${outpostArn} (outposts[].localGatewayRouteTableId)`)),
  });
  return new DataAwsEc2LocalGatewayRouteTable(scope, "route-table", {
    localGatewayRouteTableId: Token.asString(Fn.one(lookup.ids)),
    lifecycle: {
      postcondition: [
        {
          condition: Op.eq(selfAttribute("outpost_arn"), outpostArn),
          errorMessage: `Local gateway route table ${localGatewayRouteTableId} does not belong to Outpost ${outpostArn}.`,
        },
      ],
    },
  });
}

export class LocalGatewayRouting extends Construct {
  /** The local gateway the routes point at. */
  readonly localGatewayId: string;
  readonly associationId: string;

  constructor(scope: Construct, id: string, props: LocalGatewayRoutingProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const routeTable = rackRouteTable(this, props.localGatewayRouteTableId, props.outpostArn);
    this.localGatewayId = routeTable.localGatewayId;

    const association = new Ec2LocalGatewayRouteTableVpcAssociation(this, "vpc-association", {
      localGatewayRouteTableId: props.localGatewayRouteTableId,
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    this.associationId = association.id;

    for (const cidr of props.destinationCidrs) {
      // Keyed by CIDR, not position, so reordering the blueprint never replaces a route.
      new Route(this, `to-${cidr.replace(/[./]/g, "-")}`, {
        routeTableId: props.routeTableId,
        destinationCidrBlock: cidr,
        localGatewayId: routeTable.localGatewayId,
        // A VPC must be associated with the LGW route table before its routes can target the LGW.
        dependsOn: [association],
      });
    }
  }
}

export interface AdoptedRoutesCheckProps {
  /** The adopted Outpost subnet; its explicitly associated route table is checked. */
  readonly subnetId: string;
  readonly region: string;
  /**
   * For a rack: its LGW route table and the CIDRs that must route to its local gateway.
   * @default - not a rack: no local-gateway routes checked
   */
  readonly localGateway?: {
    readonly outpostArn: string;
    readonly localGatewayRouteTableId: string;
    readonly destinationCidrs: readonly string[];
  };
  /**
   * Check that the S3 gateway endpoint serves the table (nodes pull image layers from S3).
   * @default false
   */
  readonly s3Gateway?: boolean;
}

/**
 * For an adopted subnet whose routing the user keeps: fails the plan, naming the missing route,
 * unless its route table already sends each destination to the rack's local gateway (which also
 * proves the VPC is associated with that LGW route table: AWS accepts no LGW route otherwise) and
 * routes S3's prefix list to a gateway endpoint.
 */
export class AdoptedRoutesCheck extends Construct {
  constructor(scope: Construct, id: string, props: AdoptedRoutesCheckProps) {
    super(scope, id);
    const routes = propertyAccess(TerraformSelf.getAny("routes"), ["*"]);
    const checks: Array<{ condition: IResolvable | boolean; errorMessage: string }> = [];
    if (props.localGateway) {
      const lgw = props.localGateway;
      const lgwTable = rackRouteTable(this, lgw.localGatewayRouteTableId, lgw.outpostArn);
      // The CIDRs of the routes whose target is this rack's local gateway.
      const toLocalGateway = Fn.matchkeys(
        Token.asList(propertyAccess(routes, ["cidr_block"])),
        Token.asList(propertyAccess(routes, ["local_gateway_id"])),
        [lgwTable.localGatewayId],
      );
      for (const cidr of lgw.destinationCidrs) {
        checks.push({
          condition: Fn.contains(toLocalGateway, cidr),
          errorMessage: `Subnet ${props.subnetId}: its route table has no route from ${cidr} to the local gateway of ${lgw.outpostArn}; add it (and associate the VPC with ${lgw.localGatewayRouteTableId}), or set manageRouting: true.`,
        });
      }
    }
    if (props.s3Gateway) {
      const s3 = new DataAwsPrefixList(this, "s3-prefix-list", { name: `com.amazonaws.${props.region}.s3` });
      checks.push({
        condition: Fn.contains(Token.asList(propertyAccess(routes, ["destination_prefix_list_id"])), s3.id),
        errorMessage: `Subnet ${props.subnetId}: its route table has no route to the S3 gateway endpoint; associate the endpoint with it, or set manageRouting: true.`,
      });
    }
    // The subnet's explicitly associated table: on the VPC's main table the plan fails with a message that says what to do.
    subnetRouteTable(this, "route-table-check", props.subnetId, { postcondition: checks });
  }
}
