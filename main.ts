/**
 * The cdktf app: reads the blueprint named by BLUEPRINT_CONFIG (default
 * examples/extended-racks.yaml), validates it before building anything, and synthesizes the stacks.
 * A fleet file (a top-level `sites:`, docs/fleets.md) builds every site's stacks, `<site>-network` and on,
 * one site at a time; OUTPOSTS_EKS_SITES (site names or globs, comma-separated) builds only those
 * sites, after the whole fleet is validated.
 *
 * Exit codes: 1, the blueprint is invalid (every problem listed, no stack written); 2, anything
 * else went wrong, which is a bug in outposts-eks: a blueprint that passed validation must synthesize.
 */
import { App } from "cdktf";
import { blueprintPathFromEnv, BlueprintConfigError, loadBlueprintOrFleet, refuseSiteSelection, selectSites, siteSelectionFromEnv } from "./config";
import { fixCdktfHclRendering } from "./modules/shared/hcl-fix";
import { deferCdktfTokenStackTraces } from "./modules/shared/token-stack-traces";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint, synthFleet } from "./stacks";

export const EXIT_INVALID_BLUEPRINT = 1;
export const EXIT_BUG = 2;

export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const file = blueprintPathFromEnv();
  try {
    const config = loadBlueprintOrFleet(file);
    const entries = siteSelectionFromEnv();
    // The selection is checked with the fleet, before anything is built, by `npm run validate` too.
    const selection = config.kind === "fleet" ? selectSites(config.fleet, entries) : refuseSiteSelection(file, entries);
    // `npm run synth` validates first, outside the cdktf CLI, which echoes an app's output twice.
    if (argv.includes("--validate-only")) return;
    fixCdktfHclRendering();
    deferCdktfTokenStackTraces();
    if (config.kind === "fleet") return void synthFleet(config.fleet, { selection: selection! });
    const app = new App({ context: { ...BLUEPRINT_APP_CONTEXT } });
    buildBlueprint(app, config.blueprint);
    app.synth();
  } catch (error) {
    if (error instanceof BlueprintConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_INVALID_BLUEPRINT);
    }
    const what = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
    process.stderr.write(
      `outposts-eks: internal error, a bug in outposts-eks rather than in your blueprint (${what}). ` +
        `Please report it with the blueprint file (${file}) and this line; OUTPOSTS_EKS_DEBUG=1 prints the stack trace.\n`,
    );
    if (process.env.OUTPOSTS_EKS_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(EXIT_BUG);
  }
}

if (require.main === module) main();
