// Builds the app that `cdktf synth` runs: each TypeScript source transpiled by swc to CommonJS in
// .app/, only when it changed, so a synth pays ~0.1 s for the build instead of a full tsc (types are
// checked by `npm test`; `npm run build` writes the published dist/ with declarations).
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from "fs";
import * as path from "path";
import { fileURLToPath } from "url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, ".app");
const SOURCES = ["index.ts", "main.ts", "cli", "config", "modules", "stacks"];

function* typescriptFiles(entry) {
  const full = path.join(root, entry);
  if (statSync(full).isDirectory()) {
    for (const child of readdirSync(full).sort()) yield* typescriptFiles(path.join(entry, child));
  } else if (entry.endsWith(".ts") && !entry.endsWith(".d.ts")) {
    yield entry;
  }
}

let swc;
const wanted = new Set();
let built = 0;
for (const entry of SOURCES) {
  for (const file of typescriptFiles(entry)) {
    const target = path.join(out, file.replace(/\.ts$/, ".js"));
    wanted.add(target);
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(path.join(root, file)).mtimeMs) continue;
    // swc loads in about 40 ms: only when a file changed.
    const { transformFileSync } = swc ?? (swc = await import("@swc/core"));
    const { code } = transformFileSync(path.join(root, file), {
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "commonjs" },
      sourceMaps: false,
      swcrc: false,
    });
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, code);
    built += 1;
  }
}
// A source that was deleted or renamed must not linger as stale JavaScript.
function prune(dir) {
  if (!existsSync(dir)) return;
  for (const child of readdirSync(dir)) {
    const full = path.join(dir, child);
    if (statSync(full).isDirectory()) prune(full);
    else if (!wanted.has(full)) rmSync(full);
  }
}
prune(out);
if (process.env.BUILD_APP_VERBOSE) process.stderr.write(`build-app: ${built} file(s) transpiled\n`);
