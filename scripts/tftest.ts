/**
 * `BLUEPRINT_CONFIG=<file> npm run tftest [-- --outdir <dir>]`: after `npm run synth`, writes a
 * `terraform test` suite beside each AWS-only stack (`<outdir>/stacks/<stack>/tests/*.tftest.hcl`, one run per file)
 * that proves every plan-time check of the stack fires; see docs/tests-and-performance.md. The work
 * is in scripts/tftest-lib.ts.
 */
import { blueprintPathFromEnv, loadBlueprint } from "../config";
import { MANIFEST_FILE, SUITE_DIR, writeTerraformTests } from "./tftest-lib";

const USAGE = "usage: BLUEPRINT_CONFIG=<file> npm run tftest [-- --outdir <dir>]";

export function parseTftestArgs(argv: readonly string[]): { outdir: string } {
  let outdir = "cdktf.out";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--outdir" && argv[i + 1]) outdir = argv[++i];
    else if (arg.startsWith("--outdir=")) outdir = arg.slice("--outdir=".length);
    else throw new Error(`unknown argument ${arg}; ${USAGE}`);
  }
  return { outdir };
}

function run(): void {
  const { outdir } = parseTftestArgs(process.argv.slice(2));
  const blueprint = loadBlueprint(blueprintPathFromEnv());
  const { written, skipped } = writeTerraformTests(blueprint, outdir);
  const lines = [`Wrote ${SUITE_DIR}/*.tftest.hcl (one run per file) and ${MANIFEST_FILE} for ${written.length} stack(s) of ${blueprint.name}:`];
  for (const suite of written) {
    const untestable = suite.conditions.filter((c) => c.untestable);
    const problems = suite.conditions.filter((c) => c.problem);
    lines.push(`  ${suite.stack}: ${Object.keys(suite.files).length} file(s), ${suite.conditions.length} condition(s), ${untestable.length} untestable${problems.length ? `, ${problems.length} that will not be proven` : ""}`);
    for (const c of untestable) lines.push(`    untestable ${c.id}: ${c.untestable}`);
    for (const c of problems) lines.push(`    PROBLEM ${c.id}: ${c.problem}`);
  }
  for (const s of skipped) lines.push(`  skipped ${s.stack}: ${s.reason}`);
  lines.push("Run one: cd <outdir>/stacks/<stack> && terraform init -backend=false && terraform test");
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) {
  try {
    run();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
