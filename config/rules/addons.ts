/** Add-on rules: what only a local cluster may use. */
import { asObject, RuleContext } from "./context";

export function addonRules(context: RuleContext): void {
  const { addons, variant } = context;
  if (variant === "extended" && asObject(addons.breakGlass).enabled === true) {
    context.add(
      ["addons", "breakGlass", "enabled"],
      "is only valid for a local cluster: an extended cluster's control plane is in the Region, where IAM is always reachable",
    );
  }
  if (variant === "extended" && asObject(addons.clusterAuth).mode === "certificate") {
    context.add(["addons", "clusterAuth", "mode"], "'certificate' is for local clusters cut off from IAM; an extended cluster uses token or exec");
  }
}
