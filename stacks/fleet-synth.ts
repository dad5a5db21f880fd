/**
 * Synthesizes a fleet one site at a time (issue 33): each selected site's stacks in an App of their
 * own, synthesized and then released, all into one output directory, with one manifest.json listing
 * every stack written. A site's stacks never reference another site's (each reads its own states,
 * stacks/index.ts buildBlueprint), so each site's output is what one App of the whole fleet writes,
 * byte for byte (test/stacks/fleet-selection.test.ts), while memory holds one site's constructs at a
 * time (cdktf's token map would keep them all: modules/shared/token-release.ts) and no step walks
 * every site's construct tree: time and memory grow linearly in the sites.
 */
import { App, Manifest } from "cdktf";
import { Fleet, selectSites, SiteSelection } from "../config";
import { releasingCdktfTokens } from "../modules/shared/token-release";
import { SKIP_CROSS_STACK_PREPARATION } from "./blueprint-stack";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint, buildFleetWorkspaces } from "./index";

export interface SynthFleetOptions {
  /**
   * The output directory, as for an App.
   * @default CDKTF_OUTDIR, else cdktf.out (cdktf's own default)
   */
  readonly outdir?: string;
  /**
   * The sites to build (config `selectSites`); the fleet's workspaces stack, when it has one, is
   * always built from every site, so deploying it never drops another site's workspaces.
   * @default every site, and the workspaces stack
   */
  readonly selection?: SiteSelection;
}

/** Synthesizes the selected sites of a fleet into one output directory; returns the stack names written, in order. */
export function synthFleet(fleet: Fleet, options: SynthFleetOptions = {}): string[] {
  const selection = options.selection ?? selectSites(fleet, undefined);
  const newApp = () => new App({ ...(options.outdir !== undefined ? { outdir: options.outdir } : {}), context: { ...BLUEPRINT_APP_CONTEXT, [SKIP_CROSS_STACK_PREPARATION]: true } });
  let manifest: Manifest | undefined;
  const written: string[] = [];
  const synth = (build: (app: App) => void) => {
    const app = releasingCdktfTokens(() => {
      const built = newApp();
      build(built);
      built.synth();
      return built;
    });
    // Each App writes a manifest of its own stacks; the last write, below, is the merged one.
    manifest ??= new Manifest(app.manifest.version, app.outdir, app.manifest.hclOutput);
    Object.assign(manifest.stacks, app.manifest.stacks);
    written.push(...Object.keys(app.manifest.stacks));
  };
  for (const site of selection.sites) synth((app) => buildBlueprint(app, site.blueprint, { site: site.name }));
  if (selection.workspaces) synth((app) => buildFleetWorkspaces(app, fleet));
  // An empty selection cannot pass selectSites; an empty manifest is still written, as an App would.
  (manifest ?? newApp().manifest).writeToFile();
  return written;
}
