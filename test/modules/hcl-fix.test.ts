/**
 * fixCdktfHclRendering: the HCL fix every app applies in memory, on a pristine cdktf. The installed
 * cdktf is pristine after `npm ci`; where a machine still carries the patch on disk, the pristine
 * copy is rebuilt by reversing it. Either way the copy sits beside the installed files, through
 * symlinks, with the two patched files written out.
 */
import { spawnSync } from "child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { applyHunks, CDKTF_PATCH, HCL_RENDERER_PATCHES, hclRendererPatch, patchHunks } from "../../modules/shared/hcl-fix";
import { PROJECT_ROOT } from "../helpers/synth";

const INSTALLED = path.dirname(require.resolve("cdktf/package.json"));
const PATCH = readFileSync(path.join(PROJECT_ROOT, CDKTF_PATCH), "utf8");
const PATCHED_FILES = ["lib/hcl/render.js", "lib/terraform-stack.js"];

/** A directory of symlinks to `from`'s files, recursing into directories. */
function mirror(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry);
    if (lstatSync(source).isDirectory() && entry !== "node_modules") mirror(source, path.join(to, entry));
    else symlinkSync(source, path.join(to, entry));
  }
}

/** Whether the installed cdktf carries the patch on disk. */
const INSTALLED_PATCHED = readFileSync(path.join(INSTALLED, "lib/hcl/render.js"), "utf8").includes("unwrapInterpolationOnlyValues");

function pristineCdktf(dir: string): string {
  const root = path.join(dir, "node_modules", "cdktf");
  mirror(INSTALLED, root);
  // cdktf's peer, as an app would have it beside cdktf.
  symlinkSync(path.dirname(require.resolve("constructs/package.json")), path.join(dir, "node_modules", "constructs"));
  for (const file of PATCHED_FILES) {
    const installed = readFileSync(path.join(INSTALLED, file), "utf8");
    const reversed = patchHunks(PATCH, file).map((hunk) => ({ before: hunk.after, after: hunk.before }));
    const pristine = INSTALLED_PATCHED ? applyHunks(installed, reversed, file) : installed;
    rmSync(path.join(root, file));
    writeFileSync(path.join(root, file), pristine);
  }
  return root;
}

const PROBE = `
const [root, fix] = process.argv.slice(2);
const cdktf = require(root);
if (fix === "fix") require(process.env.FIX_MODULE).fixCdktfHclRendering({ cdktfRoot: root });
const app = new cdktf.App({ outdir: process.env.OUTDIR });
const stack = new cdktf.TerraformStack(app, "probe");
const a = new cdktf.TerraformResource(stack, "a", { terraformResourceType: "null_resource" });
new cdktf.TerraformResource(stack, "b", {
  terraformResourceType: "null_resource",
  dependsOn: [a],
  lifecycle: { ignoreChanges: ["triggers"], precondition: [{ condition: "\${1 == 1}", errorMessage: "m" }] },
});
app.synth();
`;

describe("fixCdktfHclRendering on a pristine cdktf", () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "outposts-eks-hcl-fix-"));
    root = pristineCdktf(dir);
    writeFileSync(path.join(dir, "probe.js"), PROBE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function synth(mode: "fix" | "as-is"): string {
    const outdir = path.join(dir, `out-${mode}`);
    const run = spawnSync(process.execPath, ["--preserve-symlinks", "--import", "tsx", path.join(dir, "probe.js"), root, mode], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SYNTH_HCL_OUTPUT: "true", OUTDIR: outdir, FIX_MODULE: path.join(PROJECT_ROOT, "modules/shared/hcl-fix.ts") },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    return readFileSync(path.join(outdir, "stacks", "probe", "cdk.tf"), "utf8");
  }

  it("starts from a cdktf without the fix, and the patch applies to it exactly", () => {
    const render = readFileSync(path.join(root, "lib/hcl/render.js"), "utf8");
    expect(render).not.toContain("unwrapInterpolationOnlyValues");
    expect(applyHunks(render, patchHunks(PATCH, "lib/hcl/render.js"), "render.js")).toContain("unwrapInterpolationOnlyValues");
  });

  it("renders what Terraform rejects without the fix, and blocks and bare references with it", () => {
    const broken = synth("as-is");
    expect(broken).toMatch(/precondition\s*=\s*\[/);
    const fixed = synth("fix");
    expect(fixed).toMatch(/precondition\s*\{\s*condition\s*=\s*1 == 1\s*error_message\s*=\s*"m"\s*\}/);
    expect(fixed).toMatch(/depends_on\s*=\s*\[null_resource\.a\]/);
    expect(fixed).toMatch(/ignore_changes\s*=\s*\[triggers\]/);
  });

  it("refuses a cdktf its patch does not match, naming the version it needs", () => {
    expect(() => applyHunks("something else", patchHunks(PATCH, "lib/hcl/render.js"), "cdktf/lib/hcl/render.js")).toThrow(
      /cannot fix cdktf\/lib\/hcl\/render\.js: hunk 1 of patches\/cdktf\+0\.21\.0\.patch does not match this runtime \(cdktf@0\.21\.0 or cdktn@0\.24\.0 is required\)/,
    );
  });

  it("picks the patch by the loaded runtime's name and version, and refuses one it has no patch for", () => {
    expect(hclRendererPatch(root)).toBe(CDKTF_PATCH);
    const other = path.join(dir, "other-runtime");
    mkdirSync(other);
    writeFileSync(path.join(other, "package.json"), JSON.stringify({ name: "cdktn", version: "0.25.0" }));
    expect(() => hclRendererPatch(other)).toThrow(/cannot fix the HCL renderer of cdktn@0\.25\.0 .*supported: cdktf@0\.21\.0, cdktn@0\.24\.0/);
  });

  it("has a CDK Terrain patch with the same changes for each patched file (its context differs)", () => {
    const cdktn = readFileSync(path.join(PROJECT_ROOT, HCL_RENDERER_PATCHES["cdktn@0.24.0"]), "utf8");
    const added = (patch: string, file: string) =>
      patch
        .split(/^diff --git /m)
        .find((part) => part.startsWith(`a/node_modules/cdktf/${file} `))!
        .split("\n")
        .filter((line) => line.startsWith("+") && !line.startsWith("+++"));
    for (const file of PATCHED_FILES) {
      expect(added(cdktn, file).length).toBeGreaterThan(0);
      expect(added(cdktn, file)).toEqual(added(PATCH, file));
    }
  });
});
