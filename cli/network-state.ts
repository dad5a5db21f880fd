/**
 * The network stack's outputs as plain values, for the scripts of network-only blueprints
 * (`outposts-eks openshift-fragments`, `outposts-eks hypershift-infra`): from the local backend's state file
 * (`<stateDirectory>/network.tfstate`), or from a file of `terraform output -json`. Both hold
 * `{ "<name>": { "value": ... } }` (the state file under `outputs`).
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import type { Blueprint } from "../config";
import { CommandError, parseJsonFile } from "./exit-codes";

export type OutputValues = Readonly<Record<string, unknown>>;

/** The values of `{ name: { value } }`, as `terraform output -json` writes them. */
export function outputValues(outputs: unknown): OutputValues {
  if (!outputs || typeof outputs !== "object") throw new CommandError("the outputs are not a JSON object of { name: { value } }");
  return Object.fromEntries(Object.entries(outputs as Record<string, { value?: unknown }>).map(([name, entry]) => [name, entry?.value]));
}

/** The network stack's outputs: --outputs <file> when given, else the local backend's state file. */
export function readNetworkOutputs(blueprint: Blueprint, outputsFile: string | undefined, script: string): OutputValues {
  if (outputsFile !== undefined) return outputValues(parseJsonFile(readFileSync(outputsFile, "utf8"), outputsFile));
  if (blueprint.backend.type !== "local") {
    throw new CommandError(`the backend is ${blueprint.backend.type}: give --outputs <file> of \`terraform output -json\` in the network stack (outposts-eks ${script} --outputs network-outputs.json)`);
  }
  const file = path.join(blueprint.backend.stateDirectory, "network.tfstate");
  if (!existsSync(file)) throw new CommandError(`no ${file}: deploy the network stack first (outposts-eks deploy network), or give --outputs <file>`);
  return outputValues((parseJsonFile(readFileSync(file, "utf8"), file) as { outputs?: unknown }).outputs ?? {});
}
