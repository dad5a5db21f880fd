/**
 * Vpc: a new VPC (DNS on, one private subnet and route table per AZ, the default security group
 * emptied, optional NAT egress), or an existing VPC and its subnets adopted through data sources
 * whose postconditions check what the blueprint says.
 */
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as AwsVpc } from "@cdktf/provider-aws/lib/vpc";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { Vpc, VpcProps } from "../../modules/vpc";
import { lookupBehind } from "../helpers/synth";

const privateSubnets = [
  { availabilityZone: "us-west-2a", cidr: "10.20.0.0/20" },
  { availabilityZone: "us-west-2b", cidr: "10.20.16.0/20" },
  { availabilityZone: "us-west-2c", cidr: "10.20.32.0/20" },
];

function synth(props: VpcProps): { vpc: Vpc; synthesized: string; json: any } {
  let vpc!: Vpc;
  const synthesized = Testing.synthScope((scope) => {
    vpc = new Vpc(scope, "vpc", props);
  });
  return { vpc, synthesized, json: JSON.parse(synthesized) };
}

const blocks = (json: any, kind: "resource" | "data", type: string): any[] => Object.values(json[kind]?.[type] ?? {});

/** The logical ID a `${aws_x.<id>.attr}` reference points at. */
const refId = (reference: string): string => reference.replace(/^\$\{[a-z_]+\.([^.]+)\..*\}$/, "$1");

describe("Vpc: a new VPC without internet egress", () => {
  const { vpc, synthesized, json } = synth({ name: "edge", cidr: "10.20.0.0/16", privateSubnets });

  it("creates the VPC with its CIDR, DNS support and DNS hostnames", () => {
    expect(synthesized).toHaveResourceWithProperties(AwsVpc, {
      cidr_block: "10.20.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: "edge" },
    });
    expect(blocks(json, "resource", "aws_vpc")).toHaveLength(1);
    expect(json.data).toBeUndefined();
  });

  it("empties the default security group: no ingress or egress rules", () => {
    const [group] = blocks(json, "resource", "aws_default_security_group");
    expect(group.tags).toEqual({ Name: "edge-default-unused" });
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(synthesized).toHaveResourceWithProperties(DefaultSecurityGroup, { tags: { Name: "edge-default-unused" } });
  });

  it("creates one private subnet per AZ with IP-based hostnames and no public IPs", () => {
    for (const spec of privateSubnets) {
      expect(synthesized).toHaveResourceWithProperties(Subnet, {
        availability_zone: spec.availabilityZone,
        cidr_block: spec.cidr,
        map_public_ip_on_launch: false,
        private_dns_hostname_type_on_launch: "ip-name",
        tags: { Name: `edge-private-${spec.availabilityZone}` },
      });
    }
    expect(blocks(json, "resource", "aws_subnet")).toHaveLength(3);
  });

  it("gives each private subnet its own route table, associated with it", () => {
    const subnets = json.resource.aws_subnet;
    const tables = json.resource.aws_route_table;
    const associations = blocks(json, "resource", "aws_route_table_association");
    expect(Object.keys(tables)).toHaveLength(3);
    expect(associations).toHaveLength(3);
    for (const association of associations) {
      const subnet = subnets[refId(association.subnet_id)];
      const table = tables[refId(association.route_table_id)];
      expect(table.tags.Name).toBe(subnet.tags.Name);
    }
    expect(synthesized).toHaveResourceWithProperties(RouteTable, { tags: { Name: "edge-private-us-west-2b" } });
  });

  it("has no internet gateway, NAT gateway or route without public subnets", () => {
    expect(json.resource.aws_internet_gateway).toBeUndefined();
    expect(json.resource.aws_nat_gateway).toBeUndefined();
    expect(json.resource.aws_eip).toBeUndefined();
    expect(json.resource.aws_route).toBeUndefined();
  });

  it("exposes the subnets in the order given, their route tables, and no NAT gateways", () => {
    expect(vpc.isExisting).toBe(false);
    expect(vpc.cidrBlock).toBe("10.20.0.0/16");
    expect(vpc.privateSubnets.map((s) => [s.availabilityZone, s.cidr])).toEqual(privateSubnets.map((s) => [s.availabilityZone, s.cidr]));
    expect(vpc.privateRouteTableIds).toHaveLength(3);
    expect(vpc.natGatewayIds).toEqual({});
  });
});

describe("Vpc: NAT egress through public subnets", () => {
  const publicSubnets = [
    { availabilityZone: "us-west-2a", cidr: "10.20.128.0/24" },
    { availabilityZone: "us-west-2b", cidr: "10.20.129.0/24" },
  ];
  const { vpc, synthesized, json } = synth({ name: "edge", cidr: "10.20.0.0/16", privateSubnets, publicSubnets });

  it("creates an internet gateway and a public route table whose default route points at it", () => {
    expect(synthesized).toHaveResourceWithProperties(InternetGateway, { tags: { Name: "edge" } });
    expect(synthesized).toHaveResourceWithProperties(RouteTable, { tags: { Name: "edge-public" } });
    const igwId = Object.keys(json.resource.aws_internet_gateway)[0];
    expect(synthesized).toHaveResourceWithProperties(Route, {
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: `\${aws_internet_gateway.${igwId}.id}`,
    });
  });

  it("creates each public subnet without automatic public IPs, with an Elastic IP and a NAT gateway", () => {
    for (const spec of publicSubnets) {
      expect(synthesized).toHaveResourceWithProperties(Subnet, {
        availability_zone: spec.availabilityZone,
        cidr_block: spec.cidr,
        map_public_ip_on_launch: false,
        tags: { Name: `edge-public-${spec.availabilityZone}` },
      });
      expect(synthesized).toHaveResourceWithProperties(Eip, { domain: "vpc", tags: { Name: `edge-nat-${spec.availabilityZone}` } });
      expect(synthesized).toHaveResourceWithProperties(NatGateway, { tags: { Name: `edge-${spec.availabilityZone}` } });
    }
    expect(blocks(json, "resource", "aws_nat_gateway")).toHaveLength(2);
  });

  it("makes each NAT gateway wait for the internet gateway and sit in its own AZ's public subnet", () => {
    const igwId = Object.keys(json.resource.aws_internet_gateway)[0];
    for (const nat of blocks(json, "resource", "aws_nat_gateway")) {
      expect(nat.depends_on).toEqual([`aws_internet_gateway.${igwId}`]);
      const subnet = json.resource.aws_subnet[refId(nat.subnet_id)];
      expect(nat.tags.Name).toBe(`edge-${subnet.availability_zone}`);
      expect(json.resource.aws_eip[refId(nat.allocation_id)].tags.Name).toBe(`edge-nat-${subnet.availability_zone}`);
    }
  });

  it("routes each private subnet to the NAT gateway of its AZ, or the first one", () => {
    const natByZone = Object.fromEntries(
      Object.entries(json.resource.aws_nat_gateway).map(([id, nat]: [string, any]) => [json.resource.aws_subnet[refId(nat.subnet_id)].availability_zone, id]),
    );
    const privateRoutes = blocks(json, "resource", "aws_route").filter((route) => route.nat_gateway_id !== undefined);
    expect(privateRoutes).toHaveLength(3);
    const natOfZone = Object.fromEntries(
      privateRoutes.map((route) => {
        const table = json.resource.aws_route_table[refId(route.route_table_id)];
        expect(route.destination_cidr_block).toBe("0.0.0.0/0");
        return [table.tags.Name.replace("edge-private-", ""), refId(route.nat_gateway_id)];
      }),
    );
    expect(natOfZone).toEqual({ "us-west-2a": natByZone["us-west-2a"], "us-west-2b": natByZone["us-west-2b"], "us-west-2c": natByZone["us-west-2a"] });
  });

  it("exposes the NAT gateways by AZ", () => {
    expect(Object.keys(vpc.natGatewayIds)).toEqual(["us-west-2a", "us-west-2b"]);
  });
});

describe("Vpc: an existing VPC adopted by ID", () => {
  const adopted = privateSubnets.slice(0, 2).map((spec, i) => ({ ...spec, existingSubnetId: `subnet-0${i + 1}` }));
  const { vpc, json } = synth({
    name: "edge",
    cidr: "10.20.0.0/16",
    existingVpcId: "vpc-0abc",
    privateSubnets: adopted,
    publicSubnets: [{ availabilityZone: "us-west-2a", cidr: "10.20.128.0/24" }],
  });

  it("creates nothing: no VPC, subnet, route table or NAT egress (public subnets are for new VPCs only)", () => {
    expect(json.resource).toBeUndefined();
  });

  it("reads the VPC and checks its CIDR and DNS settings at plan time", () => {
    const [existing] = blocks(json, "data", "aws_vpc");
    expect(lookupBehind(json, existing.id)).toEqual({
      filter: [{ name: "vpc-id", values: ["vpc-0abc"] }],
      condition: "${(length(self.ids) == 1)}",
      errorMessage: expect.stringMatching(/^VPC vpc-0abc, given as network\.vpc\.id, was not found/),
    });
    const [cidrCheck, dnsCheck] = existing.lifecycle.postcondition;
    expect(cidrCheck.condition).toBe('${(self.cidr_block == "10.20.0.0/16")}');
    expect(cidrCheck.error_message).toContain("10.20.0.0/16");
    expect(dnsCheck.condition).toBe("${(self.enable_dns_support && self.enable_dns_hostnames)}");
  });

  it("reads each subnet and checks its VPC, CIDR and AZ, and that it is regional", () => {
    const subnets = blocks(json, "data", "aws_subnet");
    expect(subnets).toHaveLength(2);
    const readIds = subnets.map((s) => (lookupBehind(json, s.id)?.filter as any)?.[0]?.values?.[0]);
    expect(readIds.sort()).toEqual(adopted.map((spec) => spec.existingSubnetId).sort());
    const first = subnets.find((s) => (lookupBehind(json, s.id)?.filter as any)?.[0]?.values?.[0] === "subnet-01");
    const [placement, regional] = first.lifecycle.postcondition;
    expect(placement.condition).toBe(
      '${(((self.vpc_id == "vpc-0abc") && (self.cidr_block == "10.20.0.0/20")) && (self.availability_zone == "us-west-2a"))}',
    );
    expect(regional.condition).toBe('${(coalesce(self.outpost_arn, "regional") == "regional")}');
    expect(regional.error_message).toContain("subnet-01");
  });

  it("exposes the adopted VPC and subnets, with no route tables or NAT gateways", () => {
    expect(vpc.isExisting).toBe(true);
    expect(vpc.cidrBlock).toBe("10.20.0.0/16");
    expect(vpc.privateSubnets.map((s) => s.cidr)).toEqual(["10.20.0.0/20", "10.20.16.0/20"]);
    expect(vpc.privateRouteTableIds).toEqual([]);
    expect(vpc.natGatewayIds).toEqual({});
  });
});

describe("Vpc: construction errors", () => {
  it("refuses two private subnets in one AZ (subnets are keyed by AZ)", () => {
    expect(() =>
      synth({
        name: "edge",
        cidr: "10.20.0.0/16",
        privateSubnets: [
          { availabilityZone: "us-west-2a", cidr: "10.20.0.0/20" },
          { availabilityZone: "us-west-2a", cidr: "10.20.16.0/20" },
        ],
      }),
    ).toThrow(/There is already a Construct with name 'private-us-west-2a'/);
  });
});

describe("Vpc: subnet tags and public subnets (issue 23)", () => {
  const publicSubnets = [{ availabilityZone: "us-west-2a", cidr: "10.20.128.0/24" }];
  const { vpc, json } = synth({
    name: "edge",
    cidr: "10.20.0.0/16",
    privateSubnets,
    publicSubnets,
    privateSubnetTags: { "kubernetes.io/role/internal-elb": "1" },
    publicSubnetTags: { "kubernetes.io/role/elb": "1" },
  });
  const subnets = blocks(json, "resource", "aws_subnet");

  it("tags the private subnets and the public ones each with their own extra tags, keeping the Name", () => {
    const privateOnes = subnets.filter((subnet) => subnet.tags.Name.includes("-private-"));
    const publicOnes = subnets.filter((subnet) => subnet.tags.Name.includes("-public-"));
    expect(privateOnes).toHaveLength(3);
    for (const subnet of privateOnes) expect(subnet.tags).toEqual({ Name: subnet.tags.Name, "kubernetes.io/role/internal-elb": "1" });
    expect(publicOnes.map((subnet) => subnet.tags)).toEqual([{ Name: "edge-public-us-west-2a", "kubernetes.io/role/elb": "1" }]);
  });

  it("exposes the public subnets and their route table", () => {
    expect(vpc.publicSubnets.map((subnet) => [subnet.availabilityZone, subnet.cidr])).toEqual([["us-west-2a", "10.20.128.0/24"]]);
    expect(vpc.publicRouteTableId).toBeDefined();
  });

  it("has no public subnets without NAT egress", () => {
    expect(synth({ name: "edge", cidr: "10.20.0.0/16", privateSubnets }).vpc.publicSubnets).toEqual([]);
  });
});
