/**
 * `npm run fuzz [-- --runs N --seed S]`: N generated blueprints (default 10,000) in four equal parts:
 * valid ones from two generators (validated, then every stack synthesized), mutated examples and
 * edited example files (validated; the accepted ones synthesized). Any exception but a
 * BlueprintConfigError is a crash: it is printed with its seed and index, and the run exits 1.
 */
import { App } from "cdktf";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Blueprint, BlueprintConfigError, parseBlueprintText, validateBlueprint } from "../config";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint } from "../stacks";
import { exampleText, mutatedExample, mutatedExampleText, validBlueprint, variedBlueprint } from "../test/helpers/arbitraries";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const runs = option("runs", 10000);
const seed = option("seed", Date.now() % 2147483647);
const outdir = mkdtempSync(path.join(tmpdir(), "outposts-eks-fuzz-"));

function synthesize(blueprint: Blueprint): void {
  const app = new App({ outdir, context: { ...BLUEPRINT_APP_CONTEXT } });
  buildBlueprint(app, blueprint);
  app.synth();
}

const started = Date.now();
const counts = { valid: 0, mutatedAccepted: 0, mutatedRejected: 0, crashes: 0 };
try {
  const quarter = Math.floor(runs / 4);
  const valid = [
    ...fc.sample(validBlueprint, { numRuns: runs - 3 * quarter, seed }),
    ...fc.sample(variedBlueprint, { numRuns: quarter, seed: seed + 1 }),
  ];
  const crash = (what: string, index: number, error: unknown) => {
    counts.crashes += 1;
    process.stderr.write(`fuzz: crash in ${what} #${index} (seed ${seed}): ${error instanceof Error ? error.stack : String(error)}\n`);
  };
  valid.forEach((raw, i) => {
    try {
      synthesize(validateBlueprint(raw, "generated"));
      counts.valid += 1;
    } catch (error) {
      crash("valid blueprint", i, error);
    }
  });
  /** Validates what `read` returns; synthesizes it when accepted (unless it is `known`, already synthesized). */
  const answer = (what: string, i: number, read: () => unknown, known?: (blueprint: Blueprint) => boolean) => {
    let blueprint: Blueprint;
    try {
      blueprint = validateBlueprint(read(), what);
    } catch (error) {
      if (error instanceof BlueprintConfigError && error.problems.length > 0) counts.mutatedRejected += 1;
      else crash(`${what} (validation)`, i, error);
      return;
    }
    counts.mutatedAccepted += 1;
    if (known?.(blueprint)) return;
    try {
      synthesize(blueprint);
    } catch (error) {
      crash(`${what} (synthesis)`, i, error);
    }
  };
  fc.sample(mutatedExample, { numRuns: quarter, seed: seed + 2 }).forEach(({ raw }, i) => answer("mutated example", i, () => raw));
  const originals = new Map<string, string>();
  const original = (example: string) => {
    if (!originals.has(example)) originals.set(example, JSON.stringify(validateBlueprint(parseBlueprintText(exampleText(example), example))));
    return originals.get(example)!;
  };
  fc.sample(mutatedExampleText, { numRuns: quarter, seed: seed + 3 }).forEach(({ example, text }, i) =>
    // An edit inside a comment leaves the example's own blueprint: synthesized once is enough.
    answer("edited example file", i, () => parseBlueprintText(text, example), (blueprint) => JSON.stringify(blueprint) === original(example)),
  );
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
const seconds = (Date.now() - started) / 1000;
process.stdout.write(`fuzz: ${runs} blueprints in ${seconds.toFixed(1)} s (seed ${seed}): ${JSON.stringify(counts)}\n`);
process.exit(counts.crashes > 0 ? 1 : 0);
