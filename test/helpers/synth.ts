/**
 * Synthesizes a blueprint the way `cdktf synth` does (whole app, so remote state and dependencies
 * are prepared) into a temporary directory, as JSON or as formatted HCL.
 */
import { format } from "@cdktf/hcl-tools";
import { App } from "cdktf";
import { createHash } from "crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { Blueprint, loadBlueprint, validateBlueprint } from "../../config";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint, BlueprintStacks } from "../../stacks";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");
export const EXAMPLES_DIR = path.join(PROJECT_ROOT, "examples");
export const EXAMPLES = readdirSync(EXAMPLES_DIR)
  .filter((file) => file.endsWith(".yaml"))
  .sort();

/** The examples of distribution eks (the default): all four stacks. Suites of the EKS layers iterate these. */
export const EKS_EXAMPLES = EXAMPLES.filter((file) => (rawExample(file).distribution ?? "eks") === "eks");
/** The network-only examples (distribution openshift or hypershift): the network stack alone. */
export const NETWORK_ONLY_EXAMPLES = EXAMPLES.filter((file) => !EKS_EXAMPLES.includes(file));

export function loadExample(file: string): Blueprint {
  return loadBlueprint(path.join(EXAMPLES_DIR, file));
}

/** A copy of an example's raw YAML data with `change` applied, validated again. */
export function exampleWith(file: string, change: (raw: Record<string, any>) => void): Blueprint {
  const raw = structuredClone(rawExample(file));
  change(raw);
  return validateBlueprint(raw, file);
}

export function rawExample(file: string): Record<string, any> {
  return parseYaml(readFileSync(path.join(EXAMPLES_DIR, file), "utf8"));
}

export interface SynthResult {
  readonly outdir: string;
  /** The stacks as constructed; only when this call synthesized (`fresh: true` guarantees it). */
  readonly stacks?: BlueprintStacks;
  /** Names of the synthesized stacks. */
  readonly stackNames: string[];
  /** The stack's synthesized file: cdk.tf.json, or cdk.tf for HCL. */
  file(stack: string): string;
  /** The parsed cdk.tf.json of a stack (JSON synthesis only). */
  json(stack: string): Record<string, any>;
  dispose(): void;
}

/**
 * Test files synthesize the same blueprints many times over (every example, in every layer's
 * suite): within one `jest` run, a synthesis is kept on disk under SYNTH_CACHE_DIR (set by
 * test/global-setup.ts) by a hash of the blueprint, and later requests read it back. `fresh: true`
 * bypasses the cache, for the test that proves synthesis is deterministic.
 */
const SYNTH_CACHE_DIR = process.env.OUTPOSTS_EKS_SYNTH_CACHE;

function cacheKey(blueprint: Blueprint, hcl: boolean): string {
  return createHash("sha256").update(JSON.stringify(blueprint)).update(hcl ? ":hcl" : ":json").digest("hex").slice(0, 32);
}

function resultAt(outdir: string, hcl: boolean, dispose: () => void, stacks?: BlueprintStacks): SynthResult {
  const stackNames = readdirSync(path.join(outdir, "stacks")).sort();
  const filePath = (stack: string) => path.join(outdir, "stacks", stack, hcl ? "cdk.tf" : "cdk.tf.json");
  return {
    outdir,
    stacks,
    stackNames,
    file: (stack) => readFileSync(filePath(stack), "utf8"),
    json: (stack) => JSON.parse(readFileSync(filePath(stack), "utf8")),
    dispose,
  };
}

async function synthInto(outdir: string, blueprint: Blueprint, hcl: boolean): Promise<BlueprintStacks> {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  // Stacks read this when constructed; the CLI's --hcl sets the same variable.
  process.env.SYNTH_HCL_OUTPUT = hcl ? "true" : "false";
  let stacks: BlueprintStacks;
  try {
    const app = new App({ outdir, skipValidation: false, context: { ...BLUEPRINT_APP_CONTEXT } });
    stacks = buildBlueprint(app, blueprint);
    app.synth();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  if (hcl) {
    // `cdktf synth --hcl` formats the files with this same formatter after synthesis.
    for (const stack of readdirSync(path.join(outdir, "stacks"))) {
      const file = path.join(outdir, "stacks", stack, "cdk.tf");
      writeFileSync(file, await format(readFileSync(file, "utf8")));
    }
  }
  return stacks;
}

/** Synthesizes every stack of the blueprint (or reads this run's earlier synthesis of it). */
export async function synthBlueprint(blueprint: Blueprint, options: { hcl?: boolean; fresh?: boolean } = {}): Promise<SynthResult> {
  const hcl = options.hcl ?? false;
  if (SYNTH_CACHE_DIR && !options.fresh) {
    const cached = path.join(SYNTH_CACHE_DIR, cacheKey(blueprint, hcl));
    let stacks: BlueprintStacks | undefined;
    if (!existsSync(cached)) {
      const staging = mkdtempSync(path.join(SYNTH_CACHE_DIR, "staging-"));
      stacks = await synthInto(staging, blueprint, hcl);
      try {
        renameSync(staging, cached);
      } catch {
        // Another worker stored the same synthesis first: keep theirs.
        rmSync(staging, { recursive: true, force: true });
      }
    }
    // Shared with later readers: disposing leaves it in place.
    return resultAt(cached, hcl, () => undefined, stacks);
  }
  const outdir = mkdtempSync(path.join(tmpdir(), "outposts-eks-synth-"));
  const stacks = await synthInto(outdir, blueprint, hcl);
  return resultAt(outdir, hcl, () => rmSync(outdir, { recursive: true, force: true }), stacks);
}

/** All resources of a type in a synthesized stack, by logical ID. */
export function resourcesOf(stackJson: Record<string, any>, type: string): Record<string, any> {
  return stackJson.resource?.[type] ?? {};
}

export function dataSourcesOf(stackJson: Record<string, any>, type: string): Record<string, any> {
  return stackJson.data?.[type] ?? {};
}

/**
 * What a data source argument set to `one(data.<plural>.<name>.<attribute>)` reads
 * (modules/shared/lookups.ts): the plural lookup's filter and the condition and message of its
 * postcondition; undefined when the argument is no such reference.
 */
export function lookupBehind(stackJson: Record<string, any>, argument: unknown): { filter: unknown; condition: string; errorMessage: string } | undefined {
  const match = typeof argument === "string" ? /^\$\{one\(data\.([\w-]+)\.([\w-]+)\.(\w+)\)\}$/.exec(argument) : null;
  const lookup = match ? dataSourcesOf(stackJson, match[1])[match[2]] : undefined;
  const [check] = lookup?.lifecycle?.postcondition ?? [];
  return lookup && check ? { filter: lookup.filter, condition: check.condition, errorMessage: check.error_message } : undefined;
}

/** The single resource of a type whose construct path ends with `pathSuffix`. */
export function resourceAt(stackJson: Record<string, any>, type: string, pathSuffix: string): Record<string, any> {
  const matches = Object.values(resourcesOf(stackJson, type)).filter((r: any) => r["//"]?.metadata?.path?.endsWith(pathSuffix));
  if (matches.length !== 1) throw new Error(`expected one ${type} at *${pathSuffix}, found ${matches.length}`);
  return matches[0];
}

/** Resources or data sources keyed by construct path, the stack's name taken off the front. */
export function byPath(blocks: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.values(blocks).map((block: any) => [block["//"].metadata.path.replace(/^[^/]+\//, ""), block]));
}

/** The one block of a map, failing when there is not exactly one. */
export function only(blocks: Record<string, any>): Record<string, any> {
  const values = Object.values(blocks);
  if (values.length !== 1) throw new Error(`expected exactly one, found ${values.length}`);
  return values[0];
}
