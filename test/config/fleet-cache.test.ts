/**
 * The validated-fleet cache (config/fleet-cache.ts): a run with the same fleet and base bytes reads
 * the validated model back, equal to a fresh validation in every value; a changed base, an invalid
 * fleet or `off` never reads a stale or missing model.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";
import { BlueprintConfigError, loadBlueprintOrFleet, loadFleet, validateFleet } from "../../config";
import { parse } from "yaml";
import { cachedFleet, cacheFleet, cacheNotes, FLEET_CACHE_ENV, fleetCacheDirectory, validationCodeIdentity } from "../../config/fleet-cache";
import { GENERATED_FLEET_BASE, generatedSite } from "../helpers/large-fleets";

const scratch = mkdtempSync(path.join(tmpdir(), "outposts-eks-fleet-cache-"));
const cache = path.join(scratch, "cache");
const previous = process.env[FLEET_CACHE_ENV];
beforeAll(() => (process.env[FLEET_CACHE_ENV] = cache));
afterAll(() => {
  if (previous === undefined) delete process.env[FLEET_CACHE_ENV];
  else process.env[FLEET_CACHE_ENV] = previous;
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * Every key path of a value, those holding undefined included (toEqual ignores them; toStrictEqual
 * also compares prototypes, which differ for what v8 deserializes outside jest's sandbox).
 */
function keyPaths(value: unknown, at = ""): string[] {
  if (value === null || typeof value !== "object") return [`${at}=${typeof value}`];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, `${at}.${key}`));
}

/** A fleet file of three generated sites with its base in a file beside it. */
function writeFleet(name: string, base: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(scratch, `${name}-`));
  writeFileSync(path.join(dir, "base.yaml"), stringify(base));
  const file = path.join(dir, "fleet.yaml");
  writeFileSync(file, stringify({ base: "base.yaml", sites: [0, 1, 2].map(generatedSite) }));
  return file;
}

describe("the validated-fleet cache", () => {
  it("reads back, on the next run, a fleet equal in every value to a fresh validation", () => {
    const file = writeFleet("same", structuredClone(GENERATED_FLEET_BASE));
    const fresh = loadFleet(file);
    expect(cachedFleet(file, readFileSync(file), cache)).toBeUndefined();
    const first = loadBlueprintOrFleet(file, { cache: true });
    expect(readdirSync(cache).filter((entry) => entry.endsWith(".bin"))).not.toHaveLength(0);
    const kept = cachedFleet(file, readFileSync(file), cache);
    expect(kept).toEqual(fresh);
    expect(keyPaths(kept)).toEqual(keyPaths(fresh));
    expect(first).toEqual({ kind: "fleet", fleet: fresh });
    const again = loadBlueprintOrFleet(file, { cache: true });
    expect(again).toEqual({ kind: "fleet", fleet: fresh });
    expect(keyPaths(again)).toEqual(keyPaths({ kind: "fleet", fleet: fresh }));
  });

  it("validates again when the base file changes, and keeps no invalid fleet", () => {
    const file = writeFleet("changed", structuredClone(GENERATED_FLEET_BASE));
    loadBlueprintOrFleet(file, { cache: true });
    expect(cachedFleet(file, readFileSync(file), cache)).toBeDefined();
    writeFileSync(path.join(path.dirname(file), "base.yaml"), stringify({ ...GENERATED_FLEET_BASE, kubernetesVersion: 1.3 }));
    expect(cachedFleet(file, readFileSync(file), cache)).toBeUndefined();
    expect(() => loadBlueprintOrFleet(file, { cache: true })).toThrow(BlueprintConfigError);
    expect(() => loadBlueprintOrFleet(file, { cache: true })).toThrow(/sites\[site-0001\]\.kubernetesVersion: 1\.3 is the number 1\.3/);
    expect(cachedFleet(file, readFileSync(file), cache)).toBeUndefined();
  });

  it("keeps one entry per fleet file, replaced when the fleet changes", () => {
    const file = writeFleet("edited", structuredClone(GENERATED_FLEET_BASE));
    const entries = () => readdirSync(cache).filter((entry) => entry.endsWith(".bin")).length;
    loadBlueprintOrFleet(file, { cache: true });
    const before = entries();
    writeFileSync(file, stringify({ base: "base.yaml", sites: [0, 1].map(generatedSite) }));
    expect(cachedFleet(file, readFileSync(file), cache)).toBeUndefined();
    const edited = loadBlueprintOrFleet(file, { cache: true });
    expect(edited.kind === "fleet" && edited.fleet.sites.map((site) => site.name)).toEqual(["site-0001", "site-0002"]);
    expect(entries()).toBe(before);
    expect(cachedFleet(file, readFileSync(file), cache)).toEqual((edited as { fleet: unknown }).fleet);
  });

  it("is off with OUTPOSTS_EKS_FLEET_CACHE=off, and defaults under node_modules/.cache", () => {
    expect(fleetCacheDirectory({ [FLEET_CACHE_ENV]: "off" }, "/project")).toBeUndefined();
    expect(fleetCacheDirectory({}, "/project")).toBe("/project/node_modules/.cache/outposts-eks");
    expect(fleetCacheDirectory({ [FLEET_CACHE_ENV]: "cache" }, "/project")).toBe("/project/cache");
    const file = writeFleet("off", structuredClone(GENERATED_FLEET_BASE));
    expect(cachedFleet(file, readFileSync(file), undefined)).toBeUndefined();
  });

  it("writes nothing unless the caller asks for the cache", () => {
    const file = writeFleet("library", structuredClone(GENERATED_FLEET_BASE));
    const before = readdirSync(cache).length;
    expect(loadBlueprintOrFleet(file).kind).toBe("fleet");
    expect(readdirSync(cache)).toHaveLength(before);
    expect(cachedFleet(file, readFileSync(file), cache)).toBeUndefined();
  });
});

describe("trusting the cache", () => {
  const notes: string[] = [];
  const write = cacheNotes.write;
  beforeAll(() => (cacheNotes.write = (line) => void notes.push(line)));
  afterAll(() => (cacheNotes.write = write));

  it("writes entries readable by their user only, in a directory it creates private", () => {
    const directory = path.join(mkdtempSync(path.join(scratch, "private-")), "cache");
    const file = writeFleet("private", structuredClone(GENERATED_FLEET_BASE));
    cacheFleet(file, readFileSync(file), loadFleet(file), undefined, directory);
    const [entry] = readdirSync(directory);
    expect(statSync(path.join(directory, entry)).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(cachedFleet(file, readFileSync(file), directory)).toBeDefined();
  });

  it("ignores, with one line on stderr, a directory its group or others can write, and a symlink", () => {
    const directory = mkdtempSync(path.join(scratch, "shared-"));
    const file = writeFleet("shared", structuredClone(GENERATED_FLEET_BASE));
    cacheFleet(file, readFileSync(file), loadFleet(file), undefined, directory);
    expect(cachedFleet(file, readFileSync(file), directory)).toBeDefined();
    chmodSync(directory, 0o777);
    notes.length = 0;
    expect(cachedFleet(file, readFileSync(file), directory)).toBeUndefined();
    expect(cachedFleet(file, readFileSync(file), directory)).toBeUndefined();
    expect(notes).toEqual([`outposts-eks: the fleet cache ${directory} is writable by its group or others (chmod go-w ${directory}): not used, the fleet is validated in full (${FLEET_CACHE_ENV} names another directory, or off)\n`]);
    chmodSync(directory, 0o700);
    const link = path.join(scratch, "cache-link");
    symlinkSync(directory, link);
    expect(cachedFleet(file, readFileSync(file), link)).toBeUndefined();
    expect(notes[1]).toContain(`${link} is not a directory`);
  });

  it("keys the entry by the base bytes validation read, not by the file as it is after", () => {
    const file = writeFleet("race", structuredClone(GENERATED_FLEET_BASE));
    const directory = mkdtempSync(path.join(scratch, "race-"));
    const reads: { file: string; bytes: Buffer }[] = [];
    const fleet = validateFleet(parse(readFileSync(file, "utf8")), file, path.dirname(file), (read) => reads.push(read));
    expect(reads.map((read) => read.file)).toEqual([path.join(path.dirname(file), "base.yaml")]);
    expect(reads[0].bytes).toEqual(readFileSync(reads[0].file));
    // The base as validated differs from the base on disk now (edited during validation).
    cacheFleet(file, readFileSync(file), fleet, { file: reads[0].file, bytes: Buffer.from("kubernetesVersion: '1.30'\n") }, directory);
    expect(cachedFleet(file, readFileSync(file), directory)).toBeUndefined();
    cacheFleet(file, readFileSync(file), fleet, reads[0], directory);
    expect(cachedFleet(file, readFileSync(file), directory)).toEqual(fleet);
  });
});

describe("the validation code's identity", () => {
  /** A copy of the package's code folders and manifest, to edit. */
  function codeCopy(): string {
    const root = mkdtempSync(path.join(scratch, "code-"));
    const repo = path.resolve(__dirname, "..", "..");
    for (const folder of ["config", "modules", "stacks"]) cpSync(path.join(repo, folder), path.join(root, folder), { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) cpSync(path.join(repo, file), path.join(root, file));
    return root;
  }

  it("changes when a constant validation reads from modules/ changes (the EBS CSI chart version)", () => {
    const root = codeCopy();
    const before = validationCodeIdentity(root);
    const bumped = mkdtempSync(path.join(scratch, "code-"));
    cpSync(root, bumped, { recursive: true });
    const chart = path.join(bumped, "modules", "ebs-storage", "chart.ts");
    const source = readFileSync(chart, "utf8");
    const edited = source.replace(/(EBS_CSI_CHART_VERSION\s*=\s*")([^"]+)"/, '$1$2-bumped"');
    expect(edited).not.toBe(source);
    writeFileSync(chart, edited);
    expect(validationCodeIdentity(bumped)).not.toBe(before);
  });

  it("changes with stacks/ and the lock file, and is the same for the same code", () => {
    const root = codeCopy();
    const same = mkdtempSync(path.join(scratch, "code-"));
    cpSync(root, same, { recursive: true });
    const before = validationCodeIdentity(root);
    expect(validationCodeIdentity(same)).toBe(before);
    const stacksChanged = mkdtempSync(path.join(scratch, "code-"));
    cpSync(root, stacksChanged, { recursive: true });
    mkdirSync(path.join(stacksChanged, "stacks", "extra"), { recursive: true });
    writeFileSync(path.join(stacksChanged, "stacks", "extra", "more.ts"), "export const MORE = 1;\n");
    expect(validationCodeIdentity(stacksChanged)).not.toBe(before);
    const lockChanged = mkdtempSync(path.join(scratch, "code-"));
    cpSync(root, lockChanged, { recursive: true });
    writeFileSync(path.join(lockChanged, "package-lock.json"), "{}\n");
    expect(validationCodeIdentity(lockChanged)).not.toBe(before);
  });
});
