/**
 * The blueprint app in-process: builds a blueprint's or a fleet's stacks, synthesizes them in one
 * format, and summarizes what they hold. `outposts-eks synth` and `validate`, and main.ts (the app
 * `cdktf synth|deploy` runs), all go through here.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { AnnotationMetadataEntryType, App, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import type { LoadedConfig } from "../config";
import { fixCdktfHclRendering } from "../modules/shared/hcl-fix";
import { deferCdktfTokenStackTraces } from "../modules/shared/token-stack-traces";

/** The file each format writes into a stack's folder (cdktf.out/stacks/<stack>/). */
export const STACK_FILES = { json: "cdk.tf.json", hcl: "cdk.tf" } as const;

export interface SynthOptions {
  /** Where the stacks go. @default CDKTF_OUTDIR, else cdktf.out (cdktf's own default) */
  readonly outdir?: string;
  /** HCL (cdk.tf) instead of JSON (cdk.tf.json). @default SYNTH_HCL_OUTPUT === "true", as the cdktf CLI sets it for `synth --hcl` */
  readonly hcl?: boolean;
  /** What a site-selection problem names: the blueprint or fleet file. @default "the blueprint" / "the fleet" */
  readonly source?: string;
}

export interface SynthSummary {
  readonly stacks: readonly string[];
  /** Resources by provider (the type's prefix: aws, helm, kubernetes, tls, tfe, terraform), sorted by name. */
  readonly resourcesByProvider: Readonly<Record<string, number>>;
  readonly resources: number;
  readonly dataSources: number;
  /** The synth-time warnings (Annotations), each prefixed by the construct path that raised it. */
  readonly warnings: readonly string[];
}

/** Builds a blueprint's stacks into a new app (a fleet goes site by site: synthesizeConfig). Loads outposts-eks/stacks only now: it needs the optional peers. */
export function buildApp(config: Extract<LoadedConfig, { kind: "blueprint" }>, options: SynthOptions = {}): App {
  fixCdktfHclRendering();
  deferCdktfTokenStackTraces();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: diagram, images and validate's checks run with the required peers only.
  const stacks = require("../stacks") as typeof import("../stacks");
  // cdktf's App prefers SYNTH_HCL_OUTPUT to its hclOutput prop: an explicit format sets the variable while the App reads it.
  const app = withHclSetting(options.hcl, () => new App({ context: { ...stacks.BLUEPRINT_APP_CONTEXT }, ...(options.outdir ? { outdir: options.outdir } : {}) }));
  stacks.buildBlueprint(app, config.blueprint);
  return app;
}

/**
 * Removes the other format's file from each stack folder: a cdk.tf beside a cdk.tf.json (from an
 * earlier synth in the other format) makes terraform fail on duplicate blocks. Returns the files removed.
 */
export function removeOtherFormat(outdir: string, hcl: boolean): string[] {
  const stacksDir = path.join(outdir, "stacks");
  if (!existsSync(stacksDir)) return [];
  const other = hcl ? STACK_FILES.json : STACK_FILES.hcl;
  const removed: string[] = [];
  for (const stack of readdirSync(stacksDir)) {
    const file = path.join(stacksDir, stack, other);
    if (existsSync(file)) {
      rmSync(file);
      removed.push(file);
    }
  }
  return removed;
}

/**
 * Removes the stack folders under `<outdir>/stacks` that the manifest no longer names: the stacks of
 * an earlier synthesis of another blueprint, or of sites since removed from a fleet, which a later
 * `cdktf deploy '*'` or a VCS-driven run would otherwise still find. The cdktf CLI's synth does the
 * same for its output; `outposts-eks synth` writes without it. Returns the folders removed.
 */
export function removeStaleStacks(outdir: string): string[] {
  const stacksDir = path.join(outdir, "stacks");
  let manifest: { stacks?: Record<string, { workingDirectory?: string }> };
  try {
    manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  } catch {
    return [];
  }
  if (!existsSync(stacksDir) || manifest.stacks === undefined) return [];
  const current = new Set(Object.values(manifest.stacks).map((stack) => path.basename(stack.workingDirectory ?? "")));
  for (const name of Object.keys(manifest.stacks)) current.add(name);
  const removed: string[] = [];
  for (const entry of readdirSync(stacksDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || current.has(entry.name)) continue;
    rmSync(path.join(stacksDir, entry.name), { recursive: true, force: true });
    removed.push(path.join(stacksDir, entry.name));
  }
  return removed;
}

/** Synthesizes the app and removes the other format's files and the stale stack folders. */
export function synthesize(app: App): void {
  app.synth();
  removeOtherFormat(app.outdir, app.hclOutput);
  removeStaleStacks(app.outdir);
}

/**
 * Synthesizes a blueprint, or a fleet one site at a time (only the sites OUTPOSTS_EKS_SITES selects,
 * stacks/index.ts synthFleet), in one format, and returns what the stacks hold. The selection is
 * checked first: a selection for a single blueprint, or one that matches no site, is a blueprint error.
 */
export function synthesizeConfig(config: LoadedConfig, options: SynthOptions = {}): SynthSummary & { readonly outdir: string } {
  if (config.kind === "blueprint") {
    checkSiteSelection(config, options.source ?? "the blueprint");
    const app = buildApp(config, options);
    synthesize(app);
    return { ...summarize(app), outdir: app.outdir };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is loaded already; this adds no peer.
  const { partialSynthesisNote, siteSelectionFromEnv } = require("../config") as typeof import("../config");
  const selection = checkSiteSelection(config, options.source ?? "the fleet")!;
  const note = partialSynthesisNote(config.fleet, selection, siteSelectionFromEnv());
  if (note !== undefined) process.stderr.write(`${note}\n`);
  fixCdktfHclRendering();
  deferCdktfTokenStackTraces();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, as in buildApp.
  const stacks = require("../stacks") as typeof import("../stacks");
  const summaries: SynthSummary[] = [];
  let outdir = "";
  withHclSetting(options.hcl, () =>
    stacks.synthFleet(config.fleet, {
      outdir: options.outdir,
      selection,
      onSynthesized: (app) => {
        outdir = app.outdir;
        summaries.push(summarize(app));
      },
    }),
  );
  const hcl = options.hcl ?? process.env.SYNTH_HCL_OUTPUT === "true";
  if (outdir) {
    removeOtherFormat(outdir, hcl);
    removeStaleStacks(outdir);
  }
  return { ...mergeSummaries(summaries), outdir };
}

/**
 * The sites OUTPOSTS_EKS_SITES selects of a fleet; for a blueprint, nothing (a selection is refused).
 * A selection matching no site, or given for a blueprint, is a blueprint error naming `source`.
 */
export function checkSiteSelection(config: LoadedConfig, source: string): import("../config").SiteSelection | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is loaded already; this adds no peer.
  const { refuseSiteSelection, selectSites, siteSelectionFromEnv } = require("../config") as typeof import("../config");
  const entries = siteSelectionFromEnv();
  if (config.kind === "fleet") return selectSites(config.fleet, entries);
  refuseSiteSelection(source, entries);
  return undefined;
}

/** Runs `body` with SYNTH_HCL_OUTPUT set to an explicit format (cdktf's App prefers it to its hclOutput prop). */
function withHclSetting<T>(hcl: boolean | undefined, body: () => T): T {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  if (hcl !== undefined) process.env.SYNTH_HCL_OUTPUT = String(hcl);
  try {
    return body();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

/** One summary of several apps' (a fleet's sites'). */
function mergeSummaries(summaries: readonly SynthSummary[]): SynthSummary {
  const resourcesByProvider: Record<string, number> = {};
  for (const summary of summaries) for (const [provider, count] of Object.entries(summary.resourcesByProvider)) resourcesByProvider[provider] = (resourcesByProvider[provider] ?? 0) + count;
  return {
    stacks: summaries.flatMap((summary) => summary.stacks),
    resourcesByProvider: Object.fromEntries(Object.entries(resourcesByProvider).sort(([a], [b]) => a.localeCompare(b))),
    resources: summaries.reduce((total, summary) => total + summary.resources, 0),
    dataSources: summaries.reduce((total, summary) => total + summary.dataSources, 0),
    warnings: summaries.flatMap((summary) => summary.warnings),
  };
}

/** The stacks, resources by provider, and warnings of a built app (read from its construct tree). */
export function summarize(app: App): SynthSummary {
  const all = app.node.findAll();
  const resourcesByProvider: Record<string, number> = {};
  let resources = 0;
  let dataSources = 0;
  for (const node of all) {
    if (node instanceof TerraformResource) {
      const provider = node.terraformResourceType.split("_")[0];
      resourcesByProvider[provider] = (resourcesByProvider[provider] ?? 0) + 1;
      resources += 1;
    } else if (node instanceof TerraformDataSource) dataSources += 1;
  }
  const warnings = all.flatMap((node) =>
    node.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => `${node.node.path}: ${String(entry.data)}`),
  );
  return {
    stacks: all.filter((node): node is TerraformStack => node instanceof TerraformStack).map((stack) => stack.node.id),
    resourcesByProvider: Object.fromEntries(Object.entries(resourcesByProvider).sort(([a], [b]) => a.localeCompare(b))),
    resources,
    dataSources,
    warnings,
  };
}

/** The one-line summary `validate` and `synth` end with. */
export function summaryLine(summary: SynthSummary): string {
  const byProvider = Object.entries(summary.resourcesByProvider)
    .map(([provider, count]) => `${count} ${provider}`)
    .join(", ");
  const warnings = summary.warnings.length === 1 ? "1 warning" : `${summary.warnings.length} warnings`;
  return `${summary.stacks.length} stack${summary.stacks.length === 1 ? "" : "s"} (${summary.stacks.join(", ")}), ${summary.resources} resources (${byProvider}), ${summary.dataSources} data sources, ${warnings}`;
}

/**
 * Builds and synthesizes into a scratch folder that is removed after, for `validate`: what synth
 * would report (constructs' own checks run at synth), with nothing written to cdktf.out.
 */
export function dryRun(config: LoadedConfig): SynthSummary {
  const scratch = mkdtempSync(path.join(tmpdir(), "outposts-eks-validate-"));
  try {
    return synthesizeConfig(config, { outdir: scratch, hcl: false });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
