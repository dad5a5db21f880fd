/**
 * The network model as a pure function: for each shape of blueprint, the paths between Outposts,
 * the routes each rack sends to its local gateway, and the blueprints the rules reject.
 */
import { BlueprintConfigError, BlueprintProblem, defaultServiceCidr, networkModel, validateBlueprint } from "../../config";
import { rawExample } from "../helpers/synth";

type Raw = Record<string, any>;

/** A rack `rack-<i>` with its own /24 in 10.0.0.0/16, an on-prem network, in us-west-2a or 2b. */
function rack(i: number, extra: Raw = {}): Raw {
  const hex = i.toString(16).padStart(17, "0");
  return {
    name: `rack-${i}`,
    arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${hex}`,
    formFactor: "rack",
    availabilityZone: i % 2 === 0 ? "us-west-2a" : "us-west-2b",
    subnet: { cidr: `10.0.${10 + i}.0/24` },
    localGatewayRouteTableId: `lgw-rtb-${hex}`,
    onPremCidrs: ["192.168.0.0/16"],
    ...extra,
  };
}

function server(i: number): Raw {
  const hex = (1000 + i).toString(16).padStart(17, "0");
  return {
    name: `server-${i}`,
    arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${hex}`,
    formFactor: "server",
    availabilityZone: "us-west-2a",
    subnet: { cidr: `10.0.${100 + i}.0/24` },
  };
}

/** The default example with its Outposts replaced, one node group per Outpost. */
function blueprintWith(outposts: Raw[]): Raw {
  const raw = structuredClone(rawExample("extended-racks.yaml"));
  raw.outposts = outposts;
  raw.nodeGroups = outposts.map((outpost) => ({ name: `${outpost.name}-nodes`, outpost: outpost.name, instanceType: "m5.xlarge" }));
  return raw;
}

function problemsOf(raw: Raw): BlueprintProblem[] {
  try {
    validateBlueprint(raw);
    return [];
  } catch (error) {
    if (error instanceof BlueprintConfigError) return [...error.problems];
    throw error;
  }
}

describe.each([1, 2, 3, 8, 16])("%i racks with direct VPC routing", (count) => {
  const racks = Array.from({ length: count }, (_, i) => rack(i));
  const blueprint = validateBlueprint(blueprintWith(racks));
  const model = networkModel(blueprint);

  it("finds a path between every pair of racks", () => {
    expect(model.outpostPaths).toHaveLength((count * (count - 1)) / 2);
    expect(model.outpostPaths.every((path) => path.reachable)).toBe(true);
  });

  it("routes on-prem and every other rack's subnet to each rack's local gateway", () => {
    for (const site of model.sites) {
      const others = model.sites.filter((other) => other.name !== site.name).map((other) => other.subnetCidr);
      expect(model.localGatewayRoutes[site.name]).toEqual(["192.168.0.0/16", ...others]);
    }
  });

  it("opens the nodes' security group to every rack's subnet", () => {
    expect(Object.values(model.nodeCidrs)).toEqual(racks.map((r) => r.subnet.cidr));
  });
});

describe("shapes the rules reject", () => {
  it("a rack and a server: no path, naming both ends and why", () => {
    const problems = problemsOf(blueprintWith([rack(0), server(0)]));
    expect(problems).toEqual([
      {
        path: "outposts[rack-0] ↔ outposts[server-0]",
        value: undefined,
        relation: true,
        message: "no path; servers have no local gateway, and traffic between Outposts cannot pass through the Region",
      },
    ]);
    expect(() => validateBlueprint(blueprintWith([rack(0), server(0)]), "b.yaml")).toThrow(
      "  - outposts[rack-0] ↔ outposts[server-0]: no path; servers have no local gateway, and traffic between Outposts cannot pass through the Region",
    );
  });

  it("two servers: no path", () => {
    expect(problemsOf(blueprintWith([server(0), server(1)])).map((p) => p.path)).toEqual(["outposts[server-0] ↔ outposts[server-1]"]);
  });

  it("three racks, one in coip mode: the two pairs that need its private IPs", () => {
    const problems = problemsOf(blueprintWith([rack(0), rack(1, { localGatewayRouteTableMode: "coip" }), rack(2)]));
    expect(problems.map((p) => p.path)).toEqual(["outposts[rack-0] ↔ outposts[rack-1]", "outposts[rack-1] ↔ outposts[rack-2]"]);
    expect(problems[0].message).toBe("no path; the local gateway route table of rack-1 is in coip mode, which does not route the VPC's private IPs between racks");
  });

  it("lists the first 20 pairs without a path, then counts the rest, in linear time", () => {
    const outposts = [rack(0), ...Array.from({ length: 40 }, (_, i) => server(i))];
    const problems = problemsOf(blueprintWith(outposts)).filter((p) => p.relation || p.path === "outposts");
    expect(problems.filter((p) => p.relation)).toHaveLength(20);
    expect(problems.filter((p) => p.relation).slice(0, 2).map((p) => p.path)).toEqual(["outposts[rack-0] ↔ outposts[server-0]", "outposts[rack-0] ↔ outposts[server-1]"]);
    // 41 Outposts make 820 pairs, none with a path.
    expect(problems.find((p) => p.path === "outposts")?.message).toMatch(/^has 820 pairs of Outposts without a path between them \(the first 20 are listed\)/);
  });

  it("accepts one server alone, and one coip rack alone", () => {
    expect(problemsOf(blueprintWith([server(0)]))).toEqual([]);
    expect(problemsOf(blueprintWith([rack(0, { localGatewayRouteTableMode: "coip" })]))).toEqual([]);
  });
});

describe("adopted subnets", () => {
  it("are routed like created ones, unless their owner keeps the routing", () => {
    const raw = structuredClone(rawExample("existing-vpc.yaml"));
    const managed = networkModel(validateBlueprint(raw));
    expect(managed.sites.map((site) => [site.name, site.adopted, site.routesManaged])).toEqual([
      ["rack-a", false, true],
      ["rack-b", true, true],
    ]);
    expect(managed.localGatewayRoutes["rack-b"]).toEqual(["10.30.64.0/22"]);
    expect(managed.localGatewayRoutes["rack-a"]).toEqual(["10.200.0.0/16", "10.30.68.0/22"]);
    raw.outposts[1].subnet.manageRouting = false;
    expect(networkModel(validateBlueprint(raw)).sites[1].routesManaged).toBe(false);
  });
});

describe("the service CIDR EKS picks when none is given", () => {
  it("is 172.20.0.0/16 for a VPC in 10.0.0.0/8, 10.100.0.0/16 otherwise", () => {
    expect(defaultServiceCidr("10.0.0.0/16")).toBe("172.20.0.0/16");
    expect(defaultServiceCidr("172.31.0.0/16")).toBe("10.100.0.0/16");
    expect(defaultServiceCidr("192.168.0.0/20")).toBe("10.100.0.0/16");
  });
});
