/**
 * `npm run bench`: the project's time and memory budgets, measured in child processes so each figure
 * includes module loading, as a user pays it. Absolute times drift between runs on these shared
 * machines, so each budget is a ratio against a floor measured in the same run:
 *
 *   - the compiled app for the default blueprint against a minimal cdktf app (one provider, one VPC,
 *     deep imports): what our own code costs beyond cdktf itself;
 *   - `cdktf synth` of the default blueprint against `cdktf synth` of the naive app that `cdktf init`
 *     writes (a root import of @cdktf/provider-aws, the TypeScript loaded at run time);
 *   - generated blueprints with 1 to 16 racks against 1 rack: how cost grows with size;
 *   - validation of large blueprints (n and 4n Outposts or subnets): CPU time grows linearly;
 *   - fleets of 1 to 1,000 generated sites (docs/fleets.md): time and peak memory against one site,
 *     and one site selected in the fleet of 1,000 against a single blueprint (BENCH_ONLY=fleet runs
 *     these alone; the 1,000-site fleet runs once);
 *   - a 10 MB file, rejected by its size, against the floor.
 *
 * Each figure is the best of BENCH_RUNS runs (default 3; the app and its floor BENCH_RUNS + 2, the two
 * cdktf synths 2), the sides of a ratio measured in turn: the least disturbed by whatever else the
 * machine does. Peak RSS is the largest single process (getrusage of the waited-for children, via
 * python3). Set BENCH_TESTS=1 to time `npm test` as well (its budget, 45 s, is absolute: it is the
 * developers' guide's). The tests assert none of this: a busy machine must not fail them.
 */
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";
import { BlueprintConfigError, mergeSite, SITES_ENV } from "../config";
import { FLEET_CACHE_ENV } from "../config/fleet-cache";
import { GENERATED_FLEET_BASE, generatedSite, generatedSiteName, writeGeneratedFleet } from "../test/helpers/large-fleets";
import { LARGE_LISTS, leastCpuSeconds, validationOutcome } from "../test/helpers/large-blueprints";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measurement {
  seconds: number;
  peakMb: number;
  /** CPU time (user and system) of the command: what a loaded machine's wall time hides. */
  cpuSeconds: number;
}

const MEASURE = `
import resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{code} {wall:.3f} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime:.3f}")
`;

function measure(command: string[], env: Record<string, string>, expectedCode = 0, cwd = ROOT): Measurement {
  const run = spawnSync("python3", ["-c", MEASURE, ...command], {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1", ...env },
    encoding: "utf8",
  });
  const [code, seconds, peakKb, cpuSeconds] = run.stdout.trim().split(" ").map(Number);
  if (code !== expectedCode) throw new Error(`${command.join(" ")} exited ${code}: ${run.stderr}`);
  return { seconds, peakMb: peakKb / 1024, cpuSeconds };
}

/** The least of several measurements: the run least disturbed by whatever else the machine does. */
function least(results: readonly Measurement[]): Measurement {
  return { seconds: Math.min(...results.map((r) => r.seconds)), peakMb: Math.min(...results.map((r) => r.peakMb)), cpuSeconds: Math.min(...results.map((r) => r.cpuSeconds)) };
}

/** The best of several runs of one command. */
function best(command: string[], env: Record<string, string>, runs = RUNS, expectedCode = 0, cwd = ROOT): Measurement {
  return least(Array.from({ length: runs }, () => measure(command, env, expectedCode, cwd)));
}

function rackBlueprint(count: number): Record<string, unknown> {
  const outposts = Array.from({ length: count }, (_, i) => ({
    name: `rack-${i + 1}`,
    arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${(i + 1).toString(16).padStart(17, "0")}`,
    formFactor: "rack",
    availabilityZone: `us-west-2${"ab"[i % 2]}`,
    subnet: { cidr: `10.0.${16 + i}.0/24` },
    localGatewayRouteTableId: `lgw-rtb-${(i + 1).toString(16).padStart(17, "0")}`,
    onPremCidrs: ["192.168.0.0/16"],
  }));
  return {
    name: `bench-${count}`,
    region: "us-west-2",
    variant: "extended",
    kubernetesVersion: "1.33",
    network: {
      vpc: { cidr: "10.0.0.0/16" },
      regionalSubnets: [
        { availabilityZone: "us-west-2a", cidr: "10.0.1.0/24" },
        { availabilityZone: "us-west-2b", cidr: "10.0.2.0/24" },
      ],
    },
    outposts,
    nodeGroups: outposts.map((outpost) => ({ name: `${outpost.name}-workers`, outpost: outpost.name, instanceType: "m5.xlarge" })),
  };
}

/**
 * Generated fleets of one-rack stores (test/helpers/large-fleets.ts), synthesized by the compiled app:
 * the whole fleet of 10 to 1,000 sites against one site (time and peak memory; at 1,000 sites the
 * issue's targets, 120x and 10x, and the same per-site shares at 200: 24x and 10x), and one site
 * selected by OUTPOSTS_EKS_SITES in the fleet of 1,000 against that site as a single blueprint
 * (targets 1.5x both). The 1,000-site fleet runs once (about a minute and a half), the rest best of RUNS.
 */
function benchFleets(scratch: string, app: string[], outdir: string, report: (ratio: Ratio) => void): void {
  const files = new Map<number, string>();
  const fleetCache = path.join(scratch, "fleet-cache");
  const fleetAt = (count: number) => files.get(count) ?? files.set(count, writeGeneratedFleet(scratch, count)).get(count)!;
  const fleet = (count: number, runs = RUNS) => {
    rmSync(outdir, { recursive: true, force: true });
    return best(app, { CDKTF_OUTDIR: outdir, BLUEPRINT_CONFIG: fleetAt(count), [FLEET_CACHE_ENV]: fleetCache }, runs);
  };
  const one = fleet(1);
  console.log(`${"fleet of 1 site (4 stacks)".padEnd(58)} ${figure(one)}`);
  const targets: Record<number, { time?: number; memory?: number }> = { 200: { time: 24, memory: 10 }, 1000: { time: 120, memory: 10 } };
  for (const count of [10, 50, 200, 1000]) {
    const many = fleet(count, count >= 1000 ? 1 : RUNS);
    const target = targets[count] ?? { time: count };
    report({ label: `fleet app, ${count} sites / 1 site: time`, value: many.seconds / one.seconds, target: target.time, detail: `${figure(many)} against ${figure(one)}; CPU ${cpuRatio(many, one)}` });
    report({ label: `fleet app, ${count} sites / 1 site: peak memory`, value: many.peakMb / one.peakMb, target: target.memory, detail: `${many.peakMb.toFixed(0)} MB against ${one.peakMb.toFixed(0)} MB` });
  }
  const single = path.join(scratch, "site-0001.yaml");
  // The first site's blueprint as the fleet builds it: the base with the site merged in, less the fleet's own field.
  const site = generatedSite(0);
  delete site.sharedNetwork;
  writeFileSync(single, stringify(mergeSite(structuredClone(GENERATED_FLEET_BASE), site)));
  // The validated fleet is cached between runs (config/fleet-cache.ts): warm, as a team deploying a
  // wave site by site runs; cold (the cache off), as a fresh checkout's first run does.
  const selectedRun = (cache: string) => () => measure(app, { CDKTF_OUTDIR: outdir, BLUEPRINT_CONFIG: fleetAt(1000), [SITES_ENV]: generatedSiteName(0), [FLEET_CACHE_ENV]: cache });
  const [alone, selected] = bestPair(() => measure(app, { CDKTF_OUTDIR: outdir, BLUEPRINT_CONFIG: single }), selectedRun(fleetCache), RUNS);
  report({ label: "1 site selected of 1,000 / the site as one blueprint: time", value: selected.seconds / alone.seconds, target: 1.5, detail: `${figure(selected)} against ${figure(alone)}; CPU ${cpuRatio(selected, alone)}` });
  report({ label: "1 site selected of 1,000 / the site as one blueprint: memory", value: selected.peakMb / alone.peakMb, target: 1.5, detail: `${selected.peakMb.toFixed(0)} MB against ${alone.peakMb.toFixed(0)} MB` });
  const cold = least([selectedRun("off")(), selectedRun("off")()]);
  report({ label: "the same, fleet cache off (a fresh checkout): time", value: cold.seconds / alone.seconds, detail: `${figure(cold)} against ${figure(alone)}; CPU ${cpuRatio(cold, alone)}` });
}

/** A minimal cdktf app as its authors would write it for speed: one provider, one VPC, deep imports. */
const FLOOR_APP = `const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { Vpc } = require("@cdktf/provider-aws/lib/vpc");
const app = new App();
const stack = new TerraformStack(app, "floor");
new AwsProvider(stack, "aws", { region: "us-west-2" });
new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
app.synth();
`;

/**
 * The app \`cdktf init --template typescript\` writes, with the same VPC: TypeScript at run time and a
 * root import of the provider package (the cost this project's own code avoids), written into the
 * naive app's folder, never imported here.
 */
const AWS_PROVIDER_PACKAGE = "@cdktf/provider-aws";
const NAIVE_APP = `import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";
import { provider, vpc } from "${AWS_PROVIDER_PACKAGE}";

class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new provider.AwsProvider(this, "aws", { region: "us-west-2" });
    new vpc.Vpc(this, "vpc", { cidrBlock: "10.0.0.0/16" });
  }
}

const app = new App();
new MyStack(app, "naive");
app.synth();
`;

interface Ratio {
  label: string;
  value: number;
  target?: number;
  detail: string;
}

function ratioRow({ label, value, target, detail }: Ratio): string {
  const verdict = target === undefined ? "" : value <= target ? `  within target (<= ${target.toFixed(2)}x)` : `  OVER TARGET (<= ${target.toFixed(2)}x)`;
  return `${label.padEnd(58)} ${value.toFixed(2).padStart(6)}x${verdict}\n${"".padEnd(60)}${detail}`;
}

/** The CPU-time ratio of two measurements, for the detail line: steadier than wall time on a loaded machine. */
const cpuRatio = (a: Measurement, b: Measurement) => `${(a.cpuSeconds / b.cpuSeconds).toFixed(2)}x (${a.cpuSeconds.toFixed(2)} s against ${b.cpuSeconds.toFixed(2)} s)`;

const figure = (m: Measurement) => `${m.seconds.toFixed(2)} s, ${m.peakMb.toFixed(0)} MB`;

/**
 * Two commands measured in turn, best of `runs` each: whatever else the machine does then weighs on
 * both alike, which is what keeps their ratio steady.
 */
function bestPair(a: () => Measurement, b: () => Measurement, runs: number): [Measurement, Measurement] {
  const first: Measurement[] = [];
  const second: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    first.push(a());
    second.push(b());
  }
  return [least(first), least(second)];
}

function main(): void {
  const scratch = mkdtempSync(path.join(tmpdir(), "outposts-eks-bench-"));
  const outdir = path.join(scratch, "cdktf.out");
  const naiveDir = path.join(scratch, "naive");
  mkdirSync(naiveDir);
  symlinkSync(path.join(ROOT, "node_modules"), path.join(naiveDir, "node_modules"), "dir");
  writeFileSync(path.join(naiveDir, "floor.js"), FLOOR_APP);
  writeFileSync(path.join(naiveDir, "main.ts"), NAIVE_APP);
  // cdktf init writes `npx ts-node main.ts`; tsx (a dev dependency here) stands in for ts-node and is faster, so the ratio is not flattered.
  writeFileSync(path.join(naiveDir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx tsx main.ts", terraformProviders: [], context: {} }));
  // cdktf.json's app: the incremental swc build, then the compiled app in one node process.
  spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-app.mjs")], { cwd: ROOT, stdio: "inherit" });
  const app = [process.execPath, path.join(ROOT, ".app", "main.js")];
  const cli = (dir: string) => [process.execPath, path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth", "--output", path.join(dir === ROOT ? scratch : dir, "cdktf.out")];
  const ratios: Ratio[] = [];
  const report = (ratio: Ratio) => {
    ratios.push(ratio);
    console.log(ratioRow(ratio));
  };
  try {
    console.log(`outposts-eks bench: ratios against floors measured in this run, best of ${RUNS} runs (wall, peak RSS of the largest process)\n`);
    if (process.env.BENCH_ONLY === "fleet") return benchFleets(scratch, app, outdir, report);
    const runFloor = () => measure([process.execPath, "floor.js"], { CDKTF_OUTDIR: path.join(naiveDir, "floor.out") }, 0, naiveDir);
    const [floor, compiled] = bestPair(runFloor, () => measure(app, { CDKTF_OUTDIR: outdir }), RUNS + 2);
    report({ label: "compiled app, default blueprint / minimal cdktf app", value: compiled.seconds / floor.seconds, target: 2.0, detail: `${figure(compiled)} against ${figure(floor)}` });
    const cliRuns = Math.min(RUNS, 2);
    const [naive, ours] = bestPair(() => measure(cli(naiveDir), {}, 0, naiveDir), () => measure(cli(ROOT), {}), cliRuns);
    report({ label: "cdktf synth, default blueprint / cdktf synth, cdktf-init app", value: ours.seconds / naive.seconds, target: 0.3, detail: `${figure(ours)} against ${figure(naive)}` });
    const build = best([process.execPath, path.join(ROOT, "scripts", "build-app.mjs")], {});
    report({ label: "incremental app build, nothing changed / minimal cdktf app", value: build.seconds / floor.seconds, detail: `${figure(build)} against ${figure(floor)}` });

    const racks = (count: number) => {
      const file = path.join(scratch, `racks-${count}.yaml`);
      writeFileSync(file, stringify(rackBlueprint(count)));
      return best(app, { CDKTF_OUTDIR: outdir, BLUEPRINT_CONFIG: file });
    };
    const oneRack = racks(1);
    for (const count of [4, 16]) {
      const many = racks(count);
      // Per-process costs (node, cdktf, the providers' modules) dominate; the rest must grow at most linearly.
      report({ label: `app, ${count} racks / 1 rack`, value: many.seconds / oneRack.seconds, target: count, detail: `${figure(many)} against ${figure(oneRack)}` });
    }
    benchFleets(scratch, app, outdir, report);

    for (const [what, size, grow] of LARGE_LISTS) {
      const validate = (n: number) => {
        const raw = grow(n);
        return leastCpuSeconds(() => {
          const outcome = validationOutcome(raw);
          if (!(outcome instanceof BlueprintConfigError)) throw new Error(`bench: a large blueprint of ${what} was not rejected as expected: ${String(outcome)}`);
        }, RUNS);
      };
      validate(size); // warm the JIT, so the smaller size is not charged for it
      const small = validate(size);
      const large = validate(4 * size);
      report({ label: `validation CPU, ${4 * size} / ${size} ${what}`, value: large / small, target: 6, detail: `${large.toFixed(3)} s against ${small.toFixed(3)} s (linear: 4x, quadratic: 16x)` });
    }

    const big = path.join(scratch, "big.yaml");
    writeFileSync(big, `name: big\nnetwork:\n  regionalSubnets:\n${Array.from({ length: 162000 }, (_, i) => `    - { availabilityZone: us-west-2a, cidr: 10.${i % 256}.${(i >> 8) % 256}.0/24 }`).join("\n")}\n`);
    const rejected = best(app, { CDKTF_OUTDIR: outdir, BLUEPRINT_CONFIG: big }, RUNS, 1);
    report({ label: "app, a 10 MB blueprint (rejected by its size) / minimal cdktf app", value: rejected.seconds / floor.seconds, target: 2.0, detail: `${figure(rejected)} against ${figure(floor)}` });
    if (process.env.BENCH_TESTS === "1") {
      const tests = best(["npm", "test", "--silent"], {}, 1);
      console.log(`\nnpm test: ${figure(tests)}${tests.seconds <= 45 ? "  within budget (<= 45 s)" : "  OVER BUDGET (<= 45 s)"}`);
    }
    const over = ratios.filter((r) => r.target !== undefined && r.value > r.target);
    console.log(over.length === 0 ? "\nevery ratio within its target" : `\n${over.length} ratio(s) over target: ${over.map((r) => r.label).join("; ")}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
