/** ARN rules: every ARN field of the blueprint checked by the one ARN model (config/arns.ts). */
import { ARN_FIELDS, arnProblem } from "../arns";
import { asString, IssuePath, RuleContext } from "./context";

/** Every value at a path with `*` for each list index, with its concrete path. */
function valuesAt(
  root: unknown,
  path: readonly string[],
  prefix: IssuePath = []
): { path: IssuePath; value: unknown }[] {
  if (path.length === 0) return [{ path: prefix, value: root }];
  const [head, ...rest] = path;
  if (head === "*")
    return Array.isArray(root)
      ? root.flatMap((item, i) => valuesAt(item, rest, [...prefix, i]))
      : [];
  if (root === null || typeof root !== "object" || Array.isArray(root))
    return [];
  const child = (root as Record<string, unknown>)[head];
  return child === undefined ? [] : valuesAt(child, rest, [...prefix, head]);
}

export function arnRules(context: RuleContext): void {
  const backendRegion = asString(context.backend.region);
  for (const field of ARN_FIELDS) {
    const region =
      field.regionOf === "backend" ? backendRegion : context.region;
    for (const { path, value } of valuesAt(context.root, field.path)) {
      const text = asString(value);
      if (text === undefined) continue; // the schema reports a value that is no string
      const problem = arnProblem(field.kind, text, region);
      if (problem) context.add(path, problem);
    }
  }
}
