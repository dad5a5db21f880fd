/**
 * `BLUEPRINT_CONFIG=<file> npm run eject -- --out <dir> [--force] [--allow-differences]`: writes every stack of the
 * blueprint as a standalone Terraform root module into `<dir>/<stack>/` (main.tf, assets, README.md)
 * and `<dir>/README.md` with the deploy order. Each main.tf is checked against the JSON synthesis
 * first; on a difference nothing is written unless --allow-differences. The work is in scripts/eject-lib.ts; see docs/leaving-cdktf.md.
 */
import * as path from "path";
import { blueprintPathFromEnv, BlueprintConfigError, loadBlueprint } from "../config";
import { ejectBlueprint } from "./eject-lib";

const USAGE = "usage: npm run eject -- --out <dir> [--force] [--allow-differences]";

export function parseEjectArgs(argv: readonly string[]): { out: string; force: boolean; allowDifferences: boolean } {
  let out: string | undefined;
  let force = false;
  let allowDifferences = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out") out = argv[++i];
    else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg === "--force") force = true;
    else if (arg === "--allow-differences") allowDifferences = true;
    else throw new Error(`unknown argument ${arg}; ${USAGE}`);
  }
  if (!out) throw new Error(`--out <dir> is required; ${USAGE}`);
  return { out, force, allowDifferences };
}

async function run(): Promise<void> {
  const { out, force, allowDifferences } = parseEjectArgs(process.argv.slice(2));
  const blueprint = loadBlueprint(blueprintPathFromEnv());
  const result = await ejectBlueprint(blueprint, path.resolve(out), { force, allowDifferences });
  if (result.differences.length > 0) {
    process.stderr.write(`Written although the HCL differs from the JSON synthesis (edit main.tf before planning):\n${result.differences.map((d) => `  ${d}`).join("\n")}\n`);
  }
  process.stdout.write(
    [
      `Ejected ${result.order.length} stacks of ${blueprint.name} into ${out}, in deploy order:`,
      ...result.order.map((stack) => `  ${stack}: terraform -chdir=${path.join(out, stack)} init && terraform -chdir=${path.join(out, stack)} plan`),
      `See ${path.join(out, "README.md")}.`,
      "",
    ].join("\n"),
  );
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof BlueprintConfigError ? error.message : `npm run eject: ${(error as Error).message}`}\n`);
    process.exit(1);
  });
}
