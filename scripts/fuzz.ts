/**
 * `npm run fuzz [-- --runs N --seed S]`: N generated blueprints (default 10,000), alternating valid
 * ones (validated, then every stack synthesized in memory) and mutated examples (validated; the
 * accepted ones synthesized). Any exception but a BlueprintConfigError is a crash: it is printed
 * with its seed and index, and the run exits 1.
 *
 * cdktf keeps every token it ever made in a process-wide map, so one process cannot synthesize
 * thousands of apps: the run is cut into batches of BATCH blueprints, each in a child process.
 */
import { spawnSync } from "child_process";
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

const BATCH = 500;
const runs = option("runs", 10000);
const seed = option("seed", Date.now() % 2147483647);
/** Set in a child: the first and last index (exclusive) of this batch. */
const from = option("from", -1);
const to = option("to", -1);

if (from < 0) {
  const started = Date.now();
  const total = { valid: 0, mutatedAccepted: 0, mutatedRejected: 0, crashes: 0 };
  for (let start = 0; start < runs; start += BATCH) {
    const args = [...process.execArgv, __filename, "--runs", String(runs), "--seed", String(seed), "--from", String(start), "--to", String(Math.min(runs, start + BATCH))];
    const child = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
    const counts = /counts (\{.*\})/.exec(child.stdout ?? "");
    if (!counts) {
      process.stderr.write(`fuzz: batch from ${start} ended without counts (status ${child.status}, signal ${child.signal})\n${child.stdout}\n`);
      total.crashes += 1;
      continue;
    }
    for (const [key, value] of Object.entries(JSON.parse(counts[1]) as typeof total)) total[key as keyof typeof total] += value;
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`fuzz: ${runs} blueprints in ${seconds.toFixed(1)} s (seed ${seed}): ${JSON.stringify(total)}\n`);
  process.exit(total.crashes > 0 ? 1 : 0);
}

const outdir = mkdtempSync(path.join(tmpdir(), "outposts-eks-fuzz-"));

function synthesize(blueprint: Blueprint): void {
  const app = new App({ outdir, context: { ...BLUEPRINT_APP_CONTEXT } });
  buildBlueprint(app, blueprint);
  app.synth();
}

const counts = { valid: 0, mutatedAccepted: 0, mutatedRejected: 0, crashes: 0 };
try {
  // Blueprint i of the run: even indexes are valid blueprints, odd ones mutated examples.
  const valid = fc.sample(validBlueprint, { numRuns: Math.ceil(to / 2), seed }).slice(Math.ceil(from / 2));
  const mutated = fc.sample(mutatedExample, { numRuns: Math.floor(to / 2), seed: seed + 1 }).slice(Math.floor(from / 2));
  const crash = (what: string, index: number, error: unknown) => {
    counts.crashes += 1;
    process.stderr.write(`fuzz: crash in ${what} #${index} (seed ${seed}): ${error instanceof Error ? error.stack : String(error)}\n`);
  };
  valid.forEach((raw, i) => {
    try {
      synthesize(validateBlueprint(raw, "generated"));
      counts.valid += 1;
    } catch (error) {
      crash("valid blueprint", Math.ceil(from / 2) + i, error);
    }
  });
  mutated.forEach(({ raw }, i) => {
    let blueprint: Blueprint;
    try {
      blueprint = validateBlueprint(raw, "mutated");
    } catch (error) {
      if (error instanceof BlueprintConfigError && error.problems.length > 0) counts.mutatedRejected += 1;
      else crash("mutated example (validation)", Math.floor(from / 2) + i, error);
      return;
    }
    try {
      synthesize(blueprint);
      counts.mutatedAccepted += 1;
    } catch (error) {
      crash("mutated example (synthesis)", Math.floor(from / 2) + i, error);
    }
  });
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
process.stdout.write(`counts ${JSON.stringify(counts)}\n`);
