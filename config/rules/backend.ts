/** Backend rules: a local state directory stays relative and inside the project. */
import { asString, RuleContext } from "./context";

export function backendRules(context: RuleContext): void {
  const { backend } = context;
  const stateDirectory = asString(backend.stateDirectory);
  if (backend.type !== "local" || stateDirectory === undefined) return;
  if (stateDirectory.startsWith("/") || /^[A-Za-z]:/.test(stateDirectory)) {
    context.add(["backend", "stateDirectory"], "is absolute; give a path relative to the project root, such as terraform-state");
  } else if (stateDirectory.split(/[\\/]/).includes("..") || stateDirectory.trim() === "") {
    context.add(["backend", "stateDirectory"], "must be a non-empty path inside the project, without '..'");
  }
}
