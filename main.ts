/**
 * The cdktf app: reads the blueprint named by BLUEPRINT_CONFIG (default
 * examples/extended-racks.yaml), validates it before building anything, and synthesizes the stacks
 * (in the format the cdktf CLI asks for; the other format's files are removed, cli/synth.ts).
 * A fleet file (a top-level `sites:`, docs/fleets.md) builds every site's stacks, `<site>-network` and on,
 * one site at a time; OUTPOSTS_EKS_SITES (site names or globs, comma-separated) builds only those
 * sites, after the whole fleet is validated.
 *
 * Exit codes (cli/errors.ts): 1, the blueprint is invalid (every problem listed, no stack written); 2, anything
 * else went wrong, which is a bug in outposts-eks: a blueprint that passed validation must synthesize.
 */
import { blueprintPathFromEnv, BlueprintConfigError, loadBlueprintOrFleet } from "./config";
import { EXIT_CODES, internalErrorMessage } from "./cli/errors";
import { checkSiteSelection, synthesizeConfig } from "./cli/synth";

export const EXIT_INVALID_BLUEPRINT = EXIT_CODES.invalidBlueprint;
export const EXIT_BUG = EXIT_CODES.internalError;

/**
 * @param argv the app's arguments; `--validate-only` validates and writes nothing
 * @param synthesize what synthesizes a validated blueprint or fleet (a test gives one that fails, to
 *   see how the app reports a bug)
 */
export function main(argv: readonly string[] = process.argv.slice(2), synthesize: typeof synthesizeConfig = synthesizeConfig): void {
  const file = blueprintPathFromEnv();
  try {
    const config = loadBlueprintOrFleet(file, { cache: true });
    // The selection is checked with the fleet, before anything is built (synthesizeConfig checks it too).
    if (argv.includes("--validate-only")) return void checkSiteSelection(config, file);
    synthesize(config, { source: file });
  } catch (error) {
    if (error instanceof BlueprintConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_INVALID_BLUEPRINT);
    }
    process.stderr.write(`${internalErrorMessage(error, file)}\n`);
    process.exit(EXIT_BUG);
  }
}

if (require.main === module) main();
