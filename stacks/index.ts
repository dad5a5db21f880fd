/**
 * Builds a blueprint's stacks into an app. Each layer issue adds its stack here; dependencies keep
 * `cdktf deploy '*'` in order, while the data itself flows through remote state.
 */
import { App } from "cdktf";
import { Blueprint } from "../config";
import { ControlPlaneStack } from "./control-plane-stack";
import { NetworkStack } from "./network-stack";
import { WorkersStack } from "./workers-stack";

export interface BlueprintStacks {
  readonly network: NetworkStack;
  readonly controlPlane: ControlPlaneStack;
  readonly workers: WorkersStack;
}

export function buildBlueprint(app: App, blueprint: Blueprint): BlueprintStacks {
  const network = new NetworkStack(app, blueprint);
  const controlPlane = new ControlPlaneStack(app, blueprint);
  controlPlane.addDependency(network);
  const workers = new WorkersStack(app, blueprint);
  workers.addDependency(controlPlane);
  return { network, controlPlane, workers };
}

export * from "./blueprint-stack";
export * from "./control-plane-contract";
export * from "./control-plane-stack";
export * from "./network-contract";
export * from "./network-stack";
export * from "./workers-contract";
export * from "./workers-stack";
