/**
 * Reads a blueprint file and validates it in one pass: the schema's shape checks and the
 * cross-field rules together, so a user sees every problem at once.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { Document, isCollection, isMap, isScalar, isSeq, LineCounter, Node, parseDocument, visit } from "yaml";
import { z } from "zod";
import { blueprintRuleIssues, IssuePath, RuleIssue } from "./rules";
import { validatedBlueprintIssues } from "./rules/validated";
import { backendSchema, Blueprint, blueprintSchema, clusterAuthSchema, FORM_FACTOR_ONLY_FIELDS, lniAddressingSchema, outpostSchema } from "./schema";

/** The blueprint the app uses when BLUEPRINT_CONFIG is unset, relative to the project root. */
export const DEFAULT_BLUEPRINT = "examples/extended-racks.yaml";

/** The values a discriminated union accepts, by discriminator field (or `parent.field`). */
const DISCRIMINATOR_VALUES: Record<string, string[]> = {
  formFactor: outpostSchema.options.map((option) => option.shape.formFactor.value),
  type: backendSchema.unwrap().options.map((option) => option.shape.type.value),
  "lni.mode": lniAddressingSchema.options.map((option) => option.shape.mode.value),
  "clusterAuth.mode": clusterAuthSchema.options.map((option) => option.shape.mode.value),
};

/** Fields earlier versions accepted, with what to do now. */
const REMOVED_FIELDS: Record<string, string> = {
  forControlPlane:
    "was removed: an extended cluster uses every regional subnet, including those in an Outpost's parent AZ " +
    "(EKS User Guide, network requirements, forbids only subnets on the Outpost itself); delete the field",
};

/** One reported problem: the field, the value found there, and what would be valid. */
export interface BlueprintProblem {
  /** Field path such as `outposts[1].arn`; `(root)` for the whole file. */
  readonly path: string;
  /** The value found at that path, or undefined when the field is missing. */
  readonly value: unknown;
  readonly message: string;
  /** The problem lies between two places (the path names both); no single value is shown. */
  readonly relation?: boolean;
}

/** Problems printed in full; `problems` keeps every one. */
export const MAX_PRINTED_PROBLEMS = 100;

export class BlueprintConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly BlueprintProblem[],
    /** What is invalid, for the first line: a fleet file says "the fleet". */
    subject = "the blueprint",
  ) {
    super(
      `${source}: ${subject} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems
          .slice(0, MAX_PRINTED_PROBLEMS)
          .map((p) => `  - ${p.path}: ${p.relation || (p.path === "(root)" && p.value === undefined) ? "" : `${describeValue(p.value)} `}${p.message}`)
          .concat(problems.length > MAX_PRINTED_PROBLEMS ? [`  ... and ${problems.length - MAX_PRINTED_PROBLEMS} more (the first ${MAX_PRINTED_PROBLEMS} are shown)`] : [])
          .join("\n"),
    );
    this.name = "BlueprintConfigError";
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatPath(segments: IssuePath): string {
  if (segments.length === 0) return "(root)";
  return segments
    .map((segment, i) => (typeof segment === "number" ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join("");
}

function valueAt(input: unknown, segments: IssuePath): unknown {
  let current: unknown = input;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function schemaIssues(input: unknown, issues: readonly z.core.$ZodIssue[]): RuleIssue[] {
  return issues.flatMap((issue): RuleIssue[] => {
    const issuePath = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const formFactor = valueAt(input, [...issuePath, "formFactor"]);
      return issue.keys.map((key) => {
        const owner = FORM_FACTOR_ONLY_FIELDS[key];
        const message =
          REMOVED_FIELDS[key] ??
          (issuePath[0] === "outposts" && owner !== undefined && owner !== formFactor
            ? `is only valid for formFactor '${owner}'; this Outpost is a ${String(formFactor)}`
            : "is not a field here; check its spelling against docs/blueprint.schema.json");
        return { path: [...issuePath, key], message };
      });
    }
    if (issue.code === "invalid_union") {
      const field = String(issuePath[issuePath.length - 1]);
      const parent = String(issuePath[issuePath.length - 2]);
      const allowed = DISCRIMINATOR_VALUES[`${parent}.${field}`] ?? DISCRIMINATOR_VALUES[field];
      return [{ path: issuePath, message: allowed ? `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(", ")}` : issue.message }];
    }
    if (issue.code === "invalid_key") {
      return [{ path: issuePath, message: `is not a valid key: ${issue.issues[0]?.message ?? issue.message}` }];
    }
    if (issue.code === "invalid_value") {
      return [{ path: issuePath, message: `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    }
    const found = valueAt(input, issuePath);
    if (issue.code === "invalid_type" && typeof found === "number" && !Number.isFinite(found)) {
      return [{ path: issuePath, message: `is not a finite number (YAML's .inf or .nan); give a ${issue.expected}` }];
    }
    if (issue.code === "invalid_type" && issue.expected === "string" && typeof found === "number") {
      return [{ path: issuePath, message: `is the number ${found}, but a string is expected: quote it ("${found}"; YAML reads 1.30 as the number 1.3)` }];
    }
    if (issue.code === "invalid_type" && found === undefined) {
      // A field the schema words its own message for says why it is required; zod's own starts "Invalid input".
      const own = !issue.message.startsWith("Invalid input");
      return [{ path: issuePath, message: own ? issue.message : `is required (${issue.expected})` }];
    }
    return [{ path: issuePath, message: issue.message.replace(/^Invalid input: /, "") }];
  });
}

/** Validates parsed input. Throws BlueprintConfigError listing every problem. */
export function validateBlueprint(input: unknown, source = "blueprint"): Blueprint {
  const result = blueprintSchema.safeParse(input);
  const issues = [...(result.success ? [] : schemaIssues(input, result.error.issues)), ...blueprintRuleIssues(input)];
  // What only a whole valid blueprint can answer (rendered user data): config/rules/validated.ts.
  if (result.success && issues.length === 0) issues.push(...validatedBlueprintIssues(result.data));
  if (issues.length > 0 || !result.success) {
    const seen = new Set<string>();
    const problems = issues
      .map((issue) =>
        issue.label !== undefined
          ? { path: issue.label, value: undefined, message: issue.message, relation: true }
          : { path: formatPath(issue.path), value: valueAt(input, issue.path), message: issue.message },
      )
      .filter((problem) => {
        const key = `${problem.path}\u0000${problem.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
    throw new BlueprintConfigError(source, problems);
  }
  return result.data;
}

/** The largest blueprint file read: a real one is a few kilobytes. */
export const MAX_BLUEPRINT_BYTES = 1024 * 1024;
/** The deepest nesting of maps and lists a blueprint may have (a real one nests about 6 deep). */
export const MAX_BLUEPRINT_DEPTH = 32;

/** Characters a user cannot see, which an editor or a copy from a web page can leave behind, with their names. */
const INVISIBLE_CHARACTER_NAMES: Readonly<Record<string, string>> = {
  "\uFEFF": "byte-order mark or zero-width no-break space",
  "\u00A0": "no-break space",
  "\u00AD": "soft hyphen",
  "\u200B": "zero-width space",
  "\u200C": "zero-width non-joiner",
  "\u200D": "zero-width joiner",
  "\u200E": "left-to-right mark",
  "\u200F": "right-to-left mark",
  "\u2028": "line separator",
  "\u2029": "paragraph separator",
  "\u2060": "word joiner",
  "\u202F": "narrow no-break space",
  "\u3000": "ideographic space",
};

/**
 * Every character a reader cannot tell from a space or from nothing: Unicode format characters
 * (Cf, such as U+200B and U+FEFF), spaces other than U+0020 (Zs), line and paragraph separators.
 */
const INVISIBLE_CHARACTER = /[\p{Cf}\p{Zs}\p{Zl}\p{Zp}]/gu;

function invisibleCharacterName(character: string): string {
  const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = INVISIBLE_CHARACTER_NAMES[character];
  return name ? `${codePoint} (${name})` : codePoint;
}

function readProblem(message: string): BlueprintProblem {
  return { path: "(root)", value: undefined, message };
}

/** Problems of the file as text, found before parsing: size, emptiness, invisible characters, nesting. */
function textProblems(text: string, bytes: number): BlueprintProblem[] {
  if (bytes > MAX_BLUEPRINT_BYTES) {
    return [readProblem(`is ${bytes} bytes; a blueprint may have at most ${MAX_BLUEPRINT_BYTES} (1 MiB)`)];
  }
  if (text.trim() === "") return [readProblem("is empty: a blueprint starts with name, region, variant, ... (see README)")];
  const problems: BlueprintProblem[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    // Block collections nest on one line too: "- - - x" is a list in a list in a list.
    const indicators = /^[ \t]*((?:[-?][ \t]+)*)/.exec(line)![1].replace(/[ \t]/g, "").length;
    if (indicators > MAX_BLUEPRINT_DEPTH) problems.push(readProblem(`nests ${indicators} block indicators ("- ") deep at line ${i + 1}; a blueprint nests at most ${MAX_BLUEPRINT_DEPTH}`));
    const reported = new Set<string>();
    for (const match of line.matchAll(INVISIBLE_CHARACTER)) {
      const character = match[0];
      if (character === " " || reported.has(character)) continue;
      reported.add(character);
      problems.push(
        readProblem(`has the invisible character ${invisibleCharacterName(character)} at line ${i + 1}, column ${match.index + 1}; delete it or retype the line`),
      );
    }
  });
  // Nesting is measured on the text, so that a pathological file rarely reaches a recursive parser:
  // brackets count outside comments and quoted scalars (a quote opens a scalar only where one can
  // start, so the apostrophe in "rack's" opens nothing). parseBlueprintText catches what this misses.
  let depth = 0;
  let deepest = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const before = i === 0 ? "\n" : text[i - 1];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "#" && /\s/.test(before)) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if ((c === '"' || c === "'") && /[\s[{,:-]/.test(before)) quote = c;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  if (deepest > MAX_BLUEPRINT_DEPTH) problems.push(readProblem(`nests ${deepest} levels of brackets deep; a blueprint nests at most ${MAX_BLUEPRINT_DEPTH}`));
  return problems;
}

/** The depth of parsed maps and lists (indentation nesting too), found without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BLUEPRINT_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Explicit tags a blueprint may use: the YAML 1.2 core schema's (`!!str 1.30` is a way to quote). */
const CORE_TAGS = ["str", "int", "float", "bool", "null", "map", "seq"].map((name) => `tag:yaml.org,2002:${name}`);

/**
 * What YAML can say that a blueprint cannot hold: other explicit tags (`!!binary`, `!!set`,
 * `!!timestamp` and custom `!tags` give bytes, sets, dates or an unresolved tag, never plain values)
 * and lists or maps used as keys. Named with line and column, before conversion.
 */
function unsupportedNodes(document: Document, lineCounter: LineCounter): BlueprintProblem[] {
  const problems: BlueprintProblem[] = [];
  const at = (range: readonly number[] | null | undefined) => {
    const { line, col } = lineCounter.linePos(range?.[0] ?? 0);
    return `line ${line}, column ${col}`;
  };
  visit(document, {
    Node(_key, node) {
      const tag = node.tag;
      if (tag !== undefined && !CORE_TAGS.includes(tag)) {
        const shown = tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
        problems.push(readProblem(`has the YAML tag ${shown} at ${at(node.range)}; a blueprint holds plain text, numbers, booleans, lists and maps: remove the tag`));
      }
    },
    Pair(_key, pair) {
      if (isCollection(pair.key)) problems.push(readProblem(`has a list or map as a key at ${at(pair.key.range)}; keys are plain text`));
    },
  });
  return problems;
}

/**
 * Every key given twice in one map, YAML or JSON alike: the key, its path and where both are. The
 * YAML library reports only the repeated key's position, with no path and not the first one's.
 * Walked with a stack, not recursion, like the other checks of untrusted nesting.
 */
function duplicateKeyProblems(document: Document, lineCounter: LineCounter): BlueprintProblem[] {
  const found: Array<{ offset: number; problem: BlueprintProblem }> = [];
  const where = (node: Node) => {
    const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
    return `line ${line}, column ${col}`;
  };
  const stack: Array<[unknown, IssuePath]> = [[document.contents, []]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (isSeq(node)) node.items.forEach((item, i) => stack.push([item, [...at, i]]));
    if (!isMap(node)) continue;
    // The YAML library's own test of uniqueness (uniqueKeys: true): scalar keys of equal value.
    const first = new Map<unknown, Node>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const keyPath = [...at, String(pair.key.value)];
      const earlier = first.get(pair.key.value);
      if (earlier === undefined) first.set(pair.key.value, pair.key);
      else {
        found.push({
          offset: pair.key.range?.[0] ?? 0,
          problem: {
            path: formatPath(keyPath),
            value: undefined,
            relation: true,
            message:
              `the key ${JSON.stringify(String(pair.key.value))} is given more than once: first at ${where(earlier)}, again at ${where(pair.key)}; ` +
              "a key appears once in a map (JSON.parse would keep the last value silently): delete one",
          },
        });
      }
      stack.push([pair.value, keyPath]);
    }
  }
  return found.sort((a, b) => a.offset - b.offset).map(({ problem }) => problem);
}

/** Paths of YAML merge keys (`<<`), which this project does not support. */
function mergeKeyPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: Array<[unknown, IssuePath]> = [[value, []]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    for (const [key, child] of Object.entries(node)) {
      const childPath = Array.isArray(node) ? [...at, Number(key)] : [...at, key];
      if (key === "<<" && !Array.isArray(node)) found.push(formatPath(childPath));
      stack.push([child, childPath]);
    }
  }
  return found.sort();
}

/**
 * Parses a blueprint's text, YAML or JSON (JSON is YAML 1.2, so both go through the YAML parser,
 * which rejects a key given twice where JSON.parse would keep the last silently).
 */
export function parseBlueprintText(text: string, source: string, bytes = Buffer.byteLength(text)): unknown {
  const before = textProblems(text, bytes);
  if (before.length > 0) throw new BlueprintConfigError(source, before);
  let input: unknown;
  try {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { uniqueKeys: true, merge: false, prettyErrors: false, lineCounter });
    const otherErrors = document.errors.filter((error) => error.code !== "DUPLICATE_KEY");
    if (otherErrors.length === 0 && document.errors.length > 0) {
      const duplicates = duplicateKeyProblems(document, lineCounter);
      if (duplicates.length > 0) throw new BlueprintConfigError(source, duplicates);
    }
    if (document.errors.length > 0) {
      const error = otherErrors[0] ?? document.errors[0];
      const message = error.message.split("\n")[0];
      throw new BlueprintConfigError(source, [readProblem(`cannot be read: ${message
        .replace(/^Map keys must be unique/, "a key is given twice (map keys must be unique)")
        .replace(/^Source contains multiple documents.*/, "holds several YAML documents (---); a blueprint is one document")}${whereInText(text, lineCounter.linePos(error.pos[0]))}`)]);
    }
    const unsupported = unsupportedNodes(document, lineCounter);
    if (unsupported.length > 0) throw new BlueprintConfigError(source, unsupported);
    try {
      input = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // The YAML library throws while converting, not as document errors, for an alias whose anchor
      // is missing or comes later, and for aliases that expand too often (a ReferenceError each).
      if (!(error instanceof ReferenceError)) throw error;
      throw new BlueprintConfigError(source, [readProblem(`cannot be read: ${error.message.split("\n")[0]}`)]);
    }
  } catch (error) {
    // The YAML parser recurses once per level of nesting. Nesting the text scan cannot see (block
    // sequences such as "- - - -", brackets after an unclosed quote) ends here, as a limit, not a crash.
    if (error instanceof RangeError) {
      throw new BlueprintConfigError(source, [readProblem(`nests too deep to read (${error.message}); a blueprint nests at most ${MAX_BLUEPRINT_DEPTH} levels`)]);
    }
    throw error;
  }
  if (input === null || input === undefined) throw new BlueprintConfigError(source, [readProblem("is empty: a blueprint starts with name, region, variant, ... (see README)")]);
  const depth = depthOf(input);
  if (depth > MAX_BLUEPRINT_DEPTH) throw new BlueprintConfigError(source, [readProblem(`nests ${depth} levels deep; a blueprint nests at most ${MAX_BLUEPRINT_DEPTH}`)]);
  const merges = mergeKeyPaths(input);
  if (merges.length > 0) {
    throw new BlueprintConfigError(
      source,
      merges.map((at) => ({ path: at, value: undefined, message: "is a YAML merge key (<<), which blueprints do not support: write the fields out" })),
    );
  }
  return input;
}

/**
 * ` at line L, column C: `the line's text`` for a parse error's position (1-based, as the YAML
 * library counts), or "" without one. The line is cut at 120 characters.
 */
export function whereInText(text: string, position: { readonly line: number; readonly col: number } | undefined): string {
  if (!position) return "";
  const lines = text.split(/\r?\n/);
  const line = (lines[position.line - 1] ?? "").trimEnd();
  const shown = (at: string) => `\`${at.length > 120 ? `${at.slice(0, 117)}...` : at}\``;
  if (line === "") {
    // Found at the end of the file (an unclosed quote or bracket): the last line with text is where to look.
    let last = position.line - 2;
    while (last >= 0 && lines[last].trim() === "") last -= 1;
    return last < 0 ? ` (line ${position.line}, column ${position.col})` : ` (line ${position.line}, column ${position.col}: the file ends; the last line is ${last + 1}: ${shown(lines[last].trimEnd())})`;
  }
  return ` (line ${position.line}, column ${position.col}: ${shown(line)})`;
}

/**
 * What to do about a file that cannot be read, instead of the raw errno text (ENOENT, EISDIR, ...).
 * `what` names the file's role: "the blueprint file", "the base file".
 */
export function unreadableFileMessage(error: unknown, file: string, what = "the blueprint file"): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  // The blueprint's hint only for the blueprint: an --outputs or state file is named otherwise.
  const blueprint = what === "the blueprint file";
  if (code === "ENOENT") {
    return blueprint
      ? `${what} ${file} does not exist: give the path of a YAML or JSON blueprint (--config <file> or BLUEPRINT_CONFIG), relative to ${process.cwd()}`
      : `${what} ${file} does not exist (relative paths are from ${process.cwd()})`;
  }
  if (code === "EISDIR") return `${what} ${file} is a folder: name the ${blueprint || what === "the base file" ? "YAML or JSON " : ""}file in it`;
  if (code === "EACCES" || code === "EPERM") return `${what} ${file} cannot be read (permission denied): let your user read it (chmod u+r)`;
  return `${what} ${file} cannot be read (${code ?? "error"}): ${(error as Error)?.message ?? String(error)}`;
}

/** A file's bytes, or a BlueprintConfigError saying what to do when it cannot be read. */
export function readBlueprintFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new BlueprintConfigError(file, [readProblem(unreadableFileMessage(error, file))]);
  }
}

/** The message for a fleet file given where one blueprint is read: name a site (with the fleet's site names). */
export function fleetNeedsSiteMessage(input: unknown): string {
  const sites = (input as { sites?: unknown }).sites;
  const names = Array.isArray(sites) ? sites.map((site) => (site && typeof site === "object" ? (site as { name?: unknown }).name : undefined)).filter((name) => typeof name === "string") : [];
  const listed = names.length > 10 ? `${names.slice(0, 10).join(", ")}, ... (${names.length})` : names.join(", ");
  return `is a fleet (a top-level sites list, docs/fleets.md), not one blueprint: name a site with --site <name>${listed ? ` (its sites: ${listed})` : ""}`;
}

/** Reads and validates a YAML or JSON blueprint file. */
export function loadBlueprint(file: string): Blueprint {
  const buffer = readBlueprintFile(file);
  const bytes = buffer.length;
  const text = bytes > MAX_BLUEPRINT_BYTES ? "" : buffer.toString("utf8");
  const input = parseBlueprintText(text, file, bytes);
  if (input !== null && typeof input === "object" && !Array.isArray(input) && "sites" in input) {
    // A fleet file (config/fleet.ts): the app reads it with loadBlueprintOrFleet; one-blueprint commands take a site of it.
    throw new BlueprintConfigError(file, [readProblem(fleetNeedsSiteMessage(input))]);
  }
  return validateBlueprint(input, file);
}

/** The blueprint file chosen by BLUEPRINT_CONFIG (unset or empty: the default example). */
export function blueprintPathFromEnv(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): string {
  return path.resolve(root, env.BLUEPRINT_CONFIG || DEFAULT_BLUEPRINT);
}
