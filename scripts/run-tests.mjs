// `npm test`: the type check and the lint run side by side (one core each), then jest; any failure
// fails the run, with every tool's output shown.
import { spawn } from "child_process";

// A hang catcher, not a budget: a run that has not ended after this long is killed and fails, rather
// than holding CI until its own limit with no word of what hung.
const HANG_MS = 15 * 60_000;

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", shell: false });
    const timer = setTimeout(() => {
      process.stderr.write(`npm test: ${command} ${args.join(" ")} did not finish in ${HANG_MS / 60_000} minutes; killed\n`);
      // jest's worker processes end when their IPC channel to it closes.
      child.kill("SIGKILL");
    }, HANG_MS);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

const bin = (name) => `node_modules/.bin/${name}`;
// Both keep caches under node_modules/.cache, so a run after a small change checks little again.
const cache = "node_modules/.cache/outposts-eks";
const [typecheck, lint] = await Promise.all([
  run(bin("tsc"), ["--noEmit", "--incremental", "--tsBuildInfoFile", `${cache}/tsbuildinfo`]),
  run(bin("eslint"), ["--max-warnings", "0", "--cache", "--cache-location", `${cache}/eslintcache`, "."]),
]);
if (typecheck !== 0 || lint !== 0) {
  process.stderr.write(`npm test: ${typecheck !== 0 ? "tsc" : ""}${typecheck !== 0 && lint !== 0 ? " and " : ""}${lint !== 0 ? "eslint" : ""} failed\n`);
  process.exit(1);
}
// terraform's own verdict (terraform validate of every stack, ~25 s of CPU) runs in `npm run
// test:terraform`, which CI runs after this; everything else runs here.
// terraform's own checks (validate, and the ejected folders' validate and comparison) run in
// `npm run test:terraform`, which CI runs next: they spawn terraform and take most of the time.
process.exit(
  await run(bin("jest"), ["--testPathIgnorePatterns", "/test/stacks/terraform-validate\\.test\\.ts$", "/test/cli/eject\\.test\\.ts$", "/test/cli/tftest-terraform\\.test\\.ts$", "/test/node/", ...process.argv.slice(2)]),
);
