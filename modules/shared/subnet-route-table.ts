/**
 * The route table explicitly associated with an existing subnet, found so that the plan fails with a
 * clear message when there is none.
 *
 * `data.aws_route_table { subnet_id }` filters DescribeRouteTables on `association.subnet-id`, which
 * matches explicit associations only (EC2 API reference, DescribeRouteTables): a subnet on the VPC's
 * main route table is associated with it implicitly (Amazon VPC User Guide, "Subnet route tables"),
 * and the lookup fails the plan with "query returned no results". `data.aws_route_tables` with the
 * same filter returns an empty list instead, which a postcondition names. Routes are never added to
 * the main table: they would reach every subnet of the VPC that has no table of its own.
 */
import { DataAwsRouteTable } from "@cdktf/provider-aws/lib/data-aws-route-table";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { Fn, IResolvable, Op, TerraformSelf, Token } from "cdktf";
import { Construct } from "constructs";

export interface SubnetRouteTableOptions {
  /** The subnet as the message names it, when `subnetId` is a reference. */
  readonly subnetLabel?: string;
  /** Postconditions on the route table itself, which may read `self.routes`. */
  readonly postcondition?: Array<{ condition: IResolvable | boolean; errorMessage: string }>;
}

/** What the plan says when the subnet has no route table of its own. */
export function mainRouteTableMessage(subnetId: string): string {
  return (
    `Subnet ${subnetId} has no route table of its own: it uses its VPC's main route table, implicitly. The blueprint routes an adopted ` +
    `Outpost subnet through a table associated with it, never through the main table (a route there reaches every subnet without ` +
    `a table of its own). Create a route table in the VPC, copy the routes the subnet uses, associate it with the subnet ` +
    `(aws ec2 associate-route-table --subnet-id ${subnetId} --route-table-id <rtb-id>), and plan again.`
  );
}

/**
 * `<id>-association` lists the tables explicitly associated with the subnet and fails the plan unless
 * there is one; `<id>` reads that table.
 */
export function subnetRouteTable(scope: Construct, id: string, subnetId: string, options: SubnetRouteTableOptions = {}): DataAwsRouteTable {
  const associated = new DataAwsRouteTables(scope, `${id}-association`, {
    filter: [{ name: "association.subnet-id", values: [subnetId] }],
    lifecycle: {
      postcondition: [{ condition: Op.eq(Fn.lengthOf(TerraformSelf.getAny("ids")), 1), errorMessage: mainRouteTableMessage(options.subnetLabel ?? subnetId) }],
    },
  });
  return new DataAwsRouteTable(scope, id, {
    routeTableId: Token.asString(Fn.one(associated.ids)),
    lifecycle: options.postcondition && options.postcondition.length > 0 ? { postcondition: options.postcondition } : undefined,
  });
}
