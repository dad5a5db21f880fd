/**
 * `npm run fuzz [-- --runs N --seed S]`: N generated blueprints (default 10,000) in four equal parts:
 * valid ones from two generators (validated, then every stack synthesized), mutated examples and
 * edited example files (validated; the accepted ones synthesized). Any exception but a
 * BlueprintConfigError is a crash: it is printed with its seed and index, and the run exits 1.
 *
 * cdktf keeps every token it ever made in a process-wide map, so one process cannot synthesize
 * thousands of apps (10,000 ran out of heap): a run longer than BATCH is cut into child processes of
 * BATCH blueprints, batch b with seed S + b * BATCH_SEED_STEP. A crash prints its batch's seed, so
 * `npm run fuzz -- --runs 500 --seed <that seed>` reproduces it.
 */
import { spawnSync } from "child_process";
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

const BATCH = 500;
const BATCH_SEED_STEP = 7919;
const runs = option("runs", 10000);
const seed = option("seed", Date.now() % 2147483647);

if (runs > BATCH) {
  const started = Date.now();
  const total = { valid: 0, mutatedAccepted: 0, mutatedRejected: 0, crashes: 0 };
  for (let b = 0; b * BATCH < runs; b++) {
    const batchRuns = Math.min(BATCH, runs - b * BATCH);
    const args = [...process.execArgv, __filename, "--runs", String(batchRuns), "--seed", String(seed + b * BATCH_SEED_STEP)];
    const child = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
    const counts = /: (\{.*\})\s*$/.exec(child.stdout ?? "");
    if (!counts) {
      process.stderr.write(`fuzz: batch ${b} (seed ${seed + b * BATCH_SEED_STEP}) ended without counts (status ${child.status}, signal ${child.signal})\n`);
      total.crashes += 1;
      continue;
    }
    for (const [key, value] of Object.entries(JSON.parse(counts[1]) as typeof total)) total[key as keyof typeof total] += value;
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`fuzz: ${runs} blueprints in ${seconds.toFixed(1)} s (seed ${seed}, ${BATCH} a batch): ${JSON.stringify(total)}\n`);
  process.exit(total.crashes > 0 ? 1 : 0);
}

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
