/**
 * Runs the cdktf CLI quietly offline, for `outposts-eks deploy|diff|destroy` and `npm run synth`:
 * CHECKPOINT_DISABLE=1 (no telemetry to HashiCorp's checkpoint service, which otherwise prints
 * "[ERROR] Could not send telemetry data" without network) and DISABLE_VERSION_CHECK=1 (no
 * `npm view cdktf-cli` for a newer-version notice). A variable already set, even to the empty
 * string, is left as it is: `CHECKPOINT_DISABLE= outposts-eks deploy` sends telemetry again.
 * No shell and no cross-env: the same on Linux, macOS and Windows.
 */
import { spawnSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { packageFile } from "../modules/shared/package-files";

export const QUIET_CDKTF_ENV = Object.freeze({ CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" });

/** The cdktf-cli version the project is built and tested with (its devDependency), for the install hint. */
export function cdktfCliVersion(): string {
  return JSON.parse(readFileSync(packageFile("package.json"), "utf8")).devDependencies?.["cdktf-cli"] ?? "0.21";
}

/**
 * The environment the CLI runs with: `env` plus each quiet variable `env` does not set. A
 * TF_CLI_CONFIG_FILE that names no file is dropped: terraform would print "[ERROR] There are some
 * problems with the CLI configuration" on every call, and without it uses its defaults anyway.
 */
export function cdktfEnv(env: NodeJS.ProcessEnv = process.env, fileExists: (file: string) => boolean = existsSync): NodeJS.ProcessEnv {
  const result = { ...env };
  for (const [name, value] of Object.entries(QUIET_CDKTF_ENV)) if (!(name in env)) result[name] = value;
  if (result.TF_CLI_CONFIG_FILE && !fileExists(result.TF_CLI_CONFIG_FILE)) delete result.TF_CLI_CONFIG_FILE;
  return result;
}

/**
 * The cdktf CLI's entry script (cdktf-cli's package.json `bin`): the one the current project
 * installed, else the one beside this package (a clone's devDependency). Throws, with the install
 * command, when there is none: the package does not depend on cdktf-cli (a 100 MB tool only
 * deploy needs).
 */
export function cdktfCli(from: readonly string[] = [process.cwd(), path.resolve(__dirname, "..")]): string {
  for (const directory of from) {
    let manifest: string;
    try {
      manifest = require.resolve("cdktf-cli/package.json", { paths: [directory] });
    } catch {
      continue;
    }
    return path.join(path.dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin.cdktf);
  }
  throw new Error(`deploy, diff and destroy run the cdktf CLI, which is not installed here: npm install --save-dev cdktf-cli@${cdktfCliVersion()}`);
}

/** Runs the cdktf CLI with `args` in the quiet environment (plus `extraEnv`); returns its exit code. */
export function runCdktf(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}, cli: string = process.env.OUTPOSTS_EKS_CDKTF_CLI || cdktfCli()): number {
  const run = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env: cdktfEnv({ ...process.env, ...extraEnv }) });
  if (run.error) throw run.error;
  return run.status ?? (run.signal ? 1 : 0);
}
