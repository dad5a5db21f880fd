/**
 * Builds a blueprint's stacks into an app. Each layer issue adds its stack here; dependencies keep
 * `cdktf deploy '*'` in order, while the data itself flows through remote state.
 */
import { App } from "cdktf";
import { Blueprint } from "../config";
import { ControlPlaneStack } from "./control-plane-stack";
import { NetworkStack } from "./network-stack";

export interface BlueprintStacks {
  readonly network: NetworkStack;
  readonly controlPlane: ControlPlaneStack;
}

export function buildBlueprint(app: App, blueprint: Blueprint): BlueprintStacks {
  const network = new NetworkStack(app, blueprint);
  const controlPlane = new ControlPlaneStack(app, blueprint);
  controlPlane.addDependency(network);
  return { network, controlPlane };
}

export * from "./blueprint-stack";
export * from "./control-plane-contract";
export * from "./control-plane-stack";
export * from "./network-contract";
export * from "./network-stack";
