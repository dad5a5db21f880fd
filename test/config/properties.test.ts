/**
 * Property-based tests (fast-check): random valid blueprints synthesize all their stacks, the same
 * bytes twice; random mutations of the examples are either accepted and synthesize, or rejected
 * with field paths and nothing written. Small counts here; `npm run fuzz` runs many more.
 */
import fc from "fast-check";
import { BlueprintConfigError, BlueprintProblem, parseBlueprintText, validateBlueprint } from "../../config";
import { bucketNameWithReserved, duplicatedKeyText, EXAMPLE_FILES, exampleRaw, exampleText, mutatedExample, mutatedExampleText, renderWithDuplicate, validBlueprint, variedBlueprint } from "../helpers/arbitraries";
import { synthBlueprint } from "../helpers/synth";

describe("valid blueprints", () => {
  it("every generated blueprint validates and synthesizes all its stacks, byte-identical twice", async () => {
    await fc.assert(
      fc.asyncProperty(validBlueprint, async (raw) => {
        const blueprint = validateBlueprint(structuredClone(raw), "generated");
        const first = await synthBlueprint(blueprint, { fresh: true });
        const second = await synthBlueprint(blueprint, { fresh: true });
        try {
          expect(first.stackNames).toEqual(expect.arrayContaining(["addons", "control-plane", "network", "workers"]));
          for (const stack of first.stackNames) expect(second.file(stack)).toBe(first.file(stack));
        } finally {
          first.dispose();
          second.dispose();
        }
      }),
      { numRuns: 1, seed: 20261123 },
    );
  });
});

describe("varied valid blueprints (Regions, CIDR layouts, names, tags, endpoints, admins, LNI, mirrors)", () => {
  it("validate, and synthesize all their stacks byte-identically twice", async () => {
    await fc.assert(
      fc.asyncProperty(variedBlueprint, async (raw) => {
        const blueprint = validateBlueprint(structuredClone(raw), "generated");
        const first = await synthBlueprint(blueprint, { fresh: true });
        const second = await synthBlueprint(blueprint, { fresh: true });
        try {
          expect(first.stackNames).toEqual(expect.arrayContaining(["addons", "control-plane", "network", "workers"]));
          for (const stack of first.stackNames) expect(second.file(stack)).toBe(first.file(stack));
        } finally {
          first.dispose();
          second.dispose();
        }
      }),
      { numRuns: 1, seed: 1207 },
    );
  });

  it("many more validate (validation only: fast)", () => {
    fc.assert(
      fc.property(variedBlueprint, (raw) => {
        validateBlueprint(raw, "generated");
      }),
      { numRuns: 150, seed: 1208 },
    );
  });
});

describe("edited example files", () => {
  it("are read and accepted, or rejected with BlueprintConfigError and a path: never another exception", async () => {
    const unchanged = new Map<string, string>();
    let synthesized = 0;
    await fc.assert(
      fc.asyncProperty(mutatedExampleText, async ({ example, text }) => {
        let blueprint;
        try {
          blueprint = validateBlueprint(parseBlueprintText(text, example), example);
        } catch (error) {
          expect(error).toBeInstanceOf(BlueprintConfigError);
          for (const problem of (error as BlueprintConfigError).problems) expect(problem.path).not.toBe("");
          return;
        }
        // An edit inside a comment leaves the example's own blueprint, which the suite synthesizes already.
        if (!unchanged.has(example)) unchanged.set(example, JSON.stringify(validateBlueprint(parseBlueprintText(exampleText(example), example))));
        if (JSON.stringify(blueprint) === unchanged.get(example)) return;
        synthesized += 1;
        (await synthBlueprint(blueprint, { fresh: true })).dispose();
      }),
      { numRuns: 150, seed: 1209 },
    );
    expect(synthesized).toBeLessThan(20);
  });
});

/** A mutation that must be accepted: an optional field dropped from the instance-store example. */
function harmlessMutation(): { example: string; mutations: string[]; raw: Record<string, any> } {
  const raw = exampleRaw("local-instance-store.yaml");
  delete raw.controlPlane.logRetentionDays;
  return { example: "local-instance-store.yaml", mutations: ["drop controlPlane.logRetentionDays"], raw };
}

describe("mutated examples", () => {
  it("are accepted and synthesize, or are rejected with a field path for every problem", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(mutatedExample, async ({ raw }) => {
        let blueprint;
        try {
          blueprint = validateBlueprint(raw, "mutated");
        } catch (error) {
          // Anything but a BlueprintConfigError is a crash, and fails the property.
          expect(error).toBeInstanceOf(BlueprintConfigError);
          const problems = (error as BlueprintConfigError).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const problem of problems) expect(problem.path).toMatch(/^(\(root\)|[A-Za-z$<])/);
          return;
        }
        accepted += 1;
        const synth = await synthBlueprint(blueprint, { fresh: true });
        synth.dispose();
      }),
      { numRuns: 120, seed: 4242, examples: [[harmlessMutation()]] },
    );
    // Some mutations are harmless (a dropped optional field): they must synthesize. One such is
    // always among the cases, since random mutations are accepted only a few times in a hundred.
    expect(accepted).toBeGreaterThan(0);
  });
});

describe("a key given twice anywhere in an example", () => {
  const formatPath = (segments: ReadonlyArray<string | number>) =>
    segments.map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join("");

  it.each(EXAMPLE_FILES.flatMap((example) => [[example, "yaml"], [example, "json"]] as const))("%s as %s renders back to the same data without a duplicate", (example, format) => {
    // The generator's own renderer, checked, so the property below tests the loader and not it.
    expect(parseBlueprintText(renderWithDuplicate(exampleRaw(example), format).text, example)).toEqual(exampleRaw(example));
  });

  it("is reported with the key, its path and the lines of both, in YAML and JSON alike", () => {
    fc.assert(
      fc.property(duplicatedKeyText, ({ example, target, text, firstLine, repeatLine }) => {
        let thrown: unknown;
        try {
          parseBlueprintText(text, example);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(BlueprintConfigError);
        const problems: readonly BlueprintProblem[] = (thrown as BlueprintConfigError).problems;
        expect(firstLine).toBeGreaterThan(0);
        expect(repeatLine).toBeGreaterThan(firstLine);
        expect(problems).toEqual([
          {
            path: formatPath([...target.map, target.key]),
            value: undefined,
            relation: true,
            message: expect.stringContaining(`the key ${JSON.stringify(target.key)} is given more than once: first at line ${firstLine}, column `),
          },
        ]);
        expect(problems[0].message).toContain(`, again at line ${repeatLine}, column `);
      }),
      { numRuns: 200, seed: 2020 },
    );
  });
});

describe("S3 bucket names S3 reserves (issue 20, class 7)", () => {
  it("a state bucket is refused, naming the reserved part, exactly when its name has a prefix or suffix S3 reserves", () => {
    fc.assert(
      fc.property(bucketNameWithReserved, ({ bucket, reserved }) => {
        const raw = exampleRaw("existing-vpc.yaml");
        raw.backend.bucket = bucket;
        let problems: readonly BlueprintProblem[] = [];
        try {
          validateBlueprint(raw, "generated");
        } catch (error) {
          expect(error).toBeInstanceOf(BlueprintConfigError);
          problems = (error as BlueprintConfigError).problems;
        }
        const messages = problems.filter((problem) => problem.path === "backend.bucket").map((problem) => problem.message);
        expect(messages).toEqual(reserved === undefined ? [] : [expect.stringContaining(`'${reserved.part}', a ${reserved.kind} S3 reserves`)]);
      }),
      { numRuns: 200, seed: 2007 },
    );
  });
});
