/**
 * Runs terraform's own checks on synthesized stacks where this machine can: a terraform binary and
 * a local filesystem mirror of providers (a directory named registry.terraform.io).
 *
 * All targets become child modules of one temporary root, so one `terraform init` and one
 * `terraform validate -json` check them together. The mirror holds an older hashicorp/aws than the
 * 6.25.0 the bindings pin, so the pin is relaxed, and an "Unsupported argument" error is tolerated
 * (and counted) only for an argument that the 6.25.0 bindings document: it exists in the newer
 * provider only. Terraform stops at the first bad argument of a block, so the tolerated argument is
 * removed and validation runs again. Warnings are collected too, from every round, each once.
 */
import { execFileSync, spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { INSTANCE_STORE_ARGUMENTS, INSTANCE_STORE_MIN_AWS_PROVIDER } from "../modules/eks-control-plane";
import { awsProviderConstraint } from "../modules/shared/newer-provider-arguments";

// Synthesized Terraform JSON has no static type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StackJson = Record<string, any>;

export interface TerraformToolchain {
  readonly binary: string;
  /** The directory that contains registry.terraform.io. */
  readonly mirror: string;
  /** Providers in the mirror, as `namespace/name`. */
  readonly providers: ReadonlySet<string>;
  readonly version: string;
}

export type ToolchainLookup = { toolchain: TerraformToolchain; reason?: undefined } | { toolchain?: undefined; reason: string };

const MIRROR_SEARCH_ROOTS = ["/opt", "/usr/local/share", "/usr/share", path.join(process.env.HOME ?? "/root", ".terraform.d")];

function findMirror(root: string, depth: number): string | undefined {
  if (depth < 0 || !existsSync(root)) return undefined;
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return undefined;
  }
  if (entries.includes("registry.terraform.io") && existsSync(path.join(root, "registry.terraform.io", "hashicorp", "aws"))) {
    return root;
  }
  for (const entry of entries) {
    const child = path.join(root, entry);
    try {
      if (!statSync(child).isDirectory()) continue;
    } catch {
      continue;
    }
    const found = findMirror(child, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** Finds terraform and the provider mirror, or says why they are not usable here. */
export function findTerraformToolchain(): ToolchainLookup {
  let version: string;
  try {
    const out = execFileSync("terraform", ["version", "-json"], { encoding: "utf8", env: terraformEnv(), stdio: ["ignore", "pipe", "ignore"] });
    version = JSON.parse(out).terraform_version;
  } catch {
    return { reason: "no terraform binary on PATH (`terraform version` failed)" };
  }
  const roots = process.env.TF_PROVIDER_MIRROR ? [process.env.TF_PROVIDER_MIRROR] : MIRROR_SEARCH_ROOTS;
  const mirror = roots.map((root) => findMirror(root, 3)).find((found) => found !== undefined);
  if (!mirror) {
    return { reason: `no provider mirror: no registry.terraform.io directory holding hashicorp/aws under ${roots.join(", ")}` };
  }
  const registry = path.join(mirror, "registry.terraform.io");
  const providers = new Set(
    readdirSync(registry).flatMap((namespace) => readdirSync(path.join(registry, namespace)).map((name) => `${namespace}/${name}`)),
  );
  return { toolchain: { binary: "terraform", mirror, providers, version } };
}

/**
 * The environment the project's terraform runs get: the caller's, less what would make two runs share
 * a working or plugin directory or change their arguments (TF_DATA_DIR, TF_PLUGIN_CACHE_DIR, which
 * overrides the CLI configuration's plugin_cache_dir, and TF_CLI_ARGS*), with telemetry and prompts off.
 */
export function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  for (const name of Object.keys(env)) {
    if (name === "TF_DATA_DIR" || name === "TF_PLUGIN_CACHE_DIR" || name.startsWith("TF_CLI_ARGS")) delete env[name];
  }
  return { ...env, ...extra };
}

export interface ValidationTarget {
  /** A label for reports, such as `extended-racks/network.json`. */
  readonly label: string;
  readonly format: "json" | "hcl";
  /** The synthesized file's text. */
  readonly content: string;
  /** The same stack as JSON, used to locate tolerated arguments. */
  readonly json: StackJson;
  /**
   * Keep the stack's provider blocks. Every child module with its own provider block starts its own
   * provider instance, which triples the time of a validate run, so by default they are removed:
   * the child modules then share one default provider. Keep them for a few targets, so provider
   * configuration is still checked.
   */
  readonly keepProviderBlocks?: boolean;
  /**
   * Arguments of a provider newer than the mirror's, by block type, as dotted paths: removed before
   * validation and reported as tolerated, since the mirrored provider cannot know them.
   * @default none
   */
  readonly newerArguments?: Readonly<Record<string, readonly string[]>>;
}

export interface TargetReport {
  readonly label: string;
  /** Why the target was not validated, when it was not. */
  readonly skipped?: string;
  /** Errors terraform reported that are not tolerated. */
  readonly errors: string[];
  /** Warnings terraform reported (none is tolerated), such as deprecated syntax or arguments. */
  readonly warnings: string[];
  /** Tolerated `type.argument` entries (arguments newer than the mirrored provider). */
  readonly tolerated: string[];
  /** The stack as validated: backend removed, pins relaxed, tolerated arguments dropped (what the mirrored provider can plan). */
  readonly relaxedText?: string;
}

/** The arguments of a provider newer than the mirrored one that a stack sets: the instance-store architecture's. */
export function newerArgumentsOf(stackJson: StackJson): Record<string, readonly string[]> | undefined {
  const required = stackJson.terraform?.required_providers?.aws?.version;
  return required === awsProviderConstraint(INSTANCE_STORE_MIN_AWS_PROVIDER) ? { aws_eks_cluster: INSTANCE_STORE_ARGUMENTS } : undefined;
}

/** Providers a stack requires, as `namespace/name`. */
export function requiredProviders(stackJson: StackJson): string[] {
  const required: Record<string, StackJson> = stackJson.terraform?.required_providers ?? {};
  return Object.values(required).map((spec: StackJson) => {
    const source: string = spec.source ?? "";
    const parts = source.split("/");
    return parts.length === 1 ? `hashicorp/${parts[0]}` : parts.slice(-2).join("/");
  });
}

/** Removes every top-level HCL block whose opening line matches, braces counted (strings have none here). */
export function removeHclBlocks(text: string, opening: RegExp): string {
  let result = text;
  for (let match = opening.exec(result); match; match = opening.exec(result)) {
    let depth = 0;
    let end = match.index;
    for (let i = result.indexOf("{", match.index); i < result.length; i++) {
      if (result[i] === "{") depth++;
      else if (result[i] === "}" && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    result = result.slice(0, match.index) + result.slice(end);
  }
  return result;
}

/** Removes the backend (and, unless kept, the provider blocks), relaxes every version pin, and drops the newer arguments. */
function relax(target: ValidationTarget): string {
  const newer = Object.entries(target.newerArguments ?? {});
  if (target.format === "json") {
    const copy = structuredClone(target.json);
    delete copy.terraform.backend;
    if (!target.keepProviderBlocks) delete copy.provider;
    for (const spec of Object.values(copy.terraform.required_providers ?? {}) as StackJson[]) delete spec.version;
    for (const [type, paths] of newer) {
      for (const body of Object.values(copy.resource?.[type] ?? {}) as StackJson[]) {
        for (const dotted of paths) {
          const keys = dotted.split(".");
          const parent = keys.slice(0, -1).reduce((node, key) => node?.[key], body);
          if (parent) delete parent[keys[keys.length - 1]];
        }
      }
    }
    return JSON.stringify(copy, null, 2);
  }
  let text = removeHclBlocks(target.content, /^\s*backend\s+"[^"]+"\s*\{/m);
  if (!target.keepProviderBlocks) text = removeHclBlocks(text, /^provider\s+"[^"]+"\s*\{/m);
  // The newer arguments by their last name: nested blocks and attributes of that name.
  for (const name of newer.flatMap(([, paths]) => paths.map((dotted) => dotted.split(".").pop()!))) {
    text = removeHclBlocks(text, new RegExp(`^\\s*${name}\\s*\\{`, "m")).replace(new RegExp(`^\\s*${name}\\s*=.*$`, "gm"), "");
  }
  return text.replace(/^(\s*)version\s*=\s*"[^"]*"\s*$/gm, "");
}

/** Block types (`resource aws_x` or `data aws_x`) in the stack whose body has the argument. */
function blocksWithArgument(stackJson: StackJson, argument: string): Array<{ kind: "resource" | "data"; type: string; name: string }> {
  const found: Array<{ kind: "resource" | "data"; type: string; name: string }> = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(stackJson[kind] ?? {})) {
      for (const [name, body] of Object.entries(byName as StackJson)) {
        if (JSON.stringify(body).includes(`"${argument}":`)) found.push({ kind, type, name });
      }
    }
  }
  return found;
}

const bindingSourceCache = new Map<string, string>();

/** True when the prebuilt 6.25.0 bindings of this block type document the argument. */
export function bindingsDocument(kind: "resource" | "data", type: string, argument: string): boolean {
  const directory = `${kind === "data" ? "data-" : ""}${type.replace(/^aws_/, kind === "data" ? "aws-" : "").replace(/_/g, "-")}`;
  let source = bindingSourceCache.get(directory);
  if (source === undefined) {
    const file = path.join(path.dirname(require.resolve("@cdktf/provider-aws/package.json")), "lib", directory, "index.js");
    source = existsSync(file) ? readFileSync(file, "utf8") : "";
    bindingSourceCache.set(directory, source);
  }
  return new RegExp(`\\b${argument}: cdktf\\.`).test(source);
}

function deleteKeyDeep(value: unknown, key: string): void {
  if (Array.isArray(value)) value.forEach((item) => deleteKeyDeep(item, key));
  else if (value && typeof value === "object") {
    delete (value as Record<string, unknown>)[key];
    Object.values(value).forEach((child) => deleteKeyDeep(child, key));
  }
}

interface Diagnostic {
  severity: string;
  summary: string;
  detail?: string;
  range?: { filename: string };
}

function describeDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.summary}: ${diagnostic.detail ?? ""} (${diagnostic.range?.filename ?? "no file"})`;
}

/** Validates the targets together. A target whose providers are not all in the mirror is skipped. */
export function validateWithTerraform(toolchain: TerraformToolchain, targets: readonly ValidationTarget[]): TargetReport[] {
  const root = mkdtempSync(path.join(tmpdir(), "outposts-eks-validate-"));
  try {
    const cliConfig = path.join(root, "terraformrc");
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path = "${toolchain.mirror}"\n  }\n}\n`,
    );
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: cliConfig, TF_DATA_DIR: path.join(root, ".terraform") });
    const reports = new Map<string, { skipped?: string; errors: string[]; warnings: string[]; tolerated: string[] }>();
    const modules: Record<string, { source: string }> = {};
    const state = new Map<string, { target: ValidationTarget; json: StackJson; text: string; file: string }>();

    targets.forEach((target, i) => {
      const missing = requiredProviders(target.json).filter((provider) => !toolchain.providers.has(provider));
      if (missing.length > 0) {
        reports.set(target.label, { skipped: `providers not in the local mirror: ${missing.join(", ")}`, errors: [], warnings: [], tolerated: [] });
        return;
      }
      const directory = `m${i}`;
      mkdirSync(path.join(root, directory));
      const file = path.join(root, directory, target.format === "json" ? "cdk.tf.json" : "cdk.tf");
      const text = relax(target);
      writeFileSync(file, text);
      modules[directory] = { source: `./${directory}` };
      state.set(directory, { target, json: structuredClone(target.json), text, file });
      const newer = Object.entries(target.newerArguments ?? {}).flatMap(([type, paths]) => paths.map((dotted) => `${type}.${dotted} (newer than the mirror)`));
      reports.set(target.label, { errors: [], warnings: [], tolerated: newer });
    });
    if (state.size === 0) return finish();

    writeFileSync(path.join(root, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));
    const init = spawnSync(toolchain.binary, ["init", "-backend=false", "-input=false", "-no-color"], { cwd: root, env, encoding: "utf8" });
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}\n${init.stderr}`);

    for (let round = 0; round < 25; round++) {
      const run = spawnSync(toolchain.binary, ["validate", "-json", "-no-color"], { cwd: root, env, encoding: "utf8" });
      const diagnostics: Diagnostic[] = JSON.parse(run.stdout).diagnostics ?? [];
      for (const warning of diagnostics.filter((d) => d.severity === "warning")) {
        const entry = state.get(warning.range?.filename.split(/[\\/]/)[0] ?? "");
        const report = entry ? reports.get(entry.target.label) : undefined;
        const message = describeDiagnostic(warning);
        if (!report) throw new Error(`terraform validate warning: ${message}`);
        if (!report.warnings.includes(message)) report.warnings.push(message);
      }
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (errors.length === 0) break;
      let removedSomething = false;
      for (const error of errors) {
        const directory = error.range?.filename.split(/[\\/]/)[0] ?? "";
        const entry = state.get(directory);
        const report = entry ? reports.get(entry.target.label)! : undefined;
        // HCL says "Unsupported argument"; the JSON syntax says "Extraneous JSON object property".
        const argument = /(?:An argument named|No argument or block type is named) "([^"]+)"/.exec(error.detail ?? "")?.[1];
        const blocks = entry && argument ? blocksWithArgument(entry.json, argument) : [];
        const tolerable =
          ["Unsupported argument", "Extraneous JSON object property"].includes(error.summary) &&
          blocks.length > 0 &&
          blocks.every((b) => bindingsDocument(b.kind, b.type, argument!));
        if (!entry || !report || !tolerable) {
          const message = describeDiagnostic(error);
          if (report) {
            if (!report.errors.includes(message)) report.errors.push(message);
          } else throw new Error(`terraform validate: ${message}`);
          continue;
        }
        for (const block of blocks) {
          report.tolerated.push(`${block.type}.${argument}`);
          deleteKeyDeep(entry.json.resource?.[block.type]?.[block.name], argument!);
          deleteKeyDeep(entry.json.data?.[block.type]?.[block.name], argument!);
        }
        entry.text =
          entry.target.format === "json"
            ? relax({ ...entry.target, json: entry.json })
            : entry.text.replace(new RegExp(`^\\s*${argument}\\s*=.*$`, "gm"), "");
        writeFileSync(entry.file, entry.text);
        removedSomething = true;
      }
      if (!removedSomething) break;
    }
    return finish();

    function finish(): TargetReport[] {
      const relaxedByLabel = new Map([...state.values()].map((entry) => [entry.target.label, entry.text]));
      return targets.map((target) => ({ label: target.label, ...reports.get(target.label)!, relaxedText: relaxedByLabel.get(target.label) }));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Files whose formatting `terraform fmt -check` rejects, empty when all are canonical. */
export function terraformFmtCheck(toolchain: TerraformToolchain, files: Record<string, string>): string[] {
  const root = mkdtempSync(path.join(tmpdir(), "outposts-eks-fmt-"));
  try {
    const names = Object.keys(files);
    names.forEach((label, i) => writeFileSync(path.join(root, `f${i}.tf`), files[label]));
    const run = spawnSync(toolchain.binary, ["fmt", "-check", "-list=true", root], { env: terraformEnv(), encoding: "utf8" });
    return run.stdout
      .split("\n")
      .filter(Boolean)
      .map((file) => names[Number(/f(\d+)\.tf$/.exec(file)?.[1])] ?? file);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Evaluates one Terraform expression with `terraform console` in a root of string variables only
 * (no providers, so no init): how a test runs an expression the stacks hand to Terraform.
 */
export function terraformEvaluate(binary: string, expression: string, variables: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(path.join(tmpdir(), "outposts-eks-console-"));
  try {
    const names = Object.keys(variables);
    writeFileSync(path.join(root, "variables.tf"), names.map((name) => `variable "${name}" {\n  type = string\n}\n`).join(""));
    const run = spawnSync(binary, ["console", ...names.flatMap((name) => ["-var", `${name}=${variables[name]}`])], {
      cwd: root,
      env: terraformEnv(),
      encoding: "utf8",
      input: `${expression}\n`,
    });
    if (run.status !== 0) throw new Error(`terraform console failed on ${expression}: ${run.stderr}`);
    return run.stdout.trim();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
