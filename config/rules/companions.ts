/** A setting given without the companion it works with (config/companions.ts). */
import { COMPANION_SETTINGS } from "../companions";
import { RuleContext } from "./context";

export function companionRules(context: RuleContext): void {
  for (const setting of COMPANION_SETTINGS) {
    if (setting.given(context.input) && !setting.companionHolds(context.root)) {
      context.add(setting.path, `does nothing without ${setting.needs}; set that too, or drop this setting`);
    }
  }
}
