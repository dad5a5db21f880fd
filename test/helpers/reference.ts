/**
 * The workplace's shared/reference (the official Load Balancer Controller policy and chart values,
 * the Node Termination Handler chart) is not part of the repository. Tests check against facts the
 * project keeps itself, in test/facts/reference-facts.json, which `npm run reference-facts` refreshes
 * from shared/reference when it is present. Where it is present, a test also proves the kept facts
 * are current; elsewhere that test is skipped with the reason printed.
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT } from "./synth";

type Json = Record<string, any>;

export const LBC_REFERENCE_NAME = "aws-load-balancer-controller-v3.5.0";
export const NTH_REFERENCE_NAME = "aws-node-termination-handler-0.27.6";
export const REFERENCE_FACTS_FILE = path.join(PROJECT_ROOT, "test/facts/reference-facts.json");

export interface ReferenceFacts {
  /** Actions of the official Load Balancer Controller IAM policy, sorted. */
  readonly lbcPolicyActions: string[];
  /** How many of its statements carry a Condition. */
  readonly lbcConditionedStatements: number;
  /** The key skeleton of each chart's values.yaml. */
  readonly lbcValues: Json;
  readonly nthValues: Json;
}

/** shared/reference beside the project or above it; undefined on a fresh clone. */
export function findReferenceDir(start = PROJECT_ROOT): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "reference");
    if (existsSync(path.join(candidate, LBC_REFERENCE_NAME))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The keys of a values.yaml with every leaf replaced by "": what a chart accepts. Empty maps, empty
 * lists and nulls stay as they are: the chart takes anything there.
 */
export function valueKeySkeleton(values: unknown): unknown {
  if (values === null || Array.isArray(values)) return values === null ? null : [];
  if (typeof values !== "object") return "";
  return Object.fromEntries(Object.entries(values as Json).map(([key, value]) => [key, valueKeySkeleton(value)]));
}

function actionsOf(statements: Array<{ Action?: string | string[] }>): string[] {
  return [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action!])))].sort();
}

/** The facts as the reference states them. */
export function factsFromReference(referenceDir: string): ReferenceFacts {
  const lbc = path.join(referenceDir, LBC_REFERENCE_NAME);
  const nth = path.join(referenceDir, NTH_REFERENCE_NAME);
  const policy = JSON.parse(readFileSync(path.join(lbc, "iam_policy.json"), "utf8"));
  return {
    lbcPolicyActions: actionsOf(policy.Statement),
    lbcConditionedStatements: (policy.Statement as Json[]).filter((s) => s.Condition).length,
    lbcValues: valueKeySkeleton(parseYaml(readFileSync(path.join(lbc, "values.yaml"), "utf8"))) as Json,
    nthValues: valueKeySkeleton(parseYaml(readFileSync(path.join(nth, "values.yaml"), "utf8"))) as Json,
  };
}

/** The facts the project keeps. */
export function referenceFacts(): ReferenceFacts {
  return JSON.parse(readFileSync(REFERENCE_FACTS_FILE, "utf8"));
}
