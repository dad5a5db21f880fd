// jest's runner for this project: jest-light-runner in child processes. Test files of one worker share
// one module registry instead of each loading cdktf, the provider classes and the stacks again and
// warming them up anew (two thirds of `npm test`'s CPU went there: docs/decisions.md, "npm test
// within its budget"). Each test file is still a fresh module of its own; what files share is the
// libraries' state, which the tests leave as they found it (process.env restored, patches idempotent).
//
// The worker processes read the TypeScript tests through tsx, given to them in NODE_OPTIONS by an
// absolute path (a scratch folder as cwd must not change what it resolves to). test/setup.ts puts the
// caller's NODE_OPTIONS back, so the processes a test spawns run as a user's would.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import runner from "jest-light-runner/child-process";

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve("tsx")).href;
if (process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS === undefined) {
  process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS = process.env.NODE_OPTIONS ?? "";
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--import=${tsx}`].filter(Boolean).join(" ");
}

export default runner;
