// `npm test`: the type check and the lint run side by side (one core each), then jest; any failure
// fails the run, with every tool's output shown.
import { spawn } from "child_process";

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", shell: false });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const bin = (name) => `node_modules/.bin/${name}`;
const [typecheck, lint] = await Promise.all([run(bin("tsc"), ["--noEmit"]), run(bin("eslint"), ["--max-warnings", "0", "."])]);
if (typecheck !== 0 || lint !== 0) {
  process.stderr.write(`npm test: ${typecheck !== 0 ? "tsc" : ""}${typecheck !== 0 && lint !== 0 ? " and " : ""}${lint !== 0 ? "eslint" : ""} failed\n`);
  process.exit(1);
}
process.exit(await run(bin("jest"), process.argv.slice(2)));
