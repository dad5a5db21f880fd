/**
 * A fleet in one app (issue 24, docs/fleets.md): every site's stacks named `<site>-<stack>`, each
 * site's state its own for every backend, the remote-state readers reading the same per-site
 * states, one workspaces stack for the fleet, and a single blueprint's stacks as they were.
 */
import { App } from "cdktf";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { Fleet, loadFleet, validateFleet } from "../../config";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint, buildFleet, FleetStacks, STACK_NAMES } from "../../stacks";
import { dataSourcesOf, EXAMPLES_DIR, resourcesOf } from "../helpers/synth";

type Raw = Record<string, any>;

const FLEET_DIR = path.join(EXAMPLES_DIR, "fleet");
const SITES = ["store-042", "store-043", "store-044"];

interface FleetSynth {
  readonly stacks: FleetStacks;
  readonly stackNames: string[];
  json(stack: string): Raw;
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function synthFleet(fleet: Fleet): FleetSynth {
  const outdir = mkdtempSync(path.join(tmpdir(), "outposts-eks-fleet-"));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { ...BLUEPRINT_APP_CONTEXT } });
  const stacks = buildFleet(app, fleet);
  app.synth();
  return {
    stacks,
    stackNames: readdirSync(path.join(outdir, "stacks")).sort(),
    json: (stack) => JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")),
  };
}

/** The example fleet with the base's backend replaced (the base inline). */
function fleetWithBackend(backend: Raw): Fleet {
  const raw: Raw = parseYaml(readFileSync(path.join(FLEET_DIR, "fleet.yaml"), "utf8"));
  raw.base = parseYaml(readFileSync(path.join(FLEET_DIR, "base.yaml"), "utf8"));
  raw.base.backend = backend;
  return validateFleet(raw, "fleet.yaml", FLEET_DIR);
}

let example: FleetSynth;
const exampleSynth = () => (example ??= synthFleet(loadFleet(path.join(FLEET_DIR, "fleet.yaml"))));

describe("examples/fleet: three sites in one app", () => {
  it("synthesizes twelve stacks, <site>-<stack>, so cdktf deploy '<site>-*' picks one site", () => {
    const expected = SITES.flatMap((site) => STACK_NAMES.map((stack) => `${site}-${stack}`)).sort();
    expect(exampleSynth().stackNames).toEqual(expected);
    expect(expected.filter((name) => name.startsWith("store-042-"))).toEqual(STACK_NAMES.map((stack) => `store-042-${stack}`).sort());
  });

  it("orders each site's stacks within the site only", () => {
    const { sites } = exampleSynth().stacks;
    for (const site of SITES) {
      const stacks = sites[site];
      expect(stacks.controlPlane!.dependencies.map((s) => s.node.id)).toEqual([`${site}-network`]);
      expect(stacks.workers!.dependencies.map((s) => s.node.id)).toEqual([`${site}-control-plane`]);
      expect(stacks.addons!.dependencies.map((s) => s.node.id)).toEqual([`${site}-workers`]);
      expect(stacks.workspaces).toBeUndefined();
    }
    expect(exampleSynth().stacks.workspaces).toBeUndefined();
  });

  it("keeps each site's local state in <stateDirectory>/<site>/<stack>.tfstate, and reads the same site's", () => {
    const synth = exampleSynth();
    for (const site of SITES) {
      for (const stack of STACK_NAMES) {
        expect(synth.json(`${site}-${stack}`).terraform.backend).toEqual({ local: { path: `../../../terraform-state/${site}/${stack}.tfstate` } });
      }
      const readers = dataSourcesOf(synth.json(`${site}-addons`), "terraform_remote_state");
      expect(Object.fromEntries(Object.entries(readers).map(([id, reader]: [string, any]) => [id, reader.config.path]))).toEqual({
        network: `../../../terraform-state/${site}/network.tfstate`,
        "control-plane": `../../../terraform-state/${site}/control-plane.tfstate`,
        workers: `../../../terraform-state/${site}/workers.tfstate`,
      });
    }
  });

  it("names each site's resources by its site, as a blueprint of that name would", () => {
    const synth = exampleSynth();
    const clusters = SITES.map((site) => Object.values(resourcesOf(synth.json(`${site}-control-plane`), "aws_eks_cluster"))[0].name);
    expect(clusters).toEqual(SITES);
  });

  it("a site's stacks are the single blueprint's, but for their names and state paths", () => {
    const fleet = loadFleet(path.join(FLEET_DIR, "fleet.yaml"));
    const outdir = mkdtempSync(path.join(tmpdir(), "outposts-eks-fleet-single-"));
    outdirs.push(outdir);
    const app = new App({ outdir, context: { ...BLUEPRINT_APP_CONTEXT } });
    buildBlueprint(app, fleet.sites[1].blueprint);
    app.synth();
    expect(readdirSync(path.join(outdir, "stacks")).sort()).toEqual([...STACK_NAMES].sort());
    for (const stack of STACK_NAMES) {
      const single = readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
      const site = JSON.stringify(exampleSynth().json(`store-043-${stack}`), null, 2);
      const unsited = site.replace(/terraform-state\/store-043\//g, "terraform-state/").replace(/"store-043-(network|control-plane|workers|addons)(["/])/g, '"$1$2');
      expect(JSON.parse(unsited)).toEqual(JSON.parse(single));
    }
  });
});

describe("per-site state for every backend", () => {
  it("S3: keys <keyPrefix>/<site>/<stack>.tfstate, read by the same keys", () => {
    const synth = synthFleet(fleetWithBackend({ type: "s3", bucket: "retail-state", keyPrefix: "retail/", region: "us-west-2" }));
    for (const site of SITES) {
      expect(synth.json(`${site}-workers`).terraform.backend.s3.key).toBe(`retail/${site}/workers.tfstate`);
      const readers = dataSourcesOf(synth.json(`${site}-workers`), "terraform_remote_state");
      expect(Object.values(readers).map((reader: any) => reader.config.key).sort()).toEqual([`retail/${site}/control-plane.tfstate`, `retail/${site}/network.tfstate`]);
    }
  });

  it("HCP Terraform: workspaces <prefix>-<site>-<stack>, read through tfe_outputs of the same workspaces", () => {
    const synth = synthFleet(fleetWithBackend({ type: "cloud", organization: "retail-org", workspacePrefix: "retail" }));
    for (const site of SITES) {
      expect(synth.json(`${site}-network`).terraform.cloud.workspaces).toEqual({ name: `retail-${site}-network` });
      const readers = dataSourcesOf(synth.json(`${site}-addons`), "tfe_outputs");
      expect(Object.values(readers).map((reader: any) => reader.workspace).sort()).toEqual(
        [`retail-${site}-control-plane`, `retail-${site}-network`, `retail-${site}-workers`].sort(),
      );
    }
    expect(synth.stackNames).not.toContain("workspaces");
  });

  it("the HCP Terraform bootstrap: one workspaces stack, one project, every site's workspaces and state sharing within each site", () => {
    const synth = synthFleet(
      fleetWithBackend({
        type: "cloud",
        organization: "retail-org",
        workspacePrefix: "retail",
        project: "retail-stores",
        workspaces: { agentPoolId: "apool-AbCdEfGh12345678", runs: "vcs", vcsRepo: { identifier: "retail/outposts", oauthTokenId: "ot-AbCdEfGh12345678" }, awsCredentials: { roleArn: "arn:aws:iam::111122223333:role/hcp-runs" } },
      }),
    );
    expect(synth.stackNames).toHaveLength(13);
    expect(synth.stackNames).toContain("workspaces");
    const json = synth.json("workspaces");
    expect(Object.keys(resourcesOf(json, "tfe_project"))).toHaveLength(1);
    const workspaces = Object.values(resourcesOf(json, "tfe_workspace")) as any[];
    expect(workspaces.map((w) => w.name).sort()).toEqual(SITES.flatMap((site) => STACK_NAMES.map((stack) => `retail-${site}-${stack}`)).sort());
    const dirs = Object.fromEntries(workspaces.map((w) => [w.name, w.working_directory]));
    expect(dirs["retail-store-042-workers"]).toBe("cdktf.out/stacks/store-042-workers");
    // Each workspace shares its state with its own site's readers only.
    const byId = Object.fromEntries(Object.entries(resourcesOf(json, "tfe_workspace")).map(([id, w]: [string, any]) => [`\${tfe_workspace.${id}.id}`, w.name]));
    const sharing = Object.values(resourcesOf(json, "tfe_workspace_settings")) as any[];
    for (const settings of sharing) {
      const owner = byId[settings.workspace_id] as string;
      const site = SITES.find((s) => owner.includes(s))!;
      for (const consumer of settings.remote_state_consumer_ids ?? []) expect(byId[consumer]).toContain(site);
    }
    expect(sharing.some((settings) => (settings.remote_state_consumer_ids ?? []).length > 0)).toBe(true);
  });
});
