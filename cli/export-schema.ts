/**
 * The blueprint's JSON Schema from the zod schema: `outposts-eks schema` prints it, `npm run schema`
 * writes docs/blueprint.schema.json, so editors complete and check blueprint files. A test fails
 * when the committed file is out of date.
 */
import * as path from "path";
import { z } from "zod";
import { blueprintSchema } from "../config/schema";

export const SCHEMA_FILE = path.resolve(__dirname, "../docs/blueprint.schema.json");

export function blueprintJsonSchema(): string {
  const schema = z.toJSONSchema(blueprintSchema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
    // zod 4.1 writes a .prefault as the JSON Schema default only when the value is truthy: 0 and "" are lost.
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def as { type: string; defaultValue?: unknown };
      if (def.type === "prefault" && jsonSchema.default === undefined) jsonSchema.default = structuredClone(def.defaultValue) as never;
    },
  });
  return `${JSON.stringify({ ...schema, title: "outposts-eks blueprint" }, null, 2)}\n`;
}
