/**
 * `BLUEPRINT_CONFIG=<file> npm run eject -- --out <dir> [--force]`: writes every stack of the
 * blueprint as a standalone Terraform root module into `<dir>/<stack>/` (main.tf, assets, README.md)
 * and `<dir>/README.md` with the deploy order. The work is in scripts/eject-lib.ts; see docs/leaving-cdktf.md.
 */
import * as path from "path";
import { blueprintPathFromEnv, BlueprintConfigError, loadBlueprint } from "../config";
import { ejectBlueprint } from "./eject-lib";

export function parseEjectArgs(argv: readonly string[]): { out: string; force: boolean } {
  let out: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out") out = argv[++i];
    else if (arg.startsWith("--out=")) out = arg.slice("--out=".length);
    else if (arg === "--force") force = true;
    else throw new Error(`unknown argument ${arg}; usage: npm run eject -- --out <dir> [--force]`);
  }
  if (!out) throw new Error("--out <dir> is required; usage: npm run eject -- --out <dir> [--force]");
  return { out, force };
}

async function run(): Promise<void> {
  const { out, force } = parseEjectArgs(process.argv.slice(2));
  const blueprint = loadBlueprint(blueprintPathFromEnv());
  const result = await ejectBlueprint(blueprint, path.resolve(out), { force });
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
