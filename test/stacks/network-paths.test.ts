/**
 * The routes and security-group rules the stacks synthesize come from the network model: every
 * pair of racks routes both ways, adopted subnets are routed or checked, created VPCs log flows, and
 * adding an Outpost grows every other Outpost's routes and the nodes' rules.
 */
import { Blueprint } from "../../config";
import { byPath, dataSourcesOf, EXAMPLES, exampleWith, loadExample, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

async function stacksOf(blueprint: Blueprint): Promise<{ network: Json; workers?: Json }> {
  const synth = await synthBlueprint(blueprint);
  try {
    // A network-only blueprint (distribution openshift or hypershift) has no workers stack.
    return { network: synth.json("network"), workers: synth.stackNames.includes("workers") ? synth.json("workers") : undefined };
  } finally {
    synth.dispose();
  }
}

/** Destinations routed to a local gateway, by the rack whose subnet routes them. */
function localGatewayRoutes(network: Json): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const route of Object.values(resourcesOf(network, "aws_route")) as Json[]) {
    const rack = /^network\/outpost-([\w-]+)-local-gateway\//.exec(route["//"].metadata.path)?.[1];
    if (rack === undefined) continue;
    expect(route.local_gateway_id).toMatch(/local_gateway_id\}$/);
    (routes[rack] ??= []).push(route.destination_cidr_block);
  }
  return Object.fromEntries(Object.entries(routes).map(([rack, cidrs]) => [rack, cidrs.sort()]));
}

/** Source CIDRs of the nodes' all-traffic and DNS rules, by Outpost key. */
function nodeRuleSources(workers: Json): string[] {
  return (Object.values(resourcesOf(workers, "aws_vpc_security_group_ingress_rule")) as Json[])
    .filter((rule) => /\/nodes-from-/.test(rule["//"].metadata.path))
    .map((rule) => rule.cidr_ipv4)
    .sort();
}

describe.each(EXAMPLES)("network paths of %s", (example) => {
  let blueprint: Blueprint;
  let network: Json;

  beforeAll(async () => {
    blueprint = loadExample(example);
    ({ network } = await stacksOf(blueprint));
  });

  it("routes every pair of racks both ways through their local gateways", () => {
    const racks = blueprint.outposts.filter((outpost) => outpost.formFactor === "rack");
    const routes = localGatewayRoutes(network);
    for (const a of racks) {
      for (const b of racks.filter((other) => other.name !== a.name)) {
        expect(routes[a.name]).toContain(b.subnet.cidr);
        expect(routes[b.name]).toContain(a.subnet.cidr);
      }
      if (a.formFactor === "rack") for (const onPrem of a.onPremCidrs) expect(routes[a.name]).toContain(onPrem);
    }
  });

});

const CREATED_VPCS = EXAMPLES.filter((example) => loadExample(example).network.vpc.id === undefined);
const ADOPTED_VPCS = EXAMPLES.filter((example) => loadExample(example).network.vpc.id !== undefined);

describe("flow logs", () => {
  it("cover examples of both kinds", () => {
    expect(CREATED_VPCS.length).toBeGreaterThan(0);
    expect(ADOPTED_VPCS.length).toBeGreaterThan(0);
  });

  it.each(ADOPTED_VPCS)("%s: an adopted VPC keeps its own", async (example) => {
    expect(resourcesOf((await stacksOf(loadExample(example))).network, "aws_flow_log")).toEqual({});
  });

  it.each(CREATED_VPCS)("%s: a created VPC logs its flows to CloudWatch with the configured retention", async (example) => {
    const blueprint = loadExample(example);
    const { network } = await stacksOf(blueprint);
    const flowLogs = Object.values(resourcesOf(network, "aws_flow_log")) as Json[];
    expect(flowLogs).toEqual([
      expect.objectContaining({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs", vpc_id: expect.stringMatching(/^\$\{aws_vpc\./) }),
    ]);
    const group = byPath(resourcesOf(network, "aws_cloudwatch_log_group"))["flow-logs/log-group"];
    expect(group).toMatchObject({ name: `/aws/vpc/flow-logs/${blueprint.name}`, retention_in_days: blueprint.network.flowLogs.retentionDays });
    const trust = byPath(dataSourcesOf(network, "aws_iam_policy_document"))["flow-logs/trust"];
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }]);
    // Against the confused deputy: only flow logs of this account and Region (VPC User Guide).
    const identities = dataSourcesOf(network, "aws_caller_identity");
    const account = Object.keys(identities)
      .filter((id) => identities[id]["//"].metadata.path.endsWith("/flow-logs/account"))
      .map((id) => `\${data.aws_caller_identity.${id}.account_id}`);
    expect(account).toHaveLength(1);
    expect(trust.statement[0].condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: account },
      { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringMatching(new RegExp(`^arn:.+:ec2:\\*:\\$\\{data\\.aws_caller_identity\\.[^}]+\\}:vpc-flow-log/\\*$`))] },
    ]);
  });

  it("to S3: the bucket, and no log group or role", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => (raw.network.flowLogs = { destination: "s3", s3BucketArn: "arn:aws:s3:::edge-flow-logs" }));
    const { network } = await stacksOf(blueprint);
    expect(Object.values(resourcesOf(network, "aws_flow_log"))).toEqual([
      expect.objectContaining({ log_destination_type: "s3", log_destination: "arn:aws:s3:::edge-flow-logs" }),
    ]);
    expect(byPath(resourcesOf(network, "aws_cloudwatch_log_group"))["flow-logs/log-group"]).toBeUndefined();
  });
});

describe("adopted Outpost subnets", () => {
  it("existing-vpc.yaml: the adopted rack routes like a new one, through its own route table", async () => {
    const { network } = await stacksOf(loadExample("existing-vpc.yaml"));
    expect(localGatewayRoutes(network)).toEqual({ "rack-a": ["10.200.0.0/16", "10.30.68.0/22"], "rack-b": ["10.30.64.0/22"] });
    const associations = byPath(resourcesOf(network, "aws_ec2_local_gateway_route_table_vpc_association"));
    expect(associations["outpost-rack-b-local-gateway/vpc-association"].local_gateway_route_table_id).toBe("lgw-rtb-0123456789abcdef2");
    const table = byPath(dataSourcesOf(network, "aws_route_table"))["outpost-rack-b/existing-route-table"];
    const association = byPath(dataSourcesOf(network, "aws_route_tables"))["outpost-rack-b/existing-route-table-association"];
    expect(association.filter).toEqual([{ name: "association.subnet-id", values: [expect.stringMatching(/^\$\{data\.aws_subnet\.outpost-rack-b_existing-subnet_\w+\.id\}$/)] }]);
    expect(table.route_table_id).toMatch(/^\$\{one\(data\.aws_route_tables\.outpost-rack-b_existing-route-table-association_\w+\.ids\)\}$/);
    const [tableId] = Object.keys(dataSourcesOf(network, "aws_route_table"));
    expect(byPath(resourcesOf(network, "aws_vpc_endpoint"))["endpoints/s3"].route_table_ids).toContain(`\${data.aws_route_table.${tableId}.id}`);
  });

  it("manageRouting: false checks each route at plan time instead, naming the missing one", async () => {
    const blueprint = exampleWith("existing-vpc.yaml", (raw) => (raw.outposts[1].subnet.manageRouting = false));
    const { network } = await stacksOf(blueprint);
    expect(localGatewayRoutes(network)).toEqual({ "rack-a": ["10.200.0.0/16", "10.30.68.0/22"] });
    expect(byPath(resourcesOf(network, "aws_ec2_local_gateway_route_table_vpc_association"))["outpost-rack-b-local-gateway/vpc-association"]).toBeUndefined();
    const check = byPath(dataSourcesOf(network, "aws_route_table"))["outpost-rack-b-routes-check/route-table-check"];
    const conditions = check.lifecycle.postcondition as Json[];
    expect(conditions.map((c) => c.condition)).toEqual([
      expect.stringMatching(
        /^\$\{contains\(matchkeys\(self\.routes\[\*\]\.cidr_block, self\.routes\[\*\]\.local_gateway_id, \[data\.aws_ec2_local_gateway_route_table\.[\w-]+\.local_gateway_id\]\), "10\.30\.64\.0\/22"\)\}$/,
      ),
      expect.stringMatching(/^\$\{contains\(self\.routes\[\*\]\.destination_prefix_list_id, data\.aws_prefix_list\.[\w-]+\.id\)\}$/),
    ]);
    expect(conditions[0].error_message).toContain("has no route from 10.30.64.0/22 to the local gateway of arn:aws:outposts:eu-west-1:111122223333:outpost/op-0123456789abcdef2");
    expect(conditions[1].error_message).toContain("no route to the S3 gateway endpoint");
  });
});

describe("routes and rules come from the network model", () => {
  it("adding a rack grows every other rack's routes and the nodes' security-group sources", async () => {
    const before = await stacksOf(loadExample("extended-racks.yaml"));
    const grown = exampleWith("extended-racks.yaml", (raw) => {
      raw.outposts.push({
        ...raw.outposts[1],
        name: "rack-c",
        arn: "arn:aws:outposts:us-west-2:111122223333:outpost/op-0f1e2d3c4b5a6978c",
        subnet: { cidr: "10.0.5.0/24" },
        localGatewayRouteTableId: "lgw-rtb-0f1e2d3c4b5a6978c",
      });
      raw.nodeGroups.push({ name: "rack-c-general", outpost: "rack-c", instanceType: "m5.xlarge" });
    });
    const after = await stacksOf(grown);
    const routesBefore = localGatewayRoutes(before.network);
    const routesAfter = localGatewayRoutes(after.network);
    for (const rack of ["rack-a", "rack-b"]) {
      expect(routesAfter[rack]).toEqual([...routesBefore[rack], "10.0.5.0/24"].sort());
    }
    expect(routesAfter["rack-c"]).toEqual(["10.0.3.0/24", "10.0.4.0/24", "192.168.0.0/16"]);
    const cidr = (name: string) => `\${data.terraform_remote_state.network.outputs.outpost_subnet_cidrs["${name}"]}`;
    expect(nodeRuleSources(before.workers!)).toEqual([cidr("rack-a"), cidr("rack-b")]);
    expect(nodeRuleSources(after.workers!)).toEqual([cidr("rack-a"), cidr("rack-b"), cidr("rack-c")]);
  });
});
