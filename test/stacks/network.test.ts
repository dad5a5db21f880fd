import { Blueprint, Outpost, RackOutpost, ServerOutpost } from "../../config";
import { BASE_INTERFACE_ENDPOINTS, DISTRIBUTION_NETWORK_OUTPUTS, interfaceEndpointServices, NETWORK_OUTPUTS } from "../../stacks";
import { byPath, dataSourcesOf, EXAMPLES, exampleWith, loadExample, lookupBehind, only, resourceAt, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

/** The network stack as JSON, and the directory it was synthesized in (gone by the time tests run). */
async function networkOf(blueprint: Blueprint): Promise<{ stack: Json; outdir: string }> {
  const synth = await synthBlueprint(blueprint);
  try {
    return { stack: synth.json("network"), outdir: synth.outdir };
  } finally {
    synth.dispose();
  }
}

const BLUEPRINTS = new Map(EXAMPLES.map((example) => [example, loadExample(example)]));
const NETWORK_STACKS = new Map<string, Promise<{ stack: Json; outdir: string }>>();

/** The example's network stack, synthesized once for the whole file. */
function exampleNetwork(example: string): Promise<{ stack: Json; outdir: string }> {
  if (!NETWORK_STACKS.has(example)) NETWORK_STACKS.set(example, networkOf(BLUEPRINTS.get(example)!));
  return NETWORK_STACKS.get(example)!;
}

/** The examples whose blueprint matches. */
const examplesWhere = (matches: (blueprint: Blueprint) => boolean) => EXAMPLES.filter((example) => matches(BLUEPRINTS.get(example)!));

/** The outputs a network-only blueprint publishes beyond the contract (issue 23). */
function distributionOutputs(blueprint: Blueprint): string[] {
  const out = DISTRIBUTION_NETWORK_OUTPUTS;
  const shared = [out.region, out.distribution, out.publicSubnetIds, out.outpostMtu];
  if (blueprint.distribution === "openshift") return [...shared, out.clusterNetworkMtu, out.computeInstanceType].map((o) => o.name);
  if (blueprint.distribution === "hypershift") return [...shared, out.hypershiftInfraJson, out.hypershiftWorkerSecurityGroupId].map((o) => o.name);
  return [];
}

/** The Outposts of every example that match, as [example, Outpost] cases. */
function outpostCases(matches: (outpost: Outpost) => boolean): Array<[string, string]> {
  return EXAMPLES.flatMap((example) =>
    BLUEPRINTS.get(example)!
      .outposts.filter(matches)
      .map((outpost): [string, string] => [example, outpost.name]),
  );
}

/** One case's synthesized stack and blueprint, with its Outpost. */
async function outpostCase(example: string, name: string) {
  const blueprint = BLUEPRINTS.get(example)!;
  const { stack } = await exampleNetwork(example);
  return { blueprint, outpost: blueprint.outposts.find((o) => o.name === name)!, stack };
}

const LOCAL_BACKEND_EXAMPLES = examplesWhere((blueprint) => blueprint.backend.type === "local");
const ADOPTED_VPC_EXAMPLES = examplesWhere((blueprint) => blueprint.network.vpc.id !== undefined);
const CREATED_VPC_EXAMPLES = examplesWhere((blueprint) => blueprint.network.vpc.id === undefined);
const PRIVATE_EGRESS_EXAMPLES = examplesWhere((blueprint) => blueprint.network.egress === "private");
const NON_PRIVATE_EGRESS_EXAMPLES = examplesWhere((blueprint) => blueprint.network.egress !== "private");
const hasNat = (blueprint: Blueprint) => blueprint.network.egress === "nat" && !blueprint.network.vpc.id;
const NAT_EXAMPLES = examplesWhere(hasNat);
const NON_NAT_EXAMPLES = examplesWhere((blueprint) => !hasNat(blueprint));
const ADOPTED_OUTPOST_SUBNETS = outpostCases((outpost) => outpost.subnet.id !== undefined);
const CREATED_OUTPOST_SUBNETS = outpostCases((outpost) => outpost.subnet.id === undefined);
const CREATED_RACK_SUBNETS = outpostCases((outpost) => outpost.subnet.id === undefined && outpost.formFactor === "rack");
const CREATED_SERVER_SUBNETS = outpostCases((outpost) => outpost.subnet.id === undefined && outpost.formFactor === "server");

describe("network case tables", () => {
  it.each([
    ["examples with a local backend", LOCAL_BACKEND_EXAMPLES],
    ["examples adopting a VPC", ADOPTED_VPC_EXAMPLES],
    ["examples creating their VPC", CREATED_VPC_EXAMPLES],
    ["examples with private egress", PRIVATE_EGRESS_EXAMPLES],
    ["examples without private egress", NON_PRIVATE_EGRESS_EXAMPLES],
    ["examples with NAT on a new VPC", NAT_EXAMPLES],
    ["examples without NAT on a new VPC", NON_NAT_EXAMPLES],
    ["adopted Outpost subnets", ADOPTED_OUTPOST_SUBNETS],
    ["created Outpost subnets", CREATED_OUTPOST_SUBNETS],
    ["created rack subnets", CREATED_RACK_SUBNETS],
    ["created server subnets", CREATED_SERVER_SUBNETS],
  ] as Array<[string, unknown[]]>)("has %s among the examples", (_, cases) => {
    expect(cases.length).toBeGreaterThan(0);
  });
});

describe.each(EXAMPLES)("network stack of %s", (example) => {
  const blueprint = BLUEPRINTS.get(example)!;
  let stack: Json;
  let outdir: string;

  beforeAll(async () => {
    ({ stack, outdir } = await exampleNetwork(example));
  });

  it("has an explicit, relative backend", () => {
    const backend = stack.terraform.backend;
    expect(Object.keys(backend)).toEqual([blueprint.backend.type]);
    expect(JSON.stringify(stack)).not.toContain(outdir);
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

  it("has regional private subnets in at least two AZs", () => {
    const zones = blueprint.network.regionalSubnets.map((s) => s.availabilityZone);
    expect(new Set(zones).size).toBeGreaterThanOrEqual(2);
  });

  it("reads every Outpost, by ARN", () => {
    const outpostData = byPath(dataSourcesOf(stack, "aws_outposts_outpost"));
    for (const outpost of blueprint.outposts) {
      expect(outpostData[`outpost-${outpost.name}/outpost`]).toEqual(expect.objectContaining({ arn: outpost.arn }));
    }
  });

  it("associates each rack's LGW route table with the VPC and routes on-prem and other racks' CIDRs to the LGW, adopted subnets too", () => {
    const racks = blueprint.outposts.filter((o): o is RackOutpost => o.formFactor === "rack");
    const associations = byPath(resourcesOf(stack, "aws_ec2_local_gateway_route_table_vpc_association"));
    const routes = Object.values(resourcesOf(stack, "aws_route")) as Json[];
    expect(Object.keys(associations)).toHaveLength(racks.length);
    for (const rack of racks) {
      const association = associations[`outpost-${rack.name}-local-gateway/vpc-association`];
      expect(association.local_gateway_route_table_id).toBe(rack.localGatewayRouteTableId);
      expect(association.vpc_id).toMatch(/^\$\{(aws_vpc|data\.aws_vpc)\./);
      const lgwRoutes = routes.filter((r) => r["//"].metadata.path.startsWith(`network/outpost-${rack.name}-local-gateway/`));
      const otherRacks = racks.filter((o) => o.name !== rack.name).map((o) => o.subnet.cidr);
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

  it("publishes every output of the contract under its fixed name", () => {
    expect(Object.keys(stack.output).sort()).toEqual([...Object.values(NETWORK_OUTPUTS).map((o) => o.name), ...distributionOutputs(blueprint)].sort());
    for (const spec of Object.values(NETWORK_OUTPUTS)) expect(stack.output[spec.name].description).toBe(spec.description);
    expect(Object.keys(stack.output.outpost_subnet_ids.value).sort()).toEqual(blueprint.outposts.map((o) => o.name).sort());
    expect(stack.output.outpost_form_factors.value).toEqual(Object.fromEntries(blueprint.outposts.map((o) => [o.name, o.formFactor])));
    expect(stack.output.regional_subnet_ids.value).toHaveLength(blueprint.network.regionalSubnets.length);
  });
});

describe("network backend", () => {
  it.each(LOCAL_BACKEND_EXAMPLES)("keeps the local state path relative: %s", async (example) => {
    const { stack } = await exampleNetwork(example);
    expect(stack.terraform.backend.local.path).toBe("../../../terraform-state/network.tfstate");
  });
});

describe("network VPC", () => {
  it.each(ADOPTED_VPC_EXAMPLES)("adopts the VPC of %s, checking its CIDR, DNS support and hostnames at plan time", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    expect(resourcesOf(stack, "aws_vpc")).toEqual({});
    const [vpc] = Object.values(dataSourcesOf(stack, "aws_vpc")) as Json[];
    expect(lookupBehind(stack, vpc.id)?.filter).toEqual([{ name: "vpc-id", values: [blueprint.network.vpc.id] }]);
    expect(vpc.lifecycle.postcondition.map((c: Json) => c.condition)).toEqual([
      `\${(self.cidr_block == "${blueprint.network.vpc.cidr}")}`,
      "${(self.enable_dns_support && self.enable_dns_hostnames)}",
    ]);
  });

  it.each(CREATED_VPC_EXAMPLES)("creates the VPC of %s with DNS support and hostnames", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    const [vpc] = Object.values(resourcesOf(stack, "aws_vpc")) as Json[];
    expect(vpc).toMatchObject({ cidr_block: blueprint.network.vpc.cidr, enable_dns_support: true, enable_dns_hostnames: true });
    expect(Object.values(resourcesOf(stack, "aws_default_security_group"))).toHaveLength(1);
  });

  it.each(ADOPTED_VPC_EXAMPLES)("adopts every regional subnet of %s", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    const adopted = dataSourcesOf(stack, "aws_subnet");
    for (const subnet of blueprint.network.regionalSubnets) {
      expect(Object.values(adopted).map((s: any) => lookupBehind(stack, s.id)?.filter)).toContainEqual([{ name: "subnet-id", values: [subnet.id] }]);
    }
  });

  it.each(CREATED_VPC_EXAMPLES.filter((example) => BLUEPRINTS.get(example)!.distribution === "eks"))("creates the regional private subnets of %s, with no ELB role tag", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    const subnets = byPath(resourcesOf(stack, "aws_subnet"));
    for (const spec of blueprint.network.regionalSubnets) {
      const subnet = subnets[`vpc/private-${spec.availabilityZone}`];
      expect(subnet).toMatchObject({ availability_zone: spec.availabilityZone, cidr_block: spec.cidr, map_public_ip_on_launch: false });
      expect(subnet.outpost_arn).toBeUndefined();
      expect(Object.keys(subnet.tags ?? {}).filter((key) => key.startsWith("kubernetes.io/role"))).toEqual([]);
    }
  });
});

describe("network Outpost subnets", () => {
  it.each(ADOPTED_OUTPOST_SUBNETS)("adopts the subnet, checked to lie on the Outpost: %s, Outpost %s", async (example, name) => {
    const { outpost, stack } = await outpostCase(example, name);
    const adopted = byPath(dataSourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/existing-subnet`];
    expect(lookupBehind(stack, adopted.id)?.filter).toEqual([{ name: "subnet-id", values: [outpost.subnet.id] }]);
    expect(adopted.lifecycle.postcondition[0].condition).toContain(`self.outpost_arn == \\"${outpost.arn}\\"`.replace(/\\/g, ""));
  });

  it.each(CREATED_OUTPOST_SUBNETS)("creates the subnet on the Outpost, in its AZ, checked against AWS at plan time: %s, Outpost %s", async (example, name) => {
    const { outpost, stack } = await outpostCase(example, name);
    const subnet = byPath(resourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/subnet`];
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
  });

  it.each(CREATED_OUTPOST_SUBNETS.filter(([example]) => BLUEPRINTS.get(example)!.distribution === "eks"))("tags the subnet for the Load Balancer Controller: %s, Outpost %s", async (example, name) => {
    const { blueprint, outpost, stack } = await outpostCase(example, name);
    const tags = byPath(resourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/subnet`].tags;
    expect(tags[`kubernetes.io/cluster/${blueprint.name}`]).toBe("shared");
  });

  it.each(CREATED_RACK_SUBNETS)("gives a rack subnet the ELB role: %s, Outpost %s", async (example, name) => {
    const { outpost, stack } = await outpostCase(example, name);
    const tags = byPath(resourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/subnet`].tags;
    expect(tags["kubernetes.io/role/internal-elb"]).toBe("1");
  });

  it.each(CREATED_SERVER_SUBNETS)("gives a server subnet no ELB role: %s, Outpost %s", async (example, name) => {
    const { outpost, stack } = await outpostCase(example, name);
    const tags = byPath(resourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/subnet`].tags;
    expect(tags["kubernetes.io/role/internal-elb"]).toBeUndefined();
  });

  it.each(CREATED_SERVER_SUBNETS)("sets LNI on a server subnet that asks for it: %s, Outpost %s", async (example, name) => {
    const { outpost, stack } = await outpostCase(example, name);
    const subnet = byPath(resourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/subnet`];
    expect(subnet.enable_lni_at_device_index).toBe((outpost as ServerOutpost).lniDeviceIndex);
  });

  it.each(CREATED_RACK_SUBNETS)("never sets LNI on a rack subnet: %s, Outpost %s", async (example, name) => {
    const { outpost, stack } = await outpostCase(example, name);
    const subnet = byPath(resourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/subnet`];
    expect(subnet.enable_lni_at_device_index).toBeUndefined();
  });
});

describe("network egress", () => {
  it.each(PRIVATE_EGRESS_EXAMPLES)("creates interface endpoints with private DNS and an HTTPS-only security group in private mode: %s", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    const endpoints = byPath(resourcesOf(stack, "aws_vpc_endpoint"));
    const services = interfaceEndpointServices(blueprint);
    expect(services).toEqual(expect.arrayContaining([...BASE_INTERFACE_ENDPOINTS, "elasticloadbalancing", "autoscaling"]));
    expect(services.includes("eks")).toBe(blueprint.variant === "extended");
    // A local cluster's endpoints sit in the rack's parent AZ only (EKS UG, local cluster VPC requirements).
    const endpointZones = blueprint.variant === "local" ? [blueprint.outposts[0].availabilityZone] : blueprint.network.regionalSubnets.map((subnet) => subnet.availabilityZone);
    for (const service of services) {
      expect(endpoints[`endpoints/${service}`]).toMatchObject({
        service_name: `com.amazonaws.${blueprint.region}.${service}`,
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
        security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\.endpoints_security-group/)],
      });
      expect(endpoints[`endpoints/${service}`].subnet_ids).toHaveLength(endpointZones.length);
      for (const zone of endpointZones) expect(endpoints[`endpoints/${service}`].subnet_ids).toContainEqual(expect.stringContaining(`private-${zone}`));
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

  it.each(NON_PRIVATE_EGRESS_EXAMPLES)("creates no VPC endpoints outside private mode: %s", async (example) => {
    const { stack } = await exampleNetwork(example);
    expect(byPath(resourcesOf(stack, "aws_vpc_endpoint"))).toEqual({});
  });

  it.each(NAT_EXAMPLES)("creates public subnets, an internet gateway and NAT for NAT egress on a new VPC: %s", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    expect(Object.values(resourcesOf(stack, "aws_nat_gateway"))).toHaveLength(blueprint.network.publicSubnets.length);
    expect(Object.values(resourcesOf(stack, "aws_internet_gateway"))).toHaveLength(1);
    const defaults = (Object.values(resourcesOf(stack, "aws_route")) as Json[]).filter((r) => r.destination_cidr_block === "0.0.0.0/0");
    // public route table, each regional private route table, each created Outpost subnet
    expect(defaults).toHaveLength(1 + blueprint.network.regionalSubnets.length + blueprint.outposts.filter((o) => !o.subnet.id).length);
  });

  it.each(NON_NAT_EXAMPLES)("creates no internet gateway, NAT or default route without NAT egress on a new VPC: %s", async (example) => {
    const { stack } = await exampleNetwork(example);
    expect(Object.values(resourcesOf(stack, "aws_nat_gateway"))).toHaveLength(0);
    expect(Object.values(resourcesOf(stack, "aws_internet_gateway"))).toHaveLength(0);
    expect((Object.values(resourcesOf(stack, "aws_route")) as Json[]).filter((r) => r.destination_cidr_block === "0.0.0.0/0")).toHaveLength(0);
  });
});

describe("network name resolution", () => {
  const NODE_FORWARDING = EXAMPLES.filter((example) => BLUEPRINTS.get(example)!.dns.onPremDomains.length > 0 && BLUEPRINTS.get(example)!.dns.forwarding === "nodes");

  it("has an example whose nodes forward on-premises domains themselves", () => {
    expect(NODE_FORWARDING.length).toBeGreaterThan(0);
  });

  it.each(NODE_FORWARDING)("builds no Resolver endpoint for %s, whose nodes ask the site's servers themselves", async (example) => {
    const { stack } = await exampleNetwork(example);
    expect(resourcesOf(stack, "aws_route53_resolver_endpoint")).toEqual({});
    expect(stack.output.dns_resolver_endpoint_id.value).toBe("");
  });

  it("forwards from every regional subnet through a Resolver endpoint where the Region reaches the servers, and publishes the endpoint", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["192.168.10.53"] }], forwarding: "resolverEndpoint", serversReachableFromRegion: true };
    });
    const synth = await synthBlueprint(blueprint);
    try {
      const stack = synth.json("network");
      const endpoint = only(resourcesOf(stack, "aws_route53_resolver_endpoint"));
      expect(endpoint.direction).toBe("OUTBOUND");
      expect(endpoint.ip_address).toHaveLength(blueprint.network.regionalSubnets.length);
      expect((Object.values(resourcesOf(stack, "aws_route53_resolver_rule")) as Json[]).map((rule) => rule.domain_name)).toEqual(["site.example.internal"]);
      expect(Object.values(resourcesOf(stack, "aws_route53_resolver_rule_association"))).toHaveLength(1);
      expect(stack.output.dns_resolver_endpoint_id.value).toMatch(/^\$\{aws_route53_resolver_endpoint\./);
    } finally {
      synth.dispose();
    }
  });

  it("creates nothing for DNS, and publishes empty outputs, without on-premises domains or private zones", async () => {
    const plain = EXAMPLES.find((example) => BLUEPRINTS.get(example)!.dns.onPremDomains.length === 0 && BLUEPRINTS.get(example)!.dns.privateHostedZones.length === 0)!;
    const { stack } = await exampleNetwork(plain);
    expect(resourcesOf(stack, "aws_route53_resolver_endpoint")).toEqual({});
    expect(stack.output.dns_resolver_endpoint_id.value).toBe("");
    expect(stack.output.private_hosted_zone_ids.value).toEqual({});
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

describe("network-only blueprints (issue 23)", () => {
  const NETWORK_ONLY = examplesWhere((blueprint) => blueprint.distribution !== "eks");

  it("has an OpenShift and a HyperShift example", () => {
    expect(NETWORK_ONLY.map((example) => BLUEPRINTS.get(example)!.distribution).sort()).toEqual(["hypershift", "openshift"]);
  });

  it.each(NETWORK_ONLY)("%s: tags each Outpost subnet kubernetes.io/cluster/unmanaged, so the cloud provider puts no Service load balancer there", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    for (const outpost of blueprint.outposts) {
      const tags = byPath(resourcesOf(stack, "aws_subnet"))[`outpost-${outpost.name}/subnet`].tags;
      expect(tags["kubernetes.io/cluster/unmanaged"]).toBe("true");
      expect(tags[`kubernetes.io/cluster/${blueprint.name}`]).toBeUndefined();
      // ALBs run on racks, named by the Ingress; never an NLB or CLB.
      if (outpost.formFactor === "rack") expect(tags["kubernetes.io/role/internal-elb"]).toBe("1");
    }
  });

  it.each(NETWORK_ONLY)("%s: gives the regional subnets the ELB roles, internal on the private ones and internet-facing on the public ones", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const subnets = byPath(resourcesOf((await exampleNetwork(example)).stack, "aws_subnet"));
    for (const spec of blueprint.network.regionalSubnets) expect(subnets[`vpc/private-${spec.availabilityZone}`].tags["kubernetes.io/role/internal-elb"]).toBe("1");
    for (const spec of blueprint.network.publicSubnets) expect(subnets[`vpc/public-${spec.availabilityZone}`].tags["kubernetes.io/role/elb"]).toBe("1");
  });

  it.each(NETWORK_ONLY)("%s: publishes the region, the public subnets and the Outpost MTU, and creates no image repository", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const { stack } = await exampleNetwork(example);
    expect(stack.output.region.value).toBe(blueprint.region);
    expect(stack.output.distribution.value).toBe(blueprint.distribution);
    expect(stack.output.public_subnet_ids.value).toHaveLength(blueprint.network.publicSubnets.length);
    expect(stack.output.outpost_mtu.value).toBe(1300);
    expect(resourcesOf(stack, "aws_ecr_repository")).toEqual({});
  });

  it("OpenShift: publishes the cluster network MTU (1300 less OVN-Kubernetes' 100) and the compute instance type", async () => {
    const { stack } = await exampleNetwork("openshift-outposts.yaml");
    expect(stack.output.openshift_cluster_network_mtu.value).toBe(1200);
    expect(stack.output.openshift_compute_instance_type.value).toBe("m5.xlarge");
  });

  describe("HyperShift (seed 003)", () => {
    const example = "hypershift-outposts.yaml";
    let stack: Json;
    beforeAll(async () => ({ stack } = await exampleNetwork(example)));

    it("creates the hosted cluster account's VPC, public subnet, internet gateway, Elastic IP, NAT gateway and both route tables", () => {
      expect(Object.values(resourcesOf(stack, "aws_vpc"))).toHaveLength(1);
      expect(Object.values(resourcesOf(stack, "aws_internet_gateway"))).toHaveLength(1);
      expect(Object.values(resourcesOf(stack, "aws_eip"))).toHaveLength(1);
      expect(Object.values(resourcesOf(stack, "aws_nat_gateway"))).toHaveLength(1);
      const tables = Object.keys(byPath(resourcesOf(stack, "aws_route_table")));
      expect(tables).toEqual(expect.arrayContaining(["vpc/public-routes", "vpc/private-us-east-2a-routes"]));
    });

    it("creates the DHCP options set of the Region's domain and AmazonProvidedDNS", () => {
      const [options] = Object.values(resourcesOf(stack, "aws_vpc_dhcp_options")) as Json[];
      expect(options).toMatchObject({ domain_name: "us-east-2.compute.internal", domain_name_servers: ["AmazonProvidedDNS"] });
      expect(Object.values(resourcesOf(stack, "aws_vpc_dhcp_options_association"))).toHaveLength(1);
    });

    it("creates the private zone <name>.<baseDomain> and <name>.hypershift.local, both on the VPC", () => {
      const zones = Object.values(resourcesOf(stack, "aws_route53_zone")) as Json[];
      expect(zones.map((zone) => zone.name).sort()).toEqual(["hcp-edge.example.com", "hcp-edge.hypershift.local"]);
      for (const zone of zones) expect(zone.vpc).toHaveLength(1);
    });

    it("creates the worker security group without the cluster tag HyperShift's default group is found by, and tags the VPC with the infra ID", () => {
      const [group] = Object.values(resourcesOf(stack, "aws_security_group")) as Json[];
      expect(group).toMatchObject({ name: "hcp-edge-worker-sg", tags: { Name: "hcp-edge-worker-sg" } });
      expect(group.tags["kubernetes.io/cluster/hcp-edge"]).toBeUndefined();
      const [vpc] = Object.values(resourcesOf(stack, "aws_vpc")) as Json[];
      expect(vpc.tags["kubernetes.io/cluster/hcp-edge"]).toBe("shared");
    });

    it("publishes hypershift_infra_json with CreateInfraOutput's field names, in their order", () => {
      const value: string = stack.output.hypershift_infra_json.value;
      expect(value).toMatch(/^\$\{jsonencode\(/);
      const fields = [...value.matchAll(/"([A-Za-z]+)" ?[=:]/g)].map((m) => m[1]).filter((name) => !["name", "subnetID"].includes(name));
      expect(fields).toEqual([
        "region", "zone", "infraID", "machineCIDR", "vpcID", "zones", "Name", "baseDomain", "baseDomainPrefix", "publicZoneID", "privateZoneID",
        "localZoneID", "proxyAddr", "secureProxyAddr", "proxyPrivateSSHKey", "publicOnly", "proxyCA", "vpcCreatorAccountID", "clusterAccountID",
      ]);
    });
  });
});
