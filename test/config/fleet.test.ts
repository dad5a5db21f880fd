/**
 * Fleet files (issue 24, docs/fleets.md): the merge of a site into the base, per-site validation
 * with `sites[<name>].<path>` problems for every site at once, and the fleet-wide rules.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { readFileSync } from "fs";
import { BlueprintConfigError, BlueprintProblem, isFleetInput, loadBlueprint, loadBlueprintOrFleet, loadFleet, loadOneBlueprint, mergeSite, siteBackend, validateFleet } from "../../config";
import { problemsOf as fleetProblemsOf } from "../helpers/problems";
import { EXAMPLES_DIR } from "../helpers/synth";

type Raw = Record<string, any>;

const FLEET_DIR = path.join(EXAMPLES_DIR, "fleet");
const rawFleet = (): Raw => parseYaml(readFileSync(path.join(FLEET_DIR, "fleet.yaml"), "utf8"));

const problemsOf = (input: unknown) => fleetProblemsOf(input, FLEET_DIR);

const paths = (problems: readonly BlueprintProblem[]) => problems.map((p) => p.path);

describe("mergeSite", () => {
  it("merges maps recursively and replaces scalars", () => {
    const base = { region: "us-west-2", tags: { team: "a", cost: "1" }, network: { vpc: { cidr: "10.0.0.0/16" }, egress: "private" } };
    const merged = mergeSite(base, { tags: { cost: "2", store: "042" }, network: { vpc: { cidr: "10.42.0.0/16" } } });
    expect(merged).toEqual({ region: "us-west-2", tags: { team: "a", cost: "2", store: "042" }, network: { vpc: { cidr: "10.42.0.0/16" }, egress: "private" } });
  });

  it("replaces lists whole, never by index: a site's Outposts are never mixed with the base's", () => {
    const base = { outposts: [{ name: "a", arn: "x" }, { name: "b", arn: "y" }], nodeGroups: [{ name: "g" }] };
    expect(mergeSite(base, { outposts: [{ name: "c" }] })).toEqual({ outposts: [{ name: "c" }], nodeGroups: [{ name: "g" }] });
  });

  it("replaces a map whose kind the site changes: a cloud backend keeps nothing of a local one", () => {
    const base = { backend: { type: "local", stateDirectory: "terraform-state" } };
    expect(mergeSite(base, { backend: { type: "cloud", organization: "o" } })).toEqual({ backend: { type: "cloud", organization: "o" } });
    expect(mergeSite(base, { backend: { stateDirectory: "state" } })).toEqual({ backend: { type: "local", stateDirectory: "state" } });
  });

  it("removes a base field given null, and changes neither argument", () => {
    const base = { dns: { onPremDomains: ["a"] }, name: "base" };
    const site = { dns: null, name: "s" };
    expect(mergeSite(base, site)).toEqual({ name: "s" });
    expect(base).toEqual({ dns: { onPremDomains: ["a"] }, name: "base" });
    expect(site).toEqual({ dns: null, name: "s" });
  });
});

describe("fleet files", () => {
  it("are told from blueprints by a top-level sites key", () => {
    expect(isFleetInput({ sites: [] })).toBe(true);
    expect(isFleetInput({ name: "x", outposts: [] })).toBe(false);
    expect(loadBlueprintOrFleet(path.join(EXAMPLES_DIR, "local-cluster.yaml")).kind).toBe("blueprint");
    expect(loadBlueprintOrFleet(path.join(FLEET_DIR, "fleet.yaml")).kind).toBe("fleet");
  });

  it("are refused, with what to do, by the commands that read one blueprint (loadBlueprint)", () => {
    expect(() => loadBlueprint(path.join(FLEET_DIR, "fleet.yaml"))).toThrow(/\(root\): is a fleet \(a top-level sites list, docs\/fleets.md\), not one blueprint: name a site with --site <name> \(its sites: store-042, store-043, store-044\)/);
    expect(loadOneBlueprint(path.join(FLEET_DIR, "fleet.yaml"), "store-043").name).toBe(loadFleet(path.join(FLEET_DIR, "fleet.yaml")).sites[1].blueprint.name);
    expect(() => loadOneBlueprint(path.join(FLEET_DIR, "fleet.yaml"), "store-999")).toThrow(/sites: "store-999" has no site store-999; its sites: store-042, store-043, store-044/);
  });

  it("examples/fleet: three sites, each the base with its fields, named by its site", () => {
    const fleet = loadFleet(path.join(FLEET_DIR, "fleet.yaml"));
    expect(fleet.sites.map((site) => [site.name, site.blueprint.name, site.sharedNetwork])).toEqual([
      ["store-042", "store-042", "retail-wan"],
      ["store-043", "store-043", "retail-wan"],
      ["store-044", "store-044", "retail-wan"],
    ]);
    const [s42, , s44] = fleet.sites;
    expect(s42.blueprint.tags).toEqual({ team: "retail-platform", store: "042" });
    expect(s42.blueprint.network.vpc.cidr).toBe("10.42.0.0/16");
    expect(s42.blueprint.network.egress).toBe("private");
    expect(s42.blueprint.nodeGroups.map((g) => g.instanceType)).toEqual(["m5.xlarge"]);
    expect(s44.blueprint.nodeGroups.map((g) => g.instanceType)).toEqual(["m5.2xlarge"]);
  });

  it("takes an inline base as well as a file", () => {
    const raw = rawFleet();
    raw.base = parseYaml(readFileSync(path.join(FLEET_DIR, "base.yaml"), "utf8"));
    expect(problemsOf(raw)).toEqual([]);
  });

  it("validates every site like a blueprint and reports every site's problems at once, by site and field path", () => {
    const raw = rawFleet();
    raw.sites[0].outposts[0].arn = "arn:aws:outposts:us-west-2:111122223333:outpost/nope";
    raw.sites[2].kubernetesVersion = 1.3;
    raw.sites[2].network.regionalSubnets[1].cidr = "10.44.2.1/24";
    const problems = problemsOf(raw);
    expect(paths(problems)).toEqual(
      expect.arrayContaining(["sites[store-042].outposts[0].arn", "sites[store-044].kubernetesVersion", "sites[store-044].network.regionalSubnets[1].cidr"]),
    );
    expect(paths(problems).some((p) => p.startsWith("sites[store-043]"))).toBe(false);
    let error: unknown;
    try {
      validateFleet(raw, "fleet.yaml", FLEET_DIR);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BlueprintConfigError);
    expect((error as Error).message).toMatch(/^fleet\.yaml: the fleet is invalid \(\d+ problems\):/);
    expect((error as Error).message).toContain("  - sites[store-042].outposts[0].arn: ");
  });

  it("reports a site missing a field the base lacks under the site", () => {
    const raw = rawFleet();
    delete raw.sites[1].outposts;
    expect(paths(problemsOf(raw))).toContain("sites[store-043].outposts");
    expect(paths(problemsOf(raw)).every((p) => p.startsWith("sites[store-043]."))).toBe(true);
  });

  it("requires unique, DNS-safe site names", () => {
    const raw = rawFleet();
    raw.sites[1].name = "store-042";
    raw.sites[2].name = "Store_044";
    expect(paths(problemsOf(raw))).toEqual(["sites[1].name", "sites[2].name"]);
  });

  it("rejects a fleet without sites, unknown top-level fields, an unreadable base", () => {
    expect(paths(problemsOf({ base: "base.yaml", sites: [] }))).toEqual(["sites"]);
    expect(paths(problemsOf({ ...rawFleet(), region: "us-west-2" }))).toEqual(["region"]);
    expect(paths(problemsOf({ ...rawFleet(), base: "missing.yaml" }))).toContain("base");
  });
});

describe("fleet-wide rules", () => {
  it("sites sharing an on-premises network may not overlap (the VPC holds the subnets: one problem per pair)", () => {
    const raw = rawFleet();
    raw.sites[1].network = structuredClone(raw.sites[0].network);
    raw.sites[1].network.regionalSubnets = raw.sites[1].network.regionalSubnets.map((s: Raw, i: number) => ({ ...s, availabilityZone: ["us-west-2b", "us-west-2c"][i] }));
    raw.sites[1].outposts[0].subnet.cidr = "10.42.3.0/24";
    expect(problemsOf(raw)).toEqual([
      expect.objectContaining({ path: "sites[store-042].network.vpc.cidr and sites[store-043].network.vpc.cidr", message: expect.stringMatching(/retail-wan/) }),
    ]);
  });

  it("sites in different network groups, or none, may reuse ranges", () => {
    const raw = rawFleet();
    raw.sites[1] = { ...structuredClone(raw.sites[0]), name: "store-043", sharedNetwork: "other-wan" };
    expect(problemsOf(raw)).toEqual([]);
    delete raw.sites[1].sharedNetwork;
    expect(problemsOf(raw)).toEqual([]);
  });

  it("gives each site its own state: local directory, S3 key prefix or workspace prefix with the site", () => {
    expect(siteBackend({ type: "local", stateDirectory: "terraform-state/", requiredVersion: ">= 1.11" } as any, "store-042")).toMatchObject({ stateDirectory: "terraform-state/store-042" });
    expect(siteBackend({ type: "s3", keyPrefix: "edge" } as any, "store-042")).toMatchObject({ keyPrefix: "edge/store-042" });
    expect(siteBackend({ type: "cloud", workspacePrefix: "edge" } as any, "store-042")).toMatchObject({ workspacePrefix: "edge-store-042" });
  });

  it("two sites whose states would resolve to one place are rejected", () => {
    const raw = rawFleet();
    const cloud = { type: "cloud", organization: "edge-org", project: "retail" };
    raw.sites[0].name = "x-y";
    raw.sites[0].backend = { ...cloud, workspacePrefix: "p" };
    raw.sites[1].name = "y";
    raw.sites[1].backend = { ...cloud, workspacePrefix: "p-x" };
    expect(paths(problemsOf(raw))).toEqual(["sites[x-y].backend and sites[y].backend"]);
  });

  it("one HCP Terraform project for the fleet's workspaces stack, and an existing run role with several sites", () => {
    const raw = rawFleet();
    raw.sites.forEach((site: Raw, i: number) => {
      site.backend = { type: "cloud", organization: "edge-org", workspacePrefix: "retail", project: i === 2 ? "other" : "retail", workspaces: { agentPoolId: "apool-AbCdEfGh12345678" } };
    });
    const found = paths(problemsOf(raw));
    expect(found).toContain("sites[store-042].backend.project and sites[store-044].backend.project");
    expect(found).toContain("sites[store-043].backend.workspaces.awsCredentials.roleArn");
  });
});

describe("loading from disk", () => {
  it("resolves base relative to the fleet file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fleet-"));
    try {
      writeFileSync(path.join(dir, "base.yaml"), readFileSync(path.join(FLEET_DIR, "base.yaml")));
      writeFileSync(path.join(dir, "fleet.yaml"), readFileSync(path.join(FLEET_DIR, "fleet.yaml")));
      expect(loadFleet(path.join(dir, "fleet.yaml")).sites).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("fleet-wide rules on what an account and Region hold once (field review)", () => {
  it("refuses two sites that would create one ECR pull-through cache rule, or one repository prefix", () => {
    const raw = rawFleet();
    for (const site of raw.sites) site.addons = { images: { source: "pullThroughCache", pullThroughCache: { warmUp: true } } };
    expect(problemsOf(raw).map((p) => p.path)).toContainEqual(expect.stringMatching(/^sites\[store-04\d\]\.addons\.images\.pullThroughCache\.prefix and sites\[store-04\d\]\.addons\.images\.pullThroughCache\.prefix$/));
    const shared = rawFleet();
    for (const site of shared.sites) site.addons = { images: { source: "privateRepositories", repositoryPrefix: "retail" } };
    expect(problemsOf(shared).map((p) => p.message)).toContainEqual(expect.stringMatching(/are both "retail": the private ECR repository prefix exists once per account and Region/));
  });

  it("refuses a site name that another's deploy pattern would pick", () => {
    const raw = rawFleet();
    raw.sites[1].name = `${raw.sites[0].name}-b`;
    expect(problemsOf(raw).map((p) => p.message)).toContainEqual(expect.stringMatching(/so cdktf deploy '.+-\*' would deploy this site too/));
  });

  it("lets a site's null remove the base's network group", () => {
    const raw = rawFleet();
    // Two sites with one range, in a group the base gives them both.
    raw.sites[1].network = structuredClone(raw.sites[0].network);
    raw.sites[1].outposts[0].subnet = structuredClone(raw.sites[0].outposts[0].subnet);
    raw.base = { ...parseYaml(readFileSync(path.join(FLEET_DIR, raw.base), "utf8")), sharedNetwork: "retail-wan" };
    for (const site of raw.sites) delete site.sharedNetwork;
    const overlapping = problemsOf(raw).filter((p) => /overlap/.test(p.message)).length;
    raw.sites[1].sharedNetwork = null;
    expect(problemsOf(raw).filter((p) => /overlap/.test(p.message))).toHaveLength(0);
    expect(overlapping).toBeGreaterThan(0);
  });
});
