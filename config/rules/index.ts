/**
 * Rules that relate several fields of a blueprint, one file per section. They read the blueprint
 * with the schema's defaults applied (normalize.ts) and run beside the schema, so that one run
 * reports every problem: a rule skips a value that the schema already rejects.
 */
import { addonRules } from "./addons";
import { arnRules } from "./arns";
import { dnsRules } from "./dns";
import { distributionOf, distributionRules } from "./distribution";
import { backendRules } from "./backend";
import { RuleContext, RuleIssue, RuleSection } from "./context";
import { companionRules } from "./companions";
import { controlPlaneRules } from "./control-plane";
import { networkRules } from "./network";
import { networkPathRules } from "./network-paths";
import { nodeGroupRules, nodeLifecycleRules } from "./node-groups";
import { outpostRules } from "./outposts";
import { identityRules } from "./identities";
import { limitRules } from "./limits";
import { listRules } from "./lists";
import { literalRules } from "./literals";
import { subnetCapacityRules } from "./subnet-capacity";
import { tagRules } from "./tags";
import { versionRules } from "./versions";

export type { IssuePath, RuleIssue } from "./context";

/** Every section's rules, in the order their problems are reported. */
export const RULE_SECTIONS: Readonly<Record<string, RuleSection>> = {
  distribution: distributionRules,
  network: networkRules,
  networkPaths: networkPathRules,
  outposts: outpostRules,
  nodeGroups: nodeGroupRules,
  nodeLifecycle: nodeLifecycleRules,
  subnetCapacity: subnetCapacityRules,
  controlPlane: controlPlaneRules,
  versions: versionRules,
  addons: addonRules,
  backend: backendRules,
  arns: arnRules,
  dns: dnsRules,
  tags: tagRules,
  lists: listRules,
  limits: limitRules,
  identities: identityRules,
  literals: literalRules,
  companions: companionRules,
};

/**
 * Sections that read the EKS cluster (node groups, control plane, versions, add-ons, hop limits,
 * node quotas): a network-only blueprint (distribution openshift or hypershift) skips them.
 */
export const EKS_ONLY_RULE_SECTIONS: ReadonlySet<string> = new Set(["nodeGroups", "nodeLifecycle", "subnetCapacity", "controlPlane", "versions", "addons"]);

export function blueprintRuleIssues(input: unknown): RuleIssue[] {
  const context = new RuleContext(input);
  const eks = distributionOf(context) === "eks";
  for (const [name, section] of Object.entries(RULE_SECTIONS)) if (eks || !EKS_ONLY_RULE_SECTIONS.has(name)) section(context);
  return context.issues;
}
