/**
 * The whole blueprint from a platform team's app, with every peer installed: the blueprint file
 * named by BLUEPRINT_CONFIG (default blueprint.yaml) through `outposts-eks/stacks`, as the
 * project's own main.ts builds it.
 */
import { App } from "cdktf";
import { fixCdktfHclRendering, loadBlueprint } from "outposts-eks";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint } from "outposts-eks/stacks";

fixCdktfHclRendering();
const app = new App({ context: { ...BLUEPRINT_APP_CONTEXT } });
buildBlueprint(app, loadBlueprint(process.env.BLUEPRINT_CONFIG ?? "blueprint.yaml"));
app.synth();
