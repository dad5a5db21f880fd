/**
 * Lists whose items become construct IDs, resource names or rules: an item given twice would
 * collide at synthesis or plan, so it is reported where it repeats.
 */
import { asArray, asObject, asString, IssuePath, RuleContext } from "./context";

function unique(context: RuleContext, path: IssuePath, list: unknown, what: string): void {
  context.checkUnique(asArray(list).map(asString), (i) => [...path, i], what);
}

export function listRules(context: RuleContext): void {
  context.outposts.forEach((outpost, i) => unique(context, ["outposts", i, "onPremCidrs"], outpost.onPremCidrs, "on-premises CIDR"));
  unique(context, ["workers", "egressCidrs"], context.workers.egressCidrs, "egress CIDR");
  unique(context, ["workers", "extraNodePolicyArns"], context.workers.extraNodePolicyArns, "policy ARN");
  unique(context, ["controlPlane", "publicAccessCidrs"], context.controlPlane.publicAccessCidrs, "public access CIDR");
  unique(context, ["controlPlane", "adminPrincipalArns"], context.controlPlane.adminPrincipalArns, "admin principal");
  context.nodeGroups.forEach((group, i) => {
    const lni = asObject(group.lni);
    unique(context, ["nodeGroups", i, "lni", "addresses"], lni.addresses, "LNI address");
    unique(context, ["nodeGroups", i, "lni", "routes"], lni.routes, "LNI route");
    unique(context, ["nodeGroups", i, "additionalSecurityGroupIds"], group.additionalSecurityGroupIds, "security group");
  });
}
