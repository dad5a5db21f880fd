/**
 * Which sites of a fleet a run builds (issue 33, docs/fleets.md "Deploying one site, a wave, the
 * fleet"). The cdktf CLI passes the app neither the stacks a command names nor any other argument,
 * so the selection is an environment variable every caller can set: `cdktf deploy`, `cdktf diff`,
 * the project's deploy command (its `--sites` option sets it) and an HCP Terraform run's variables.
 *
 *     OUTPOSTS_EKS_SITES='store-042'                  # one site
 *     OUTPOSTS_EKS_SITES='store-04*,plant-7'          # a wave: names or globs, comma-separated
 *     OUTPOSTS_EKS_SITES='store-042-*'                # the stack glob of `cdktf deploy` works too
 *
 * The whole fleet is still read and validated, fleet-wide rules included; only the selected sites'
 * constructs are built. Unset or empty: every site.
 */
import { BlueprintConfigError, BlueprintProblem } from "./load";
import { hcpWorkspacesEnabled } from "./derived";
import { Fleet, FleetSite, LoadedConfig, siteStackNames } from "./fleet";
import { Blueprint } from "./schema";

/** The environment variable that selects a fleet's sites. */
export const SITES_ENV = "OUTPOSTS_EKS_SITES";

/** The fleet's one HCP Terraform bootstrap stack, which belongs to no site (stacks/index.ts buildFleet). */
export const FLEET_WORKSPACES_STACK = "workspaces";

/** The sites a run builds, and whether it builds the fleet's workspaces stack. */
export interface SiteSelection {
  readonly sites: readonly FleetSite[];
  /** The fleet's workspaces stack: always built from every site, so a selection never shrinks it. */
  readonly workspaces: boolean;
}

/** The entries of a selection: comma-separated, blanks dropped; undefined when it names nothing (every site). */
export function parseSiteSelection(text: string | undefined): string[] | undefined {
  const entries = (text ?? "").split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  return entries.length === 0 ? undefined : entries;
}

/** The selection OUTPOSTS_EKS_SITES gives, or undefined for every site. */
export function siteSelectionFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  return parseSiteSelection(env[SITES_ENV]);
}

/** A glob as cdktf's stack arguments take them: `*` any run of characters, `?` one; the rest literal. */
export function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/** At most this many site names are printed when an entry matches none. */
const NAMED_SITES = 10;

/** The sites worth naming for an entry that matched none: those sharing the longest prefix with it, then the first. */
function nearSites(entry: string, names: readonly string[]): string[] {
  const literal = entry.split(/[*?]/)[0];
  for (let length = literal.length; length > 0; length--) {
    const near = names.filter((name) => name.startsWith(literal.slice(0, length)));
    if (near.length > 0) return near.slice(0, NAMED_SITES);
  }
  return names.slice(0, NAMED_SITES);
}

/**
 * The sites `entries` select, in the fleet's order. An entry selects a site when it matches the
 * site's name or one of its stacks' names; `workspaces` selects the fleet's workspaces stack. An
 * entry that selects nothing is an error naming the sites that exist, before anything is built.
 */
export function selectSites(fleet: Fleet, entries: readonly string[] | undefined): SiteSelection {
  const hasWorkspaces = fleet.sites.some((site) => hcpWorkspacesEnabled(site.blueprint));
  if (entries === undefined) return { sites: fleet.sites, workspaces: hasWorkspaces };
  const patterns = entries.map((entry) => ({ entry, pattern: globPattern(entry), matched: false }));
  const sites = fleet.sites.filter((site) => {
    const names = [site.name, ...siteStackNames(site.blueprint, site.name)];
    let selected = false;
    for (const candidate of patterns) {
      if (names.some((name) => candidate.pattern.test(name))) selected = candidate.matched = true;
    }
    return selected;
  });
  let workspaces = false;
  for (const candidate of patterns) {
    if (hasWorkspaces && candidate.pattern.test(FLEET_WORKSPACES_STACK)) workspaces = candidate.matched = true;
  }
  const names = fleet.sites.map((site) => site.name);
  const problems: BlueprintProblem[] = patterns
    .filter((candidate) => !candidate.matched)
    .map(({ entry }) => {
      const near = nearSites(entry, names);
      const more = names.length > near.length ? `, ... (${names.length} sites in all, ${names[0]} to ${names[names.length - 1]})` : "";
      const bootstrap = hasWorkspaces ? `, or ${FLEET_WORKSPACES_STACK} for the fleet's workspaces stack` : "";
      return {
        path: SITES_ENV,
        value: entry,
        message: `matches no site of the fleet nor any of its stacks; give site names or globs (comma-separated) such as ${near.join(", ")}${more}${bootstrap}`,
      };
    });
  if (problems.length > 0) throw new BlueprintConfigError(fleet.source, problems, "the site selection");
  return { sites, workspaces };
}

/**
 * The line a run prints when the selection leaves sites out: cdktf.out then holds only those sites'
 * stacks, which a VCS-driven HCP Terraform run must not read (docs/fleets.md: synthesize the whole
 * fleet before committing). Undefined when every site is built.
 */
export function partialSynthesisNote(fleet: Fleet, selection: SiteSelection, entries: readonly string[] | undefined): string | undefined {
  if (entries === undefined || selection.sites.length === fleet.sites.length) return undefined;
  return `partial synthesis: ${selection.sites.length} of ${fleet.sites.length} sites (${SITES_ENV}=${entries.join(",")})`;
}

/** A selection given for a single blueprint, which has no sites: refused rather than ignored. */
export function refuseSiteSelection(source: string, entries: readonly string[] | undefined): void {
  if (entries === undefined) return;
  throw new BlueprintConfigError(
    source,
    [{ path: SITES_ENV, value: entries.join(","), message: "selects sites of a fleet file, but this file is one blueprint (no top-level sites): unset it, or point BLUEPRINT_CONFIG at the fleet file" }],
    "the site selection",
  );
}

/**
 * The one blueprint a single-blueprint command (the diagram) reads: a blueprint file's, or the one
 * site of a fleet that the selection picks; any other selection is an error naming the choice.
 */
export function oneSiteBlueprint(config: LoadedConfig, source: string, entries: readonly string[] | undefined): Blueprint {
  if (config.kind === "blueprint") {
    refuseSiteSelection(source, entries);
    return config.blueprint;
  }
  const { sites } = selectSites(config.fleet, entries);
  if (sites.length === 1) return sites[0].blueprint;
  const names = sites.slice(0, NAMED_SITES).map((site) => site.name).join(", ");
  throw new BlueprintConfigError(
    source,
    [{ path: SITES_ENV, value: entries?.join(","), message: `selects ${sites.length} sites (${names}${sites.length > NAMED_SITES ? ", ..." : ""}); this command reads one: select one site` }],
    "the site selection",
  );
}
