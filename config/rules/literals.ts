/**
 * Every string of a blueprint reaches Terraform as a literal: in a tag, a label, a user-data script
 * or a Helm value. Terraform reads `${` and `%{` in any string as the start of an expression or a
 * directive, so a value such as `${var.team}` would be evaluated, not written. The walk is iterative
 * and linear, over keys and values alike.
 */
import { IssuePath, RuleContext } from "./context";

const TEMPLATE_SEQUENCE = /[$%]\{/;

export function literalRules(context: RuleContext): void {
  const stack: Array<[unknown, IssuePath]> = [[context.root, []]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (typeof node === "string") {
      const found = TEMPLATE_SEQUENCE.exec(node);
      if (found) {
        context.add(at, `contains '${found[0]}', which Terraform reads as the start of an expression; a blueprint gives literal values only`);
      }
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    const entries = Object.entries(node);
    for (let k = entries.length - 1; k >= 0; k--) {
      const [key, child] = entries[k];
      const childPath = Array.isArray(node) ? [...at, Number(key)] : [...at, key];
      const found = Array.isArray(node) ? null : TEMPLATE_SEQUENCE.exec(key);
      if (found) context.add(childPath, `has a key containing '${found[0]}', which Terraform reads as the start of an expression; a blueprint gives literal values only`);
      stack.push([child, childPath]);
    }
  }
}
