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

/** The parts of a zod 4 definition this walk reads; zod types them per kind. */
interface SchemaDefinition {
  readonly type: string;
  readonly defaultValue?: unknown;
  readonly innerType: AnySchema;
  readonly shape: Record<string, AnySchema>;
  readonly element: AnySchema;
  readonly options: AnySchema[];
  readonly discriminator?: string;
  readonly values?: unknown[];
}

const definition = (schema: AnySchema): SchemaDefinition => schema._zod.def as unknown as SchemaDefinition;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `value` with the defaults of `schema` applied wherever a value is missing, recursively. */
export function withSchemaDefaults(schema: AnySchema, value: unknown): unknown {
  const def = definition(schema);
  switch (def.type) {
    // As zod 4 parses them: a .default value stands as given (zod returns it without running the
    // inner schema, so nothing inside it is filled either); a .prefault value goes through the inner
    // schema like a value the user wrote. test/config/defaults.test.ts holds every .default to a
    // value its inner schema accepts unchanged, so the two agree wherever the schema uses .default.
    case "default":
      return value === undefined ? structuredClone(def.defaultValue) : withSchemaDefaults(def.innerType, value);
    case "prefault":
      return withSchemaDefaults(def.innerType, value === undefined ? structuredClone(def.defaultValue) : value);
    case "optional":
    case "nullable":
      return value === undefined || value === null ? value : withSchemaDefaults(def.innerType, value);
    case "object": {
      if (!isPlainObject(value)) return value;
      const result: Record<string, unknown> = { ...value };
      for (const [key, field] of Object.entries(def.shape)) {
        const filled = withSchemaDefaults(field, value[key]);
        if (filled !== undefined) result[key] = filled;
      }
      return result;
    }
    case "array":
      return Array.isArray(value) ? value.map((item) => withSchemaDefaults(def.element, item)) : value;
    case "union": {
      const key = def.discriminator;
      if (!isPlainObject(value) || key === undefined) return value;
      const option = def.options.find((candidate) => {
        const discriminator = definition(candidate).shape?.[key];
        return discriminator !== undefined && (definition(discriminator).values ?? []).includes(value[key]);
      });
      return option ? withSchemaDefaults(option, value) : value;
    }
    default:
      return value;
  }
}
