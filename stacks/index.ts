/**
 * Builds a blueprint's stacks into an app. Each layer issue adds its stack here; dependencies keep
 * `cdktf deploy '*'` in order, while the data itself flows through remote state.
 */
import { requireOptionalPeers } from "../modules/shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("stacks", ["@cdktf/provider-helm", "@cdktf/provider-kubernetes", "@cdktf/provider-tfe", "@cdktf/provider-tls"]);
import { App } from "cdktf";
import { AddonsStack } from "./addons-stack";
import { Blueprint, hcpWorkspacesEnabled } from "../config";
import { ControlPlaneStack } from "./control-plane-stack";
import { NetworkStack } from "./network-stack";
import { WorkersStack } from "./workers-stack";
import { WorkspacesStack } from "./workspaces-stack";

/**
 * App context for every blueprint app (cdktf.json sets the same for the CLI): no stack traces in
 * annotations, so cdktf.out holds no machine-specific paths.
 */
export const BLUEPRINT_APP_CONTEXT = { "@cdktf/disable_stack_trace_in_metadata": true } as const;

export interface BlueprintStacks {
  readonly network: NetworkStack;
  /** The EKS layers: absent for a network-only blueprint (distribution openshift or hypershift). */
  readonly controlPlane?: ControlPlaneStack;
  readonly workers?: WorkersStack;
  readonly addons?: AddonsStack;
  /**
   * The HCP Terraform bootstrap stack, with `backend.workspaces` only. Deployed first and alone
   * (`cdktf deploy workspaces`): no stack depends on it, so each still deploys alone.
   */
  readonly workspaces?: WorkspacesStack;
}

/** The stacks of an EKS blueprint, which always has all four layers. */
export type EksBlueprintStacks = Required<Omit<BlueprintStacks, "workspaces">> & Pick<BlueprintStacks, "workspaces">;

export function buildBlueprint(app: App, blueprint: Blueprint): BlueprintStacks {
  const network = new NetworkStack(app, blueprint);
  if (blueprint.distribution !== "eks") {
    // OpenShift and HyperShift: the network only; their installers build the cluster (docs/openshift-and-hypershift.md).
    const workspaces = hcpWorkspacesEnabled(blueprint) ? new WorkspacesStack(app, blueprint) : undefined;
    return { network, ...(workspaces ? { workspaces } : {}) };
  }
  const controlPlane = new ControlPlaneStack(app, blueprint);
  controlPlane.addDependency(network);
  const workers = new WorkersStack(app, blueprint);
  workers.addDependency(controlPlane);
  const addons = new AddonsStack(app, blueprint);
  addons.addDependency(workers);
  const workspaces = hcpWorkspacesEnabled(blueprint) ? new WorkspacesStack(app, blueprint) : undefined;
  return { network, controlPlane, workers, addons, ...(workspaces ? { workspaces } : {}) };
}

export * from "./addons-contract";
export * from "./addons-stack";
export * from "./blueprint-stack";
export * from "./control-plane-contract";
export * from "./control-plane-stack";
export * from "./network-contract";
export * from "./network-stack";
export * from "./workers-contract";
export * from "./workers-stack";
export * from "./workspaces-stack";
