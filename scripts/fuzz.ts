/**
 * `npm run fuzz [-- --runs N --seed S]`: N generated blueprints (default 10,000), alternating valid
 * ones (validated, then every stack synthesized in memory) and mutated examples (validated; the
 * accepted ones synthesized). Any exception but a BlueprintConfigError is a crash: it is printed
 * with its seed and index, and the run exits 1.
 */
import { App } from "cdktf";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Blueprint, BlueprintConfigError, validateBlueprint } from "../config";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint } from "../stacks";
import { mutatedExample, validBlueprint } from "../test/helpers/arbitraries";

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
  const valid = fc.sample(validBlueprint, { numRuns: Math.ceil(runs / 2), seed });
  const mutated = fc.sample(mutatedExample, { numRuns: Math.floor(runs / 2), seed: seed + 1 });
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
  mutated.forEach(({ raw }, i) => {
    let blueprint: Blueprint;
    try {
      blueprint = validateBlueprint(raw, "mutated");
    } catch (error) {
      if (error instanceof BlueprintConfigError && error.problems.length > 0) counts.mutatedRejected += 1;
      else crash("mutated example (validation)", i, error);
      return;
    }
    try {
      synthesize(blueprint);
      counts.mutatedAccepted += 1;
    } catch (error) {
      crash("mutated example (synthesis)", i, error);
    }
  });
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
const seconds = (Date.now() - started) / 1000;
process.stdout.write(`fuzz: ${runs} blueprints in ${seconds.toFixed(1)} s (seed ${seed}): ${JSON.stringify(counts)}\n`);
process.exit(counts.crashes > 0 ? 1 : 0);
