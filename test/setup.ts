import { Testing } from "cdktf";
import { fixCdktfHclRendering } from "../modules/shared/hcl-fix";
import { deferCdktfTokenStackTraces } from "../modules/shared/token-stack-traces";
import { installTestTimeouts, isolateEnvironmentPerFile } from "./helpers/light-runner-setup";

Testing.setupJest();

// The HCL renderer fix, as every app applies it (a no-op where the patch is already on disk).
fixCdktfHclRendering();

// Token creation stacks formatted on first read, as the CLI and the app defer them (cli/synth.ts):
// the synthesized output is the same, and without it every test file formats every token's stack.
deferCdktfTokenStackTraces();

// Where jest-light-runner runs the files (test/light-runner.mjs; its `jest` object has no setTimeout):
if (typeof (jest as { setTimeout?: unknown }).setTimeout !== "function") {
  // The worker processes were started with tsx in NODE_OPTIONS; a process a test spawns gets the
  // caller's NODE_OPTIONS, as it would outside the tests.
  if (process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS) process.env.NODE_OPTIONS = process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS;
  else delete process.env.NODE_OPTIONS;
  delete process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS;
  // jest.config.js's testTimeout, which jest's own runner enforces, around every test and hook.
  installTestTimeouts(60_000);
  // A copy of the environment for each file, as jest's own runner gives.
  isolateEnvironmentPerFile();
}
