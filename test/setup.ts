import { Testing } from "cdktf";
import { fixCdktfHclRendering } from "../modules/shared/hcl-fix";
import { deferCdktfTokenStackTraces } from "../modules/shared/token-stack-traces";

Testing.setupJest();

/** What jest.config.js's testTimeout says; jest-light-runner reads it from here (as jest.setTimeout sets it). */
const TEST_TIMEOUT_MS = 60_000;
(globalThis as Record<symbol, unknown>)[Symbol.for("TEST_TIMEOUT_SYMBOL")] ??= TEST_TIMEOUT_MS;

// The HCL renderer fix, as every app applies it (a no-op where the patch is already on disk).
fixCdktfHclRendering();

// Token creation stacks formatted on first read, as the CLI and the app defer them (cli/synth.ts):
// the synthesized output is the same, and without it every test file formats every token's stack.
deferCdktfTokenStackTraces();

// The worker processes of test/light-runner.mjs were started with tsx in NODE_OPTIONS; a process a test
// spawns gets the caller's NODE_OPTIONS, as it would outside the tests.
if (process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS !== undefined) {
  if (process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS) process.env.NODE_OPTIONS = process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS;
  else delete process.env.NODE_OPTIONS;
  delete process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS;
}
