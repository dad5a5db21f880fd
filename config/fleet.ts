/**
 * A fleet: many sites from one repository (issue 24). A fleet file is a YAML or JSON file with a
 * top-level `sites:` list (a blueprint has no `sites` field, so the two kinds never overlap):
 *
 *     base: ./base.yaml          # a blueprint file, relative to the fleet file; or an inline map
 *     sites:
 *       - name: store-042        # the site's key, and its blueprint's `name`
 *         sharedNetwork: dc-east # optional: sites of one group must not overlap in CIDRs
 *         outposts: [...]        # any blueprint field: overrides the base
 *
 * Each site's blueprint is the base with the site's fields merged in (`mergeSite`): maps merge
 * recursively, lists and scalars replace, and `null` removes a base field. Every merged site is
 * validated like a single blueprint; problems are reported per site and field path
 * (`sites[store-042].outposts[0].arn`), every site's at once, in one BlueprintConfigError.
 * docs/fleets.md describes the whole.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parseCidr } from "./cidr";
import { cachedFleet, cacheFleet, fleetCacheDirectory, ValidatedBase } from "./fleet-cache";
import { BlueprintConfigError, BlueprintProblem, loadBlueprint, parseBlueprintText, readBlueprintFile, unreadableFileMessage, validateBlueprint, MAX_BLUEPRINT_BYTES } from "./load";
import { fleetSharingProblems } from "./fleet-rules";
import { imageRepositoryPrefix, imageSourceOf, privateRepositoryImages } from "./image-sources";
import { STACK_NAMES } from "./names";
import { Backend, Blueprint } from "./schema";

/** Fields of a fleet file's top level. */
const FLEET_FIELDS = ["base", "sites"] as const;
/** Fields of a site entry that are the fleet's, not the blueprint's: removed before validation. */
const SITE_ONLY_FIELDS = ["sharedNetwork"] as const;

/** A site name: one DNS label, as it prefixes stack names, state keys and workspace names. */
export const SITE_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
export const SITE_NAME_MAX = 63;

export interface FleetSite {
  /** The site's key: its blueprint's name and the prefix of its stacks (`<name>-network`). */
  readonly name: string;
  /** The on-premises network group the site shares with others (CIDRs may not overlap within it). */
  readonly sharedNetwork?: string;
  /** The validated blueprint, with the fleet file's own backend (buildBlueprint adds the site). */
  readonly blueprint: Blueprint;
}

export interface Fleet {
  /** The fleet file. */
  readonly source: string;
  readonly sites: readonly FleetSite[];
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Discriminators of the blueprint's unions: `backend.type`, `outposts[].formFactor`, `lni.mode`, `clusterAuth.mode`. */
const DISCRIMINATORS = ["type", "formFactor", "mode"] as const;

/** A map of another kind (a local backend made cloud): its fields are not the other kind's, so it replaces whole. */
function changesKind(base: Record<string, unknown>, override: Record<string, unknown>): boolean {
  return DISCRIMINATORS.some((field) => field in base && field in override && base[field] !== override[field]);
}

/**
 * The site's blueprint input: `override` merged into `base`. Maps merge key by key, recursively;
 * lists replace whole (a list such as `outposts` or `nodeGroups` is one fact about a site, and
 * merging by index would silently mix two sites' racks); scalars replace; `null` removes the key. A
 * map whose discriminator (`type`, `formFactor`, `mode`) the site changes replaces whole.
 * Neither argument is changed.
 */
export function mergeSite(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override) || changesKind(base, override)) return structuredClone(override);
  const merged: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = key in merged ? mergeSite(merged[key], value) : structuredClone(value);
  }
  return merged;
}

/** True when parsed input is a fleet file rather than a blueprint: a map with a top-level `sites`. */
export function isFleetInput(input: unknown): boolean {
  return isMap(input) && "sites" in input;
}

/** The backend of one site: its own state under the fleet's (docs/fleets.md, "State"). */
export function siteBackend<B extends Backend>(backend: B, site: string): B {
  switch (backend.type) {
    case "local":
      return { ...backend, stateDirectory: `${backend.stateDirectory.replace(/\/+$/, "")}/${site}` };
    case "s3":
      return { ...backend, keyPrefix: `${backend.keyPrefix.replace(/\/+$/, "")}/${site}` };
    case "cloud":
      return { ...backend, workspacePrefix: `${backend.workspacePrefix}-${site}` };
  }
  return backend;
}

/** Where a site's states live, as one comparable string: two sites with the same would share state. */
function stateLocation(backend: Backend): string {
  switch (backend.type) {
    case "local":
      return `local state directory ${path.posix.normalize(backend.stateDirectory).replace(/\/+$/, "")}`;
    case "s3":
      return `S3 bucket ${backend.bucket}, key prefix ${backend.keyPrefix.replace(/^\/+|\/+$/g, "")}`;
    case "cloud":
      return `HCP Terraform ${backend.hostname}/${backend.organization}, workspace prefix ${backend.workspacePrefix}`;
  }
  return JSON.stringify(backend);
}

/** The stack names a site's blueprint synthesizes (stacks/index.ts buildBlueprint with the site). */
export function siteStackNames(blueprint: Blueprint, site: string): string[] {
  const layers = blueprint.distribution === "eks" ? STACK_NAMES : STACK_NAMES.filter((layer) => layer === "network");
  return layers.map((layer) => `${site}-${layer}`);
}

const problem = (at: string, message: string, value?: unknown): BlueprintProblem =>
  value === undefined ? { path: at, value: undefined, message, relation: true } : { path: at, value, message };

/** Prefixes a site's problem with the site: `sites[store-042].outposts[0].arn`. */
function sitePath(siteKey: string, at: string): string {
  return at === "(root)" ? siteKey : `${siteKey}.${at}`;
}

/**
 * The pairs of indexes (i < j, in that order) of CIDRs that overlap, in O(n log n) plus the pairs
 * found rather than a comparison of every pair (a fleet of 1,000 sites on one WAN has 500,000). Two
 * CIDRs are nested or disjoint, so in order of start address the ranges still open at a start all
 * contain it. Texts that are no CIDR are skipped (the blueprint rules report them).
 */
export function overlappingPairs(cidrs: readonly string[]): Array<[number, number]> {
  const ranges = cidrs
    .map((text, index) => {
      const cidr = parseCidr(text);
      return cidr && { index, start: cidr.network, end: cidr.network + 2 ** (32 - cidr.prefix) - 1 };
    })
    .filter((range) => range !== undefined)
    .sort((a, b) => a.start - b.start || b.end - a.end || a.index - b.index);
  const pairs: Array<[number, number]> = [];
  const open: typeof ranges = [];
  for (const range of ranges) {
    while (open.length > 0 && open[open.length - 1].end < range.start) open.pop();
    for (const outer of open) pairs.push(outer.index < range.index ? [outer.index, range.index] : [range.index, outer.index]);
    open.push(range);
  }
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Fleet-wide rules over the validated sites: shared networks, state locations, stack names, one HCP project. */
export function fleetRuleProblems(sites: readonly FleetSite[]): BlueprintProblem[] {
  const problems: BlueprintProblem[] = [];
  const key = (site: FleetSite) => `sites[${site.name}]`;

  // Sites on one on-premises network route to each other's VPCs: their address ranges must be distinct.
  const groups = new Map<string, FleetSite[]>();
  for (const site of sites) if (site.sharedNetwork !== undefined) groups.set(site.sharedNetwork, [...(groups.get(site.sharedNetwork) ?? []), site]);
  for (const [group, members] of groups) {
    for (const [a, b] of overlappingPairs(members.map((site) => site.blueprint.network.vpc.cidr))) {
      const [siteA, siteB] = [members[a], members[b]];
      problems.push(
        problem(
          `${key(siteA)}.network.vpc.cidr and ${key(siteB)}.network.vpc.cidr`,
          `overlap (${siteA.blueprint.network.vpc.cidr} and ${siteB.blueprint.network.vpc.cidr}): both sites share the on-premises network ${JSON.stringify(group)}, which routes to each; give each site its own range`,
        ),
      );
    }
  }

  // What one account and Region hold once: two sites creating it collide at apply, and destroying one
  // site would delete what the other uses. Site names prefix everything else the stacks name.
  const regionalOnce = new Map<string, FleetSite>();
  const claim = (site: FleetSite, what: string, path: string, value: string, scope: string) => {
    const id = `${what} ${scope} ${value}`;
    const earlier = regionalOnce.get(id);
    if (earlier) {
      problems.push(problem(`${key(earlier)}.${path} and ${key(site)}.${path}`, `are both ${JSON.stringify(value)}: ${what} exists once per account and Region, so the second site's apply fails and destroying one site removes the other's; give each site its own`));
    } else regionalOnce.set(id, site);
  };
  for (const site of sites) {
    const { blueprint } = site;
    const images = blueprint.addons.images;
    if (privateRepositoryImages(blueprint).length > 0) claim(site, "the private ECR repository prefix", "addons.images.repositoryPrefix", imageRepositoryPrefix(blueprint), blueprint.region);
    if (imageSourceOf(blueprint) === "pullThroughCache" && images.pullThroughCache.createRule) {
      claim(site, "the ECR pull-through cache rule", "addons.images.pullThroughCache.prefix", images.pullThroughCache.prefix, blueprint.region);
    }
    // Outposts and local gateway route tables may serve several sites' VPCs (an LGW route table
    // associates with many VPCs): not claimed.
  }

  // `cdktf deploy '<site>-*'` must pick one site: no site's name may start with another's and a dash.
  // Each dash of a name ends a prefix that may be another site's name: a look-up, not a pass over every pair.
  const byName = new Map(sites.map((site) => [site.name, site]));
  for (const site of sites) {
    for (let dash = site.name.indexOf("-"); dash > 0; dash = site.name.indexOf("-", dash + 1)) {
      const other = byName.get(site.name.slice(0, dash));
      if (other !== undefined && other !== site) {
        problems.push(problem(`${key(site)}.name`, `starts with ${other.name}-, so cdktf deploy '${other.name}-*' would deploy this site too; rename one of them`, site.name));
      }
    }
  }

  // Two sites whose states resolve to one place would overwrite each other's state.
  const locations = new Map<string, FleetSite>();
  for (const site of sites) {
    const location = stateLocation(siteBackend(site.blueprint.backend, site.name));
    const earlier = locations.get(location);
    if (earlier) problems.push(problem(`${key(earlier)}.backend and ${key(site)}.backend`, `resolve to the same state (${location}): each site needs its own; change one backend`));
    else locations.set(location, site);
  }

  // Stack names: one directory each in cdktf.out/stacks, and `cdktf deploy '<site>-*'` must pick one site.
  const stacks = new Set<string>(["workspaces"]);
  for (const site of sites) {
    for (const stack of siteStackNames(site.blueprint, site.name)) {
      if (stacks.has(stack)) problems.push(problem(`${key(site)}.name`, `gives the stack name ${stack}, which another stack of the fleet has`, site.name));
      else stacks.add(stack);
    }
  }

  // The HCP Terraform bootstrap: one workspaces stack for the fleet, so one project.
  const bootstrapped = sites.filter((site) => site.blueprint.backend.type === "cloud" && site.blueprint.backend.workspaces !== undefined);
  const first = bootstrapped[0];
  for (const site of bootstrapped.slice(1)) {
    const [a, b] = [first.blueprint.backend, site.blueprint.backend];
    if (a.type !== "cloud" || b.type !== "cloud") continue;
    for (const field of ["hostname", "organization", "project"] as const) {
      if (a[field] !== b[field]) {
        problems.push(
          problem(
            `${key(first)}.backend.${field} and ${key(site)}.backend.${field}`,
            `differ (${JSON.stringify(a[field])} and ${JSON.stringify(b[field])}): a fleet's workspaces stack creates one HCP Terraform project for every site; give the sites the same ${field}`,
          ),
        );
      }
    }
    if (JSON.stringify(a.workspaces?.stateWorkspace) !== JSON.stringify(b.workspaces?.stateWorkspace)) {
      problems.push(problem(`${key(first)}.backend.workspaces.stateWorkspace and ${key(site)}.backend.workspaces.stateWorkspace`, "differ: the fleet has one workspaces stack, with one state"));
    }
  }
  if (bootstrapped.length > 1) {
    for (const site of bootstrapped) {
      const credentials = site.blueprint.backend.type === "cloud" ? site.blueprint.backend.workspaces?.awsCredentials : undefined;
      if (credentials?.enabled && credentials.roleArn === undefined) {
        problems.push(
          problem(
            `${key(site)}.backend.workspaces.awsCredentials.roleArn`,
            "is required in a fleet of several sites: the fleet's workspaces stack does not create a run role per site (docs/fleets.md); give an existing role, or disable awsCredentials",
          ),
        );
      }
    }
  }
  // What sites share: an adopted VPC, an Outpost; and workspace names with the site (config/fleet-rules.ts).
  problems.push(...fleetSharingProblems(sites));
  return problems;
}

/** Validates parsed fleet input (`baseDirectory` resolves a `base:` path; `onBaseRead` receives the base file's bytes as read). Throws one BlueprintConfigError listing every site's problems. */
export function validateFleet(input: unknown, source = "fleet", baseDirectory = process.cwd(), onBaseRead?: (base: ValidatedBase) => void): Fleet {
  const problems: BlueprintProblem[] = [];
  if (!isMap(input)) throw new BlueprintConfigError(source, [problem("(root)", "is not a map with base and sites")], "the fleet");
  for (const field of Object.keys(input)) {
    if (!(FLEET_FIELDS as readonly string[]).includes(field)) problems.push(problem(field, "is not a field of a fleet file (base, sites); blueprint fields go in base or in a site", input[field]));
  }
  let base: unknown = {};
  if (typeof input.base === "string") {
    const file = path.resolve(baseDirectory, input.base);
    let text: string | undefined;
    try {
      const buffer = readFileSync(file);
      onBaseRead?.({ file, bytes: buffer });
      text = buffer.length > MAX_BLUEPRINT_BYTES ? "" : buffer.toString("utf8");
    } catch (error) {
      problems.push(problem("base", unreadableFileMessage(error, file, "the base file"), input.base));
    }
    // A base that cannot be parsed is the base file's problem, reported as such.
    if (text !== undefined) base = parseBlueprintText(text, file);
    if (isFleetInput(base)) problems.push(problem("base", "is itself a fleet file; a base is a blueprint", input.base));
  } else if (isMap(input.base)) base = input.base;
  else if (input.base !== undefined) problems.push(problem("base", "must be a path to a blueprint file or an inline map of blueprint fields", input.base));

  const entries = input.sites;
  if (!Array.isArray(entries) || entries.length === 0) {
    problems.push(problem("sites", "must be a non-empty list of sites, each with a name", entries ?? undefined));
    throw new BlueprintConfigError(source, problems, "the fleet");
  }

  const sites: FleetSite[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (!isMap(entry)) return void problems.push(problem(`sites[${i}]`, "must be a map with at least a name", entry));
    const name = entry.name;
    if (typeof name !== "string" || !SITE_NAME_PATTERN.test(name) || name.length > SITE_NAME_MAX) {
      return void problems.push(
        problem(`sites[${i}].name`, `must be a DNS-safe site name (lowercase letters, digits and '-', at most ${SITE_NAME_MAX}): it prefixes the site's stacks, state and workspaces`, name ?? undefined),
      );
    }
    const siteKey = `sites[${name}]`;
    if (seen.has(name)) return void problems.push(problem(`sites[${i}].name`, `is given to sites[${seen.get(name)}] already; site names are unique`, name));
    seen.set(name, i);
    // A site's null removes the base's group, as null removes any base field.
    const sharedNetwork = "sharedNetwork" in entry ? (entry.sharedNetwork ?? undefined) : isMap(base) ? base.sharedNetwork : undefined;
    if (sharedNetwork !== undefined && (typeof sharedNetwork !== "string" || sharedNetwork === "")) {
      problems.push(problem(`${siteKey}.sharedNetwork`, "must be the name of an on-premises network group", sharedNetwork));
    }
    const merged = mergeSite(base, entry) as Record<string, unknown>;
    for (const field of SITE_ONLY_FIELDS) delete merged[field];
    try {
      const blueprint = validateBlueprint(merged, `${source} ${siteKey}`);
      sites.push({ name, blueprint, ...(typeof sharedNetwork === "string" && sharedNetwork !== "" ? { sharedNetwork } : {}) });
    } catch (error) {
      if (!(error instanceof BlueprintConfigError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, path: sitePath(siteKey, p.path) })));
    }
  });
  // The fleet-wide rules need every site valid; with a site invalid they would only add noise.
  if (problems.length === 0) problems.push(...fleetRuleProblems(sites));
  if (problems.length > 0) throw new BlueprintConfigError(source, problems, "the fleet");
  return { source, sites };
}

/** Reads and validates a fleet file. */
export function loadFleet(file: string): Fleet {
  return validateFleet(readConfigInput(file), file, path.dirname(file));
}

/** Reads a blueprint or fleet file as parsed input, with the blueprint file's read checks. */
export function readConfigInput(file: string): unknown {
  return parseConfigBytes(readBlueprintFile(file), file);
}

/** Parses a blueprint or fleet file's bytes as input. */
function parseConfigBytes(buffer: Buffer, file: string): unknown {
  const text = buffer.length > MAX_BLUEPRINT_BYTES ? "" : buffer.toString("utf8");
  return parseBlueprintText(text, file, buffer.length);
}

/** A blueprint file or a fleet file, told apart by a top-level `sites:`. */
export type LoadedConfig = { readonly kind: "blueprint"; readonly blueprint: Blueprint } | { readonly kind: "fleet"; readonly fleet: Fleet };

/** How loadBlueprintOrFleet reads a file. */
export interface LoadBlueprintOrFleetOptions {
  /**
   * Keep a validated fleet on disk and read it back on the next run with the same bytes and code
   * (config/fleet-cache.ts): in OUTPOSTS_EKS_FLEET_CACHE, else `node_modules/.cache/outposts-eks`
   * under the working directory. The app (main.ts) and the outposts-eks command turn it on; a
   * library caller gets no files written into its project unless it asks.
   * @default false
   */
  readonly cache?: boolean;
}

/**
 * Reads the file BLUEPRINT_CONFIG names: a fleet when it has a top-level `sites:`, else a blueprint.
 * With `cache`, a fleet validated before, with the same bytes and code, is read back (config/fleet-cache.ts).
 */
export function loadBlueprintOrFleet(file: string, options: LoadBlueprintOrFleetOptions = {}): LoadedConfig {
  const directory = options.cache ? fleetCacheDirectory() : undefined;
  const bytes = readBlueprintFile(file);
  const cached = cachedFleet(file, bytes, directory);
  if (cached) return { kind: "fleet", fleet: cached };
  const input = parseConfigBytes(bytes, file);
  if (!isFleetInput(input)) return { kind: "blueprint", blueprint: validateBlueprint(input, file) };
  let base: ValidatedBase | undefined;
  const fleet = validateFleet(input, file, path.dirname(file), (read) => (base = read));
  cacheFleet(file, bytes, fleet, base, directory);
  return { kind: "fleet", fleet };
}

/**
 * One blueprint for the one-blueprint commands (diagram, images, capacity, ...): the file itself, or
 * with `site`, that site of a fleet file, with the site's backend (its own state) as the app builds it.
 */
export function loadOneBlueprint(file: string, site?: string): Blueprint {
  if (site === undefined) return loadBlueprint(file);
  const input = readConfigInput(file);
  if (!isFleetInput(input)) throw new BlueprintConfigError(file, [problem("(root)", `is one blueprint, not a fleet: drop --site ${site}`)]);
  const fleet = validateFleet(input, file, path.dirname(file));
  const found = fleet.sites.find((entry) => entry.name === site);
  if (!found) throw new BlueprintConfigError(file, [problem("sites", `has no site ${site}; its sites: ${fleet.sites.map((entry) => entry.name).join(", ")}`, site)], "the fleet");
  return { ...found.blueprint, backend: siteBackend(found.blueprint.backend, site) };
}
