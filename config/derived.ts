/**
 * Settings that follow from other fields of the blueprint, decided once here for the rules, the
 * stacks and the scripts alike.
 */
import type { Blueprint } from "./schema";

/** Whether VPC endpoints are created: as asked, else by default with private egress only. */
export function endpointsEnabledFor(egress: string | undefined, enabled: boolean | undefined): boolean {
  return enabled ?? egress === "private";
}

/** Whether the blueprint creates VPC endpoints. */
export function endpointsEnabled(blueprint: Blueprint): boolean {
  return endpointsEnabledFor(blueprint.network.egress, blueprint.network.endpoints.enabled);
}

/**
 * How add-on pods get AWS credentials. Extended clusters have an OIDC provider, so each add-on gets
 * its own IRSA role. Local clusters have none (EKS UG, local clusters): add-ons use the node role
 * through the instance profile, which needs IMDS hop limit 2.
 */
export type WorkloadIdentityKind = "irsa" | "node-role";

export function workloadIdentityKind(blueprint: Pick<Blueprint, "variant">): WorkloadIdentityKind {
  return blueprint.variant === "local" ? "node-role" : "irsa";
}

/**
 * The AZs of the regional subnets an extended cluster is given: all of them, including those in an
 * Outpost's parent AZ (EKS User Guide, network requirements: the cluster's subnets can't reside in
 * AWS Outposts; seed 002 puts them in the racks' AZs). None for a local cluster.
 */
export function controlPlaneZones(blueprint: Blueprint): string[] {
  if (blueprint.variant === "local") return [];
  return blueprint.network.regionalSubnets.map((subnet) => subnet.availabilityZone);
}
