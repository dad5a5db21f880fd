/** One synthesis cache for the whole jest run (see test/helpers/synth.ts), removed at the end. */
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

export default function globalSetup(): void {
  process.env.OUTPOSTS_EKS_SYNTH_CACHE = mkdtempSync(path.join(tmpdir(), "outposts-eks-synth-cache-"));
}
