/**
 * Runs the cdktf CLI without telemetry or version checks (not offline: terraform still reaches the
 * registry, Helm repositories and AWS, docs/cli.md "Deploying"), for `outposts-eks deploy|diff|destroy` and `npm run synth`:
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
import { CommandError } from "./exit-codes";

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
  throw new CommandError(`deploy, diff and destroy run the cdktf CLI, which is not installed here: npm install --save-dev cdktf-cli@${cdktfCliVersion()}`);
}

/** Runs the cdktf CLI with `args` in the quiet environment (plus `extraEnv`); returns its exit code. */
export function runCdktf(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}, cli: string = process.env.OUTPOSTS_EKS_CDKTF_CLI || cdktfCli()): number {
  const run = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env: cdktfEnv({ ...process.env, ...extraEnv }) });
  if (run.error) throw run.error;
  return run.status ?? (run.signal ? 1 : 0);
}

/**
 * The stacks `outposts-eks deploy|destroy` applies at once unless told otherwise. cdktf-cli 0.21's
 * `--parallelism` defaults to -1, no limit: a fleet of 1,000 sites would start 1,000 terraform
 * processes together (each a provider of ~100 MB and its AWS API calls). Four keeps a wave moving
 * on a laptop or a CI runner; `--parallelism N` overrides it.
 */
export const DEFAULT_STACK_PARALLELISM = 4;

/** `args` with `--parallelism <DEFAULT_STACK_PARALLELISM>` added unless they set --parallelism already. */
export function withStackParallelism(args: readonly string[], parallelism: number = DEFAULT_STACK_PARALLELISM): string[] {
  const given = args.some((arg) => arg === "--parallelism" || arg.startsWith("--parallelism="));
  return given ? [...args] : [...args, "--parallelism", String(parallelism)];
}

/** Splits `outposts-eks deploy|diff|destroy` arguments: the stack names before the first option, then the cdktf options. */
export function stacksAndOptions(args: readonly string[]): { stacks: string[]; options: string[] } {
  const first = args.findIndex((arg) => arg.startsWith("-"));
  return first === -1 ? { stacks: [...args], options: [] } : { stacks: args.slice(0, first), options: args.slice(first) };
}

/**
 * The `cdktf diff` runs for `stacks`: cdktf-cli 0.21's diff takes one stack (`diff [stack]`), so
 * one run per stack, each with the options; the runs after the first reuse the first one's
 * synthesis (`--skip-synth`). No stack: one run without one, as `cdktf diff` takes it.
 */
export function diffRuns(stacks: readonly string[], options: readonly string[]): string[][] {
  if (stacks.length === 0) return [["diff", ...options]];
  const skip = options.includes("--skip-synth") ? [] : ["--skip-synth"];
  return stacks.map((stack, index) => ["diff", stack, ...options, ...(index === 0 ? [] : skip)]);
}

/** The exit code of several runs: the worst (highest), 0 when every run passed. */
export function worstExitCode(codes: readonly number[]): number {
  return codes.reduce((worst, code) => Math.max(worst, code), 0);
}
