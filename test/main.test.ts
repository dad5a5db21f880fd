/**
 * The app entry point as the CLI runs it: the blueprint comes from BLUEPRINT_CONFIG, an invalid
 * one fails before any stack is written.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { blueprintPathFromEnv, DEFAULT_BLUEPRINT } from "../config";
import { PROJECT_ROOT } from "./helpers/synth";

/** The app as `cdktf synth` runs it: cdktf.json's command (the incremental build, then the compiled app). */
function runApp(env: Record<string, string>) {
  const { app } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "cdktf.json"), "utf8"));
  return spawnSync(app, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, encoding: "utf8", shell: true });
}

describe("main.ts", () => {
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(path.join(tmpdir(), "outposts-eks-main-"))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("uses examples/extended-racks.yaml when BLUEPRINT_CONFIG is unset", () => {
    expect(DEFAULT_BLUEPRINT).toBe("examples/extended-racks.yaml");
    expect(blueprintPathFromEnv({}, "/project")).toBe("/project/examples/extended-racks.yaml");
    expect(blueprintPathFromEnv({ BLUEPRINT_CONFIG: "mine.yaml" }, "/project")).toBe("/project/mine.yaml");
  });

  it("exits non-zero with every problem, and writes no stack, on an invalid blueprint", () => {
    const config = path.join(scratch, "bad.yaml");
    writeFileSync(config, "name: Bad_Name\nregion: us-west-2\nvariant: local\nkubernetesVersion: '1.32'\noutposts: []\n");
    const outdir = path.join(scratch, "cdktf.out");
    const run = runApp({ BLUEPRINT_CONFIG: config, CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${config}: the blueprint is invalid (6 problems):`);
    expect(run.stderr).toContain('- name: "Bad_Name" must be DNS-safe');
    expect(run.stderr).toContain("- network: (missing) is required");
    expect(run.stderr).toContain("- nodeGroups: (missing) is required: give at least one node group");
    expect(existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  it("with --validate-only (npm run synth's first step), validates and writes nothing", () => {
    const outdir = path.join(scratch, "cdktf.out");
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts", "build-app.mjs")], { cwd: PROJECT_ROOT });
    const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, ".app", "main.js"), "--validate-only"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, BLUEPRINT_CONFIG: "", CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(existsSync(outdir)).toBe(false);
  });

  it("synthesizes the stacks of the default blueprint", () => {
    const outdir = path.join(scratch, "cdktf.out");
    const run = runApp({ BLUEPRINT_CONFIG: "", CDKTF_OUTDIR: outdir });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["addons", "control-plane", "network", "workers"]);
  });

  it("synthesizes every site's stacks of a fleet file (docs/fleets.md)", () => {
    const outdir = path.join(scratch, "cdktf.out");
    const run = runApp({ BLUEPRINT_CONFIG: "examples/fleet/fleet.yaml", CDKTF_OUTDIR: outdir });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const stacks = readdirSync(path.join(outdir, "stacks"));
    expect(stacks).toHaveLength(12);
    expect(stacks.filter((stack) => stack.startsWith("store-042-")).sort()).toEqual(["store-042-addons", "store-042-control-plane", "store-042-network", "store-042-workers"]);
  });

  it("exits 1 with every site's problems, and writes no stack, on an invalid fleet", () => {
    const config = path.join(scratch, "fleet.yaml");
    const fleet = readFileSync(path.join(PROJECT_ROOT, "examples", "fleet", "fleet.yaml"), "utf8")
      .replace("base: base.yaml", `base: ${path.join(PROJECT_ROOT, "examples", "fleet", "base.yaml")}`)
      .replace("outpost/op-0a1b2c3d4e5f60742", "outpost/nope")
      .replace("cidr: 10.44.0.0/16", "cidr: 10.44.0.1/16");
    writeFileSync(config, fleet);
    const outdir = path.join(scratch, "cdktf.out");
    const run = runApp({ BLUEPRINT_CONFIG: config, CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${config}: the fleet is invalid (`);
    expect(run.stderr).toContain("- sites[store-042].outposts[0].arn: ");
    expect(run.stderr).toContain("- sites[store-044].network.vpc.cidr: ");
    expect(existsSync(path.join(outdir, "stacks"))).toBe(false);
  });

  it("builds only the sites OUTPOSTS_EKS_SITES selects, after checking the selection against the fleet", () => {
    const fleet = path.join(PROJECT_ROOT, "examples", "fleet", "fleet.yaml");
    const outdir = path.join(scratch, "cdktf.out");
    const run = runApp({ BLUEPRINT_CONFIG: fleet, OUTPOSTS_EKS_SITES: "store-043-*", CDKTF_OUTDIR: outdir });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "partial synthesis: 1 of 3 sites (OUTPOSTS_EKS_SITES=store-043-*)\n" });
    expect(readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["store-043-addons", "store-043-control-plane", "store-043-network", "store-043-workers"]);
    const wrong = path.join(scratch, "wrong.out");
    const refused = runApp({ BLUEPRINT_CONFIG: fleet, OUTPOSTS_EKS_SITES: "store-42", CDKTF_OUTDIR: wrong });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${fleet}: the site selection is invalid (1 problem):\n  - OUTPOSTS_EKS_SITES: "store-42" matches no site of the fleet nor any of its stacks; give site names or globs (comma-separated) such as store-042, store-043, store-044`);
    expect(existsSync(path.join(wrong, "stacks"))).toBe(false);
  });
});
