/**
 * cdktf 0.21 renders HCL (`cdktf synth --hcl`) that Terraform rejects or warns about: lifecycle
 * conditions as attribute lists instead of blocks, quoted references in `ignore_changes`,
 * `replace_triggered_by` and `depends_on`, interpolation-only strings, multi-line locals in quotes.
 * The fix is the project's patch to cdktf's renderer (patches/cdktf+0.21.0.patch, shipped with the
 * package). The project's own install applies it on disk; an app that installs outposts-eks as a
 * library calls `fixCdktfHclRendering()` once, before `app.synth()`, and the same fix is applied in
 * memory to the cdktf it loaded. Its JSON output is unaffected either way.
 *
 * CDK Terrain 0.24 (`cdktn`, installed under the name `cdktf` through an npm alias, docs/cdk-terrain.md)
 * carries the same renderer with the same defects (open-constructs/cdk-terrain issue #313) and one
 * change beside them: patches/cdktn+0.24.0.patch is the same fix with that context.
 */
import { readFileSync } from "fs";
import Module from "module";
import * as path from "path";
import { packageFile } from "./package-files";

export const CDKTF_PATCH = "patches/cdktf+0.21.0.patch";

/** The renderer fix for each runtime the project supports, by the loaded package's `name@version`. */
export const HCL_RENDERER_PATCHES: Readonly<Record<string, string>> = {
  "cdktf@0.21.0": CDKTF_PATCH,
  "cdktn@0.24.0": "patches/cdktn+0.24.0.patch",
};

/** The patch for the cdktf (or CDK Terrain) package in `cdktfRoot`; throws naming the supported runtimes. */
export function hclRendererPatch(cdktfRoot: string): string {
  const manifest = JSON.parse(readFileSync(path.join(cdktfRoot, "package.json"), "utf8")) as { name: string; version: string };
  const runtime = `${manifest.name}@${manifest.version}`;
  const patch = HCL_RENDERER_PATCHES[runtime];
  if (patch === undefined) {
    throw new Error(`outposts-eks: cannot fix the HCL renderer of ${runtime} (${cdktfRoot}); supported: ${Object.keys(HCL_RENDERER_PATCHES).join(", ")}`);
  }
  return patch;
}

interface Hunk {
  readonly before: string;
  readonly after: string;
}

/** The hunks of one file of a unified diff, as text before and after. */
export function patchHunks(patch: string, file: string): Hunk[] {
  const section = patch.split(/^diff --git /m).find((part) => part.startsWith(`a/node_modules/cdktf/${file} `));
  if (!section) throw new Error(`outposts-eks: the HCL renderer patch has no changes for cdktf/${file}`);
  return section
    .split(/^@@ [^\n]*@@[^\n]*\n/m)
    .slice(1)
    .map((body) => {
      const before: string[] = [];
      const after: string[] = [];
      for (const line of body.split("\n")) {
        if (line.startsWith("\\")) continue;
        if (line.startsWith("-")) before.push(line.slice(1));
        else if (line.startsWith("+")) after.push(line.slice(1));
        else if (line.startsWith(" ")) {
          before.push(line.slice(1));
          after.push(line.slice(1));
        }
      }
      return { before: before.join("\n"), after: after.join("\n") };
    });
}

/** `source` with every hunk applied; each hunk's old text must occur exactly once. */
export function applyHunks(source: string, hunks: readonly Hunk[], label: string, patchFile = CDKTF_PATCH): string {
  return hunks.reduce((text, hunk, i) => {
    const at = text.indexOf(hunk.before);
    if (at < 0 || text.indexOf(hunk.before, at + 1) >= 0) {
      throw new Error(`outposts-eks: cannot fix ${label}: hunk ${i + 1} of ${patchFile} does not match this runtime (${Object.keys(HCL_RENDERER_PATCHES).join(" or ")} is required)`);
    }
    return text.slice(0, at) + hunk.after + text.slice(at + hunk.before.length);
  }, source);
}

const FIXED = Symbol.for("outposts-eks.hcl-fix");

export interface FixCdktfHclRenderingOptions {
  /**
   * The cdktf package directory to fix.
   * @default the cdktf that `require("cdktf")` resolves from outposts-eks: the app's own, as a peer
   */
  readonly cdktfRoot?: string;
}

/**
 * Makes the cdktf this process loaded render correct HCL. Idempotent; a no-op where the patch is
 * already on disk (the project's own install).
 */
export function fixCdktfHclRendering(options: FixCdktfHclRenderingOptions = {}): void {
  const root = options.cdktfRoot ?? path.dirname(require.resolve("cdktf/package.json"));
  const renderFile = require.resolve(path.join(root, "lib/hcl/render"));
  // The very module objects cdktf's own code holds: only require() reaches them by path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const render = require(renderFile) as Record<string | symbol, unknown>;
  if (typeof render.unwrapInterpolationOnlyValues === "function") return;

  const patchFile = hclRendererPatch(root);
  const patch = readFileSync(packageFile(patchFile), "utf8");
  const fixedSource = applyHunks(readFileSync(renderFile, "utf8"), patchHunks(patch, "lib/hcl/render.js"), "cdktf/lib/hcl/render.js", patchFile);
  const fixed = new Module(renderFile, module);
  fixed.filename = renderFile;
  fixed.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(renderFile));
  (fixed as unknown as { _compile(code: string, file: string): void })._compile(fixedSource, renderFile);
  // Callers reach the renderer through this exports object, so replacing its functions fixes them.
  Object.assign(render, fixed.exports);

  // The stack's one change in the patch: unwrap interpolation-only values in the rendered text.
  const unwrap = render.unwrapInterpolationOnlyValues as (hcl: string) => string;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TerraformStack } = require(require.resolve(path.join(root, "lib/terraform-stack"))) as {
    TerraformStack: { prototype: { toHclTerraform(): { hcl: string; metadata: unknown } } };
  };
  const original = TerraformStack.prototype.toHclTerraform;
  if ((original as unknown as Record<symbol, boolean>)[FIXED]) return;
  const wrapped = function (this: unknown) {
    const result = original.call(this);
    return { ...result, hcl: unwrap(result.hcl) };
  };
  (wrapped as unknown as Record<symbol, boolean>)[FIXED] = true;
  TerraformStack.prototype.toHclTerraform = wrapped;
}
