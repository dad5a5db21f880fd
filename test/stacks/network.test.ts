import { Blueprint } from "../../config";
import { BASE_INTERFACE_ENDPOINTS, interfaceEndpointServices, NETWORK_OUTPUTS } from "../../stacks";
import { byPath, dataSourcesOf, EXAMPLES, exampleWith, loadExample, resourceAt, resourcesOf, synthBlueprint, SynthResult } from "../helpers/synth";

type Json = Record<string, any>;


describe.each(EXAMPLES)("network stack of %s", (example) => {
  let blueprint: Blueprint;
  let synth: SynthResult;
  let stack: Json;

  beforeAll(async () => {
    blueprint = loadExample(example);
    synth = await synthBlueprint(blueprint);
    stack = synth.json("network");
  });
  afterAll(() => synth.dispose());

  it("has an explicit, relative backend", () => {
    const backend = stack.terraform.backend;
    expect(Object.keys(backend)).toEqual([blueprint.backend.type]);
    if (blueprint.backend.type === "local") {
      expect(backend.local.path).toBe("../../../terraform-state/network.tfstate");
    }
    expect(JSON.stringify(stack)).not.toContain(synth.outdir);
    expect(JSON.stringify(stack)).not.toMatch(/"\/(home|root|tmp|work)\//);
  });

  it("configures the AWS provider for the region with the common tags", () => {
    expect(stack.provider.aws).toEqual([
      expect.objectContaining({
        region: blueprint.region,
        default_tags: [{ tags: expect.objectContaining({ "outposts-eks:blueprint": blueprint.name }) }],
      }),
    ]);
  });

  it("creates or adopts the VPC with DNS support and hostnames", () => {
    if (blueprint.network.vpc.id) {
      expect(resourcesOf(stack, "aws_vpc")).toEqual({});
      const [vpc] = Object.values(dataSourcesOf(stack, "aws_vpc")) as Json[];
      expect(vpc.id).toBe(blueprint.network.vpc.id);
      expect(vpc.lifecycle.postcondition.map((c: Json) => c.condition)).toEqual([
        `\${(self.cidr_block == "${blueprint.network.vpc.cidr}")}`,
        "${(self.enable_dns_support && self.enable_dns_hostnames)}",
      ]);
    } else {
      const [vpc] = Object.values(resourcesOf(stack, "aws_vpc")) as Json[];
      expect(vpc).toMatchObject({ cidr_block: blueprint.network.vpc.cidr, enable_dns_support: true, enable_dns_hostnames: true });
      expect(Object.values(resourcesOf(stack, "aws_default_security_group"))).toHaveLength(1);
    }
  });

  it("has regional private subnets in at least two AZs, with no ELB role tag", () => {
    const zones = blueprint.network.regionalSubnets.map((s) => s.availabilityZone);
    expect(new Set(zones).size).toBeGreaterThanOrEqual(2);
    if (blueprint.network.vpc.id) {
      const adopted = dataSourcesOf(stack, "aws_subnet");
      for (const subnet of blueprint.network.regionalSubnets) {
        expect(Object.values(adopted).some((s: any) => s.id === subnet.id)).toBe(true);
      }
      return;
    }
    const subnets = byPath(resourcesOf(stack, "aws_subnet"));
    for (const spec of blueprint.network.regionalSubnets) {
      const subnet = subnets[`vpc/private-${spec.availabilityZone}`];
      expect(subnet).toMatchObject({ availability_zone: spec.availabilityZone, cidr_block: spec.cidr, map_public_ip_on_launch: false });
      expect(subnet.outpost_arn).toBeUndefined();
      expect(Object.keys(subnet.tags ?? {}).filter((key) => key.startsWith("kubernetes.io/role"))).toEqual([]);
    }
  });

  it("creates one subnet per Outpost, on the Outpost, in its AZ, checked against AWS at plan time", () => {
    const subnets = byPath(resourcesOf(stack, "aws_subnet"));
    const outpostData = byPath(dataSourcesOf(stack, "aws_outposts_outpost"));
    for (const outpost of blueprint.outposts) {
      expect(outpostData[`outpost-${outpost.name}/outpost`]).toEqual(expect.objectContaining({ arn: outpost.arn }));
      if (outpost.subnet.id) {
        const adopted = byPath(dataSourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/existing-subnet`];
        expect(adopted.id).toBe(outpost.subnet.id);
        expect(adopted.lifecycle.postcondition[0].condition).toContain(`self.outpost_arn == \\"${outpost.arn}\\"`.replace(/\\/g, ""));
        continue;
      }
      const subnet = subnets[`outpost-${outpost.name}/subnet`];
      expect(subnet).toMatchObject({
        outpost_arn: outpost.arn,
        availability_zone: outpost.availabilityZone,
        cidr_block: outpost.subnet.cidr,
        map_public_ip_on_launch: false,
        private_dns_hostname_type_on_launch: "ip-name",
      });
      const [azCheck, hardwareCheck] = subnet.lifecycle.precondition;
      expect(azCheck.condition).toMatch(
        new RegExp(`^\\$\\{\\(data\\.aws_outposts_outpost\\.[\\w-]+\\.availability_zone == "${outpost.availabilityZone}"\\)\\}$`),
      );
      expect(azCheck.error_message).toContain(outpost.availabilityZone);
      expect(hardwareCheck.condition).toContain(`supported_hardware_type == "${outpost.formFactor.toUpperCase()}"`);
    }
  });

  it("tags Outpost subnets for the Load Balancer Controller, the ELB role on racks only", () => {
    const subnets = byPath(resourcesOf(stack, "aws_subnet"));
    for (const outpost of blueprint.outposts.filter((o) => !o.subnet.id)) {
      const tags = subnets[`outpost-${outpost.name}/subnet`].tags;
      expect(tags[`kubernetes.io/cluster/${blueprint.name}`]).toBe("shared");
      if (outpost.formFactor === "rack") expect(tags["kubernetes.io/role/internal-elb"]).toBe("1");
      else expect(tags["kubernetes.io/role/internal-elb"]).toBeUndefined();
    }
  });

  it("associates each rack's LGW route table with the VPC and routes on-prem and other racks' CIDRs to the LGW, adopted subnets too", () => {
    const racks = blueprint.outposts.filter((o) => o.formFactor === "rack");
    const associations = byPath(resourcesOf(stack, "aws_ec2_local_gateway_route_table_vpc_association"));
    const routes = Object.values(resourcesOf(stack, "aws_route")) as Json[];
    expect(Object.keys(associations)).toHaveLength(racks.length);
    for (const rack of racks) {
      if (rack.formFactor !== "rack") continue;
      const association = associations[`outpost-${rack.name}-local-gateway/vpc-association`];
      expect(association.local_gateway_route_table_id).toBe(rack.localGatewayRouteTableId);
      expect(association.vpc_id).toMatch(/^\$\{(aws_vpc|data\.aws_vpc)\./);
      const lgwRoutes = routes.filter((r) => r["//"].metadata.path.startsWith(`network/outpost-${rack.name}-local-gateway/`));
      const otherRacks = blueprint.outposts.filter((o) => o.formFactor === "rack" && o.name !== rack.name).map((o) => o.subnet.cidr);
      expect(lgwRoutes.map((r) => r.destination_cidr_block).sort()).toEqual([...rack.onPremCidrs, ...otherRacks].sort());
      for (const route of lgwRoutes) {
        expect(route.local_gateway_id).toMatch(/^\$\{data\.aws_ec2_local_gateway_route_table\.[\w-]+\.local_gateway_id\}$/);
        expect(route.depends_on).toEqual([expect.stringMatching(/^aws_ec2_local_gateway_route_table_vpc_association\./)]);
        // A created subnet's own table, or an adopted subnet's, found by its association.
        expect(route.route_table_id).toMatch(
          rack.subnet.id
            ? new RegExp(`^\\$\\{data\\.aws_route_table\\.outpost-${rack.name}_existing-route-table_\\w+\\.id\\}$`)
            : new RegExp(`^\\$\\{aws_route_table\\.outpost-${rack.name}_route-table_\\w+\\.id\\}$`),
        );
      }
    }
  });

  it("sets LNI on server subnets that ask for it, and never on racks", () => {
    const subnets = byPath(resourcesOf(stack, "aws_subnet"));
    for (const outpost of blueprint.outposts.filter((o) => !o.subnet.id)) {
      const subnet = subnets[`outpost-${outpost.name}/subnet`];
      if (outpost.formFactor === "server") expect(subnet.enable_lni_at_device_index).toBe(outpost.lniDeviceIndex);
      else expect(subnet.enable_lni_at_device_index).toBeUndefined();
    }
  });

  it("creates interface endpoints with private DNS and an HTTPS-only security group in private mode", () => {
    const endpoints = byPath(resourcesOf(stack, "aws_vpc_endpoint"));
    if (blueprint.network.egress !== "private") {
      expect(endpoints).toEqual({});
      return;
    }
    const services = interfaceEndpointServices(blueprint);
    expect(services).toEqual(expect.arrayContaining([...BASE_INTERFACE_ENDPOINTS, "elasticloadbalancing", "autoscaling"]));
    expect(services.includes("eks")).toBe(blueprint.variant === "extended");
    for (const service of services) {
      expect(endpoints[`endpoints/${service}`]).toMatchObject({
        service_name: `com.amazonaws.${blueprint.region}.${service}`,
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
        security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\.endpoints_security-group/)],
      });
      expect(endpoints[`endpoints/${service}`].subnet_ids).toHaveLength(blueprint.network.regionalSubnets.length);
    }
    expect(endpoints["endpoints/s3"]).toMatchObject({ vpc_endpoint_type: "Gateway", service_name: `com.amazonaws.${blueprint.region}.s3` });
    // Every Outpost subnet's table, adopted ones included (their routing is managed by default).
    const outpostSubnets = blueprint.outposts.filter((o) => o.subnet.manageRouting).length;
    const regionalRouteTables = blueprint.network.vpc.id ? 0 : blueprint.network.regionalSubnets.length;
    expect(endpoints["endpoints/s3"].route_table_ids).toHaveLength(outpostSubnets + regionalRouteTables);

    const rules = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")) as Json[];
    expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual([blueprint.network.vpc.cidr, ...blueprint.outposts.map((o) => o.subnet.cidr)].sort());
    for (const rule of rules) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443 });
      expect(rule.referenced_security_group_id).toBeUndefined();
    }
  });

  it("creates public subnets, an internet gateway and NAT only for NAT egress on a new VPC", () => {
    const nat = Object.values(resourcesOf(stack, "aws_nat_gateway"));
    const igw = Object.values(resourcesOf(stack, "aws_internet_gateway"));
    if (blueprint.network.egress === "nat" && !blueprint.network.vpc.id) {
      expect(nat).toHaveLength(blueprint.network.publicSubnets.length);
      expect(igw).toHaveLength(1);
      const defaults = (Object.values(resourcesOf(stack, "aws_route")) as Json[]).filter((r) => r.destination_cidr_block === "0.0.0.0/0");
      // public route table, each regional private route table, each created Outpost subnet
      expect(defaults).toHaveLength(1 + blueprint.network.regionalSubnets.length + blueprint.outposts.filter((o) => !o.subnet.id).length);
    } else {
      expect(nat).toHaveLength(0);
      expect(igw).toHaveLength(0);
      expect((Object.values(resourcesOf(stack, "aws_route")) as Json[]).filter((r) => r.destination_cidr_block === "0.0.0.0/0")).toHaveLength(0);
    }
  });

  it("publishes every output of the contract under its fixed name", () => {
    expect(Object.keys(stack.output).sort()).toEqual(Object.values(NETWORK_OUTPUTS).map((o) => o.name).sort());
    for (const spec of Object.values(NETWORK_OUTPUTS)) expect(stack.output[spec.name].description).toBe(spec.description);
    expect(Object.keys(stack.output.outpost_subnet_ids.value).sort()).toEqual(blueprint.outposts.map((o) => o.name).sort());
    expect(stack.output.outpost_form_factors.value).toEqual(Object.fromEntries(blueprint.outposts.map((o) => [o.name, o.formFactor])));
    expect(stack.output.regional_subnet_ids.value).toHaveLength(blueprint.network.regionalSubnets.length);
  });
});

describe("network stack details", () => {
  it("pins the CoIP pool only with map-on-launch, and checks the pool's route table at plan time", async () => {
    const synth = await synthBlueprint(
      exampleWith("local-cluster.yaml", (raw) => {
        raw.outposts[0].localGatewayRouteTableMode = "coip";
        raw.outposts[0].coip = { poolId: "ipv4pool-coip-0a1b2c3d4e5f60718" };
      }),
    );
    try {
      const stack = synth.json("network");
      const rack = resourceAt(stack, "aws_subnet", "outpost-rack-1/subnet");
      expect(rack.customer_owned_ipv4_pool).toBeUndefined();
      expect(rack.tags["kubernetes.io/role/elb"]).toBe("1");
      const pool = Object.values(dataSourcesOf(stack, "aws_ec2_coip_pool")) as Json[];
      expect(pool).toHaveLength(1);
      expect(pool[0].lifecycle.postcondition[0].condition).toBe('${(self.local_gateway_route_table_id == "lgw-rtb-0c1d2e3f4a5b6c7d8")}');
    } finally {
      synth.dispose();
    }
  });
});
