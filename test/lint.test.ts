/**
 * The lint rule that keeps every process fast: provider classes come from
 * '@cdktf/provider-<name>/lib/<resource>', never from the package root.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { PROJECT_ROOT } from "./helpers/synth";

function restrictedImportLines(code: string): number[] {
  // ESLint loads its flat config by dynamic import, which jest's module system cannot host: run its CLI.
  const run = spawnSync(
    process.execPath,
    [path.join(PROJECT_ROOT, "node_modules", "eslint", "bin", "eslint.js"), "--stdin", "--stdin-filename", "modules/probe.ts", "--format", "json"],
    { cwd: PROJECT_ROOT, input: code, encoding: "utf8" },
  );
  const [result] = JSON.parse(run.stdout);
  return result.messages.filter((m: { ruleId: string }) => m.ruleId === "no-restricted-imports").map((m: { line: number }) => m.line);
}

describe("eslint no-restricted-imports", () => {
  it("rejects the root of every provider package and accepts deep imports", () => {
    // Built from parts, so this file holds no root import for anything to trip on.
    const root = (name: string, provider: string) => `import { ${name} } from "@cdktf/provider-${provider}";`;
    const code = [
      root("Vpc", "aws"),
      root("ConfigMapV1", "kubernetes"),
      root("Release", "helm"),
      'import { Subnet } from "@cdktf/provider-aws/lib/subnet";',
      "export const used = [Vpc, ConfigMapV1, Release, Subnet];",
      "",
    ].join("\n");
    expect(restrictedImportLines(code)).toEqual([1, 2, 3]);
  });
});
