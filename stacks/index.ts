/**
 * Builds a blueprint's stacks into an app. Each layer issue adds its stack here; dependencies keep
 * `cdktf deploy '*'` in order, while the data itself flows through remote state.
 */
import { requireOptionalPeers } from "../modules/shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("stacks", ["@cdktf/provider-helm", "@cdktf/provider-kubernetes", "@cdktf/provider-tfe", "@cdktf/provider-tls"]);
import { App, Manifest } from "cdktf";
import { AddonsStack } from "./addons-stack";
import { Blueprint, Fleet, hcpWorkspacesEnabled, selectSites, siteBackend, SiteSelection } from "../config";
import { releasingCdktfTokens } from "../modules/shared/token-release";
import { SKIP_CROSS_STACK_PREPARATION } from "./blueprint-stack";
import { ControlPlaneStack } from "./control-plane-stack";
import { NetworkStack } from "./network-stack";
import { WorkersStack } from "./workers-stack";
import { WorkspacesStack } from "./workspaces-stack";

/**
 * App context for every blueprint app (cdktf.json sets the same for the CLI): no stack traces in
 * annotations, so cdktf.out holds no machine-specific paths.
 */
export const BLUEPRINT_APP_CONTEXT = { "@cdktf/disable_stack_trace_in_metadata": true } as const;

export interface BlueprintStacks {
  readonly network: NetworkStack;
  /** The EKS layers: absent for a network-only blueprint (distribution openshift or hypershift). */
  readonly controlPlane?: ControlPlaneStack;
  readonly workers?: WorkersStack;
  readonly addons?: AddonsStack;
  /**
   * The HCP Terraform bootstrap stack, with `backend.workspaces` only. Deployed first and alone
   * (`cdktf deploy workspaces`): no stack depends on it, so each still deploys alone.
   */
  readonly workspaces?: WorkspacesStack;
}

/** The stacks of an EKS blueprint, which always has all four layers. */
export type EksBlueprintStacks = Required<Omit<BlueprintStacks, "workspaces">> & Pick<BlueprintStacks, "workspaces">;

export interface BuildBlueprintOptions {
  /**
   * The fleet site the blueprint is (docs/fleets.md): its stacks are named `<site>-<stack>`, their
   * state is the site's (config `siteBackend`), and no workspaces stack is built (`buildFleet`
   * builds one for the fleet). Omitted for a single blueprint, whose output it leaves unchanged.
   */
  readonly site?: string;
}

export function buildBlueprint(app: App, blueprint: Blueprint, options: BuildBlueprintOptions = {}): BlueprintStacks {
  const { site } = options;
  if (site !== undefined) blueprint = { ...blueprint, backend: siteBackend(blueprint.backend, site) };
  const bootstrap = () => (site === undefined && hcpWorkspacesEnabled(blueprint) ? new WorkspacesStack(app, blueprint) : undefined);
  const network = new NetworkStack(app, blueprint, site);
  if (blueprint.distribution !== "eks") {
    // OpenShift and HyperShift: the network only; their installers build the cluster (docs/openshift-and-hypershift.md).
    const workspaces = bootstrap();
    return { network, ...(workspaces ? { workspaces } : {}) };
  }
  const controlPlane = new ControlPlaneStack(app, blueprint, site);
  controlPlane.addDependency(network);
  const workers = new WorkersStack(app, blueprint, site);
  workers.addDependency(controlPlane);
  const addons = new AddonsStack(app, blueprint, site);
  addons.addDependency(workers);
  const workspaces = bootstrap();
  return { network, controlPlane, workers, addons, ...(workspaces ? { workspaces } : {}) };
}

export interface FleetStacks {
  /** Each site's stacks, by site name. */
  readonly sites: Readonly<Record<string, BlueprintStacks>>;
  /** The fleet's one HCP Terraform bootstrap stack, when any site has `backend.workspaces`. */
  readonly workspaces?: WorkspacesStack;
}

/**
 * Builds every site of a fleet into one app: `<site>-network`, `<site>-control-plane`, ... per site,
 * so `cdktf deploy 'store-042-*'` deploys one site; and one `workspaces` stack with one project for
 * every site's workspaces, when the sites use the HCP Terraform bootstrap.
 */
export function buildFleet(app: App, fleet: Fleet): FleetStacks {
  const sites = Object.fromEntries(fleet.sites.map((site) => [site.name, buildBlueprint(app, site.blueprint, { site: site.name })]));
  const workspaces = buildFleetWorkspaces(app, fleet);
  return { sites, ...(workspaces ? { workspaces } : {}) };
}

/**
 * The fleet's one workspaces stack, from every site with `backend.workspaces` (undefined when
 * none has it). Always the whole fleet, whichever sites a run selects (`synthFleet`).
 */
export function buildFleetWorkspaces(app: App, fleet: Fleet): WorkspacesStack | undefined {
  const bootstrapped = fleet.sites.filter((site) => hcpWorkspacesEnabled(site.blueprint));
  if (bootstrapped.length === 0) return undefined;
  return new WorkspacesStack(
    app,
    bootstrapped[0].blueprint,
    bootstrapped.map((site) => ({ site: site.name, blueprint: { ...site.blueprint, backend: siteBackend(site.blueprint.backend, site.name) } })),
  );
}

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
  /**
   * Called with each site's App (and the workspaces stack's) once it is synthesized, before its
   * tokens are released: the CLI reads its construct tree for a summary.
   * @default nothing
   */
  readonly onSynthesized?: (app: App) => void;
}

/**
 * Synthesizes the selected sites of a fleet one site at a time (issue 33): each site's stacks in an
 * App of their own, synthesized and then released, all into one output directory, with one
 * manifest.json listing every stack written. A site's stacks never reference another site's (each
 * reads its own states), so each site's output is what one App of the whole fleet writes, byte for
 * byte (test/stacks/fleet-selection.test.ts), while memory holds one site's constructs at a time
 * (cdktf's token map would keep them all: modules/shared/token-release.ts) and no step walks every
 * site's construct tree: time and memory grow linearly in the sites. Returns the stack names written.
 */
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
      options.onSynthesized?.(built);
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

export * from "./addons-contract";
export * from "./addons-stack";
export * from "./blueprint-stack";
export * from "./control-plane-contract";
export * from "./control-plane-stack";
export * from "./network-contract";
export * from "./network-stack";
export * from "./workers-contract";
export * from "./workers-stack";
export * from "./workspaces-stack";
