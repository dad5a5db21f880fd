/**
 * Reads a blueprint file and validates it in one pass: the schema's shape checks and the
 * cross-field rules together, so a user sees every problem at once.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { blueprintRuleIssues, IssuePath, RuleIssue } from "./rules";
import { backendSchema, Blueprint, blueprintSchema, clusterAuthSchema, FORM_FACTOR_ONLY_FIELDS, lniAddressingSchema, outpostSchema } from "./schema";

/** The blueprint the app uses when BLUEPRINT_CONFIG is unset, relative to the project root. */
export const DEFAULT_BLUEPRINT = "examples/extended-racks.yaml";

/** The values a discriminated union accepts, by discriminator field (or `parent.field`). */
const DISCRIMINATOR_VALUES: Record<string, string[]> = {
  formFactor: outpostSchema.options.map((option) => option.shape.formFactor.value),
  type: backendSchema.unwrap().options.map((option) => option.shape.type.value),
  "lni.mode": lniAddressingSchema.options.map((option) => option.shape.mode.value),
  "clusterAuth.mode": clusterAuthSchema.options.map((option) => option.shape.mode.value),
};

/** Fields earlier versions accepted, with what to do now. */
const REMOVED_FIELDS: Record<string, string> = {
  forControlPlane:
    "was removed: an extended cluster uses every regional subnet, including those in an Outpost's parent AZ " +
    "(EKS User Guide, network requirements, forbids only subnets on the Outpost itself); delete the field",
};

/** One reported problem: the field, the value found there, and what would be valid. */
export interface BlueprintProblem {
  /** Field path such as `outposts[1].arn`; `(root)` for the whole file. */
  readonly path: string;
  /** The value found at that path, or undefined when the field is missing. */
  readonly value: unknown;
  readonly message: string;
  /** The problem lies between two places (the path names both); no single value is shown. */
  readonly relation?: boolean;
}

export class BlueprintConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly BlueprintProblem[],
  ) {
    super(
      `${source}: the blueprint is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.path}: ${p.relation ? "" : `${describeValue(p.value)} `}${p.message}`).join("\n"),
    );
    this.name = "BlueprintConfigError";
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatPath(segments: IssuePath): string {
  if (segments.length === 0) return "(root)";
  return segments
    .map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join("");
}

function valueAt(input: unknown, segments: IssuePath): unknown {
  let current: unknown = input;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function schemaIssues(input: unknown, issues: readonly z.core.$ZodIssue[]): RuleIssue[] {
  return issues.flatMap((issue): RuleIssue[] => {
    const issuePath = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const formFactor = valueAt(input, [...issuePath, "formFactor"]);
      return issue.keys.map((key) => {
        const owner = FORM_FACTOR_ONLY_FIELDS[key];
        const message =
          REMOVED_FIELDS[key] ??
          (issuePath[0] === "outposts" && owner !== undefined && owner !== formFactor
            ? `is only valid for formFactor '${owner}'; this Outpost is a ${String(formFactor)}`
            : "is not a field here; check its spelling against docs/blueprint.schema.json");
        return { path: [...issuePath, key], message };
      });
    }
    if (issue.code === "invalid_union") {
      const field = String(issuePath[issuePath.length - 1]);
      const parent = String(issuePath[issuePath.length - 2]);
      const allowed = DISCRIMINATOR_VALUES[`${parent}.${field}`] ?? DISCRIMINATOR_VALUES[field];
      return [{ path: issuePath, message: allowed ? `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(", ")}` : issue.message }];
    }
    if (issue.code === "invalid_key") {
      return [{ path: issuePath, message: `is not a valid key: ${issue.issues[0]?.message ?? issue.message}` }];
    }
    if (issue.code === "invalid_value") {
      return [{ path: issuePath, message: `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    }
    if (issue.code === "invalid_type" && valueAt(input, issuePath) === undefined) {
      return [{ path: issuePath, message: `is required (${issue.expected})` }];
    }
    return [{ path: issuePath, message: issue.message.replace(/^Invalid input: /, "") }];
  });
}

/** Validates parsed input. Throws BlueprintConfigError listing every problem. */
export function validateBlueprint(input: unknown, source = "blueprint"): Blueprint {
  const result = blueprintSchema.safeParse(input);
  const issues = [...(result.success ? [] : schemaIssues(input, result.error.issues)), ...blueprintRuleIssues(input)];
  if (issues.length > 0 || !result.success) {
    const seen = new Set<string>();
    const problems = issues
      .map((issue) =>
        issue.label !== undefined
          ? { path: issue.label, value: undefined, message: issue.message, relation: true }
          : { path: formatPath(issue.path), value: valueAt(input, issue.path), message: issue.message },
      )
      .filter((problem) => {
        const key = `${problem.path}\u0000${problem.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
    throw new BlueprintConfigError(source, problems);
  }
  return result.data;
}

/** Reads and validates a YAML or JSON blueprint file. */
export function loadBlueprint(file: string): Blueprint {
  let input: unknown;
  try {
    const text = readFileSync(file, "utf8");
    input = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new BlueprintConfigError(path.basename(file), [
      { path: "(root)", value: undefined, message: `cannot be read: ${(error as Error).message}` },
    ]);
  }
  return validateBlueprint(input, file);
}

/** The blueprint file chosen by BLUEPRINT_CONFIG (unset or empty: the default example). */
export function blueprintPathFromEnv(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): string {
  return path.resolve(root, env.BLUEPRINT_CONFIG || DEFAULT_BLUEPRINT);
}
