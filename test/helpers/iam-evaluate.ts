/**
 * A small evaluator of identity-policy statements as IAM evaluates one request (IAM User Guide,
 * "Policy evaluation logic": an explicit Deny wins, then an Allow, otherwise an implicit deny), for
 * tests that ask whether a role may call an action on a resource. It reads the statements in the
 * project's `data.aws_iam_policy_document` shape. Action names match case-insensitively, resources
 * case-sensitively, `*` and `?` as IAM's wildcards. Conditions: the String and Arn operators the
 * project writes; a key absent from the request matches only a negated operator (IAM User Guide,
 * "Condition operators": "...NotEquals" with a missing key evaluates to true). Any other operator
 * throws, so a test cannot pass on a condition the evaluator does not understand.
 */
import { PolicyStatement } from "./iam-reference";

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys the request carries, e.g. `{ "iam:PermissionsBoundary": "arn:..." }`. */
  readonly context?: Readonly<Record<string, string>>;
}

const wildcard = (pattern: string, flags = "") =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, flags);

function conditionHolds(test: string, value: string | undefined, values: readonly unknown[]): boolean {
  const negated = test.includes("Not");
  if (value === undefined) return negated;
  const positive = test.replace("Not", "");
  let matches: boolean;
  if (positive === "StringEquals" || positive === "ArnEquals") matches = values.some((v) => String(v) === value);
  else if (positive === "StringLike" || positive === "ArnLike") matches = values.some((v) => wildcard(String(v)).test(value));
  else if (positive === "StringEqualsIgnoreCase") matches = values.some((v) => String(v).toLowerCase() === value.toLowerCase());
  else throw new Error(`iam-evaluate: condition operator ${test} is not modeled`);
  return negated ? !matches : matches;
}

function statementMatches(statement: PolicyStatement, request: IamRequest): boolean {
  const actionMatches = (statement.actions ?? []).some((pattern) => wildcard(pattern, "i").test(request.action));
  const resourceMatches = (statement.resources ?? []).some((pattern) => wildcard(pattern).test(request.resource));
  if (!actionMatches || !resourceMatches) return false;
  return (statement.condition ?? []).every((c) => conditionHolds(c.test, request.context?.[c.variable], c.values ?? []));
}

/**
 * IAM's decision for one request against one policy's statements (the construct's statement type or
 * parsed JSON; a token where a list belongs throws).
 */
export function decide(statements: readonly object[], request: IamRequest): Decision {
  const parsed = statements.map((statement) => {
    const { condition } = statement as { condition?: unknown };
    if (condition !== undefined && !Array.isArray(condition)) throw new Error("iam-evaluate: a statement's condition is not a list");
    return statement as PolicyStatement;
  });
  const matching = parsed.filter((statement) => statementMatches(statement, request));
  if (matching.some((statement) => statement.effect === "Deny")) return "explicit-deny";
  return matching.some((statement) => (statement.effect ?? "Allow") === "Allow") ? "allow" : "implicit-deny";
}
