/**
 * `npm run eject`: every stack of a blueprint as a standalone Terraform root module, for leaving
 * cdktf (archived on 10 December 2025) for plain Terraform. See docs/leaving-cdktf.md.
 *
 * The transformation is a set of pure functions over the HCL the project renders (`cdktf synth
 * --hcl` with the renderer fix and the check blocks): asset paths with content hashes become
 * readable folders, local state paths relative to `cdktf.out/stacks/<stack>` become paths relative
 * to the ejected root, and each folder gets a README. `ejectBlueprint` synthesizes and writes.
 */
import { format } from "@cdktf/hcl-tools";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { App, AssetType, TerraformAsset, TerraformStack } from "cdktf";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Blueprint } from "../config";
import { fixCdktfHclRendering } from "../modules/shared/hcl-fix";
import { BLUEPRINT_APP_CONTEXT, buildBlueprint } from "../stacks";
import { CommandError } from "./exit-codes";

/** Where Terraform runs a synthesized stack, relative to the project root: `cdktf.out/stacks/<stack>`. */
export function synthesizedStackDir(stack: string): string {
  return path.posix.join("cdktf.out", "stacks", stack);
}

/** The order to deploy stacks in: workspaces first, then network, control-plane, workers, addons. */
export const KNOWN_STACK_ORDER = ["workspaces", "network", "control-plane", "workers", "addons"] as const;

/** The stacks in deploy order: dependencies first; among stacks free to go, the known order, then by name. */
export function deployOrder(dependencies: Readonly<Record<string, readonly string[]>>): string[] {
  const rank = (stack: string) => {
    const known = (KNOWN_STACK_ORDER as readonly string[]).indexOf(stack);
    return known < 0 ? KNOWN_STACK_ORDER.length : known;
  };
  const remaining = new Set(Object.keys(dependencies));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter((stack) => (dependencies[stack] ?? []).every((dependency) => !remaining.has(dependency)))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    if (ready.length === 0) throw new Error(`eject: the stacks depend on each other in a cycle: ${[...remaining].join(", ")}`);
    order.push(ready[0]);
    remaining.delete(ready[0]);
  }
  return order;
}

/** An asset as the synthesized stack references it. */
export interface SynthesizedAsset {
  /** The path in the stack's folder, as the HCL references it after `./`: `assets/<id>/<hash>[/<file>]`. */
  readonly synthesizedPath: string;
  /** The asset's source, a file or a directory (relative to the working directory, or absolute). */
  readonly sourcePath: string;
  readonly type: "file" | "directory" | "archive";
}

export interface AssetMove extends SynthesizedAsset {
  /** The readable path in the ejected stack folder, such as `charts/outpost-ingress-classes`. */
  readonly ejectedPath: string;
}

/** A readable, stable path for an asset: `charts/<name>` for a chart directory, else `assets/<name>`. */
export function readableAssetPath(asset: SynthesizedAsset): string {
  const source = asset.sourcePath.replace(/[\\/]+$/, "");
  const name = path.basename(source);
  if (asset.type === "archive") return `assets/${name}.zip`;
  const parent = path.basename(path.dirname(source));
  return asset.type === "directory" && parent === "charts" ? `charts/${name}` : `assets/${name}`;
}

/** Each asset's readable path; a name taken twice gets `-2`, `-3`... in the order given. */
export function planAssetMoves(assets: readonly SynthesizedAsset[]): AssetMove[] {
  const taken = new Set<string>();
  return assets.map((asset) => {
    const readable = readableAssetPath(asset);
    let ejectedPath = readable;
    for (let n = 2; taken.has(ejectedPath); n++) {
      const ext = path.posix.extname(readable);
      ejectedPath = `${readable.slice(0, readable.length - ext.length)}-${n}${ext}`;
    }
    taken.add(ejectedPath);
    return { ...asset, ejectedPath };
  });
}

/** The HCL with every reference to a synthesized asset path turned into its readable path. */
export function rewriteAssetPaths(hcl: string, moves: readonly AssetMove[]): string {
  // Longest first, so a path never matches inside a longer one.
  const sorted = [...moves].sort((a, b) => b.synthesizedPath.length - a.synthesizedPath.length);
  return sorted.reduce((text, move) => text.split(`./${move.synthesizedPath}`).join(`./${move.ejectedPath}`), hcl);
}

/**
 * A local state path as Terraform reads it from `cdktf.out/stacks/<stack>` (`../../../terraform-state/network.tfstate`),
 * as it reads the same file from `<out>/<stack>` when `<out>` stands for the project root
 * (`../terraform-state/network.tfstate`). An absolute path holds wherever the folder is: kept.
 */
export function ejectedLocalStatePath(statePath: string, stack: string): string {
  if (path.posix.isAbsolute(statePath) || path.win32.isAbsolute(statePath)) return statePath;
  const fromRoot = path.posix.normalize(path.posix.join(synthesizedStackDir(stack), statePath));
  if (fromRoot === ".." || fromRoot.startsWith("../")) {
    throw new CommandError(`the local state path ${statePath} of stack ${stack} lies outside the project root; make it absolute or move it inside`);
  }
  return `../${fromRoot}`;
}

/** [start, end) of every block whose opening (up to and including `{`) matches, braces counted. */
export function blockRanges(text: string, opening: RegExp): Array<[number, number]> {
  const global = new RegExp(opening.source, opening.flags.includes("g") ? opening.flags : `${opening.flags}g`);
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(global)) {
    let depth = 0;
    for (let i = text.indexOf("{", match.index!); i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) {
        ranges.push([match.index!, i + 1]);
        break;
      }
    }
  }
  return ranges;
}

export interface StatePathRewrite {
  /** `backend` for the stack's own backend block, else the `terraform_remote_state` data source's name. */
  readonly block: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The HCL with the local backend's path and every local `terraform_remote_state` path relative to
 * the ejected root instead of `cdktf.out/stacks/<stack>`. S3 and cloud backends have no path: unchanged.
 */
export function rewriteLocalStatePaths(hcl: string, stack: string): { text: string; rewrites: StatePathRewrite[] } {
  const rewrites: StatePathRewrite[] = [];
  const targets: Array<{ range: [number, number]; block: string }> = [
    ...blockRanges(hcl, /\bbackend\s+"local"\s*\{/m).map((range) => ({ range, block: "backend" })),
    ...blockRanges(hcl, /^data\s+"terraform_remote_state"\s+"([^"]+)"\s*\{/m)
      .filter(([start, end]) => /^\s*backend\s*=\s*"local"\s*$/m.test(hcl.slice(start, end)))
      .map((range) => ({ range, block: /"terraform_remote_state"\s+"([^"]+)"/.exec(hcl.slice(range[0], range[1]))![1] })),
  ].sort((a, b) => a.range[0] - b.range[0]);
  let text = "";
  let at = 0;
  for (const { range, block } of targets) {
    const body = hcl.slice(range[0], range[1]).replace(/(\bpath\s*=\s*)"([^"]*)"/, (_, prefix: string, from: string) => {
      const to = ejectedLocalStatePath(from, stack);
      rewrites.push({ block, from, to });
      return `${prefix}"${to}"`;
    });
    text += hcl.slice(at, range[0]) + body;
    at = range[1];
  }
  return { text: text + hcl.slice(at), rewrites };
}

/**
 * cdktf 0.21's renderString (not covered by patches/cdktf+0.21.0.patch, which fixes locals only)
 * writes a multi-line string as `<<EOF\n<value>\nEOF`, and Terraform reads a heredoc's value up to
 * and including the newline before the marker: one newline more than the JSON synthesis says. A
 * Helm release's values would differ from the state a JSON deploy wrote, and plan an update. Each
 * such heredoc becomes the exact value: `<<EOT\n<value>EOT` when the value ends with a newline,
 * else `chomp(<<EOT\n<value>\nEOT\n)`, as the patch renders locals. Heredocs with another marker
 * (the patch's EOT) are already exact and kept.
 */
export function exactHeredocs(hcl: string): string {
  return hcl.replace(/<<EOF\n([\s\S]*?)\nEOF(?=\n|$)/g, (_, value: string) =>
    value.endsWith("\n") ? `<<EOT\n${value}EOT` : `chomp(<<EOT\n${value}\nEOT\n)`,
  );
}

export interface EjectedStack {
  readonly stack: string;
  readonly mainTf: string;
  readonly assets: readonly AssetMove[];
  readonly statePaths: readonly StatePathRewrite[];
}

/**
 * The Helm provider's `kubernetes` (and its `exec`) as the attributes helm provider 3.x takes:
 * cdktf's 3.1.1 bindings mark them as blocks, so the HCL renderer writes `kubernetes { ... }`, which
 * Terraform refuses with "Unsupported block type" (terraform-provider-helm 3.0 upgrade guide). The
 * JSON synthesis is unaffected: Terraform's JSON syntax reads an object either way.
 */
export function helmProviderAttributes(hcl: string): string {
  let text = hcl;
  for (const [start, end] of blockRanges(hcl, /^provider "helm" \{/m).reverse()) {
    const block = text.slice(start, end).replace(/^(\s+)(kubernetes|exec) \{/gm, "$1$2 = {");
    text = text.slice(0, start) + block + text.slice(end);
  }
  return text;
}

/**
 * One stack's main.tf from its synthesized, formatted HCL: readable asset paths, state paths
 * relative to the ejected root, heredocs with exact values. Format the result again (`ejectBlueprint` does).
 */
export function ejectStackHcl(stack: string, hcl: string, assets: readonly SynthesizedAsset[]): EjectedStack {
  const moves = planAssetMoves(assets);
  const { text, rewrites } = rewriteLocalStatePaths(rewriteAssetPaths(helmProviderAttributes(exactHeredocs(hcl)), moves), stack);
  const header =
    `# Ejected from outposts-eks with \`npx outposts-eks eject\`: a standalone Terraform root module (stack ${stack}).\n` +
    `# Generated once; from here on it is yours to edit. See README.md in this folder.\n\n`;
  return { stack, mainTf: header + text, assets: moves, statePaths: rewrites };
}

type Json = Record<string, unknown>;

/** The JSON with every string passed through `map`. */
export function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  return value;
}

/**
 * Where the HCL, parsed with HashiCorp's parser (hcl2json), says something else than the JSON
 * synthesis of the same stack: resources, data sources, outputs, providers and the provider
 * constraints, deeply. hcl2json's own forms are no difference: block bodies wrapped in one-element
 * arrays, references in depends_on and lifecycle lists as "${...}". Check blocks (HCL only) and the
 * backend (its path rewritten on purpose) are not compared, nor a local terraform_remote_state's path.
 */
export function hclDifferences(json: Json, hcl: Json): string[] {
  const differences: string[] = [];
  const short = (value: unknown) => {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  };
  const compare = (a: unknown, b: unknown, at: string): void => {
    if (Array.isArray(b) && b.length === 1 && !Array.isArray(a) && b[0] && typeof b[0] === "object") b = b[0];
    if (Array.isArray(a) && !Array.isArray(b) && b && typeof b === "object") b = [b];
    if (typeof a === "string" && typeof b === "string") {
      if (a !== b && `\${${a}}` !== b) differences.push(`${at}: ${short(a)} in JSON, ${short(b)} in HCL`);
      return;
    }
    if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((key) => key !== "//"));
      for (const key of keys) compare((a as Json)[key], (b as Json)[key], `${at}.${key}`);
      return;
    }
    if (a !== b) differences.push(`${at}: ${short(a)} in JSON, ${short(b)} in HCL`);
  };
  const withoutLocalStatePaths = (data: unknown): unknown => {
    const copy = structuredClone((data ?? {}) as Json);
    const remote = (copy.terraform_remote_state ?? {}) as Record<string, Json>;
    for (const body of Object.values(remote).flatMap((b) => (Array.isArray(b) ? b : [b])) as Json[]) {
      if (body.backend === "local") delete (body.config as Json | undefined)?.path;
    }
    return copy;
  };
  for (const section of ["resource", "output", "provider"]) compare(json[section] ?? {}, hcl[section] ?? {}, section);
  compare(withoutLocalStatePaths(json.data), withoutLocalStatePaths(hcl.data), "data");
  const terraformOf = (source: Json) => {
    const block = (Array.isArray(source.terraform) ? source.terraform[0] : source.terraform) as Json | undefined;
    return { required_version: block?.required_version, required_providers: block?.required_providers };
  };
  compare(terraformOf(json), terraformOf(hcl), "terraform");
  return differences;
}

/** The ejected main.tf checked against the JSON synthesis of its stack (asset paths mapped as the eject moved them). */
export async function verifyEjectedStack(ejected: EjectedStack, json: Json): Promise<string[]> {
  const expected = mapStrings(json, (text) =>
    ejected.assets.reduce((t, move) => t.split(`./${move.synthesizedPath}`).join(`./${move.ejectedPath}`), text),
  ) as Json;
  return hclDifferences(expected, (await parseHcl("main.tf", ejected.mainTf)) as Json).map((d) => `${ejected.stack}: ${d}`);
}

const STACK_PURPOSE: Record<string, string> = {
  workspaces: "The HCP Terraform project and workspaces of the other stacks (and their AWS credentials). Deployed first and alone.",
  network: "The VPC, regional and Outpost subnets, routing through the local gateways and VPC endpoints.",
  "control-plane": "The EKS cluster (extended or local to the Outpost), its roles, access entries and OIDC provider.",
  workers: "The node groups on the Outposts, their launch templates, roles and security groups.",
  addons: "The cluster add-ons and Helm releases: load balancer controller, ingress classes per Outpost, and the rest the blueprint enables.",
};

/** What a stack's backend block says about where its state lives, for the README. */
export function describeBackend(hcl: string): string {
  const cloud = blockRanges(hcl, /\bcloud\s*\{/m)[0];
  if (cloud) {
    const organization = /\borganization\s*=\s*"([^"]+)"/.exec(hcl.slice(...cloud))?.[1];
    const workspace = /\bname\s*=\s*"([^"]+)"/.exec(hcl.slice(...cloud))?.[1];
    return `HCP Terraform: workspace \`${workspace}\` of organization \`${organization}\` (unchanged by the eject).`;
  }
  const backend = /\bbackend\s+"([^"]+)"\s*\{/.exec(hcl);
  if (!backend) return "No backend block: Terraform's default local state (terraform.tfstate in this folder).";
  const body = hcl.slice(...blockRanges(hcl, new RegExp(`\\bbackend\\s+"${backend[1]}"\\s*\\{`, "m"))[0]);
  if (backend[1] === "local") return `Local state file \`${/\bpath\s*=\s*"([^"]+)"/.exec(body)?.[1]}\`, relative to this folder.`;
  if (backend[1] === "s3") {
    const field = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]+)"`).exec(body)?.[1];
    return `S3: \`s3://${field("bucket")}/${field("key")}\` in ${field("region")} (unchanged by the eject).`;
  }
  return `Backend \`${backend[1]}\` (unchanged by the eject).`;
}

function commands(chdir: string | undefined): string {
  const tf = (verb: string) => (chdir ? `terraform -chdir=${chdir} ${verb}` : `terraform ${verb}`);
  return ["```sh", tf("init"), tf("plan"), tf("apply"), "```"].join("\n");
}

/** The names of the stacks whose outputs the HCL reads (terraform_remote_state or tfe_outputs data sources). */
export function stateReadsOf(hcl: string): string[] {
  const names = [...hcl.matchAll(/^data\s+"(?:terraform_remote_state|tfe_outputs)"\s+"([^"]+)"/gm)].map((m) => m[1]);
  return [...new Set(names)];
}

/** The README.md of one ejected stack folder; `after` are the stacks it is deployed after. */
export function stackReadme(ejected: EjectedStack, after: readonly string[]): string {
  const reads = stateReadsOf(ejected.mainTf);
  const lines = [
    `# ${ejected.stack}`,
    "",
    STACK_PURPOSE[ejected.stack] ?? `The ${ejected.stack} stack of the blueprint.`,
    "",
    "A standalone Terraform root module ejected from outposts-eks (`npx outposts-eks eject`): `main.tf` is the HCL the project renders, with",
    "the same resource addresses, so `terraform plan` against the existing state shows no changes.",
    "",
    `- State: ${describeBackend(ejected.mainTf)}`,
    reads.length > 0 ? `- Reads the outputs of: ${reads.map((d) => `\`${d}\``).join(", ")}.` : "- Reads no other stack's outputs.",
    after.length > 0 ? `- Deploy after: ${after.map((d) => `\`${d}\``).join(", ")}.` : "- Deployed first: it depends on no other stack.",
  ];
  if (ejected.assets.length > 0) {
    lines.push(`- Files it uses: ${ejected.assets.map((a) => `\`./${a.ejectedPath}\``).join(", ")}.`);
  }
  lines.push("", "From this folder:", "", commands(undefined), "");
  return lines.join("\n");
}

/** The README.md of the ejected root: the deploy order and the commands. */
export function rootReadme(input: { blueprintName: string; order: readonly string[]; stateDirectories: readonly string[] }): string {
  const lines = [
    `# ${input.blueprintName}: Terraform root modules`,
    "",
    "Ejected from outposts-eks with `npx outposts-eks eject`: one standalone Terraform root module per stack, in plain HCL.",
    "No cdktf, no Node.js: Terraform alone plans and applies them. See each folder's README.md.",
    "",
    "## Deploy order",
    "",
    ...input.order.map((stack, i) => `${i + 1}. \`${stack}\`${stack === "workspaces" ? " (alone, before the others)" : ""}`),
    "",
    "From this folder, for each stack in that order:",
    "",
    ...input.order.flatMap((stack) => [commands(stack), ""]),
    "Destroy in the reverse order: " + [...input.order].reverse().map((s) => `\`terraform -chdir=${s} destroy\``).join(", then ") + ".",
    "",
    "## State",
    "",
  ];
  if (input.stateDirectories.length > 0) {
    lines.push(
      `Local state lives in ${input.stateDirectories.map((d) => `\`${d}/\``).join(", ")} next to the stack folders, referenced as`,
      "`../<directory>/<stack>.tfstate` by each backend and `terraform_remote_state`: the whole folder can move.",
      "To take over state from the cdktf project, copy the project's state directory here, e.g.",
      "",
      "```sh",
      ...input.stateDirectories.map((d) => `mkdir -p ./${d} && cp -R <project>/${d}/. ./${d}/`),
      "```",
      "",
    );
  } else {
    lines.push("State is remote (S3 or HCP Terraform), with the same keys or workspaces as under cdktf: nothing to move.", "");
  }
  lines.push("After taking over the state, `terraform plan` in each folder should report no changes.", "");
  return lines.join("\n");
}

/** Every TerraformAsset of a stack, as the synthesized stack references it. */
export function assetsOf(stack: TerraformStack): SynthesizedAsset[] {
  return stack.node
    .findAll()
    .filter((construct): construct is TerraformAsset => construct instanceof TerraformAsset)
    .map((asset) => ({
      synthesizedPath: asset.path,
      // Private in cdktf's typings, but the only record of where the asset came from.
      sourcePath: (asset as unknown as { sourcePath: string }).sourcePath,
      type: asset.type === AssetType.DIRECTORY ? "directory" : asset.type === AssetType.ARCHIVE ? "archive" : "file",
    }));
}

export interface EjectResult {
  readonly outDir: string;
  readonly order: string[];
  readonly stacks: Record<string, EjectedStack>;
  /** Where a main.tf says something else than the JSON synthesis; written only with `allowDifferences`. */
  readonly differences: string[];
}

/** The HCL would not deploy what the JSON synthesis (and so `cdktf deploy`) deploys: nothing is written. */
export class EjectDifferencesError extends Error {
  constructor(readonly differences: readonly string[]) {
    super(
      `the rendered HCL differs from the JSON synthesis in ${differences.length} place(s), so the ejected stacks would plan changes; ` +
        `nothing was written (--allow-differences writes them anyway):\n${differences.map((d) => `  ${d}`).join("\n")}`,
    );
    this.name = "EjectDifferencesError";
  }
}

/**
 * Synthesizes the blueprint as HCL (as `npm run synth:hcl` does) and writes `<outDir>/<stack>/main.tf`,
 * the assets, a README per folder and `<outDir>/README.md`. Every main.tf is first read back with
 * HashiCorp's parser and compared with the JSON synthesis: on a difference nothing is written
 * (EjectDifferencesError) unless `allowDifferences`. Existing state directories in `outDir` are
 * never touched; an earlier eject's stack folder is replaced only with `force`.
 */
export async function ejectBlueprint(
  blueprint: Blueprint,
  outDir: string,
  options: { force?: boolean; allowDifferences?: boolean } = {},
): Promise<EjectResult> {
  const synthDir = mkdtempSync(path.join(tmpdir(), "outposts-eks-eject-"));
  const jsonDir = path.join(synthDir, "json");
  const previous = process.env.SYNTH_HCL_OUTPUT;
  try {
    fixCdktfHclRendering();
    // The JSON synthesis, the reference every main.tf is checked against.
    process.env.SYNTH_HCL_OUTPUT = "false";
    const jsonApp = new App({ outdir: jsonDir, context: { ...BLUEPRINT_APP_CONTEXT } });
    buildBlueprint(jsonApp, blueprint);
    jsonApp.synth();
    process.env.SYNTH_HCL_OUTPUT = "true";
    const app = new App({ outdir: path.join(synthDir, "hcl"), context: { ...BLUEPRINT_APP_CONTEXT } });
    buildBlueprint(app, blueprint);
    app.synth();
    const hclDir = path.join(synthDir, "hcl");
    const manifest: { stacks: Record<string, { dependencies?: string[] }> } = JSON.parse(readFileSync(path.join(hclDir, "manifest.json"), "utf8"));
    const dependencies = Object.fromEntries(Object.entries(manifest.stacks).map(([name, entry]) => [name, entry.dependencies ?? []]));
    const order = deployOrder(dependencies);
    const byName = new Map(app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => [s.node.id, s]));

    const stacks: Record<string, EjectedStack> = {};
    const differences: string[] = [];
    for (const stack of order) {
      const hcl = await format(readFileSync(path.join(hclDir, "stacks", stack, "cdk.tf"), "utf8"));
      const ejected = ejectStackHcl(stack, hcl, assetsOf(byName.get(stack)!));
      stacks[stack] = { ...ejected, mainTf: await format(ejected.mainTf) };
      const json = JSON.parse(readFileSync(path.join(jsonDir, "stacks", stack, "cdk.tf.json"), "utf8"));
      differences.push(...(await verifyEjectedStack(stacks[stack], json)));
    }
    if (differences.length > 0 && !options.allowDifferences) {
      throw new EjectDifferencesError(differences);
    }

    const clashes = order.filter((stack) => existsSync(path.join(outDir, stack, "main.tf")));
    if (clashes.length > 0 && !options.force) {
      throw new CommandError(`${outDir} already holds ejected stacks (${clashes.join(", ")}); pass --force to replace them (state directories are kept)`);
    }
    mkdirSync(outDir, { recursive: true });
    const stateDirectories = new Set<string>();
    for (const stack of order) {
      const ejected = stacks[stack];
      const folder = path.join(outDir, stack);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, "main.tf"), ejected.mainTf);
      writeFileSync(path.join(folder, "README.md"), stackReadme(ejected, dependencies[stack]));
      for (const asset of ejected.assets) {
        const target = path.join(folder, asset.ejectedPath);
        rmSync(target, { recursive: true, force: true });
        mkdirSync(path.dirname(target), { recursive: true });
        cpSync(path.join(hclDir, "stacks", stack, asset.synthesizedPath), target, { recursive: true });
      }
      for (const rewrite of ejected.statePaths) {
        if (!path.isAbsolute(rewrite.to)) stateDirectories.add(path.posix.dirname(path.posix.relative("..", rewrite.to)));
      }
    }
    writeFileSync(path.join(outDir, "README.md"), rootReadme({ blueprintName: blueprint.name, order, stateDirectories: [...stateDirectories].sort() }));
    return { outDir, order, stacks, differences };
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
    rmSync(synthDir, { recursive: true, force: true });
  }
}
