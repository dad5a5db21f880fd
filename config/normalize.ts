/**
 * The blueprint as written, with the schema's defaults filled in but nothing rejected: what the
 * cross-field rules read. Defaults therefore live only in the schema, and the rules still run when
 * the schema has found problems elsewhere in the file, so one run reports every problem.
 *
 * Values keep whatever type the user wrote: a rule must still skip a value of the wrong type,
 * which the schema reports.
 */
import { z } from "zod";

type AnySchema = z.core.$ZodType;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `value` with the defaults of `schema` applied wherever a value is missing, recursively. */
export function withSchemaDefaults(schema: AnySchema, value: unknown): unknown {
  const def = schema._zod.def as unknown as Record<string, any>;
  switch (def.type) {
    case "default":
    case "prefault": {
      const filled = value === undefined ? structuredClone(def.defaultValue) : value;
      return withSchemaDefaults(def.innerType, filled);
    }
    case "optional":
    case "nullable":
      return value === undefined || value === null ? value : withSchemaDefaults(def.innerType, value);
    case "object": {
      if (!isPlainObject(value)) return value;
      const result: Record<string, unknown> = { ...value };
      for (const [key, field] of Object.entries(def.shape as Record<string, AnySchema>)) {
        const filled = withSchemaDefaults(field, value[key]);
        if (filled !== undefined) result[key] = filled;
      }
      return result;
    }
    case "array":
      return Array.isArray(value) ? value.map((item) => withSchemaDefaults(def.element, item)) : value;
    case "union": {
      if (!isPlainObject(value) || def.discriminator === undefined) return value;
      const option = (def.options as AnySchema[]).find((candidate) => {
        const discriminator = (candidate._zod.def as unknown as Record<string, any>).shape?.[def.discriminator];
        return discriminator?._zod.def.values?.includes(value[def.discriminator]);
      });
      return option ? withSchemaDefaults(option, value) : value;
    }
    default:
      return value;
  }
}
