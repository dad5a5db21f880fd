/**
 * deploy, diff and destroy run the cdktf CLI through cli/cdktf.ts, which turns off HashiCorp's
 * checkpoint telemetry and the version check unless the caller set the variables (even empty).
 */
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { cdktfCli, cdktfEnv, runCdktf } from "../../cli/cdktf";

const ROOT = path.resolve(__dirname, "../..");
const cliVersion: string = JSON.parse(readFileSync(require.resolve("cdktf-cli/package.json"), "utf8")).version;
const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;

/** The commands of an npm script, each as its words (split on &&, ||, ; and |). */
const commandsOf = (script: string) => script.split(/&&|\|\||[;|]/).map((command) => command.trim().split(/\s+/));

describe("cli/cdktf.ts", () => {
  it("is the only way the npm scripts reach the cdktf CLI: none calls it directly", () => {
    const direct = Object.entries(scripts)
      .filter(([, script]) => commandsOf(script).some((words) => words[0] === "cdktf" || (words[0] === "npx" && words[1] === "cdktf")))
      .map(([name]) => name);
    expect(direct).toEqual([]);
    expect(commandsOf(scripts["synth:hcl"]).at(-1)).toEqual(["node", ".app/cli/outposts-eks.js", "synth", "--hcl"]);
  });

  it("sets CHECKPOINT_DISABLE and DISABLE_VERSION_CHECK unless they are set, even to the empty string", () => {
    expect([cdktfEnv({ PATH: "/bin" }), cdktfEnv({ CHECKPOINT_DISABLE: "", DISABLE_VERSION_CHECK: "0" })]).toEqual([
      { PATH: "/bin", CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
      { CHECKPOINT_DISABLE: "", DISABLE_VERSION_CHECK: "0" },
    ]);
  });

  it("drops a TF_CLI_CONFIG_FILE that names no file, which terraform would report as an error on every call", () => {
    expect([cdktfEnv({ TF_CLI_CONFIG_FILE: "/nowhere/.terraformrc" }, () => false), cdktfEnv({ TF_CLI_CONFIG_FILE: "/etc/terraformrc" }, () => true)]).toEqual([
      { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
      { TF_CLI_CONFIG_FILE: "/etc/terraformrc", CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
    ]);
  });

  it("finds the project's cdktf-cli, and names the install command where there is none", () => {
    expect(cdktfCli()).toBe(path.join(path.dirname(require.resolve("cdktf-cli/package.json")), "bundle", "bin", "cdktf"));
    expect(() => cdktfCli(["/"])).toThrow("deploy, diff and destroy run the cdktf CLI, which is not installed here: npm install --save-dev cdktf-cli@0.21.0");
  });

  it("runs the cdktf CLI with its arguments and returns its exit code", () => {
    // Its first line: terraform may add warnings of its own (a missing TF_CLI_CONFIG_FILE) after it.
    const version = spawnSync(process.execPath, [cdktfCli(), "--version"], { cwd: ROOT, encoding: "utf8", env: cdktfEnv() });
    expect({ status: version.status, stdout: version.stdout.split("\n")[0] }).toEqual({ status: 0, stdout: cliVersion });
    expect(runCdktf(["process.exit(5)"], {}, "-e")).toBe(5);
  });
});
