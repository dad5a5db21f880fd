/**
 * Every string of a blueprint reaches Terraform as a literal: in a tag, a label, a user-data script
 * or a Helm value. Terraform reads `${` and `%{` in any string as the start of an expression or a
 * directive, so a value such as `${var.team}` would be evaluated, not written. The walk is iterative
 * and linear, over keys and values alike.
 */
import { IssuePath, RuleContext } from "./context";

const TEMPLATE_SEQUENCE = /[$%]\{/;
/** Keys a JavaScript object cannot hold as plain data: `__proto__` vanishes in validation, `constructor` fails it obscurely. */
const UNREADABLE_KEYS = ["__proto__", "constructor"];

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
      if (!Array.isArray(node) && UNREADABLE_KEYS.includes(key)) {
        context.add(childPath, `is a key the validator cannot hold ('${key}' is special to JavaScript objects, and would be dropped or misread); rename it`);
      }
      stack.push([child, childPath]);
    }
  }
}
