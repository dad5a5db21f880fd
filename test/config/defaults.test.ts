/**
 * Defaults that skip validation (issue 20, class 6): zod 4's `.default(x)` returns x without running
 * the schema's checks, while `.prefault(x)` parses x like a value the user wrote. These tests walk the
 * whole blueprint schema, so a default added later is held to the same rules.
 */
import fc from "fast-check";
import { z } from "zod";
import { blueprintSchema } from "../../config/schema";
import { withSchemaDefaults } from "../../config/normalize";
import { mutatedExample, validBlueprint } from "../helpers/arbitraries";
import { EXAMPLES, rawExample } from "../helpers/synth";

type AnySchema = z.core.$ZodType;

interface DefaultNode {
  readonly path: string;
  readonly kind: "default" | "prefault";
  readonly value: unknown;
  readonly inner: AnySchema;
}

/** Every .default and .prefault in the schema, with the path of the field it fills. */
function defaultNodes(root: AnySchema): DefaultNode[] {
  const found: DefaultNode[] = [];
  const stack: Array<[AnySchema, string]> = [[root, ""]];
  while (stack.length > 0) {
    const [schema, at] = stack.pop()!;
    const def = schema._zod.def as any;
    switch (def.type) {
      case "default":
      case "prefault":
        found.push({ path: at, kind: def.type, value: def.defaultValue, inner: def.innerType });
        stack.push([def.innerType, at]);
        break;
      case "optional":
      case "nullable":
        stack.push([def.innerType, at]);
        break;
      case "object":
        for (const [key, field] of Object.entries(def.shape as Record<string, AnySchema>)) stack.push([field, at === "" ? key : `${at}.${key}`]);
        break;
      case "array":
        stack.push([def.element, `${at}[]`]);
        break;
      case "record":
        stack.push([def.valueType, `${at}.*`]);
        break;
      case "union":
        for (const option of def.options as AnySchema[]) stack.push([option, at]);
        break;
    }
  }
  return found;
}

const nodes = defaultNodes(blueprintSchema);
const defaults = nodes.filter((node) => node.kind === "default");
const describeNode = (node: DefaultNode) => `${node.path} (${node.kind} ${JSON.stringify(node.value)})`;

describe("schema defaults", () => {
  it("finds the schema's defaults and prefaults", () => {
    // The walk must reach nested sections, or the checks below would test nothing.
    expect(nodes.map((node) => node.path)).toEqual(
      expect.arrayContaining(["backend", "nodeGroups[].rollout.maxSurge", "addons.images.pullThroughCache.prefix", "iam.path", "controlPlane.local.rackCount"]),
    );
  });

  it("gives every .default a value its inner schema accepts unchanged: zod returns it unchecked and unfilled", () => {
    const wrong = defaults
      .map((node) => ({ node, result: z.safeParse(node.inner, structuredClone(node.value)) }))
      .filter(({ node, result }) => !result.success || JSON.stringify(result.data) !== JSON.stringify(node.value))
      .map(({ node, result }) => `${describeNode(node)}: ${result.success ? `parses to ${JSON.stringify(result.data)}` : result.error.issues[0].message}`);
    expect(wrong).toEqual([]);
  });

  it("uses .default only on schemas with no checks of their own (booleans, enums, literals, unchecked strings, lists and maps)", () => {
    const checked = defaults.filter((node) => (node.inner._zod.def.checks ?? []).length > 0).map(describeNode);
    expect(checked).toEqual([]);
  });

  it("gives every .prefault a value its schema accepts", () => {
    const wrong = nodes
      .filter((node) => node.kind === "prefault")
      .map((node) => ({ node, result: z.safeParse(node.inner, structuredClone(node.value)) }))
      .filter(({ result }) => !result.success)
      .map(({ node, result }) => `${describeNode(node)}: ${result.error!.issues[0].message}`);
    expect(wrong).toEqual([]);
  });

  // Issue 23: nodeGroups defaults to [] so a network-only blueprint (distribution openshift or
  // hypershift) need not write it; the at-least-one check for distribution eks moved into a rule
  // (config/rules/distribution.ts), which reads the list with defaults applied and is never skipped.
  it("defaults nodeGroups only to an empty list, whose at-least-one check for eks is a rule", () => {
    expect(nodes.filter((node) => node.path === "nodeGroups").map((node) => [node.kind, node.value])).toEqual([["default", []]]);
  });

  it.each(EXAMPLES)("fills %s as zod does, so the rules read what the stacks get", (example) => {
    const raw = rawExample(example);
    expect(withSchemaDefaults(blueprintSchema, raw)).toEqual(blueprintSchema.parse(raw));
  });

  it("fills generated and mutated blueprints as zod does, wherever zod accepts them", () => {
    const sameAsZod = (raw: unknown) => {
      const parsed = blueprintSchema.safeParse(raw);
      fc.pre(parsed.success);
      expect(withSchemaDefaults(blueprintSchema, raw)).toEqual(parsed.data);
    };
    fc.assert(fc.property(validBlueprint, sameAsZod), { numRuns: 50, seed: 20 });
    fc.assert(fc.property(mutatedExample.map(({ raw }) => raw), sameAsZod), { numRuns: 100, seed: 2006 });
  });
});
