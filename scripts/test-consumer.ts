/**
 * `npm run test:consumer`: the package as a platform team installs it. Packs the project
 * (`npm pack`, which builds dist/) and installs the tarball twice (npm's cache first, the registry
 * for the rest), each time compiled with plain `tsc` and the standard `cdktf init` tsconfig:
 * - into a copy of examples/consumer-app-minimal with the required peers only (cdktf, constructs,
 *   @cdktf/provider-aws): it compiles with `skipLibCheck: false` (the root's types import no
 *   optional peer), the root entry loads, an Outpost subnet synthesizes, the optional subpaths
 *   (`outposts-eks/stacks`, `outposts-eks/modules/aws-auth`) fail with the install command of the
 *   missing peer, and `npx outposts-eks` runs: --help, validate and diagram on the app's own
 *   blueprint, synth naming the peers the stacks need;
 * - into a copy of examples/consumer-app with every peer, beside the newest constructs 10.x: the
 *   team's own stack synthesized as JSON and as HCL (terraform validate where terraform and a
 *   provider mirror exist), and the whole blueprint (examples/extended-racks.yaml) through
 *   `outposts-eks/stacks`, then `npx outposts-eks validate`, `synth` (JSON, then HCL: one format
 *   left) and `diagram` on it. Both compile with `skipLibCheck: false`.
 * - into a copy of examples/consumer-app whose package.json is the CDK Terrain recipe of
 *   docs/cdk-terrain.md, read from the page: compiled, the team's stack and the blueprint synthesized,
 *   and each stack diffed against (b)'s: only the differences scripts/cdk-terrain-lib.ts allows.
 */
import { execFileSync, spawnSync } from "child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { findTerraformToolchain, validateWithTerraform } from "./terraform-toolchain";
import { ALLOWED_RUNTIME_DIFFERENCES, BINDINGS_PIN_DIFFERENCE, classifyRuntimeDifferences, describeDifference, differencesOf } from "./cdk-terrain-lib";

const ROOT = path.resolve(__dirname, "..");
const work = mkdtempSync(path.join(tmpdir(), "outposts-eks-consumer-"));
const started = Date.now();

function step(label: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, expectedStatus = 0): string {
  process.stdout.write(`consumer: ${label}\n`);
  const run = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (expectedStatus !== 0 && run.status === expectedStatus) return run.stderr;
  if (run.status !== expectedStatus) {
    process.stderr.write(`${run.stdout}\n${run.stderr}\n`);
    throw new Error(`consumer: ${label} failed (${command} ${args.join(" ")}, exit ${run.status})`);
  }
  return run.stdout;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`consumer: ${message}`);
  process.stdout.write(`consumer: ok - ${message}\n`);
}

try {
  const packed = JSON.parse(step("npm pack (builds dist/)", "npm", ["pack", "--json", "--pack-destination", work], ROOT));
  const tarball = path.join(work, packed[0].filename);
  const shipped: string[] = packed[0].files.map((file: { path: string }) => file.path);
  check(!shipped.some((file) => /^(test|scripts|examples|\.ci)\//.test(file) || file.endsWith(".snap")), "the tarball ships no tests, scripts, examples, snapshots or CI files");
  check(shipped.includes("dist/index.d.ts") && shipped.includes("dist/modules/outpost-subnet/index.d.ts"), "the tarball ships the compiled entry points with declarations");

  const install = (example: string, recipe?: { name: string; manifest: Record<string, unknown> }): string => {
    const dir = path.join(work, recipe?.name ?? example);
    cpSync(path.join(ROOT, "examples", example), dir, { recursive: true });
    const manifest = recipe?.manifest ?? JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    manifest.dependencies["outposts-eks"] = `file:${tarball}`;
    writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    step(`${recipe?.name ?? example}: npm install (cache first)`, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir);
    return dir;
  };
  const OPTIONAL_PEERS = Object.keys(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).peerDependenciesMeta);

  // (a) The required peers only.
  const minimal = install("consumer-app-minimal");
  const presentOptional = OPTIONAL_PEERS.filter((peer) => existsSync(path.join(minimal, "node_modules", peer)));
  check(presentOptional.length === 0, `consumer-app-minimal has no optional peer installed (${presentOptional.join(", ") || "none"})`);
  step("consumer-app-minimal: tsc", path.join(minimal, "node_modules", ".bin", "tsc"), ["-p", "."], minimal);
  const minimalOut = path.join(minimal, "cdktf.out");
  step("consumer-app-minimal: synth JSON (the root entry, required peers only)", process.execPath, ["main.js"], minimal, { CDKTF_OUTDIR: minimalOut, SYNTH_HCL_OUTPUT: "false" });
  const minimalJson = JSON.parse(readFileSync(path.join(minimalOut, "stacks", "edge", "cdk.tf.json"), "utf8"));
  check(Object.keys(minimalJson.resource.aws_subnet ?? {}).length === 1, "consumer-app-minimal: the JSON holds the Outpost subnet");
  for (const [subpath, peer] of [
    ["stacks", "@cdktf/provider-helm"],
    ["modules/aws-auth", "@cdktf/provider-kubernetes"],
  ] as const) {
    const run = spawnSync(process.execPath, ["-e", `require("outposts-eks/${subpath}")`], { cwd: minimal, encoding: "utf8" });
    const expected = new RegExp(`outposts-eks/${subpath} needs [^\\n]*${peer}[^\\n]*: npm install [^\\n]*${peer}@\\^`);
    check(run.status !== 0 && expected.test(run.stderr) && !/Cannot find module/.test(run.stderr), `consumer-app-minimal: require("outposts-eks/${subpath}") names ${peer} and its install command`);
  }
  // The command, from the installed package's bin, with the required peers only.
  cpSync(path.join(ROOT, "examples", "extended-racks.yaml"), path.join(minimal, "blueprint.yaml"));
  const npx = (dir: string, args: string[], expectedStatus = 0) => step(`${path.basename(dir)}: npx outposts-eks ${args.join(" ")}`, "npx", ["--no-install", "outposts-eks", ...args], dir, {}, expectedStatus);
  check(/^Usage: outposts-eks /.test(npx(minimal, ["--help"])), "consumer-app-minimal: npx outposts-eks --help");
  check(/blueprint\.yaml: valid \(building the stacks for a summary needs @cdktf\/provider-helm/.test(npx(minimal, ["validate", "--config", "blueprint.yaml"])), "consumer-app-minimal: validate checks the blueprint and names the peers a summary needs");
  check(npx(minimal, ["diagram", "--config", "blueprint.yaml"]).startsWith("flowchart"), "consumer-app-minimal: diagram draws the blueprint");
  const synthWithoutPeers = npx(minimal, ["synth", "--config", "blueprint.yaml"], 4);
  check(/outposts-eks synth: outposts-eks\/stacks needs .*npm install /.test(synthWithoutPeers) && !existsSync(path.join(minimal, "cdktf.out", "stacks", "network")), "consumer-app-minimal: synth exits 4 naming the peers to install, and writes no stack");

  // (b) Every peer.
  const app = install("consumer-app");

  const constructsCopies = execFileSync("find", [path.join(app, "node_modules"), "-path", "*/constructs/package.json", "-not", "-path", "*/constructs/node_modules/*"], {
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .filter(Boolean);
  check(constructsCopies.length === 1, `one constructs copy is installed (${constructsCopies.map((file) => path.relative(app, file)).join(", ")})`);
  const installedCli = existsSync(path.join(app, "node_modules", "cdktf-cli")) || existsSync(path.join(app, "node_modules", "patch-package"));
  check(!installedCli, "no app-only tool (cdktf-cli, patch-package) comes with the package");

  step("tsc (the cdktf init tsconfig, exactOptionalPropertyTypes on)", path.join(app, "node_modules", ".bin", "tsc"), ["-p", "."], app);
  const outdir = path.join(app, "cdktf.out");
  step("synth JSON", process.execPath, ["main.js"], app, { CDKTF_OUTDIR: outdir, SYNTH_HCL_OUTPUT: "false" });
  const json = readFileSync(path.join(outdir, "stacks", "edge", "cdk.tf.json"), "utf8");
  const parsed = JSON.parse(json);
  check(Object.keys(parsed.resource.aws_subnet ?? {}).length === 1 && Object.keys(parsed.resource.aws_route ?? {}).length === 1, "the JSON holds the Outpost subnet and its local-gateway route");
  const hclOut = path.join(app, "cdktf.out.hcl");
  step("synth HCL", process.execPath, ["main.js"], app, { CDKTF_OUTDIR: hclOut, SYNTH_HCL_OUTPUT: "true" });
  const hcl = readFileSync(path.join(hclOut, "stacks", "edge", "cdk.tf"), "utf8");
  check(!/(pre|post)condition\s*=/.test(hcl) && /precondition\s*\{/.test(hcl), "the HCL renders lifecycle conditions as blocks (the renderer fix, in memory)");
  check(/depends_on\s*=\s*\[aws_ec2_local_gateway_route_table_vpc_association\./.test(hcl), "the HCL renders depends_on as bare references");

  const lookup = findTerraformToolchain();
  if (!lookup.toolchain) {
    process.stdout.write(`consumer: terraform validate skipped: ${lookup.reason}\n`);
  } else {
    const reports = validateWithTerraform(lookup.toolchain, [
      { label: "consumer/edge.json", format: "json", content: json, json: parsed, keepProviderBlocks: true },
      { label: "consumer/edge.hcl", format: "hcl", content: hcl, json: parsed },
    ]);
    for (const report of reports) {
      check(report.skipped === undefined && report.errors.length === 0 && report.warnings.length === 0, `terraform validate ${report.label}: ${report.skipped ?? ([...report.errors, ...report.warnings].join("; ") || "valid")}`);
    }
  }
  cpSync(path.join(ROOT, "examples", "extended-racks.yaml"), path.join(app, "blueprint.yaml"));
  const blueprintOut = path.join(app, "cdktf.out.blueprint");
  step("synth the whole blueprint (outposts-eks/stacks)", process.execPath, ["blueprint.js"], app, { CDKTF_OUTDIR: blueprintOut, SYNTH_HCL_OUTPUT: "false" });
  const stacks = readdirSync(path.join(blueprintOut, "stacks")).sort();
  const resourceTypes = new Set(
    stacks.flatMap((stack) => Object.keys(JSON.parse(readFileSync(path.join(blueprintOut, "stacks", stack, "cdk.tf.json"), "utf8")).resource ?? {})),
  );
  check(stacks.length >= 4, `the blueprint synthesizes its stacks (${stacks.join(", ")})`);
  check(["aws_eks_cluster", "aws_autoscaling_group", "helm_release"].every((type) => resourceTypes.has(type)), "the blueprint holds the cluster, the node groups and the Helm add-ons");

  const summary = npx(app, ["validate", "--config", "blueprint.yaml"]);
  check(/^blueprint\.yaml: valid: 4 stacks \(network, control-plane, workers, addons\), \d+ resources \(\d+ aws, \d+ helm/.test(path.basename(summary)), `consumer-app: validate prints the summary (${summary.trim()})`);
  const cliOut = path.join(app, "cdktf.out.cli");
  npx(app, ["synth", "--config", "blueprint.yaml", "--output", cliOut]);
  const stackFiles = () => readdirSync(path.join(cliOut, "stacks")).flatMap((stack) => readdirSync(path.join(cliOut, "stacks", stack)).filter((file) => file.startsWith("cdk.")));
  check(stackFiles().length === 4 && stackFiles().every((file) => file === "cdk.tf.json"), "consumer-app: synth writes each stack's cdk.tf.json");
  npx(app, ["synth", "--hcl", "--config", "blueprint.yaml", "--output", cliOut]);
  check(stackFiles().length === 4 && stackFiles().every((file) => file === "cdk.tf"), "consumer-app: synth --hcl writes cdk.tf and removes the JSON of the earlier synth");
  check(npx(app, ["diagram", "--config", "blueprint.yaml", "--format", "dot"]).startsWith("digraph"), "consumer-app: diagram draws the blueprint as DOT");
  // (c) The CDK Terrain recipe of docs/cdk-terrain.md, as the page prints it.
  const page = readFileSync(path.join(ROOT, "docs", "cdk-terrain.md"), "utf8");
  const recipe = JSON.parse(/^```json\n([\s\S]*?)^```$/m.exec(page)![1]);
  const terrain = install("consumer-app", { name: "consumer-app-cdk-terrain", manifest: { ...recipe, name: "consumer-app-cdk-terrain" } });
  const runtime = JSON.parse(readFileSync(path.join(terrain, "node_modules", "cdktf", "package.json"), "utf8"));
  check(runtime.name === "cdktn", `cdk-terrain: cdktf resolves to ${runtime.name}@${runtime.version}`);
  step("cdk-terrain: tsc", path.join(terrain, "node_modules", ".bin", "tsc"), ["-p", "."], terrain);
  cpSync(path.join(ROOT, "examples", "extended-racks.yaml"), path.join(terrain, "blueprint.yaml"));
  for (const [entry, reference] of [
    ["main.js", outdir],
    ["blueprint.js", blueprintOut],
  ] as const) {
    const out = path.join(terrain, `cdktf.out.${entry}`);
    step(`cdk-terrain: synth ${entry}`, process.execPath, [entry], terrain, { CDKTF_OUTDIR: out, SYNTH_HCL_OUTPUT: "false" });
    const names = readdirSync(path.join(reference, "stacks")).sort();
    check(JSON.stringify(readdirSync(path.join(out, "stacks")).sort()) === JSON.stringify(names), `cdk-terrain: ${entry} synthesizes the same stacks (${names.join(", ")})`);
    // The team's own stack keeps its state beside the app (an absolute path) and the bindings' pin.
    const allowed = entry === "main.js" ? [...ALLOWED_RUNTIME_DIFFERENCES, BINDINGS_PIN_DIFFERENCE] : ALLOWED_RUNTIME_DIFFERENCES;
    const unexpected = names.flatMap((stack) => {
      const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8").split(terrain).join(app));
      return classifyRuntimeDifferences(differencesOf(read(reference), read(out)), allowed).unexpected.map((d) => `${stack}: ${describeDifference(d)}`);
    });
    check(unexpected.length === 0, `cdk-terrain: ${entry}'s stacks equal cdktf's but for the allowed differences${unexpected.length ? `:\n  ${unexpected.join("\n  ")}` : ""}`);
  }
  process.stdout.write(`consumer: passed in ${((Date.now() - started) / 1000).toFixed(1)} s (${readdirSync(path.join(app, "node_modules")).length} top-level packages)\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
