/**
 * OutpostSubnet: a subnet on one Outpost with its own route table and plan-time checks of the
 * Outpost's AZ and hardware type; LNI on servers, CoIP on racks; or an existing subnet adopted.
 */
import { DataAwsOutpostsOutpost } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { AnnotationMetadataEntryType, TerraformOutput, Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { OutpostSubnet, OutpostSubnetProps } from "../../modules/outpost-subnet";
import { lookupBehind } from "../helpers/synth";

const RACK_ARN = "arn:aws:outposts:us-west-2:111122223333:outpost/op-0rack0000000000001";
const SERVER_ARN = "arn:aws:outposts:us-west-2:111122223333:outpost/op-0server000000000001";

const rack: OutpostSubnetProps = {
  name: "edge-rack-a",
  vpcId: "vpc-0abc",
  outpostArn: RACK_ARN,
  formFactor: "rack",
  availabilityZone: "us-west-2a",
  cidr: "10.20.64.0/22",
  tags: { "kubernetes.io/role/internal-elb": "1" },
};

const server: OutpostSubnetProps = {
  name: "edge-server-a",
  vpcId: "vpc-0abc",
  outpostArn: SERVER_ARN,
  formFactor: "server",
  availabilityZone: "us-west-2b",
  cidr: "10.20.72.0/24",
  lniDeviceIndex: 1,
};

function synth(props: OutpostSubnetProps): { subnet: OutpostSubnet; synthesized: string; json: any } {
  let subnet!: OutpostSubnet;
  const synthesized = Testing.synthScope((scope) => {
    subnet = new OutpostSubnet(scope, "subnet", props);
  });
  return { subnet, synthesized, json: JSON.parse(synthesized) };
}

const only = (blocks: Record<string, any> | undefined): any => {
  const values = Object.values(blocks ?? {});
  if (values.length !== 1) throw new Error(`expected exactly one block, found ${values.length}`);
  return values[0];
};

const warnings = (subnet: OutpostSubnet): string[] =>
  subnet.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));

describe("OutpostSubnet: a new subnet on a rack", () => {
  const { subnet, synthesized, json } = synth(rack);

  it("creates the subnet on the Outpost, in its parent AZ, with IP-based hostnames and the extra tags", () => {
    expect(synthesized).toHaveResourceWithProperties(Subnet, {
      vpc_id: "vpc-0abc",
      outpost_arn: RACK_ARN,
      availability_zone: "us-west-2a",
      cidr_block: "10.20.64.0/22",
      map_public_ip_on_launch: false,
      private_dns_hostname_type_on_launch: "ip-name",
      tags: { Name: "edge-rack-a", "kubernetes.io/role/internal-elb": "1" },
    });
    const created = only(json.resource.aws_subnet);
    expect(created.enable_lni_at_device_index).toBeUndefined();
    expect(created.customer_owned_ipv4_pool).toBeUndefined();
    expect(created.map_customer_owned_ip_on_launch).toBeUndefined();
  });

  it("checks before creating it that the Outpost is a rack anchored to the stated AZ", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsOutpostsOutpost, { arn: RACK_ARN });
    const outpostId = Object.keys(json.data.aws_outposts_outpost)[0];
    const [zone, hardware] = only(json.resource.aws_subnet).lifecycle.precondition;
    expect(zone.condition).toBe(`\${(data.aws_outposts_outpost.${outpostId}.availability_zone == "us-west-2a")}`);
    expect(hardware.condition).toBe(`\${(data.aws_outposts_outpost.${outpostId}.supported_hardware_type == "RACK")}`);
    expect(hardware.error_message).toContain("is not an Outposts rack");
  });

  it("gives the subnet its own route table, and no default route without a NAT gateway", () => {
    expect(synthesized).toHaveResourceWithProperties(RouteTable, { vpc_id: "vpc-0abc", tags: { Name: "edge-rack-a" } });
    const subnetId = Object.keys(json.resource.aws_subnet)[0];
    const tableId = Object.keys(json.resource.aws_route_table)[0];
    expect(synthesized).toHaveResourceWithProperties(RouteTableAssociation, {
      subnet_id: `\${aws_subnet.${subnetId}.id}`,
      route_table_id: `\${aws_route_table.${tableId}.id}`,
    });
    expect(json.resource.aws_route).toBeUndefined();
    expect(json.data.aws_ec2_coip_pool).toBeUndefined();
  });

  it("exposes what it was given and its route table, with no warning for a rack", () => {
    expect(subnet.adopted).toBe(false);
    expect(subnet.routeTableId).toBeDefined();
    expect([subnet.cidr, subnet.outpostArn, subnet.formFactor, subnet.availabilityZone]).toEqual(["10.20.64.0/22", RACK_ARN, "rack", "us-west-2a"]);
    expect(subnet.lniDeviceIndex).toBeUndefined();
    expect(warnings(subnet)).toEqual([]);
  });
});

describe("OutpostSubnet: options", () => {
  it("sends 0.0.0.0/0 to the NAT gateway given", () => {
    const { synthesized, json } = synth({ ...rack, natGatewayId: "nat-0123" });
    const tableId = Object.keys(json.resource.aws_route_table)[0];
    expect(synthesized).toHaveResourceWithProperties(Route, {
      route_table_id: `\${aws_route_table.${tableId}.id}`,
      destination_cidr_block: "0.0.0.0/0",
      nat_gateway_id: "nat-0123",
    });
  });

  it("rack with CoIP mapped on launch: sets the pool on the subnet and checks it belongs to the LGW route table", () => {
    const { synthesized, json } = synth({
      ...rack,
      customerOwnedIp: { poolId: "ipv4pool-coip-0123", localGatewayRouteTableId: "lgw-rtb-0456", mapOnLaunch: true },
    });
    expect(synthesized).toHaveResourceWithProperties(Subnet, {
      customer_owned_ipv4_pool: "ipv4pool-coip-0123",
      map_customer_owned_ip_on_launch: true,
    });
    expect(lookupBehind(json, only(json.data.aws_ec2_coip_pool).pool_id)).toEqual({
      filter: [{ name: "coip-pool.pool-id", values: ["ipv4pool-coip-0123"] }],
      condition: "${(length(self.pool_ids) == 1)}",
      errorMessage: expect.stringMatching(/^CoIP pool ipv4pool-coip-0123, given as outposts\[\]\.coip\.poolId, was not found/),
    });
    const [check] = only(json.data.aws_ec2_coip_pool).lifecycle.postcondition;
    expect(check.condition).toBe('${(self.local_gateway_route_table_id == "lgw-rtb-0456")}');
  });

  it("rack with CoIP not mapped on launch: checks the pool but sets neither pool nor map-on-launch", () => {
    const { json } = synth({ ...rack, customerOwnedIp: { poolId: "ipv4pool-coip-0123", localGatewayRouteTableId: "lgw-rtb-0456" } });
    expect(lookupBehind(json, only(json.data.aws_ec2_coip_pool).pool_id)?.filter).toEqual([{ name: "coip-pool.pool-id", values: ["ipv4pool-coip-0123"] }]);
    const created = only(json.resource.aws_subnet);
    expect(created.customer_owned_ipv4_pool).toBeUndefined();
    expect(created.map_customer_owned_ip_on_launch).toBeUndefined();
  });

  it("server: enables LNI at the device index, checks for SERVER hardware, and warns that AWS supports racks only", () => {
    const { subnet, synthesized, json } = synth(server);
    expect(synthesized).toHaveResourceWithProperties(Subnet, {
      outpost_arn: SERVER_ARN,
      availability_zone: "us-west-2b",
      cidr_block: "10.20.72.0/24",
      enable_lni_at_device_index: 1,
      tags: { Name: "edge-server-a" },
    });
    const [, hardware] = only(json.resource.aws_subnet).lifecycle.precondition;
    expect(hardware.condition).toMatch(/supported_hardware_type == "SERVER"\)\}$/);
    expect(subnet.lniDeviceIndex).toBe(1);
    const [warning] = warnings(subnet);
    expect(warning).toContain(`Outpost ${SERVER_ARN} is an Outposts server`);
    expect(warning).toContain("racks only");
  });
});

describe("OutpostSubnet: an existing subnet adopted by ID", () => {
  const adopted = { ...rack, existingSubnetId: "subnet-0outpost", natGatewayId: "nat-0123" };

  it("creates nothing and checks the subnet's VPC, Outpost and CIDR, and the Outpost's AZ and hardware", () => {
    const { subnet, json } = synth(adopted);
    expect(json.resource).toBeUndefined();
    expect(lookupBehind(json, only(json.data.aws_subnet).id)).toEqual({
      filter: [{ name: "subnet-id", values: ["subnet-0outpost"] }],
      condition: "${(length(self.ids) == 1)}",
      errorMessage: expect.stringMatching(/^Subnet subnet-0outpost, given as the subnet of Outpost .*\(outposts\[\]\.subnet\.id\), was not found/),
    });
    const conditions = only(json.data.aws_subnet).lifecycle.postcondition.map((check: any) => check.condition);
    expect(conditions).toHaveLength(3);
    expect(conditions[0]).toBe(
      `\${(((self.vpc_id == "vpc-0abc") && (self.outpost_arn == "${RACK_ARN}")) && (self.cidr_block == "10.20.64.0/22"))}`,
    );
    expect(conditions[1]).toMatch(/availability_zone == "us-west-2a"\)\}$/);
    expect(conditions[2]).toMatch(/supported_hardware_type == "RACK"\)\}$/);
    expect(subnet.adopted).toBe(true);
  });

  it("by default exposes the route table explicitly associated with the subnet", () => {
    const synthesized = Testing.synthScope((scope) => {
      const subnet = new OutpostSubnet(scope, "subnet", adopted);
      new TerraformOutput(scope, "route-table", { value: subnet.routeTableId });
    });
    const json = JSON.parse(synthesized);
    const subnetId = Object.keys(json.data.aws_subnet)[0];
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsRouteTables, { filter: [{ name: "association.subnet-id", values: [`\${data.aws_subnet.${subnetId}.id}`] }] });
    const [associationId] = Object.keys(json.data.aws_route_tables);
    const [check] = json.data.aws_route_tables[associationId].lifecycle.postcondition;
    expect(check.condition).toBe("${(length(self.ids) == 1)}");
    expect(check.error_message).toContain("uses its VPC's main route table");
    const tableId = Object.keys(json.data.aws_route_table)[0];
    expect(json.data.aws_route_table[tableId].route_table_id).toBe(`\${one(data.aws_route_tables.${associationId}.ids)}`);
    expect(json.output["route-table"].value).toBe(`\${data.aws_route_table.${tableId}.id}`);
  });

  it("with manageAdoptedRouteTable false, leaves the route table alone", () => {
    const { subnet, json } = synth({ ...adopted, manageAdoptedRouteTable: false });
    expect(json.data.aws_route_table).toBeUndefined();
    expect(json.data.aws_route_tables).toBeUndefined();
    expect(subnet.routeTableId).toBeUndefined();
  });
});

describe("OutpostSubnet: construction errors", () => {
  it("refuses customer-owned IPs on a server", () => {
    expect(() => synth({ ...server, customerOwnedIp: { poolId: "ipv4pool-coip-0123", localGatewayRouteTableId: "lgw-rtb-0456" } })).toThrow(
      /stack\/subnet: customer-owned IPs exist only on Outposts racks/,
    );
  });

  it("refuses a local network interface on a rack", () => {
    expect(() => synth({ ...rack, lniDeviceIndex: 1 })).toThrow(/stack\/subnet: local network interfaces exist only on Outposts servers/);
  });
});

describe("OutpostSubnet: an Outpost ARN that matches no Outpost", () => {
  it("lists the account's Outposts first and fails the plan naming the ARN; the Outpost is read after", () => {
    const { json } = synth(rack);
    const lookupId = Object.keys(json.data.aws_outposts_outposts);
    expect(lookupId).toHaveLength(1);
    const [check] = json.data.aws_outposts_outposts[lookupId[0]].lifecycle.postcondition;
    expect(check.condition).toBe(`\${contains(self.arns, "${RACK_ARN}")}`);
    expect(check.error_message).toContain(`Outpost ${RACK_ARN}, given as outposts[].arn, is not among the Outposts`);
    expect(only(json.data.aws_outposts_outpost).depends_on).toEqual([`data.aws_outposts_outposts.${lookupId[0]}`]);
  });
});
