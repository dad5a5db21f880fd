/**
 * `outposts-eks eject --out <dir> [--force] [--allow-differences]`: writes every stack of the
 * blueprint as a standalone Terraform root module into `<dir>/<stack>/` (main.tf, assets, README.md)
 * and `<dir>/README.md` with the deploy order. Each main.tf is checked against the JSON synthesis
 * first; on a difference nothing is written unless --allow-differences. The work is in cli/eject-lib.ts; see docs/leaving-cdktf.md.
 */
import * as path from "path";
import type { Blueprint } from "../config";
import { ejectBlueprint } from "./eject-lib";

export interface EjectOptions {
  /** The folder to write into. */
  readonly out: string;
  /** Write into a folder that is not empty. @default false */
  readonly force?: boolean;
  /** Write even where the HCL differs from the JSON synthesis. @default false */
  readonly allowDifferences?: boolean;
}

/** Ejects the blueprint; returns what to print on stdout and stderr. */
export async function ejectCommand(blueprint: Blueprint, options: EjectOptions): Promise<{ stdout: string; stderr: string }> {
  const { out } = options;
  const result = await ejectBlueprint(blueprint, path.resolve(out), { force: options.force ?? false, allowDifferences: options.allowDifferences ?? false });
  const stderr =
    result.differences.length > 0
      ? `Written although the HCL differs from the JSON synthesis (edit main.tf before planning):\n${result.differences.map((d) => `  ${d}`).join("\n")}\n`
      : "";
  const stdout = [
    `Ejected ${result.order.length} stacks of ${blueprint.name} into ${out}, in deploy order:`,
    ...result.order.map((stack) => `  ${stack}: terraform -chdir=${path.join(out, stack)} init && terraform -chdir=${path.join(out, stack)} plan`),
    `See ${path.join(out, "README.md")}.`,
    "",
  ].join("\n");
  return { stdout, stderr };
}
