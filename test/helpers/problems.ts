/** The bad-input suites' shared harness: the problems a blueprint or fleet is refused with, and an example broken one way. */
import { BlueprintConfigError, BlueprintProblem, validateBlueprint, validateFleet } from "../../config";
import { rawExample } from "./synth";

export type Raw = Record<string, any>;

/** One bad-input case: an example broken one way, and the answer expected at a path. */
export interface Case {
  readonly rule: string;
  readonly example: string;
  readonly change: (raw: Raw) => void;
  readonly path: string;
  readonly message: RegExp;
  /** The value shown, where the path cannot be walked by splitting on '.' (label keys hold dots). */
  readonly value?: unknown;
}

/** The problems validation answers with (none for a valid blueprint, or a fleet file's with `fleetDirectory`). */
export function problemsOf(raw: unknown, fleetDirectory?: string): BlueprintProblem[] {
  try {
    if (fleetDirectory === undefined) validateBlueprint(raw, "test.yaml");
    else validateFleet(raw, "fleet.yaml", fleetDirectory);
  } catch (error) {
    if (error instanceof BlueprintConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

/** A copy of the example with one change. */
export function broken(example: string, change: (raw: Raw) => void): Raw {
  const raw = structuredClone(rawExample(example));
  change(raw);
  return raw;
}
