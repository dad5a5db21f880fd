/**
 * Distribution rules (issue 23): what an OpenShift or HyperShift network-only blueprint may hold,
 * and the one EKS requirement that moved out of the schema (at least one node group).
 *
 * OpenShift on Outposts keeps its control plane in the Region and runs only workers on the racks:
 * the API needs an NLB, which Outposts do not offer, so only ALBs go on the racks (openshift/enhancements,
 * enhancements/installer/aws-outposts-remote-workers.md, "Implementation Details"). HyperShift's
 * control plane runs in a management cluster. Neither is an EKS local cluster, so variant is extended.
 */
import { asString, RuleContext } from "./context";

export const DISTRIBUTIONS = ["eks", "openshift", "hypershift"] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** The distribution, "eks" when absent or invalid (the schema reports an invalid one). */
export function distributionOf(context: RuleContext): Distribution {
  const value = asString(context.root.distribution);
  return (DISTRIBUTIONS as readonly string[]).includes(value ?? "") ? (value as Distribution) : "eks";
}

/** EKS-only sections a non-eks blueprint must leave at their defaults: nothing reads them. */
const EKS_ONLY_SECTIONS = ["controlPlane", "workers", "addons"] as const;

export function distributionRules(context: RuleContext): void {
  const distribution = distributionOf(context);
  const raw = context.input;
  if (distribution === "eks") {
    if (Array.isArray(context.root.nodeGroups) && context.nodeGroups.length === 0) {
      context.add(
        ["nodeGroups"],
        raw.nodeGroups === undefined
          ? "is required: give at least one node group (a cluster without nodes runs no add-on, and the termination handler's event rules would match no group)"
          : "needs at least one node group: a cluster without nodes runs no add-on, and the termination handler's event rules would match no group",
      );
    }
    if (raw.openshift !== undefined) context.add(["openshift"], "is only valid with distribution openshift");
    if (raw.hypershift !== undefined) context.add(["hypershift"], "is only valid with distribution hypershift");
    return;
  }

  if (context.variant === "local") {
    context.add(
      ["variant"],
      `must be extended with distribution ${distribution}: its control plane stays in the Region (the OpenShift API needs an NLB, which Outposts do not offer); only workers and ALBs go on the racks`,
    );
  }
  if (context.nodeGroups.length > 0) {
    context.add(["nodeGroups"], `must be empty with distribution ${distribution}: the blueprint builds only the network; the ${distribution === "openshift" ? "installer's MachineSets" : "HyperShift NodePools"} create the workers`);
  }
  for (const section of EKS_ONLY_SECTIONS) {
    if (raw[section] !== undefined) context.add([section], `is EKS only: distribution ${distribution} builds only the network stack, which does not read it`);
  }
  if (distribution === "openshift" && raw.hypershift !== undefined) context.add(["hypershift"], "is only valid with distribution hypershift");
  if (distribution === "hypershift") {
    if (raw.openshift !== undefined) context.add(["openshift"], "is only valid with distribution openshift");
    if (raw.hypershift === undefined) context.add(["hypershift"], "is required with distribution hypershift: give at least baseDomain (the hosted cluster's private zone)");
    // Seed 003: the hosted cluster's account has a public subnet, an internet gateway, an EIP and a NAT gateway.
    if (context.egress !== "nat") context.add(["network", "egress"], "must be nat with distribution hypershift: the hosted cluster's account has a public subnet, an internet gateway and a NAT gateway (HyperShift, AWS infrastructure)");
    if (context.existingVpc) context.add(["network", "vpc", "id"], "must be omitted with distribution hypershift: the blueprint creates the VPC, its DHCP options, route tables and zones that hypershift create infra aws would");
  }
}
