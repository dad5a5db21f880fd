/**
 * `npm run test:cdk-terrain`: the same sources on CDK Terrain 0.24 (docs/cdk-terrain.md).
 *
 * 1. Installs the CDK Terrain set (scripts/cdk-terrain-lib.ts) into a scratch directory, never the
 *    project's package-lock.json or node_modules: node_modules/.cache/outposts-eks-cdk-terrain/<key>,
 *    the key a hash of the scratch package.json and the project's package-lock.json, so a second run
 *    reuses it. A Node 22 from the registry (`node@22`) goes beside it, for the CLI.
 * 2. Copies the sources there unchanged, type-checks them against CDK Terrain's bindings
 *    (`tsc -p tsconfig.build.json`) and builds the app.
 * 3. Synthesizes every example with the app (JSON, and HCL as `npm run synth:hcl` does), under cdktf
 *    (the project's own install) and under CDK Terrain, and diffs each stack: only the differences in
 *    ALLOWED_RUNTIME_DIFFERENCES pass. The instance-store example's HCL must carry its etcd arguments.
 * 4. Ejects the instance-store example under CDK Terrain (`npm run eject`'s code, transpiled there).
 *    Runs `cdktn synth` for one example under Node 22 (where it could be installed; said otherwise),
 *    and diffs its output against the app's.
 * 5. terraform validate of every CDK Terrain stack where terraform and a provider mirror exist
 *    (as test/stacks/terraform-validate.test.ts does, arguments newer than the mirror tolerated).
 *
 * `-- --inject-difference` changes one synthesized value under CDK Terrain first: the run must fail.
 * Exit code 0 when everything passed, 1 otherwise.
 */
import { parse as parseHcl } from "@cdktf/hcl2json";
import { spawnSync, SpawnSyncOptions } from "child_process";
import { createHash } from "crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { INSTANCE_STORE_ARGUMENTS, INSTANCE_STORE_MIN_AWS_PROVIDER } from "../modules/eks-control-plane";
import { awsProviderConstraint } from "../modules/shared/newer-provider-arguments";
import { findTerraformToolchain, validateWithTerraform, ValidationTarget } from "./terraform-toolchain";
import { cdkTerrainScratchPackage, classifyRuntimeDifferences, describeDifference, differencesOf, NODE_22_PACKAGE } from "./cdk-terrain-lib";

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "outposts-eks-cdk-terrain");
/** What the app needs beside node_modules: sources, the app builder, charts and patches it ships, examples. */
const COPIED = ["index.ts", "main.ts", "cli", "config", "modules", "stacks", "charts", "patches", "examples", "scripts/build-app.mjs", "tsconfig.json", "tsconfig.build.json", "cdktf.json", "package.json"];
/** The example `cdktn synth` runs for: the one whose aws arguments are newest. */
const CLI_EXAMPLE = "local-instance-store.yaml";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, read by path
type Json = Record<string, any>;
const failures: string[] = [];
const timings: string[] = [];

function timed<T>(label: string, run: () => T): T {
  const start = process.hrtime.bigint();
  const result = run();
  timings.push(`${label}: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);
  return result;
}

async function timedAsync<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await work();
  timings.push(`${label}: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);
  return result;
}

/** The CLI's environment: offline and quiet, as scripts/cdktf.mjs runs cdktf's (no telemetry, no version check). */
function quietCliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1", ...process.env, ...extra };
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

function run(command: string, args: readonly string[], options: SpawnSyncOptions & { what: string }): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    throw new Error(`${options.what} failed (exit ${result.status ?? result.signal}):\n${String(result.stderr ?? "").slice(-4000)}${String(result.stdout ?? "").slice(-2000)}`);
  }
  return String(result.stdout ?? "");
}

/** An npm install of `manifest` into `dir`, unless a completed one is there. Returns whether it installed. */
function installOnce(dir: string, manifest: Json, what: string): boolean {
  const done = path.join(dir, ".installed");
  if (existsSync(done)) return false;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, what });
  writeFileSync(done, new Date().toISOString());
  return true;
}

/** The examples: every blueprint file and the fleet. */
function examples(): string[] {
  const files = readdirSync(path.join(ROOT, "examples")).filter((file) => file.endsWith(".yaml")).sort();
  return [...files, ...(existsSync(path.join(ROOT, "examples", "fleet", "fleet.yaml")) ? ["fleet/fleet.yaml"] : [])];
}

/** Every stack of the app in `appDir` for the example, as JSON or HCL files, by stack name. */
function synthesize(appDir: string, example: string, format: "json" | "hcl", outdir: string): Record<string, string> {
  mkdirSync(outdir, { recursive: true });
  run(process.execPath, [path.join(appDir, ".app", "main.js")], {
    cwd: appDir,
    what: `synthesizing ${example} (${format}) in ${appDir}`,
    env: { ...process.env, BLUEPRINT_CONFIG: path.join("examples", example), CDKTF_OUTDIR: outdir, SYNTH_HCL_OUTPUT: format === "hcl" ? "true" : "false" },
  });
  const stacks = path.join(outdir, "stacks");
  const file = format === "json" ? "cdk.tf.json" : "cdk.tf";
  return Object.fromEntries(readdirSync(stacks).sort().map((stack) => [stack, readFileSync(path.join(stacks, stack, file), "utf8")]));
}

async function asJson(text: string, format: "json" | "hcl", name: string): Promise<Json> {
  return format === "json" ? JSON.parse(text) : ((await parseHcl(name, text)) as Json);
}

async function main(): Promise<void> {
  const inject = process.argv.includes("--inject-difference");
  const project = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const manifest = cdkTerrainScratchPackage(project);
  const key = createHash("sha256")
    .update(JSON.stringify(manifest))
    .update(readFileSync(path.join(ROOT, "package-lock.json")))
    .digest("hex")
    .slice(0, 16);
  const scratch = path.join(CACHE, key);
  const installed = timed("install of the CDK Terrain set", () => installOnce(scratch, manifest, "npm install of the CDK Terrain set"));
  console.log(`CDK Terrain set ${installed ? "installed" : "reused"} in ${path.relative(ROOT, scratch)}`);
  for (const stale of existsSync(CACHE) ? readdirSync(CACHE).filter((d) => d !== key && d !== "node22") : []) rmSync(path.join(CACHE, stale), { recursive: true, force: true });

  let node22: string | undefined;
  let node22Reason = "";
  try {
    timed(`install of ${NODE_22_PACKAGE}`, () => installOnce(path.join(CACHE, "node22"), { private: true, devDependencies: { node: NODE_22_PACKAGE.split("@")[1] } }, `npm install ${NODE_22_PACKAGE}`));
    node22 = path.join(CACHE, "node22", "node_modules", "node", "bin", "node");
    if (!existsSync(node22)) throw new Error(`${node22} is missing`);
  } catch (error) {
    node22 = undefined;
    node22Reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  }

  const work = mkdtempSync(path.join(tmpdir(), "outposts-eks-cdk-terrain-"));
  try {
    const appDir = path.join(work, "app");
    for (const entry of COPIED) cpSync(path.join(ROOT, entry), path.join(appDir, entry), { recursive: true });
    symlinkSync(path.join(scratch, "node_modules"), path.join(appDir, "node_modules"), "dir");
    const versions = run(process.execPath, ["-e", 'for (const p of ["cdktf", "@cdktf/provider-aws", "constructs"]) { const m = require(p + "/package.json"); console.log(`${p} -> ${m.name}@${m.version}`); }'], { cwd: appDir, what: "reading the installed set" });
    console.log(versions.trim());

    timed("type-check of the unchanged sources against CDK Terrain (tsc -p tsconfig.build.json --noEmit)", () =>
      run(process.execPath, [path.join(appDir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--noEmit"], { cwd: appDir, what: "tsc under CDK Terrain" }),
    );
    timed("app builds (cdktf and CDK Terrain)", () => {
      run(process.execPath, [path.join(ROOT, "scripts", "build-app.mjs")], { cwd: ROOT, what: "building the cdktf app" });
      run(process.execPath, [path.join(appDir, "scripts", "build-app.mjs")], { cwd: appDir, what: "building the CDK Terrain app" });
    });

    const validation: ValidationTarget[] = [];
    const synthesizedJson = new Map<string, Json>();
    const summary: string[] = [];
    await timedAsync("synthesis and diff of every example, JSON and HCL, under both runtimes", async () => {
      for (const example of examples()) {
        for (const format of ["json", "hcl"] as const) {
          const label = `${example.replace(/\.yaml$/, "")}.${format}`;
          const cdktf = synthesize(ROOT, example, format, path.join(work, "cdktf", label));
          const cdkTerrain = synthesize(appDir, example, format, path.join(work, "cdktn", label));
          if (inject && example === CLI_EXAMPLE && format === "json") {
            cdkTerrain.network = cdkTerrain.network.replace(/"cidr_block": "[^"]+"/, '"cidr_block": "10.99.0.0/16"');
          }
          const stacks = [...new Set([...Object.keys(cdktf), ...Object.keys(cdkTerrain)])];
          let allowed = 0;
          for (const stack of stacks) {
            if (!(stack in cdktf) || !(stack in cdkTerrain)) {
              failures.push(`${label} ${stack}: synthesized by ${stack in cdktf ? "cdktf" : "CDK Terrain"} only`);
              continue;
            }
            const differences = classifyRuntimeDifferences(
              differencesOf(await asJson(cdktf[stack], format, "cdk.tf"), await asJson(cdkTerrain[stack], format, "cdk.tf")),
            );
            allowed += differences.allowed.length;
            for (const unexpected of differences.unexpected) failures.push(`${label} ${stack}: ${describeDifference(unexpected)}`);
            // Every stack's JSON, and the HCL of the example whose HCL the renderer used to lose arguments of.
            if (format === "json") synthesizedJson.set(`${example} ${stack}`, JSON.parse(cdkTerrain[stack]));
            const json = synthesizedJson.get(`${example} ${stack}`);
            if (json && (format === "json" || example === CLI_EXAMPLE)) {
              const newer = json.terraform?.required_providers?.aws?.version === awsProviderConstraint(INSTANCE_STORE_MIN_AWS_PROVIDER);
              validation.push({ label: `${label} ${stack}`, format, content: cdkTerrain[stack], json, newerArguments: newer ? { aws_eks_cluster: INSTANCE_STORE_ARGUMENTS } : undefined });
            }
          }
          if (example === CLI_EXAMPLE && format === "hcl") {
            for (const argument of ["etcd_instance_type", "etcd_placement", "control_plane_placement"]) {
              if (!new RegExp(`^\\s*${argument}\\b`, "m").test(cdkTerrain["control-plane"] ?? "")) failures.push(`${label} control-plane: the HCL has no ${argument}`);
            }
          }
          summary.push(`  ${label}: ${stacks.length} stack(s), ${allowed} allowed difference(s)`);
        }
      }
    });
    console.log(["synthesized and compared:", ...summary].join("\n"));

    // The eject under CDK Terrain: the instance-store example's HCL must match its JSON, so it ejects.
    await timedAsync(`eject of ${CLI_EXAMPLE} under CDK Terrain`, async () => {
      // The app's build (.app/) holds the outposts-eks command: its eject, as a user runs it.
      const out = path.join(work, "ejected");
      run(process.execPath, [path.join(appDir, ".app", "cli", "outposts-eks.js"), "eject", "--out", out], {
        cwd: appDir,
        what: `outposts-eks eject of ${CLI_EXAMPLE} under CDK Terrain`,
        env: { ...process.env, BLUEPRINT_CONFIG: path.join("examples", CLI_EXAMPLE) },
      });
      const mainTf = readFileSync(path.join(out, "control-plane", "main.tf"), "utf8");
      for (const argument of ["etcd_instance_type", "etcd_placement", "control_plane_placement"]) {
        if (!new RegExp(`^\\s*${argument}\\b`, "m").test(mainTf)) failures.push(`eject under CDK Terrain: control-plane/main.tf has no ${argument}`);
      }
      console.log(`eject of ${CLI_EXAMPLE} under CDK Terrain: written, the HCL equal to the JSON synthesis`);
    });

    if (node22) {
      const version = run(node22, ["--version"], { what: "node 22 --version" }).trim();
      const outdir = path.join(work, "cli-out");
      timed(`cdktn synth of ${CLI_EXAMPLE} under Node ${version}`, () =>
        run(node22!, [path.join(appDir, "node_modules", "cdktn-cli", "bin", "cdktn"), "synth", "--output", outdir], {
          cwd: appDir,
          what: "cdktn synth",
          env: quietCliEnv({ PATH: `${path.dirname(node22!)}${path.delimiter}${process.env.PATH}`, BLUEPRINT_CONFIG: path.join("examples", CLI_EXAMPLE), SYNTH_HCL_OUTPUT: "false" }),
        }),
      );
      const direct = synthesize(appDir, CLI_EXAMPLE, "json", path.join(work, "direct"));
      for (const [stack, text] of Object.entries(direct)) {
        const file = path.join(outdir, "stacks", stack, "cdk.tf.json");
        if (!existsSync(file)) failures.push(`cdktn synth wrote no ${stack}`);
        else for (const d of differencesOf(JSON.parse(text), JSON.parse(readFileSync(file, "utf8")))) failures.push(`cdktn synth ${stack}: ${describeDifference(d)}`);
      }
      console.log(`cdktn synth under Node ${version}: ${Object.keys(direct).length} stack(s), the same as the app's own synthesis`);
    } else {
      console.log(`cdktn synth under Node 22 skipped: ${node22Reason} (the CLI needs Node >= 22.19; the app itself ran on ${process.version})`);
    }

    const lookup = findTerraformToolchain();
    if (lookup.toolchain) {
      const reports = timed("terraform validate of the CDK Terrain stacks", () => validateWithTerraform(lookup.toolchain!, validation));
      const validated = reports.filter((r) => !r.skipped);
      for (const report of validated) {
        for (const problem of [...report.errors, ...report.warnings]) failures.push(`terraform validate ${report.label}: ${problem}`);
      }
      const tolerated = reports.flatMap((r) => r.tolerated.map((t) => `${r.label}: ${t}`));
      console.log(`terraform ${lookup.toolchain.version} validate: ${validated.length} of ${reports.length} stacks; ${tolerated.length} argument(s) newer than the mirror tolerated (dropped, not validated)`);
      if (validated.length === 0) failures.push("terraform validate checked no stack");
    } else {
      console.log(`terraform validate skipped: ${lookup.reason}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  console.log(["times:", ...timings.map((t) => `  ${t}`)].join("\n"));
  if (failures.length > 0) {
    console.error([`test:cdk-terrain FAILED, ${failures.length} problem(s):`, ...failures.map((f) => `  ${f}`)].join("\n"));
    process.exit(1);
  }
  console.log("test:cdk-terrain passed: the same stacks under cdktf 0.21 and CDK Terrain 0.24, up to the allowed differences");
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
