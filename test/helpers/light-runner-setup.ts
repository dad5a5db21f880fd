/**
 * What jest's own runner gives every test file and jest-light-runner (test/light-runner.mjs) does not;
 * test/setup.ts installs both where the light runner runs:
 * - timeouts: the light runner calls each test and hook and waits for it with no timer of its own, so
 *   a test that never settled would hang `npm test` with no name given. A test or hook given a
 *   timeout (third argument; hooks: second) keeps it, as under jest;
 * - the environment: jest gives each file its own copy of process.env; the light runner's files share
 *   the worker's. Each file here starts from the environment the worker started with, so what a file
 *   (or the code it runs: the CLI turns --config into BLUEPRINT_CONFIG) sets does not reach the next.
 */
import { createRequire } from "module";

type Body = (...args: unknown[]) => unknown;
type Registrar = ((name: string, body?: Body, timeout?: number) => unknown) & Record<string, unknown>;
type Hook = (body: Body, timeout?: number) => unknown;

/** `body`, failing with a message naming `what` when it has not settled after `ms`. */
export function withTimeout(body: Body, ms: number, what: string): Body {
  return function timed(this: unknown, ...args: unknown[]) {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (the test timeout)`)), ms);
    });
    return Promise.race([Promise.resolve().then(() => body.apply(this, args)), expired]).finally(() => clearTimeout(timer));
  };
}

function timedRegistrar(original: Registrar, ms: number): Registrar {
  const register = (name: string, body?: Body, timeout?: number) => original(name, body && withTimeout(body, timeout ?? ms, `test "${name}"`), timeout);
  const each =
    (originalEach: (...table: unknown[]) => Registrar) =>
    (...table: unknown[]) =>
    (name: string, body?: Body, timeout?: number) =>
      originalEach(...table)(name, body && withTimeout(body, timeout ?? ms, `test "${name}"`), timeout);
  const timed = Object.assign(register, original) as Registrar;
  if (typeof original.only === "function") timed.only = timedRegistrar(original.only as Registrar, ms);
  if (typeof original.each === "function") timed.each = each((original.each as (...table: unknown[]) => Registrar).bind(original));
  return timed;
}

/** Replaces the global `it`, `test`, `fit` and the four hooks by ones that time out after `ms`. */
export function installTestTimeouts(ms: number): void {
  const globals = globalThis as unknown as Record<string, unknown>;
  for (const name of ["it", "test", "fit"]) {
    if (typeof globals[name] === "function") globals[name] = timedRegistrar(globals[name] as Registrar, ms);
  }
  for (const name of ["beforeAll", "afterAll", "beforeEach", "afterEach"]) {
    const original = globals[name] as Hook | undefined;
    if (typeof original === "function") globals[name] = (body: Body, timeout?: number) => original(withTimeout(body, timeout ?? ms, `${name} hook`), timeout);
  }
}

/** Puts process.env back to what it is now at the start of every test file the worker runs next. */
export function isolateEnvironmentPerFile(): void {
  const baseline = { ...process.env };
  // The jest-circus jest-light-runner runs the files with (its own, nested): its event handlers
  // outlive the state it resets for each file, and each file's run starts with "run_start".
  const circusPath = createRequire(require.resolve("jest-light-runner")).resolve("jest-circus");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const circus = require(circusPath) as { addEventHandler(handler: (event: { name: string }) => void): void };
  circus.addEventHandler((event) => {
    if (event.name !== "run_start") return;
    for (const name of Object.keys(process.env)) if (!(name in baseline)) delete process.env[name];
    Object.assign(process.env, baseline);
  });
}
