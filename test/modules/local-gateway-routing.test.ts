/**
 * LocalGatewayRouting: the VPC associated with a rack's LGW route table (checked to belong to the
 * rack), and one route per destination CIDR to the local gateway, keyed by CIDR.
 * AdoptedRoutesCheck: the plan-time check of a route table the user keeps.
 */
import { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { Ec2LocalGatewayRouteTableVpcAssociation } from "@cdktf/provider-aws/lib/ec2-local-gateway-route-table-vpc-association";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { lookupBehind } from "../helpers/synth";
import {
  AdoptedRoutesCheck,
  AdoptedRoutesCheckProps,
  LocalGatewayRouting,
  LocalGatewayRoutingProps,
} from "../../modules/local-gateway-routing";

const RACK_ARN = "arn:aws:outposts:us-west-2:111122223333:outpost/op-0rack0000000000001";

const props: LocalGatewayRoutingProps = {
  name: "edge-rack-a",
  vpcId: "vpc-0abc",
  outpostArn: RACK_ARN,
  localGatewayRouteTableId: "lgw-rtb-0456",
  routeTableId: "rtb-0rack",
  destinationCidrs: ["192.168.0.0/16", "10.20.68.0/22"],
};

function synthRouting(routing: LocalGatewayRoutingProps): { synthesized: string; json: any } {
  const synthesized = Testing.synthScope((scope) => {
    new LocalGatewayRouting(scope, "lgw", routing);
  });
  return { synthesized, json: JSON.parse(synthesized) };
}

function synthCheck(check: AdoptedRoutesCheckProps): { synthesized: string; json: any } {
  const synthesized = Testing.synthScope((scope) => {
    new AdoptedRoutesCheck(scope, "check", check);
  });
  return { synthesized, json: JSON.parse(synthesized) };
}

describe("LocalGatewayRouting", () => {
  const { synthesized, json } = synthRouting(props);
  const lgwTableId = Object.keys(json.data.aws_ec2_local_gateway_route_table)[0];
  const associationId = Object.keys(json.resource.aws_ec2_local_gateway_route_table_vpc_association)[0];

  it("reads the LGW route table and checks that it belongs to the rack", () => {
    const table = json.data.aws_ec2_local_gateway_route_table[lgwTableId];
    expect(lookupBehind(json, table.local_gateway_route_table_id)).toEqual({
      filter: [{ name: "local-gateway-route-table-id", values: ["lgw-rtb-0456"] }],
      condition: "${(length(self.ids) == 1)}",
      errorMessage: expect.stringMatching(/^Local gateway route table lgw-rtb-0456, given as the route table of Outpost .*, was not found/),
    });
    const [check] = table.lifecycle.postcondition;
    expect(check.condition).toBe(`\${(self.outpost_arn == "${RACK_ARN}")}`);
    expect(check.error_message).toContain("lgw-rtb-0456");
  });

  it("associates the VPC with the LGW route table", () => {
    expect(synthesized).toHaveResourceWithProperties(Ec2LocalGatewayRouteTableVpcAssociation, {
      local_gateway_route_table_id: "lgw-rtb-0456",
      vpc_id: "vpc-0abc",
      tags: { Name: "edge-rack-a" },
    });
  });

  it("routes each destination to the local gateway, after the association", () => {
    for (const cidr of props.destinationCidrs) {
      expect(synthesized).toHaveResourceWithProperties(Route, {
        route_table_id: "rtb-0rack",
        destination_cidr_block: cidr,
        local_gateway_id: `\${data.aws_ec2_local_gateway_route_table.${lgwTableId}.local_gateway_id}`,
        depends_on: [`aws_ec2_local_gateway_route_table_vpc_association.${associationId}`],
      });
    }
    expect(Object.keys(json.resource.aws_route)).toHaveLength(2);
  });

  it("keys routes by CIDR: reordering the destinations changes no logical ID", () => {
    const reversed = synthRouting({ ...props, destinationCidrs: [...props.destinationCidrs].reverse() }).json;
    expect(Object.keys(reversed.resource.aws_route).sort()).toEqual(Object.keys(json.resource.aws_route).sort());
  });

  it("creates only the association with no destinations", () => {
    const empty = synthRouting({ ...props, destinationCidrs: [] }).json;
    expect(empty.resource.aws_route).toBeUndefined();
    expect(Object.keys(empty.resource.aws_ec2_local_gateway_route_table_vpc_association)).toHaveLength(1);
  });
});

describe("AdoptedRoutesCheck", () => {
  it("checks each LGW destination and the S3 gateway route on the subnet's route table", () => {
    const { synthesized, json } = synthCheck({
      subnetId: "subnet-0outpost",
      region: "us-west-2",
      localGateway: { outpostArn: RACK_ARN, localGatewayRouteTableId: "lgw-rtb-0456", destinationCidrs: ["192.168.0.0/16", "10.20.68.0/22"] },
      s3Gateway: true,
    });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsRouteTables, { filter: [{ name: "association.subnet-id", values: ["subnet-0outpost"] }] });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsPrefixList, { name: "com.amazonaws.us-west-2.s3" });
    const lgwTableId = Object.keys(json.data.aws_ec2_local_gateway_route_table)[0];
    expect(lookupBehind(json, json.data.aws_ec2_local_gateway_route_table[lgwTableId].local_gateway_route_table_id)?.filter).toEqual([
      { name: "local-gateway-route-table-id", values: ["lgw-rtb-0456"] },
    ]);
    const prefixListId = Object.keys(json.data.aws_prefix_list)[0];
    const checks = (Object.values(json.data.aws_route_table)[0] as any).lifecycle.postcondition;
    expect(checks).toHaveLength(3);
    expect(checks[0].condition).toContain(`data.aws_ec2_local_gateway_route_table.${lgwTableId}.local_gateway_id`);
    expect(checks[0].condition).toContain('"192.168.0.0/16"');
    expect(checks[0].error_message).toContain("no route from 192.168.0.0/16 to the local gateway");
    expect(checks[1].condition).toContain('"10.20.68.0/22"');
    expect(checks[2].condition).toContain(`data.aws_prefix_list.${prefixListId}.id`);
    expect(checks[2].error_message).toContain("S3 gateway endpoint");
  });

  it("checks nothing on a server subnet without the S3 gateway", () => {
    const { json } = synthCheck({ subnetId: "subnet-0server", region: "us-west-2" });
    expect(json.data.aws_prefix_list).toBeUndefined();
    expect(json.data.aws_ec2_local_gateway_route_table).toBeUndefined();
    const table = Object.values(json.data.aws_route_table)[0] as any;
    const [associationId] = Object.keys(json.data.aws_route_tables);
    expect(table.route_table_id).toBe(`\${one(data.aws_route_tables.${associationId}.ids)}`);
    expect(table.lifecycle?.postcondition ?? []).toEqual([]);
  });

  it("fails the plan with what to do when the subnet uses the VPC's main route table", () => {
    const { json } = synthCheck({ subnetId: "subnet-0server", region: "us-west-2" });
    const [association] = Object.values(json.data.aws_route_tables) as any[];
    expect(association.filter).toEqual([{ name: "association.subnet-id", values: ["subnet-0server"] }]);
    const [check] = association.lifecycle.postcondition;
    expect(check.condition).toBe("${(length(self.ids) == 1)}");
    expect(check.error_message).toMatch(/^Subnet subnet-0server has no route table of its own: it uses its VPC's main route table/);
    expect(check.error_message).toContain("aws ec2 associate-route-table --subnet-id subnet-0server");
  });
});
