/**
 * Property-based tests (fast-check): random valid blueprints synthesize all their stacks, the same
 * bytes twice; random mutations of the examples are either accepted and synthesize, or rejected
 * with field paths and nothing written. Small counts here; `npm run fuzz` runs many more.
 */
import fc from "fast-check";
import { BlueprintConfigError, validateBlueprint } from "../../config";
import { mutatedExample, validBlueprint } from "../helpers/arbitraries";
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
      { numRuns: 3, seed: 20261123 },
    );
  });
});

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
      { numRuns: 200, seed: 4242 },
    );
    // Some mutations are harmless (a dropped optional field): they must synthesize, and some do.
    expect(accepted).toBeGreaterThan(0);
  });
});
