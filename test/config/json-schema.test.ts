import { readFileSync } from "fs";
import { blueprintJsonSchema, SCHEMA_FILE } from "../../cli/export-schema";

describe("docs/blueprint.schema.json", () => {
  it("is up to date with the zod schema (run `npm run schema`)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(blueprintJsonSchema());
  });

  it("describes the sections editors complete, and rejects unknown top-level fields", () => {
    const schema = JSON.parse(blueprintJsonSchema());
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["name", "region", "variant", "kubernetesVersion", "backend", "network", "outposts", "nodeGroups", "addons"]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(["name", "region", "variant", "kubernetesVersion", "network", "outposts"]));
    expect(schema.additionalProperties).toBe(false);
    const formFactors = schema.properties.outposts.items.oneOf ?? schema.properties.outposts.items.anyOf;
    expect(formFactors.map((option: any) => option.properties.formFactor.const).sort()).toEqual(["rack", "server"]);
  });
});
