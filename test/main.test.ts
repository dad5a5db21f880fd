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
});
