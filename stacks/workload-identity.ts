/**
 * The one place that decides how add-on pods get AWS credentials on this blueprint (the kind comes
 * from config/derived.ts), for the workers stack (the Node Termination Handler's role beside its
 * queue) and the addons stack alike.
 */
import { Blueprint, workloadIdentityKind } from "../config";
import { WorkloadIdentity } from "../modules/shared/workload-identity";

export interface WorkloadIdentitySources {
  /** The cluster's OIDC provider, from the control-plane outputs (empty on local clusters). */
  readonly oidcProviderArn: string;
  readonly oidcProviderUrl: string;
  /** The node role's name: from the node role itself, or from the workers outputs. */
  readonly nodeRoleName: string;
}

export function workloadIdentity(blueprint: Blueprint, sources: WorkloadIdentitySources): WorkloadIdentity {
  return workloadIdentityKind(blueprint) === "irsa"
    ? { kind: "irsa", oidcProviderArn: sources.oidcProviderArn, oidcProviderUrl: sources.oidcProviderUrl }
    : { kind: "node-role", nodeRoleName: sources.nodeRoleName };
}
