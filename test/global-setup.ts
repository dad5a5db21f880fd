/**
 * One synthesis cache for the whole jest run (see test/helpers/synth.ts), removed at the end; and
 * the app the npm scripts run (.app/, scripts/build-app.mjs) built once, for the tests that spawn it.
 */
import { spawnSync } from "child_process";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

export default function globalSetup(): void {
  process.env.OUTPOSTS_EKS_SYNTH_CACHE = mkdtempSync(path.join(tmpdir(), "outposts-eks-synth-cache-"));
  const build = spawnSync(process.execPath, [path.join(__dirname, "..", "scripts", "build-app.mjs")], { cwd: path.join(__dirname, ".."), encoding: "utf8" });
  if (build.status !== 0) throw new Error(`scripts/build-app.mjs failed: ${build.stderr}`);
}
