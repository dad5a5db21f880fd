/**
 * The cdktf app: reads the blueprint named by BLUEPRINT_CONFIG (default
 * examples/extended-racks.yaml), validates it before building anything, and synthesizes the stacks.
 * An invalid blueprint exits non-zero with every problem listed, and writes no stack.
 */
import { App } from "cdktf";
import { blueprintPathFromEnv, BlueprintConfigError, loadBlueprint } from "./config";
import { fixCdktfHclRendering } from "./modules/shared/hcl-fix";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint } from "./stacks";

export function main(): void {
  let blueprint;
  try {
    blueprint = loadBlueprint(blueprintPathFromEnv());
  } catch (error) {
    if (error instanceof BlueprintConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  fixCdktfHclRendering();
  const app = new App({ context: { ...BLUEPRINT_APP_CONTEXT } });
  buildBlueprint(app, blueprint);
  app.synth();
}

if (require.main === module) main();
