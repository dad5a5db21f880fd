/**
 * The npm scripts run the cdktf CLI through scripts/cdktf.mjs, which turns off HashiCorp's
 * checkpoint telemetry and the version check unless the caller set the variables (even empty).
 */
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const cliVersion: string = JSON.parse(readFileSync(require.resolve("cdktf-cli/package.json"), "utf8")).version;
const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;

/** The commands of an npm script, each as its words (split on &&, ||, ; and |). */
const commandsOf = (script: string) => script.split(/&&|\|\||[;|]/).map((command) => command.trim().split(/\s+/));

/** Evaluates `expression` with the wrapper imported as `m`, in a plain node process (the wrapper is ESM). */
function withWrapper(expression: string): unknown {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(path.join(ROOT, "scripts", "cdktf.mjs"))}); console.log(JSON.stringify(${expression}));`], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

describe("scripts/cdktf.mjs", () => {
  it("is how every npm script runs the cdktf CLI", () => {
    const direct = Object.entries(scripts)
      .filter(([, script]) => commandsOf(script).some((words) => words[0] === "cdktf" || (words[0] === "npx" && words[1] === "cdktf")))
      .map(([name]) => name);
    expect(direct).toEqual([]);
    const wrapped = Object.entries(scripts)
      .filter(([, script]) => commandsOf(script).some((words) => words[0] === "node" && words[1] === "scripts/cdktf.mjs"))
      .map(([name]) => name)
      .sort();
    expect(wrapped).toEqual(["synth", "synth:hcl"]);
    expect(commandsOf(scripts["synth:hcl"]).at(-1)).toEqual(["node", "scripts/cdktf.mjs", "synth", "--hcl"]);
  });

  it("sets CHECKPOINT_DISABLE and DISABLE_VERSION_CHECK unless they are set, even to the empty string", () => {
    expect(withWrapper(`[m.cdktfEnv({ PATH: "/bin" }), m.cdktfEnv({ CHECKPOINT_DISABLE: "", DISABLE_VERSION_CHECK: "0" })]`)).toEqual([
      { PATH: "/bin", CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
      { CHECKPOINT_DISABLE: "", DISABLE_VERSION_CHECK: "0" },
    ]);
  });

  it("drops a TF_CLI_CONFIG_FILE that names no file, which terraform would report as an error on every call", () => {
    expect(withWrapper(`[m.cdktfEnv({ TF_CLI_CONFIG_FILE: "/nowhere/.terraformrc" }, () => false), m.cdktfEnv({ TF_CLI_CONFIG_FILE: "/etc/terraformrc" }, () => true)]`)).toEqual([
      { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
      { TF_CLI_CONFIG_FILE: "/etc/terraformrc", CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
    ]);
  });

  it("runs the project's cdktf-cli with its arguments", () => {
    expect(withWrapper("m.cdktfCli()")).toBe(path.join(path.dirname(require.resolve("cdktf-cli/package.json")), "bundle", "bin", "cdktf"));
    // Its first line: terraform may add warnings of its own (a missing TF_CLI_CONFIG_FILE) after it.
    const version = spawnSync(process.execPath, [path.join(ROOT, "scripts", "cdktf.mjs"), "--version"], { cwd: ROOT, encoding: "utf8" });
    expect({ status: version.status, stdout: version.stdout.split("\n")[0] }).toEqual({ status: 0, stdout: cliVersion });
  });
});
