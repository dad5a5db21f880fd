#!/usr/bin/env node
// Runs the project's cdktf CLI (node_modules/cdktf-cli) quietly offline, for the npm scripts that
// call it: CHECKPOINT_DISABLE=1 (no telemetry to HashiCorp's checkpoint service, which otherwise
// prints "[ERROR] Could not send telemetry data" without network) and DISABLE_VERSION_CHECK=1 (no
// `npm view cdktf-cli` for a newer-version notice). A variable already set, even to the empty
// string, is left as it is: `CHECKPOINT_DISABLE= npm run synth` sends telemetry again.
// No shell and no cross-env: the same on Linux, macOS and Windows.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const QUIET_CDKTF_ENV = Object.freeze({ CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" });

/**
 * The environment the CLI runs with: `env` plus each quiet variable `env` does not set. A
 * TF_CLI_CONFIG_FILE that names no file is dropped: terraform would print "[ERROR] There are some
 * problems with the CLI configuration" on every call, and without it uses its defaults anyway.
 */
export function cdktfEnv(env = process.env, fileExists = existsSync) {
  const result = { ...env };
  for (const [name, value] of Object.entries(QUIET_CDKTF_ENV)) if (!(name in env)) result[name] = value;
  if (result.TF_CLI_CONFIG_FILE && !fileExists(result.TF_CLI_CONFIG_FILE)) delete result.TF_CLI_CONFIG_FILE;
  return result;
}

/** The CLI's entry script, from cdktf-cli's package.json `bin`. */
export function cdktfCli() {
  const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "..", "package.json"));
  const manifest = require.resolve("cdktf-cli/package.json");
  return join(dirname(manifest), require("cdktf-cli/package.json").bin.cdktf);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = spawnSync(process.execPath, [cdktfCli(), ...process.argv.slice(2)], { stdio: "inherit", env: cdktfEnv() });
  if (run.error) throw run.error;
  process.exit(run.status ?? (run.signal ? 1 : 0));
}
