/**
 * Routing between an Outposts rack's subnet and its local gateway (LGW).
 *
 * The VPC is associated with the rack's LGW route table, then the Outpost subnet's route table
 * sends the given destinations to the LGW: on-premises networks, and for intra-VPC traffic between
 * racks (seed 002) the other racks' subnet CIDRs. That traffic cannot hairpin through the Region,
 * so without these routes nodes on two racks cannot reach each other.
 */
import { DataAwsEc2LocalGatewayRouteTable } from "@cdktf/provider-aws/lib/data-aws-ec2-local-gateway-route-table";
import { Ec2LocalGatewayRouteTableVpcAssociation } from "@cdktf/provider-aws/lib/ec2-local-gateway-route-table-vpc-association";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Op } from "cdktf";
import { Construct } from "constructs";
import { selfAttribute } from "../shared/plan-checks";

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
}

export class LocalGatewayRouting extends Construct {
  /** The local gateway the routes point at. */
  readonly localGatewayId: string;
  readonly associationId: string;

  constructor(scope: Construct, id: string, props: LocalGatewayRoutingProps) {
    super(scope, id);
    const routeTable = new DataAwsEc2LocalGatewayRouteTable(this, "route-table", {
      localGatewayRouteTableId: props.localGatewayRouteTableId,
      lifecycle: {
        postcondition: [
          {
            condition: Op.eq(selfAttribute("outpost_arn"), props.outpostArn),
            errorMessage: `Local gateway route table ${props.localGatewayRouteTableId} does not belong to Outpost ${props.outpostArn}.`,
          },
        ],
      },
    });
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
