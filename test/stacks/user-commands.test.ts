/**
 * What the synthesized stacks and the schema tell a user to run (plan-time error messages, output
 * descriptions, schema descriptions) names the package's command, `npx outposts-eks <command>
 * --config <blueprint>`: a consumer project has neither this clone's npm scripts nor a default
 * blueprint, and deploys through `outposts-eks deploy`.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { rootReadme } from "../../cli/eject-lib";
import { EXAMPLES, loadExample, PROJECT_ROOT, synthBlueprint } from "../helpers/synth";

/** Commands only a clone of this repository has. */
const CLONE_ONLY = /npm run|npx cdktf|BLUEPRINT_CONFIG=/g;

describe("the commands the stacks and the schema name", () => {
  it.each(EXAMPLES)("%s: no stack names a clone's npm script or the bare cdktf CLI", async (file) => {
    const result = await synthBlueprint(loadExample(file));
    expect(result.stackNames.length).toBeGreaterThan(0);
    const found = result.stackNames.flatMap((stack) => (result.file(stack).match(CLONE_ONLY) ?? []).map((text) => `${stack}: ${text}`));
    expect(found).toEqual([]);
  });

  it("the JSON Schema's descriptions and the ejected README name outposts-eks commands", () => {
    const schema = readFileSync(path.join(PROJECT_ROOT, "docs", "blueprint.schema.json"), "utf8");
    expect(schema.match(CLONE_ONLY) ?? []).toEqual([]);
    expect(schema).toContain("npx outposts-eks images copy --config <blueprint>");
    const readme = rootReadme({ blueprintName: "demo", order: ["network"], stateDirectories: [] });
    expect(readme.match(CLONE_ONLY) ?? []).toEqual([]);
    expect(readme).toContain("`npx outposts-eks eject`");
  });
});
