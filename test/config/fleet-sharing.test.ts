/** Issue 31: what sites of a fleet share (config/fleet-rules.ts): an adopted VPC, an Outpost, and workspace names with the site. */
import fc from "fast-check";
import { readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { AnnotationMetadataEntryType, App } from "cdktf";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { Blueprint, HCP_WORKSPACE_NAME_MAX, HCP_WORKSPACE_NAME_RECOMMENDED_MAX, STACK_NAMES, validateFleet, workspaceNameWarning } from "../../config";
import { NetworkStack } from "../../stacks/network-stack";
import { problemsOf as fleetProblemsOf, Raw } from "../helpers/problems";
import { EXAMPLES_DIR } from "../helpers/synth";


const FLEET_DIR = path.join(EXAMPLES_DIR, "fleet");
const rawFleet = (): Raw => parseYaml(readFileSync(path.join(FLEET_DIR, "fleet.yaml"), "utf8"));

const problemsOf = (input: unknown) => fleetProblemsOf(input, FLEET_DIR);

/** The example fleet with sites 0 and 1 adopting one VPC and its regional subnets; each creates its Outpost subnet in it. */
function sharingOneVpc(): Raw {
  const fleet = rawFleet();
  delete fleet.sites[1].sharedNetwork;
  for (const site of fleet.sites.slice(0, 2)) {
    site.network.vpc = { id: "vpc-0123456789abcdef0", cidr: "10.42.0.0/16" };
    site.network.regionalSubnets = [
      { availabilityZone: "us-west-2a", cidr: "10.42.1.0/24", id: "subnet-0123456789abcdef1" },
      { availabilityZone: "us-west-2b", cidr: "10.42.2.0/24", id: "subnet-0123456789abcdef2" },
    ];
  }
  fleet.sites[1].outposts[0].subnet.cidr = "10.42.4.0/24";
  return fleet;
}

describe("fleet sharing rules", () => {
  it("the example fleet passes, and so do two sites adopting one VPC with their own subnets", () => {
    expect(problemsOf(rawFleet())).toEqual([]);
    expect(problemsOf(sharingOneVpc())).toEqual([]);
  });

  it("sites adopting one VPC may not create overlapping subnets: both fields named", () => {
    const fleet = sharingOneVpc();
    fleet.sites[1].outposts[0].subnet.cidr = fleet.sites[0].outposts[0].subnet.cidr;
    const problems = problemsOf(fleet);
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: "sites[store-042].outposts[0].subnet.cidr and sites[store-043].outposts[0].subnet.cidr",
        message: expect.stringMatching(/overlap \(10\.42\.3\.0\/24 and 10\.42\.3\.0\/24\): both sites adopt the VPC vpc-0123456789abcdef0 .*InvalidSubnet\.Conflict/),
      }),
    );
  });

  it("sites adopting one VPC may not both create a private zone of one name", () => {
    const fleet = sharingOneVpc();
    for (const site of fleet.sites.slice(0, 2)) site.dns = { privateHostedZones: [{ name: "apps.retail.example.internal" }] };
    expect(problemsOf(fleet)).toContainEqual(
      expect.objectContaining({
        path: "sites[store-042].dns.privateHostedZones[0].name and sites[store-043].dns.privateHostedZones[0].name",
        message: expect.stringMatching(/both create the private zone apps\.retail\.example\.internal .*ConflictingDomainExists.*give the other its zoneId/),
      }),
    );
    fleet.sites[1].dns.privateHostedZones[0].zoneId = "Z0123456789ABCDEFGHIJ";
    expect(problemsOf(fleet).filter((p) => /private zone/.test(p.message))).toEqual([]);
  });

  it("one Outpost declared by two sites with different parent AZs or form factors", () => {
    const fleet = rawFleet();
    fleet.sites[1].outposts[0].arn = fleet.sites[0].outposts[0].arn;
    fleet.sites[1].outposts[0].availabilityZone = "us-west-2b";
    expect(problemsOf(fleet)).toContainEqual(
      expect.objectContaining({
        path: "sites[store-042].outposts[0].availabilityZone and sites[store-043].outposts[0].availabilityZone",
        message: expect.stringMatching(/differ \(us-west-2a and us-west-2b\) for one Outpost .*one parent Availability Zone/),
      }),
    );
  });

  it("a workspace name is never refused for length: the schema's longest prefix and site stay under HCP Terraform's 260", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 63 }), (length) => {
        const fleet = rawFleet();
        fleet.sites[0].backend = { type: "cloud", organization: "retail", workspacePrefix: `w${"x".repeat(length - 1)}` };
        expect(problemsOf(fleet).filter((p) => /workspace/.test(p.path + p.message))).toEqual([]);
      }),
      { numRuns: 20 },
    );
    // One DNS label each for the prefix and the site (config/schema.ts), the longest stack name between.
    const longestStack = STACK_NAMES.reduce((a, b) => (b.length > a.length ? b : a));
    expect(`${"p".repeat(63)}-${"s".repeat(63)}-${longestStack}`.length).toBeLessThanOrEqual(HCP_WORKSPACE_NAME_MAX);
    const tooLong = rawFleet();
    tooLong.sites[0].backend = { type: "cloud", organization: "retail", workspacePrefix: "p".repeat(64) };
    expect(problemsOf(tooLong)).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/at most 63/) }));
  });

  it("over HashiCorp's recommended 90 characters, each stack of the site warns at synth", () => {
    const fleet = validateFleet(rawFleet(), "fleet", FLEET_DIR);
    const [site] = fleet.sites;
    const short: Blueprint = { ...site.blueprint, backend: { type: "cloud", organization: "retail", hostname: "app.terraform.io", workspacePrefix: "retail" } } as Blueprint;
    const long: Blueprint = { ...short, backend: { ...short.backend, workspacePrefix: `retail-${"x".repeat(80)}-${site.name}` } } as Blueprint;
    const warningsOf = (blueprint: Blueprint) => {
      const outdir = mkdtempSync(path.join(tmpdir(), "workspace-warning-"));
      const stack = new NetworkStack(new App({ outdir }), blueprint, site.name);
      rmSync(outdir, { recursive: true, force: true });
      return stack.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => String(entry.data));
    };
    expect(warningsOf(short).filter((w) => /workspace name/.test(w))).toEqual([]);
    expect(warningsOf(long)).toContainEqual(expect.stringMatching(new RegExp(`workspace name retail-x+-${site.name}-network has \\d+ characters: HCP Terraform takes up to 260, but HashiCorp recommends at most 90`)));
    expect(workspaceNameWarning("w".repeat(HCP_WORKSPACE_NAME_RECOMMENDED_MAX))).toBeUndefined();
    expect(workspaceNameWarning("w".repeat(HCP_WORKSPACE_NAME_RECOMMENDED_MAX + 1))).toMatch(/91 characters.*by 1 to follow it/);
  });
});
