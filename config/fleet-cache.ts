/**
 * A validated fleet kept on disk between runs (issue 33). Reading and validating a fleet of 1,000
 * sites costs more than synthesizing one site (YAML parsing of 0.6 MB and 1,000 validations, about
 * 1.5 s here, against 0.6 s for a whole single-blueprint run), and a team deploying a wave site by
 * site reads the same fleet file each time. The fleet is validated in full on the first run, the
 * fleet-wide rules included; a later run with the same bytes of the fleet file and of its base file,
 * and the same validation code, reads the validated model back instead (v8 serialization, which
 * keeps every value as it was, undefined included). Only valid fleets are kept.
 *
 * The cache is opt-in (loadBlueprintOrFleet's `cache` option): the app and the outposts-eks command
 * turn it on. OUTPOSTS_EKS_FLEET_CACHE: `off` reads and validates every time; a directory keeps the cache
 * there; unset, `node_modules/.cache/outposts-eks` under the working directory (where the cdktf CLI
 * runs the app), created on first use. A cache that cannot be read or written is skipped silently:
 * it only ever saves time.
 */
import { createHash } from "crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "fs";
import * as path from "path";
import { deserialize, serialize } from "v8";
import type { Fleet } from "./fleet";

export const FLEET_CACHE_ENV = "OUTPOSTS_EKS_FLEET_CACHE";

/** Bumped when the cache entry's shape changes. */
const FORMAT = 2;

/** One entry per fleet file (by path): a changed fleet replaces its entry, so the cache stays one fleet's size per file. */
interface CacheEntry {
  readonly format: number;
  /** The hash of the fleet file's bytes when validated. */
  readonly sha256: string;
  /** The validation code's identity when validated. */
  readonly code: string;
  /** The base file the fleet names, with the hash of its bytes when validated. */
  readonly base?: { readonly file: string; readonly sha256: string };
  readonly fleet: Fleet;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

const identities = new Map<string, string>();

/** The folders whose code validation runs: config/ and what it reads from modules/ (chart versions, the image catalogue, managed policies) and stacks/. */
export const VALIDATION_CODE_FOLDERS = ["config", "modules", "stacks"] as const;

/**
 * What validation's result depends on besides the files: every source of config/, modules/ and
 * stacks/ under `root` (the package root, sources or dist/), the package's manifest and lock file
 * where present, and the versions of the parsers it uses. Whole folders rather than the modules
 * loaded so far: a cache hit is decided before validation loads anything, and a constant that
 * validation reads from modules/ (the EBS CSI chart version, the image catalogue) changes the
 * fleet as surely as a rule in config/ does. About 1 MB of source, a few milliseconds to hash.
 */
export function validationCodeIdentity(root: string = path.resolve(__dirname, "..")): string {
  const known = identities.get(root);
  if (known !== undefined) return known;
  const hash = createHash("sha256").update(`format ${FORMAT}\n`);
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(js|ts|cjs|mjs|json|ya?ml)$/.test(name)) hash.update(`${path.relative(root, full)}\n`).update(readFileSync(full));
    }
  };
  for (const folder of VALIDATION_CODE_FOLDERS) walk(path.join(root, folder));
  // The manifest and lock beside the code (sources) or one folder up (dist/): dependency versions.
  for (const file of ["package.json", "package-lock.json"]) {
    for (const candidate of [path.join(root, file), path.join(root, "..", file)]) {
      try {
        hash.update(`${file}\n`).update(readFileSync(candidate));
        break;
      } catch {
        // Not here: a package installed from the registry has no lock file.
      }
    }
  }
  for (const dependency of ["yaml", "zod"]) hash.update(`${dependency} ${(JSON.parse(readFileSync(require.resolve(`${dependency}/package.json`), "utf8")) as { version: string }).version}\n`);
  const identity = hash.digest("hex");
  identities.set(root, identity);
  return identity;
}

/** The cache directory, or undefined when the cache is off. */
export function fleetCacheDirectory(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const setting = env[FLEET_CACHE_ENV];
  if (setting === "off") return undefined;
  return setting ? path.resolve(cwd, setting) : path.join(cwd, "node_modules", ".cache", "outposts-eks");
}

function entryPath(directory: string, file: string): string {
  return path.join(directory, `fleet-${sha256(path.resolve(file)).slice(0, 40)}.bin`);
}

/** Where a note about an untrusted cache directory goes (tests replace it). */
export const cacheNotes = { write: (line: string) => void process.stderr.write(line) };
const noted = new Set<string>();

/**
 * Whether `directory` may hold entries: a directory of this user that neither its group nor others
 * can write. An entry is a v8-serialized model that becomes the stacks, so a directory someone else
 * can write to would let them choose what is deployed. An untrusted directory is skipped with one
 * line on stderr per process; a missing one is not (it is created, private, on the first write).
 * Where there are no user ids (Windows), only the type is checked.
 */
export function trustedCacheDirectory(directory: string): boolean {
  let stats;
  try {
    stats = lstatSync(directory);
  } catch {
    return false;
  }
  const uid = process.getuid?.();
  const why = !stats.isDirectory()
    ? "is not a directory"
    : uid !== undefined && stats.uid !== uid
      ? `is owned by another user (uid ${stats.uid})`
      : process.platform !== "win32" && (stats.mode & 0o022) !== 0
        ? `is writable by its group or others (chmod go-w ${directory})`
        : undefined;
  if (why === undefined) return true;
  if (!noted.has(directory)) {
    noted.add(directory);
    cacheNotes.write(`outposts-eks: the fleet cache ${directory} ${why}: not used, the fleet is validated in full (${FLEET_CACHE_ENV} names another directory, or off)\n`);
  }
  return false;
}

/**
 * The validated fleet of a run with the same fleet bytes, base bytes and code; undefined otherwise.
 * For a file with no entry (a single blueprint, a new fleet) it costs one failed read.
 */
export function cachedFleet(file: string, bytes: Buffer, directory: string | undefined): Fleet | undefined {
  if (directory === undefined || !trustedCacheDirectory(directory)) return undefined;
  try {
    const entry = deserialize(readFileSync(entryPath(directory, file))) as CacheEntry;
    if (entry.format !== FORMAT || entry.sha256 !== sha256(bytes) || entry.code !== validationCodeIdentity()) return undefined;
    if (entry.base && sha256(readFileSync(entry.base.file)) !== entry.base.sha256) return undefined;
    return entry.fleet;
  } catch {
    return undefined;
  }
}

/** The base file a fleet named, with the bytes validation read from it. */
export interface ValidatedBase {
  readonly file: string;
  readonly bytes: Buffer;
}

/**
 * Keeps a validated fleet for the next run; `base` is the base file validation read, with the very
 * bytes it validated (a base edited meanwhile then misses on the next run rather than pairing the
 * new bytes with the old model). Entries are written mode 0600 in a directory created 0700.
 */
export function cacheFleet(file: string, bytes: Buffer, fleet: Fleet, base: ValidatedBase | undefined, directory: string | undefined): void {
  if (directory === undefined) return;
  try {
    const entry: CacheEntry = {
      format: FORMAT,
      sha256: sha256(bytes),
      code: validationCodeIdentity(),
      fleet,
      ...(base ? { base: { file: base.file, sha256: sha256(base.bytes) } } : {}),
    };
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (!trustedCacheDirectory(directory)) return;
    const target = entryPath(directory, file);
    // Written aside and renamed: a concurrent run reads a whole entry or none.
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, serialize(entry), { mode: 0o600 });
    renameSync(partial, target);
  } catch {
    // Only time is lost.
  }
}
