// jest's runner for `npm test`: jest-light-runner 0.7.13 in child processes. Test files of one worker
// share one module registry instead of each loading cdktf, the provider classes and the stacks again
// and warming them up anew (two thirds of `npm test`'s CPU went there: docs/decisions.md, "npm test
// within its budget"). Each test file is still a fresh module of its own; what files share is the
// libraries' state, which the tests leave as they found it (process.env restored, patches idempotent).
//
// The worker processes read the TypeScript tests through tsx, given to them in NODE_OPTIONS by an
// absolute path (a scratch folder as cwd must not change what it resolves to). test/setup.ts puts the
// caller's NODE_OPTIONS back, so the processes a test spawns run as a user's would.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import LightRunner from "jest-light-runner/child-process";
import Tinypool from "tinypool";

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve("tsx")).href;
if (process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS === undefined) {
  process.env.OUTPOSTS_EKS_CALLER_NODE_OPTIONS = process.env.NODE_OPTIONS ?? "";
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--import=${tsx}`].filter(Boolean).join(" ");
}

// A worker process asks the runner for its configuration once, on its first test, through the run's
// `channel`. jest-light-runner gives every run one shared channel, and tinypool (0.8.4) registers each
// worker on the channel of every run it takes, so one worker's request answered every registered
// worker: a worker that had not started listening yet lost its answer, and then waited forever for
// one (seen in CI: `npm test` hung after its last file, one worker at 0 s of CPU). Each run gets a
// channel of its own here, which passes only its own worker's request on to the shared one.
const WORKER_DATA_REQUEST = "jest-light-runner-get-worker-data";
if (require.resolve("tinypool") !== createRequire(require.resolve("jest-light-runner")).resolve("tinypool")) {
  throw new Error("test/light-runner.mjs: jest-light-runner has a tinypool of its own; patch that one instead of node_modules/tinypool");
}
if (!Tinypool.prototype.run.outpostsEksOwnChannels) {
  const run = Tinypool.prototype.run;
  Tinypool.prototype.run = function runWithItsOwnChannel(task, options) {
    const shared = options?.channel;
    if (!shared) return run.call(this, task, options);
    let worker;
    const channel = {
      onMessage(listener) {
        worker = listener;
      },
      postMessage(message) {
        if (message !== WORKER_DATA_REQUEST || !worker) return;
        shared.onMessage(worker);
        shared.postMessage(message);
      },
    };
    return run.call(this, task, { ...options, channel });
  };
  Tinypool.prototype.run.outpostsEksOwnChannels = true;
}

export default class OutpostsEksTestRunner extends LightRunner {
  constructor(globalConfig, context, runnerConfiguration) {
    // With one worker jest-light-runner runs the tests in jest's own process, which reads no TypeScript.
    if (globalConfig.maxWorkers === 1) {
      throw new Error("npm test runs on two worker processes; to run in band, use jest's own runner: npx jest --runner jest-runner --runInBand <files>");
    }
    super(globalConfig, context, runnerConfiguration);
  }
}
