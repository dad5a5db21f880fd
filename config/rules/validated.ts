/**
 * Rules that need the whole validated blueprint (the schema's types, every other rule passed): they
 * render what the stacks would build and measure it, so they run only on a blueprint otherwise valid.
 */
import { isNetworkOnly } from "../distributions";
import type { Blueprint } from "../schema";
import { renderedUserDataBytes, USER_DATA_MAX_BYTES } from "../user-data";
import type { RuleIssue } from "./context";

export function validatedBlueprintIssues(blueprint: Blueprint): RuleIssue[] {
  if (isNetworkOnly(blueprint)) return [];
  const issues: RuleIssue[] = [];
  blueprint.nodeGroups.forEach((group, i) => {
    const bytes = renderedUserDataBytes(blueprint, group);
    if (bytes > USER_DATA_MAX_BYTES) {
      issues.push({
        path: ["nodeGroups", i],
        message:
          `renders ${bytes} bytes of launch-template user data (its labels, taints, LNI and mirror settings, with the cluster's values at their longest); ` +
          `EC2 takes at most ${USER_DATA_MAX_BYTES} bytes before base64 (EC2 User Guide, user data): move labels or taints to fewer, shorter entries`,
      });
    }
  });
  return issues;
}
