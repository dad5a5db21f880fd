/**
 * `terraform test` suites that prove every plan-time check of a synthesized stack fires.
 *
 * For each AWS-only stack (`cdktf.out/stacks/<stack>/cdk.tf.json`), `writeTerraformTests` writes
 * `tests/*.tftest.hcl` beside it, one file per run (terraform skips the rest of a file after a run
 * that does not end as expected), plus `tests/plan-checks.json` (what each run proves):
 *
 * - one run, `world`, in which `mock_provider "aws"` and `override_data` answer as the blueprint's
 *   AWS account would (its Outposts, their instance types and architectures, its LGW route tables,
 *   subnets, AMIs, zones; the producer stacks' outputs for `terraform_remote_state`), and every
 *   check passes;
 * - for every precondition, postcondition and `check` assertion, one run per conjunct (`a && b`
 *   gives two) that overrides exactly the data that conjunct reads so that it fails, with
 *   `expect_failures` naming the block. A lookup of an adopted ID gets "not found" (the filtered
 *   list is empty) from its plural lookup's condition and "found, but not the one the blueprint
 *   describes" (another VPC, CIDR, Outpost...) from the singular data source's.
 *
 * The answers are found, not hand-written per condition: each conjunct is evaluated
 * (scripts/tftest-expr.ts) against candidate answers built from its own literals, and the run keeps
 * every other condition of the stack true. A condition the evaluator cannot model is listed as
 * untestable with the reason, never counted as proven. `runTerraformTests` runs the suites with a
 * terraform binary and a provider mirror, and counts what terraform proved.
 */
import { spawn } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Blueprint } from "../config";
import { newerArgumentsOf, requiredProviders, TerraformToolchain, terraformEnv, validateWithTerraform } from "./terraform-toolchain";
import {
  describeRef,
  evaluate,
  EvaluationError,
  Expr,
  followPath,
  literalsOf,
  parseValueString,
  PathStep,
  referencesOf,
  toHcl,
  UnsupportedExpression,
  Value,
} from "./tftest-expr";
import { CreatedResource, worldAnswer, WorldFacts } from "./tftest-world";

type Ref = Extract<Expr, { kind: "ref" }>;
// Synthesized Terraform JSON has no static type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StackJson = Record<string, any>;

/** Where a stack's suite is written, relative to its synthesized directory: one file per run. */
export const SUITE_DIR = "tests";
const SUITE_SUFFIX = ".tftest.hcl";
/** What each run of the suite proves, beside it. */
export const MANIFEST_FILE = path.join("tests", "plan-checks.json");

/** Providers a stack may require and still be tested with the aws provider alone (terraform_remote_state is built in). */
const AWS_ONLY = new Set(["hashicorp/aws"]);

/**
 * Answers every data source of a type gives in the blueprint's world, where terraform's random mock
 * values would make the plan itself fail (a policy document must be JSON, a partition a partition).
 * `{region}` and `{account}` are the stack's.
 */
const TYPE_DEFAULTS: Record<string, Record<string, Value>> = {
  aws_iam_policy_document: { json: '{"Version":"2012-10-17","Statement":[]}', minified_json: '{"Version":"2012-10-17","Statement":[]}' },
  aws_partition: { partition: "aws", dns_suffix: "amazonaws.com", reverse_dns_prefix: "com.amazonaws" },
  aws_caller_identity: { account_id: "{account}", arn: "arn:aws:iam::{account}:role/outposts-eks-planner", user_id: "AROAEXAMPLE" },
  aws_region: { name: "{region}", region: "{region}" },
  // The planner's own role: an access entry's principal_arn must be an ARN at plan time.
  aws_iam_session_context: { issuer_arn: "arn:aws:iam::{account}:role/outposts-eks-planner", issuer_id: "AROAEXAMPLE", issuer_name: "outposts-eks-planner", session_name: "" },
  // An add-on release as DescribeAddonVersions names it: addon_version must be a semantic version.
  aws_eks_addon_version: { version: "v1.19.2-eksbuild.1" },
  aws_eks_cluster: { status: "ACTIVE" },
  aws_eks_cluster_auth: { token: "mock-token" },
};

/** Every check the suite proves or lists, one per precondition, postcondition or check assertion. */
export interface ConditionEntry {
  /** `data.aws_subnets.x postcondition 1`, `aws_launch_template.y precondition 2`, `check.z assert 1`. */
  readonly id: string;
  /** What `expect_failures` names. */
  readonly checkable: string;
  readonly errorMessage: string;
  /** The runs that must fail on it, one per conjunct. */
  readonly runs: string[];
  /** Why no run can prove it, when none can. */
  readonly untestable?: string;
  /** Why the generator already knows it will not be proven: it is false in the blueprint's world, or nothing makes it fire. */
  readonly problem?: string;
  /** True when the world model has no answer for what it reads, so the passing answer was taken from the condition's own literals. */
  readonly worldFromCondition?: boolean;
}

export interface StackSuite {
  readonly stack: string;
  /** The suite's files by path relative to the stack's directory (`tests/world.tftest.hcl`, `tests/<run>.tftest.hcl`): one run each. */
  readonly files: Readonly<Record<string, string>>;
  readonly conditions: ConditionEntry[];
}

export interface SkippedStack {
  readonly stack: string;
  readonly reason: string;
}

interface Block {
  readonly address: string;
  readonly mode: "data" | "resource" | "check";
  readonly type: string;
  readonly name: string;
  readonly body: StackJson;
}

interface Condition {
  readonly id: string;
  readonly owner: Block;
  readonly checkable: string;
  readonly expr?: Expr;
  readonly atoms: Expr[];
  readonly errorMessage: string;
  readonly parseError?: string;
}

/** A value the suite overrides: a data source's attribute, or one output of a remote state. */
interface Unit {
  readonly address: string;
  readonly path: string[];
}

function blocksOf(json: StackJson): Block[] {
  const blocks: Block[] = [];
  for (const [type, byName] of Object.entries(json.data ?? {}))
    for (const [name, body] of Object.entries(byName as StackJson)) blocks.push({ address: `data.${type}.${name}`, mode: "data", type, name, body: body as StackJson });
  for (const [type, byName] of Object.entries(json.resource ?? {}))
    for (const [name, body] of Object.entries(byName as StackJson)) blocks.push({ address: `${type}.${name}`, mode: "resource", type, name, body: body as StackJson });
  for (const [name, body] of Object.entries(json.check ?? {})) blocks.push({ address: `check.${name}`, mode: "check", type: "check", name, body: body as StackJson });
  return blocks;
}

function splitConjuncts(expr: Expr): Expr[] {
  return expr.kind === "binary" && expr.op === "&&" ? [...splitConjuncts(expr.left), ...splitConjuncts(expr.right)] : [expr];
}

/** A local's expression put in place of `local.x`, so a condition on a local reads the data behind it. */
function inlineLocals(expr: Expr, locals: Record<string, Expr>, depth = 0): Expr {
  if (depth > 10) throw new UnsupportedExpression("locals nested too deeply");
  const again = (e: Expr) => inlineLocals(e, locals, depth + 1);
  switch (expr.kind) {
    case "ref": {
      if (expr.root === "local" && expr.path.length > 0 && "attr" in expr.path[0]) {
        const local = locals[expr.path[0].attr];
        if (!local) throw new UnsupportedExpression(`unknown local ${expr.path[0].attr}`);
        if (expr.path.length > 1) throw new UnsupportedExpression(`a path into local ${expr.path[0].attr}`);
        return again(local);
      }
      return { ...expr, path: expr.path.map((s) => ("index" in s ? { index: again(s.index) } : s)) };
    }
    case "template":
      return { ...expr, parts: expr.parts.map(again) };
    case "call":
      return { ...expr, args: expr.args.map(again) };
    case "unary":
      return { ...expr, operand: again(expr.operand) };
    case "binary":
      return { ...expr, left: again(expr.left), right: again(expr.right) };
    case "list":
      return { ...expr, items: expr.items.map(again) };
    case "object":
      return { ...expr, entries: expr.entries.map(([k, v]) => [k, again(v)] as [string, Expr]) };
    case "for":
      return { ...expr, collection: again(expr.collection), body: again(expr.body), filter: expr.filter && again(expr.filter) };
    default:
      return expr;
  }
}

function conditionsOf(json: StackJson, blocks: Block[]): Condition[] {
  const locals: Record<string, Expr> = {};
  for (const [name, value] of Object.entries(json.locals ?? {})) {
    try {
      locals[name] = typeof value === "string" ? parseValueString(value) : { kind: "literal", value };
    } catch {
      // A local no condition reads may be outside the subset; one that is read fails at inlining.
    }
  }
  const conditions: Condition[] = [];
  for (const block of blocks) {
    const lists: Array<[string, StackJson[]]> =
      block.mode === "check"
        ? [["assert", block.body.assert ?? []]]
        : [
            ["precondition", block.body.lifecycle?.precondition ?? []],
            ["postcondition", block.body.lifecycle?.postcondition ?? []],
          ];
    for (const [kind, list] of lists) {
      list.forEach((entry, i) => {
        const id = `${block.address} ${kind} ${i + 1}`;
        const errorMessage = String(entry.error_message ?? "");
        try {
          const expr = inlineLocals(parseValueString(String(entry.condition)), locals);
          conditions.push({ id, owner: block, checkable: block.address, expr, atoms: splitConjuncts(expr), errorMessage });
        } catch (error) {
          if (!(error instanceof UnsupportedExpression)) throw error;
          conditions.push({ id, owner: block, checkable: block.address, atoms: [], errorMessage, parseError: error.message });
        }
      });
    }
  }
  return conditions;
}

/** A value of the same shape that is not the blueprint's: another AZ, CIDR, ID or ARN. */
export function sibling(value: Value): Value {
  if (typeof value === "number") return value - 1;
  if (typeof value !== "string") return value;
  const enums: Record<string, string> = { RACK: "SERVER", SERVER: "RACK", UPDATING: "ACTIVE", ACTIVE: "UPDATING", x86_64: "arm64", arm64: "x86_64", regional: "" };
  if (value in enums) return enums[value];
  const cidr = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(value);
  if (cidr) return `${cidr[1]}.${(Number(cidr[2]) + 1) % 256}.${cidr[3]}.${cidr[4]}/${cidr[5]}`;
  // The last letter or digit changed: vpc-...0 -> vpc-...1, eu-west-1a -> eu-west-1b, m5.xlarge -> m5.xlargf.
  const match = /[0-9a-z](?=[^0-9a-z]*$)/i.exec(value);
  if (!match) return `${value}-other`;
  const c = match[0];
  const replaced = c === "9" ? "0" : c === "z" ? "a" : c === "Z" ? "A" : String.fromCharCode(c.charCodeAt(0) + 1);
  return value.slice(0, match.index) + replaced + value.slice(match.index + 1);
}

/** `sibling` of every string inside a value: another device name, snapshot ID... */
export function deepSibling(value: Value): Value {
  if (Array.isArray(value)) return value.map(deepSibling);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepSibling(v)]));
  return sibling(value);
}

/** The stack's Region (its aws provider's) and an account ID from an ARN it names. */
function worldIdentity(json: StackJson): { region: string; account: string } {
  const providers = json.provider?.aws;
  const region = (Array.isArray(providers) ? providers[0]?.region : providers?.region) ?? "us-west-2";
  const account = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(JSON.stringify(json))?.[1] ?? "111122223333";
  return { region, account };
}

/** Items a list of objects needs for `[for v in list : v.a.b ...]` or `list[*].a.b`, built around one leaf value. */
function nest(pathAfter: string[], leaf: Value): Value {
  return pathAfter.reduceRight<Value>((inner, key) => ({ [key]: inner }), leaf);
}

/**
 * The answers of one stack's world: per overridden address, its values. Config arguments win over
 * overrides in terraform, so an attribute the configuration sets is evaluated, never overridden.
 */
class World {
  readonly values = new Map<string, StackJson>();
  constructor(
    private readonly blocks: Map<string, Block>,
    private readonly typeDefaults: Record<string, Record<string, Value>>,
  ) {}

  clone(): World {
    const copy = new World(this.blocks, this.typeDefaults);
    for (const [address, values] of this.values) copy.values.set(address, structuredClone(values));
    return copy;
  }

  get(unit: Unit): Value {
    let current: Value = this.values.get(unit.address);
    for (const key of unit.path) current = current?.[key];
    return current;
  }

  set(unit: Unit, value: Value): void {
    const values = this.values.get(unit.address) ?? {};
    this.values.set(unit.address, values);
    let current = values;
    unit.path.slice(0, -1).forEach((key) => (current = current[key] ??= {}));
    current[unit.path[unit.path.length - 1]] = value;
  }

  /** The value of a reference, `undefined` when the world does not say. */
  resolve(ref: Ref, owner: Block | undefined, depth = 0): Value {
    const located = this.locate(ref, owner);
    if (!located || depth > 20) return undefined;
    const { block, path: rest } = located;
    const attribute = rest[0];
    if (!attribute || !("attr" in attribute)) return undefined;
    const evaluateIndex = (e: Expr) => evaluate(e, (r) => this.resolve(r, owner, depth + 1));
    if (block.body[attribute.attr] !== undefined && !["lifecycle", "depends_on", "//"].includes(attribute.attr)) {
      const configured = this.evaluateConfig(block.body[attribute.attr], block, depth + 1);
      return followPath(configured, rest.slice(1), evaluateIndex);
    }
    const overridden = this.values.get(block.address)?.[attribute.attr] ?? this.typeDefaults[block.type]?.[attribute.attr];
    if (overridden === undefined) return undefined;
    return followPath(overridden, rest.slice(1), evaluateIndex);
  }

  private evaluateConfig(value: Value, block: Block, depth: number): Value {
    if (typeof value === "string") return evaluate(parseValueString(value), (r) => this.resolve(r, block, depth + 1));
    if (Array.isArray(value)) return value.map((item) => this.evaluateConfig(item, block, depth));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.evaluateConfig(v, block, depth)]));
    return value;
  }

  /** The block a reference reads and the path inside it. */
  locate(ref: Ref, owner: Block | undefined): { block: Block; path: PathStep[] } | undefined {
    const attrs = ref.path.map((s) => ("attr" in s ? s.attr : undefined));
    if (ref.root === "self") return owner ? { block: owner, path: ref.path } : undefined;
    if (ref.root === "data" && attrs[0] && attrs[1]) {
      const block = this.blocks.get(`data.${attrs[0]}.${attrs[1]}`);
      return block && { block, path: ref.path.slice(2) };
    }
    if (attrs[0]) {
      const block = this.blocks.get(`${ref.root}.${attrs[0]}`);
      return block && block.mode === "resource" ? { block, path: ref.path.slice(1) } : undefined;
    }
    return undefined;
  }

  /** The overridable unit a reference reads, and the path from that unit to the value read; undefined when configured. */
  unitOf(ref: Ref, owner: Block | undefined): { unit: Unit; inner: PathStep[] } | undefined {
    const located = this.locate(ref, owner);
    if (!located || located.block.mode === "check") return undefined;
    const [first, second] = located.path;
    if (!first || !("attr" in first)) return undefined;
    if (located.block.body[first.attr] !== undefined) return undefined;
    if (located.block.type === "terraform_remote_state" && first.attr === "outputs" && second && "attr" in second) {
      return { unit: { address: located.block.address, path: ["outputs", second.attr] }, inner: located.path.slice(2) };
    }
    return { unit: { address: located.block.address, path: [first.attr] }, inner: located.path.slice(1) };
  }
}

/** What one conjunct's run overrides, when a failing answer was found. */
interface FailingRun {
  readonly name: string;
  readonly condition: Condition;
  readonly conjunct: number;
  readonly unit: Unit;
  readonly value: Value;
  readonly what: string;
  /** Other checkables that read the same answer and fail with it. */
  readonly alsoFailing: string[];
}

function evaluateIn(world: World, expr: Expr, owner: Block): boolean | undefined {
  try {
    const result = evaluate(expr, (r) => world.resolve(r, owner));
    return typeof result === "boolean" ? result : undefined;
  } catch (error) {
    if (error instanceof EvaluationError || error instanceof UnsupportedExpression) return undefined;
    throw error;
  }
}

/** Candidate answers for a unit read by a conjunct: the blueprint's values first, then others of the same shape. */
function candidates(atom: Expr, ref: Ref, inner: PathStep[], world: World, owner: Block, hint: Value): { pass: Value[]; fail: Value[] } {
  const others = referencesOf(atom)
    .filter((r) => r !== ref)
    .map((r) => {
      try {
        return world.resolve(r, owner);
      } catch {
        return undefined;
      }
    })
    .filter((v) => v !== undefined && typeof v !== "object");
  const literals = [...literalsOf(atom).filter((v) => typeof v === "string" || typeof v === "number"), ...others];
  const strings = literals.filter((v): v is string => typeof v === "string");
  const numbers = literals.filter((v): v is number => typeof v === "number");
  const versions = numbers.flatMap((n) => [`1.${n}`, `1.${n - 1}`]);
  const scalarsPass: Value[] = [...strings, ...numbers, ...versions.filter((_, i) => i % 2 === 0), true, null, "ACTIVE"];
  const scalarsFail: Value[] = [...strings.map(sibling), ...numbers.map(sibling), ...versions.filter((_, i) => i % 2 === 1), false, ...strings, ...numbers, null, ""];

  // Where the value read lies inside the unit: after a splat, or as items of a for expression.
  const splatAt = inner.findIndex((s) => "splat" in s);
  const itemPath = (steps: PathStep[]) => steps.map((s) => ("attr" in s ? s.attr : "")).filter(Boolean);
  const forBody = findForBody(atom, ref);
  const asItems = splatAt >= 0 ? itemPath(inner.slice(splatAt + 1)) : forBody;
  const listRead = readsAsList(atom, ref);
  const wrap = (values: Value[]): Value[] => {
    if (asItems) {
      const leaves = strings.length > 0 ? strings : ["snap-0123456789abcdef0"];
      const items = leaves.map((leaf) => nest(asItems, leaf));
      const second = nest(asItems, sibling(leaves[0]));
      return [items, [second], [items[0], second], []];
    }
    return listRead ? [...values.filter((v) => v !== null && typeof v !== "boolean").map((v) => [v]), []] : values;
  };
  const pass = [...(hint !== undefined ? [hint] : []), ...wrap(scalarsPass)];
  const fail = wrap(scalarsFail);
  return { pass, fail };
}

/** Whether the conjunct reads the reference as a list (the list argument of contains, length, one...). */
function readsAsList(expr: Expr, ref: Ref): boolean {
  const LIST_FUNCTIONS = ["contains", "length", "tolist", "toset", "one", "element"];
  if (expr.kind === "call" && LIST_FUNCTIONS.includes(expr.name) && expr.args[0] === ref) return true;
  if (expr.kind === "for" && expr.collection === ref) return true;
  const children: Expr[] =
    expr.kind === "call" ? expr.args : expr.kind === "binary" ? [expr.left, expr.right] : expr.kind === "unary" ? [expr.operand] : expr.kind === "list" ? expr.items : expr.kind === "for" ? [expr.collection, expr.body] : [];
  return children.some((child) => readsAsList(child, ref));
}

/** `[for v in <ref> : v.a.b ...]`: the path `a.b` each item needs. */
function findForBody(expr: Expr, ref: Ref): string[] | undefined {
  if (expr.kind === "for" && expr.collection === ref) {
    const bodyRef = referencesOf(expr.body, new Set()).find((r) => r.root === expr.variable) ?? (expr.body.kind === "ref" ? expr.body : undefined);
    const path = bodyRef && expr.body.kind === "ref" && expr.body.root === expr.variable ? expr.body.path : bodyRef?.path;
    return (path ?? []).map((s) => ("attr" in s ? s.attr : "")).filter(Boolean);
  }
  const children: Expr[] =
    expr.kind === "call" ? expr.args : expr.kind === "binary" ? [expr.left, expr.right] : expr.kind === "unary" ? [expr.operand] : expr.kind === "list" ? expr.items : [];
  for (const child of children) {
    const found = findForBody(child, ref);
    if (found) return found;
  }
  return undefined;
}

/** Places a value read at `inner` (literal keys only) into the unit's value. */
function placeInUnit(current: Value, inner: PathStep[], value: Value): Value | undefined {
  const splatAt = inner.findIndex((s) => "splat" in s);
  const steps = splatAt >= 0 ? inner.slice(0, splatAt) : inner;
  if (steps.length === 0) return value;
  const keys: Array<string | number> = [];
  for (const s of steps) {
    if ("attr" in s) keys.push(s.attr);
    else if ("index" in s && s.index.kind === "literal") keys.push(s.index.value);
    else return undefined;
  }
  const root = structuredClone(current ?? (typeof keys[0] === "number" ? [] : {}));
  let node = root;
  keys.slice(0, -1).forEach((key, i) => (node = node[key] ??= typeof keys[i + 1] === "number" ? [] : {}));
  node[keys[keys.length - 1]] = value;
  return root;
}

/** The blocks downstream of one (their configuration or conditions read it, or they depend on it), which terraform skips once it fails. */
function downstreamOf(address: string, blocks: Block[]): Set<string> {
  const readers = new Map<string, string[]>();
  for (const block of blocks) {
    // Conditions count too: terraform orders a block after everything its conditions read.
    const text = JSON.stringify(block.body);
    for (const other of blocks) {
      if (other.address !== block.address && text.includes(other.mode === "data" ? other.address : `${other.address}.`)) {
        readers.set(other.address, [...(readers.get(other.address) ?? []), block.address]);
      }
      if (other.address !== block.address && text.includes(`"${other.address}"`)) readers.set(other.address, [...(readers.get(other.address) ?? []), block.address]);
    }
  }
  const seen = new Set<string>();
  const queue = [address];
  while (queue.length > 0) {
    for (const reader of readers.get(queue.shift()!) ?? []) {
      if (!seen.has(reader)) {
        seen.add(reader);
        queue.push(reader);
      }
    }
  }
  return seen;
}

/** The hint for a plural lookup filtered on one ID: it finds exactly that ID (the filter's value, evaluated in the world). */
function lookupHint(block: Block, attribute: string, world: World): Value {
  const filters: StackJson[] = block.body.filter ?? [];
  if (attribute !== "ids" || filters.length !== 1 || !/-id$/.test(filters[0].name) || !Array.isArray(filters[0].values)) return undefined;
  try {
    const values = filters[0].values.map((value: Value) => (typeof value === "string" ? evaluate(parseValueString(value), (r) => world.resolve(r, block)) : value));
    return values.every((v: Value) => typeof v === "string") ? values : undefined;
  } catch {
    return undefined;
  }
}

/** A plausible value for a computed attribute nobody checks, by its name. */
function computedLeaf(name: string, identity: { region: string; account: string }): Value {
  if (/cidr/.test(name)) return "172.20.0.0/16";
  if (name === "issuer") return `https://oidc.eks.${identity.region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
  if (name === "data") return "bW9jay1jZXJ0aWZpY2F0ZS1hdXRob3JpdHk=";
  return `mock-${name}`;
}

/**
 * Mocks fill computed attributes but never nested blocks, so `aws_eks_cluster.x.kubernetes_network_config[0].service_ipv4_cidr`
 * is an "Invalid index" under mocks. Every such read of a block the configuration does not set gets one item.
 */
function computedBlockOverrides(json: StackJson, blocks: Map<string, Block>, world: World, identity: { region: string; account: string }): void {
  const text = JSON.stringify(json);
  const pattern = /\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.[a-z0-9_]+\[0\])+)\.([a-z0-9_]+)/g;
  for (const match of text.matchAll(pattern)) {
    const block = blocks.get(`${match[1]}.${match[2]}`);
    if (!block || block.mode !== "resource") continue;
    const steps = match[3].split(".").filter(Boolean).map((s) => s.replace("[0]", ""));
    if (block.body[steps[0]] !== undefined) continue;
    // [{ b2 = [{ ... { leaf = value } }] }]: one item per nested block on the way to the attribute read.
    const value = steps.slice(1).reduceRight<Value>((inner, key) => [{ [key]: inner }], [{ [match[4]]: computedLeaf(match[4], identity) }]);
    const unit = { address: block.address, path: [steps[0]] };
    const existing = world.get(unit);
    world.set(unit, existing ? deepMerge(existing, value) : value);
  }
}

function deepMerge(a: Value, b: Value): Value {
  if (Array.isArray(a) && Array.isArray(b)) return [deepMerge(a[0], b[0])];
  if (a && b && typeof a === "object" && typeof b === "object") {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in a ? deepMerge(a[k], v) : v;
    return out;
  }
  return b;
}

export interface GenerateOptions {
  /** Outputs of the producer stacks, by stack name, for `terraform_remote_state` answers. */
  readonly producerOutputs?: Readonly<Record<string, Record<string, Value>>>;
  /** The blueprint's world; without it, every passing answer comes from the conditions' own literals (weaker: see worldFromCondition). */
  readonly facts?: WorldFacts;
}

/** Whether the world (not the condition) decides the answers of a block. */
function modeled(block: Block, options: GenerateOptions): boolean {
  if (block.type === "terraform_remote_state") return options.producerOutputs?.[block.name] !== undefined;
  return options.facts !== undefined && worldAnswer(block.type, {}, options.facts) !== undefined;
}

/** Sets every data source's unconfigured attributes to the world's answer to its query. */
function answerFromWorld(blocks: Block[], world: World, facts: WorldFacts): void {
  const answered = new Set<string>();
  for (let pass = 0; pass < 6; pass++) {
    for (const block of blocks.filter((b) => b.mode === "data" && !answered.has(b.address))) {
      let args: Record<string, Value>;
      try {
        args = Object.fromEntries(
          Object.keys(block.body)
            .filter((key) => !["//", "lifecycle", "depends_on", "provider"].includes(key))
            .map((key) => [key, world.resolve({ kind: "ref", root: "data", path: [{ attr: block.type }, { attr: block.name }, { attr: key }] }, undefined)]),
        );
      } catch {
        continue;
      }
      if (Object.values(args).some((v) => v === undefined)) continue;
      answered.add(block.address);
      const answer = worldAnswer(block.type, args, facts);
      for (const [attribute, value] of Object.entries(answer ?? {})) {
        if (block.body[attribute] === undefined) world.set({ address: block.address, path: [attribute] }, value);
      }
    }
  }
}

/** The suite for one stack: its world, and a failing run per conjunct of every condition. */
export function generateStackSuite(stack: string, json: StackJson, options: GenerateOptions = {}): StackSuite {
  const blocks = blocksOf(json);
  const blockMap = new Map(blocks.map((b) => [b.address, b]));
  const identity = worldIdentity(json);
  const typeDefaults = Object.fromEntries(
    Object.entries(TYPE_DEFAULTS).map(([type, values]) => [
      type,
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v.replace("{region}", identity.region).replace("{account}", identity.account) : v])),
    ]),
  );
  const world = new World(blockMap, typeDefaults);
  for (const block of blocks.filter((b) => b.type === "terraform_remote_state")) {
    world.values.set(block.address, { outputs: structuredClone(options.producerOutputs?.[block.name] ?? {}) });
  }
  computedBlockOverrides(json, blockMap, world, identity);
  const conditions = conditionsOf(json, blocks);
  const untestable = new Map<string, string>();
  for (const condition of conditions) if (condition.parseError) untestable.set(condition.id, `its expression is outside what the generator models: ${condition.parseError}`);

  // The unit each conjunct varies: one the configuration does not set, the owner's own first.
  const varied = new Map<Expr, { ref: Ref; unit: Unit; inner: PathStep[] }>();
  for (const condition of conditions) {
    for (const atom of condition.atoms) {
      const options = referencesOf(atom)
        .map((ref) => ({ ref, located: world.unitOf(ref, condition.owner) }))
        .filter((o): o is { ref: Ref; located: { unit: Unit; inner: PathStep[] } } => o.located !== undefined);
      const own = options.find((o) => o.located.unit.address === condition.owner.address) ?? options[0];
      if (own) varied.set(atom, { ref: own.ref, ...own.located });
      else if (!untestable.has(condition.id)) {
        const refs = referencesOf(atom).map(describeRef);
        untestable.set(
          condition.id,
          refs.length === 0
            ? "it reads no provider answer (only plan-time functions or constants), so no mock can change it"
            : `it reads only values the configuration sets (${refs.join(", ")}), which no mock answer overrides`,
        );
      }
    }
  }

  // The world: every data source answered by the blueprint's world model (scripts/tftest-world.ts),
  // in passes, since a lookup's arguments may read another lookup's answer.
  if (options.facts) answerFromWorld(blocks, world, options.facts);
  // A conjunct the world does not satisfy: where the model answers what it reads, the world run
  // will fail, and says so (the condition disagrees with the blueprint's world); where the model
  // has no answer, the conjunct's own literals describe the passing world (recorded as such).
  const disagreements = new Map<string, string>();
  const fromCondition = new Set<string>();
  for (const condition of conditions.filter((c) => !untestable.has(c.id))) {
    condition.atoms.forEach((atom, i) => {
      const choice = varied.get(atom)!;
      if (evaluateIn(world, atom, condition.owner) === true) return;
      if (modeled(blockMap.get(choice.unit.address)!, options)) {
        disagreements.set(condition.id, `conjunct ${i + 1} is false in the blueprint's world (it reads ${describeRef(choice.ref)} = ${JSON.stringify(world.get(choice.unit))})`);
        return;
      }
      const block = blockMap.get(choice.unit.address)!;
      const hint = choice.unit.path.length === 1 ? lookupHint(block, choice.unit.path[0], world) : undefined;
      const { pass } = candidates(atom, choice.ref, choice.inner, world, condition.owner, hint);
      const existing = world.get(choice.unit);
      for (const candidate of pass) {
        const merged = Array.isArray(existing) && Array.isArray(candidate) && choice.inner.length === 0 ? [...new Set([...existing, ...candidate])] : candidate;
        const placed = placeInUnit(existing, choice.inner, merged);
        if (placed === undefined) continue;
        const trial = world.clone();
        trial.set(choice.unit, placed);
        if (evaluateIn(trial, atom, condition.owner) === true) {
          world.set(choice.unit, placed);
          fromCondition.add(condition.id);
          return;
        }
      }
      untestable.set(condition.id, `no answer the generator can build makes conjunct ${i + 1} true (the passing world cannot be described)`);
    });
  }

  // A failing run per conjunct: the first candidate that makes it false and keeps every other
  // condition that terraform still evaluates true.
  const runs: FailingRun[] = [];
  const entries: ConditionEntry[] = [];
  const noFailingAnswer = new Map<string, string>();
  for (const condition of conditions) {
    const runNames: string[] = [];
    if (!untestable.has(condition.id)) {
      const skipped = condition.owner.mode === "check" ? new Set<string>() : downstreamOf(condition.owner.address, blocks);
      // The other checkables this answer also fails (other node groups reading the same control-plane
      // version...): they are named in expect_failures too, since terraform reports each. Undefined
      // when the answer also fails another condition of the same block, which would hide this one.
      const othersFailing = (trial: World): string[] | undefined => {
        const failing = conditions.filter(
          (other) => other !== condition && !skipped.has(other.owner.address) && other.atoms.some((atom) => evaluateIn(trial, atom, other.owner) === false),
        );
        if (failing.some((other) => other.checkable === condition.checkable)) return undefined;
        return [...new Set(failing.map((other) => other.checkable))];
      };
      condition.atoms.forEach((atom, i) => {
        if (untestable.has(condition.id)) return;
        const choice = varied.get(atom)!;
        const { fail } = candidates(atom, choice.ref, choice.inner, world, condition.owner, undefined);
        const current = world.get(choice.unit);
        // An empty Outpost ARN (a regional subnet) differs from the world's by lying on one of the blueprint's Outposts.
        const onOutpost = current === "" && /outpost_arn$/.test(choice.unit.path[0]) ? options.facts?.blueprint.outposts[0]?.arn : undefined;
        // A list of objects (an AMI's block device mappings) also gets one item more before none:
        // two snapshots is how the AMI check fails on AWS, an empty list only in a mock.
        const oneMore = Array.isArray(current) && current.some((item) => item !== null && typeof item === "object") ? [[...current, ...current.map(deepSibling)]] : [];
        const fromWorld =
          choice.inner.length > 0 || current === undefined
            ? []
            : Array.isArray(current)
              ? [current.map(deepSibling), ...oneMore, []]
              : [...(onOutpost ? [onOutpost] : []), sibling(current)];
        for (const candidate of [...fromWorld, ...fail]) {
          const placed = placeInUnit(world.get(choice.unit), choice.inner, candidate);
          if (placed === undefined) continue;
          const trial = world.clone();
          trial.set(choice.unit, placed);
          if (evaluateIn(trial, atom, condition.owner) !== false) continue;
          const alsoFailing = othersFailing(trial);
          if (alsoFailing === undefined) continue;
          const name = `fails_${String(runs.length + 1).padStart(2, "0")}_${condition.owner.name}_${condition.id.split(" ").slice(-2).join("_")}`.replace(/[^A-Za-z0-9_-]/g, "_");
          const emptied = Array.isArray(candidate) && candidate.length === 0;
          const what = emptied || candidate === null ? "not found" : "found, but not what the blueprint describes";
          runs.push({ name, condition, conjunct: i + 1, unit: choice.unit, value: placed, what, alsoFailing });
          runNames.push(name);
          return;
        }
        noFailingAnswer.set(condition.id, `no answer fails conjunct ${i + 1} (${describeRef(choice.ref)}) while every other check holds: the condition cannot fire`);
      });
    }
    const reason = untestable.get(condition.id);
    const problem = disagreements.get(condition.id) ?? noFailingAnswer.get(condition.id);
    entries.push({
      id: condition.id,
      checkable: condition.checkable,
      errorMessage: condition.errorMessage,
      runs: reason ? [] : runNames,
      ...(reason ? { untestable: reason } : {}),
      ...(problem && !reason ? { problem } : {}),
      ...(fromCondition.has(condition.id) && !reason ? { worldFromCondition: true } : {}),
    });
  }
  const liveRuns = runs.filter((run) => !untestable.has(run.condition.id));
  return { stack, files: renderSuiteFiles(stack, world, typeDefaults, liveRuns, entries), conditions: entries };
}

function overrideBlock(address: string, values: StackJson, indent: string): string {
  const kind = address.startsWith("data.") ? "override_data" : "override_resource";
  return [`${indent}${kind} {`, `${indent}  target = ${address}`, `${indent}  values = ${toHcl(values, `${indent}  `)}`, `${indent}}`].join("\n");
}

/** The first line of every file the generator writes, so a rewrite removes only its own files. */
export const GENERATED_MARK = "# Generated by outposts-eks (npm run tftest)";

/**
 * One `.tftest.hcl` per run, each repeating the mocked world: terraform skips every later run of a
 * file once one run does not end as expected, so one broken condition in a single file would hide
 * every result after it (terraform 1.11 reports "1 failed, 21 skipped").
 */
function renderSuiteFiles(stack: string, world: World, typeDefaults: Record<string, Record<string, Value>>, runs: FailingRun[], entries: ConditionEntry[]): Record<string, string> {
  const untestable = entries.filter((e) => e.untestable);
  const header = (what: string) => [
    `${GENERATED_MARK}: ${what} of the ${stack} stack.`,
    `# Run the stack's suite from its directory: terraform init -backend=false && terraform test. Regenerate after synth.`,
    "",
    "# The blueprint's world: what AWS answers when everything is as the blueprint describes.",
    'mock_provider "aws" {',
    ...Object.entries(typeDefaults).map(([type, values]) => `  mock_data "${type}" {\n    defaults = ${toHcl(values, "    ")}\n  }`),
    "}",
    "",
    ...[...world.values.entries()].map(([address, values]) => overrideBlock(address, values, "")),
  ];
  const files: Record<string, string> = {};
  files[path.join(SUITE_DIR, `world${SUITE_SUFFIX}`)] = `${[
    ...header("every check holds in the blueprint's world"),
    `# ${entries.length} condition(s): ${entries.length - untestable.length} with failing runs (one file each), ${untestable.length} untestable.`,
    ...untestable.map((e) => `#   untestable: ${e.id}: ${e.untestable}`),
    "",
    'run "world" {',
    "  command = plan",
    "}",
  ].join("\n")}\n`;
  for (const run of runs) {
    const values = structuredClone(world.values.get(run.unit.address) ?? {});
    let node = values;
    run.unit.path.slice(0, -1).forEach((key) => (node = node[key] ??= {}));
    node[run.unit.path[run.unit.path.length - 1]] = run.value;
    files[path.join(SUITE_DIR, `${run.name}${SUITE_SUFFIX}`)] = `${[
      ...header(`${run.condition.id} fires`),
      "",
      `# ${run.condition.id}${run.condition.atoms.length > 1 ? `, conjunct ${run.conjunct}` : ""}: ${run.what}.`,
      `# Expected: ${run.condition.errorMessage.split("\n")[0].slice(0, 160)}`,
      ...(run.alsoFailing.length > 0 ? [`# The same answer also fails ${run.alsoFailing.join(", ")}, which read it too.`] : []),
      `run "${run.name}" {`,
      "  command = plan",
      overrideBlock(run.unit.address, values, "  "),
      `  expect_failures = [${[run.condition.checkable, ...run.alsoFailing].join(", ")}]`,
      "}",
    ].join("\n")}\n`;
  }
  return files;
}

/** Why a stack cannot be tested with the aws provider alone, or undefined when it can. */
export function whyNotAwsOnly(json: StackJson): string | undefined {
  const others = requiredProviders(json).filter((p) => !AWS_ONLY.has(p));
  return others.length > 0 ? `needs providers other than hashicorp/aws: ${others.join(", ")}` : undefined;
}

/**
 * A producer's outputs as the consumer's remote state reads them: configured values evaluated,
 * computed ones mocked. A created resource's `id` becomes `<type>-<name>` and is registered in
 * `created`, so the world answers a later lookup of that ID with the configuration it was created with.
 */
export function producerOutputs(json: StackJson, created?: Map<string, CreatedResource>, facts?: WorldFacts): Record<string, Value> {
  const blocks = new Map(blocksOf(json).map((b) => [b.address, b]));
  const world = new World(blocks, {});
  // An adopted ID's lookups answer as in the consumer's world, so an output such as an adopted subnet's ID is that ID.
  if (facts) answerFromWorld([...blocks.values()], world, facts);
  const resolveOrMock = (text: string, name: string): Value => {
    try {
      return evaluate(parseValueString(text), (ref) => {
        const value = world.resolve(ref, undefined);
        if (value !== undefined) return value;
        const located = world.locate(ref, undefined);
        const last = [...ref.path].reverse().find((s) => "attr" in s);
        const attribute = last && "attr" in last ? last.attr : name;
        if (located && attribute === "id" && ref.path.length === 2) {
          const id = `${located.block.type.replace(/^aws_/, "").replace(/_/g, "-")}-${located.block.name}`;
          created?.set(id, { type: located.block.type, config: located.block.body });
          return id;
        }
        return `mock-${attribute}`.replace(/_/g, "-");
      });
    } catch {
      return `mock-${name}`.replace(/_/g, "-");
    }
  };
  const walk = (value: Value, name: string): Value =>
    typeof value === "string"
      ? resolveOrMock(value, name)
      : Array.isArray(value)
        ? value.map((item) => walk(item, name))
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, name)]))
          : value;
  return Object.fromEntries(Object.entries(json.output ?? {}).map(([name, output]) => [name, walk((output as StackJson).value, name)]));
}

export interface WrittenSuites {
  readonly written: StackSuite[];
  readonly skipped: SkippedStack[];
}

/**
 * The suites of a blueprint's synthesized stacks (JSON by stack name): one per AWS-only stack, in
 * the blueprint's world; the other stacks listed with the reason.
 */
export function generateSuites(blueprint: Blueprint, stackJsons: Readonly<Record<string, StackJson>>): WrittenSuites {
  const created = new Map<string, CreatedResource>();
  const outputs = Object.fromEntries(
    Object.entries(stackJsons).map(([stack, json]) => [stack, producerOutputs(json, created, { blueprint, ...worldIdentity(json), created })]),
  );
  const written: StackSuite[] = [];
  const skipped: SkippedStack[] = [];
  for (const [stack, json] of Object.entries(stackJsons).sort(([a], [b]) => a.localeCompare(b))) {
    const reason = whyNotAwsOnly(json);
    if (reason) {
      skipped.push({ stack, reason });
      continue;
    }
    const facts: WorldFacts = { blueprint, ...worldIdentity(json), created };
    written.push(generateStackSuite(stack, json, { producerOutputs: outputs, facts }));
  }
  return { written, skipped };
}

/**
 * Writes the suite (`tests/world.tftest.hcl` and one `tests/<run>.tftest.hcl` per failing run) and
 * `tests/plan-checks.json` beside every AWS-only stack of the blueprint synthesized as JSON under
 * `outdir` (`cdktf.out` by default), and says why it skipped the others. Suite files an earlier
 * generation wrote are removed first; a user's own test files are kept.
 */
export function writeTerraformTests(blueprint: Blueprint, outdir = "cdktf.out"): WrittenSuites {
  const stacksDir = path.join(outdir, "stacks");
  if (!existsSync(stacksDir)) throw new Error(`no synthesized stacks under ${stacksDir}: run npm run synth first`);
  const jsons: Record<string, StackJson> = {};
  const hclOnly: SkippedStack[] = [];
  for (const stack of readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stack, "cdk.tf.json");
    if (!existsSync(file)) hclOnly.push({ stack, reason: "synthesized as HCL: synthesize JSON (npm run synth) to generate its suite" });
    else jsons[stack] = JSON.parse(readFileSync(file, "utf8"));
  }
  const result = generateSuites(blueprint, jsons);
  for (const suite of result.written) writeSuiteFiles(path.join(stacksDir, suite.stack), suite);
  return { written: result.written, skipped: [...hclOnly, ...result.skipped] };
}

/** Writes one stack's suite files and manifest into its directory, removing the suite files of an earlier generation. */
function writeSuiteFiles(stackDir: string, suite: StackSuite, withManifest = true): void {
  const testsDir = path.join(stackDir, SUITE_DIR);
  mkdirSync(testsDir, { recursive: true });
  for (const name of readdirSync(testsDir)) {
    const file = path.join(testsDir, name);
    if (name.endsWith(SUITE_SUFFIX) && readFileSync(file, "utf8").startsWith(GENERATED_MARK)) rmSync(file);
  }
  for (const [relative, text] of Object.entries(suite.files)) writeFileSync(path.join(stackDir, relative), text);
  if (withManifest) writeFileSync(path.join(stackDir, MANIFEST_FILE), `${JSON.stringify({ stack: suite.stack, conditions: suite.conditions }, null, 2)}\n`);
}

/** Runs commands at most `limit` at a time. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How long one terraform command of the runner may take before it is killed (a hang, not a budget). */
export const COMMAND_TIMEOUT_MS = 15 * 60_000;

export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ status: number; stdout: string; stderr: string }> {
  const { timeoutMs = COMMAND_TIMEOUT_MS, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    // A hung command would otherwise hold its stack's place in the pool for good.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n${command} ${args.join(" ")}: killed after ${timeoutMs / 1000} s without finishing`;
      resolve({ status: timedOut ? 124 : (status ?? 1), stdout, stderr });
    });
  });
}

/** What terraform made of one stack's suite. */
export interface SuiteResult {
  readonly stack: string;
  /** Run name to terraform's status (pass, fail, error, skip). */
  readonly runs: Record<string, string>;
  readonly proven: string[];
  readonly untestable: Array<{ id: string; reason: string }>;
  /** Conditions with a run that terraform did not pass (the check did not fire as expected), with the run. */
  readonly failing: Array<{ id: string; run: string; status: string }>;
  /** Conditions none of whose runs failed but one of which terraform skipped or never reached: neither proven nor failing. */
  readonly notRun: Array<{ id: string; run: string; status: string }>;
  /** Whether the world run passed. */
  readonly worldPassed: boolean;
  /** terraform's diagnostics, for a failure report. */
  readonly output: string;
}

/** Reads `terraform test -json` output into per-run statuses and tallies the conditions. */
export function tallySuite(stack: string, conditions: readonly ConditionEntry[], jsonLines: string, stderr = ""): SuiteResult {
  const runs: Record<string, string> = {};
  const diagnostics: string[] = [];
  for (const line of jsonLines.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    let message: Value;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type === "test_run" && message.test_run?.progress === "complete") runs[message.test_run.run] = message.test_run.status;
    if (message.type === "diagnostic") diagnostics.push(`${message["@testrun"] ?? ""}: ${message.diagnostic?.summary}: ${message.diagnostic?.detail ?? ""}`);
  }
  const proven: string[] = [];
  const untestable: Array<{ id: string; reason: string }> = [];
  const failing: Array<{ id: string; run: string; status: string }> = [];
  const notRun: Array<{ id: string; run: string; status: string }> = [];
  const ran = (status: string | undefined) => status !== undefined && status !== "skip";
  for (const condition of conditions) {
    if (condition.untestable) {
      untestable.push({ id: condition.id, reason: condition.untestable });
      continue;
    }
    const bad = condition.runs.find((run) => ran(runs[run]) && runs[run] !== "pass");
    const unreached = condition.runs.find((run) => !ran(runs[run]));
    if (condition.problem || condition.runs.length === 0) failing.push({ id: condition.id, run: condition.runs[0] ?? "none", status: condition.problem ?? "no failing run" });
    else if (bad) failing.push({ id: condition.id, run: bad, status: runs[bad] });
    else if (unreached) notRun.push({ id: condition.id, run: unreached, status: runs[unreached] ?? "not run" });
    else proven.push(condition.id);
  }
  return { stack, runs, proven, untestable, failing, notRun, worldPassed: runs.world === "pass", output: [...diagnostics, stderr].filter(Boolean).join("\n") };
}

/** One stack to run: its synthesized JSON and its generated suite. */
export interface SuiteTarget {
  /** A label for reports, such as `extended-racks/network`. */
  readonly label: string;
  readonly json: StackJson;
  readonly suite: StackSuite;
}

export interface RunOptions {
  /** Stacks run side by side; the machine is shared. @default 2 */
  readonly concurrency?: number;
  /** Where to keep each stack's working directory (kept for inspection); a temporary directory when unset. */
  readonly workDir?: string;
}

/**
 * Runs each suite with terraform and the provider mirror: the stack relaxed for the mirror's older
 * aws provider (as `terraform validate` of the project does: backend removed, pins relaxed,
 * arguments newer than the mirror dropped), then `terraform init` and `terraform test -json`,
 * at most `concurrency` stacks at a time, under `nice`.
 */
export async function runTerraformTests(toolchain: TerraformToolchain, targets: readonly SuiteTarget[], options: RunOptions = {}): Promise<SuiteResult[]> {
  const root = options.workDir ?? mkdtempSync(path.join(tmpdir(), "outposts-eks-tftest-"));
  try {
    // No plugin_cache_dir. Every `terraform init` re-installs the provider into a cache (seen here: a
    // second init re-created the cache's entry), so an init while another stack's `terraform test`
    // was starting providers removed the provider under it: CI twice saw "fork/exec
    // .terraform/providers/.../terraform-provider-aws_v5.100.0_x5: no such file or directory". From an
    // unpacked mirror terraform links each stack's provider to the mirror itself, which nothing
    // changes (a packed mirror is unpacked into each stack's .terraform instead).
    const cliConfig = path.join(root, "terraformrc");
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${toolchain.mirror}"\n  }\n}\n`);
    const reports = validateWithTerraform(
      toolchain,
      targets.map((t) => ({ label: t.label, format: "json" as const, content: JSON.stringify(t.json), json: t.json, newerArguments: newerArgumentsOf(t.json) })),
    );
    const env = terraformEnv({ TF_CLI_CONFIG_FILE: cliConfig });
    return await inPool(targets, options.concurrency ?? 2, async (target) => {
      const report = reports.find((r) => r.label === target.label)!;
      if (report.skipped || report.errors.length > 0 || !report.relaxedText) {
        return tallySuite(target.label, target.suite.conditions, "", `cannot run: ${report.skipped ?? report.errors.join("; ")}`);
      }
      const directory = path.join(root, target.label.replace(/[^A-Za-z0-9_.-]/g, "_"));
      mkdirSync(directory, { recursive: true });
      writeFileSync(path.join(directory, "cdk.tf.json"), report.relaxedText);
      writeSuiteFiles(directory, target.suite, false);
      const init = await runCommand("nice", ["-n", "10", toolchain.binary, "init", "-backend=false", "-input=false", "-no-color"], { cwd: directory, env });
      if (init.status !== 0) return tallySuite(target.label, target.suite.conditions, "", `terraform init failed: ${init.stdout}${init.stderr}`);
      const test = await runCommand("nice", ["-n", "10", toolchain.binary, "test", "-json", "-no-color"], { cwd: directory, env });
      return tallySuite(target.label, target.suite.conditions, test.stdout, test.stderr);
    });
  } finally {
    if (!options.workDir) rmSync(root, { recursive: true, force: true });
  }
}

/** The summary line and the details of what was not proven. */
export function summarize(results: readonly SuiteResult[], skipped: readonly SkippedStack[] = []): string {
  const count = (pick: (r: SuiteResult) => unknown[]) => results.reduce((sum, r) => sum + pick(r).length, 0);
  return [
    `terraform test: ${results.length} stack suite(s); conditions proven ${count((r) => r.proven)}, untestable ${count((r) => r.untestable)}, failing ${count((r) => r.failing)}, not run ${count((r) => r.notRun)}`,
    ...skipped.map((s) => `  skipped ${s.stack}: ${s.reason}`),
    ...results.filter((r) => !r.worldPassed).map((r) => `  ${r.stack}: the world run did not pass:\n${indent(r.output)}`),
    ...results.flatMap((r) => r.untestable.map((u) => `  untestable ${r.stack}: ${u.id}: ${u.reason}`)),
    ...results.flatMap((r) => r.failing.map((f) => `  FAILING ${r.stack}: ${f.id} (run ${f.run}: ${f.status})`)),
    ...results.flatMap((r) => r.notRun.map((f) => `  NOT RUN ${r.stack}: ${f.id} (run ${f.run}: ${f.status})`)),
    ...results.filter((r) => r.failing.length + r.notRun.length > 0 && r.worldPassed && r.output.trim()).map((r) => `  ${r.stack} diagnostics:\n${indent(r.output)}`),
  ].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .filter(Boolean)
    .slice(0, 40)
    .map((line) => `    ${line}`)
    .join("\n");
}
