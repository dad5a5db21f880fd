/**
 * A parser and evaluator for the subset of Terraform's expression language that the synthesized
 * stacks' conditions use (references, literals, lists, objects, `for` expressions, operators and a
 * few functions). scripts/tftest-lib.ts evaluates a condition against candidate provider answers to
 * find one that satisfies it and one that breaks it; terraform itself then proves both.
 *
 * Anything outside the subset throws `UnsupportedExpression`: the generator then lists the
 * condition as untestable with that reason instead of guessing.
 */

export class UnsupportedExpression extends Error {}

export type Expr =
  | { kind: "literal"; value: Value }
  | { kind: "template"; parts: Expr[] }
  | { kind: "ref"; root: string; path: PathStep[] }
  | { kind: "call"; name: string; args: Expr[] }
  | { kind: "unary"; op: "!" | "-"; operand: Expr }
  | { kind: "binary"; op: string; left: Expr; right: Expr }
  | { kind: "list"; items: Expr[] }
  | { kind: "object"; entries: Array<[string, Expr]> }
  | { kind: "for"; variable: string; collection: Expr; body: Expr; filter?: Expr };

export type PathStep = { attr: string } | { index: Expr } | { splat: true };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Value = any;

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_-]*)|(==|!=|>=|<=|&&|\|\||\[\*\]|=>|[-+*/%<>!?:.,()[\]{}=]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new UnsupportedExpression(`cannot read the expression at "${text.slice(start, start + 30)}"`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  return tokens;
}

/** Parses `${...}` (a whole-expression string) or a template with interpolations; other strings are literals. */
export function parseValueString(text: string): Expr {
  const whole = /^\$\{([\s\S]*)\}$/.exec(text);
  if (whole && !whole[1].includes("${")) {
    try {
      return parseExpression(whole[1]);
    } catch (error) {
      if (!(error instanceof UnsupportedExpression)) throw error;
      // A template such as "${a}-${b}" also starts with ${ and ends with }: read it as one below.
    }
  }
  if (!text.includes("${")) return { kind: "literal", value: text.replace(/\$\$\{/g, "${") };
  const parts: Expr[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf("${");
    if (open < 0) {
      parts.push({ kind: "literal", value: rest });
      break;
    }
    if (open > 0) parts.push({ kind: "literal", value: rest.slice(0, open) });
    let depth = 0;
    let close = -1;
    for (let i = open + 2; i < rest.length; i++) {
      if (rest[i] === "{") depth++;
      else if (rest[i] === "}") {
        if (depth === 0) {
          close = i;
          break;
        }
        depth--;
      }
    }
    if (close < 0) throw new UnsupportedExpression(`unterminated interpolation in "${text.slice(0, 40)}"`);
    parts.push(parseExpression(rest.slice(open + 2, close)));
    rest = rest.slice(close + 1);
  }
  return parts.length === 1 && parts[0].kind !== "literal" ? parts[0] : { kind: "template", parts };
}

export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];
  const expect = (token: string) => {
    if (tokens[position] !== token) throw new UnsupportedExpression(`expected "${token}" but found "${tokens[position] ?? "end"}" in ${text}`);
    position++;
  };

  const parseTernaryLevel = (): Expr => {
    const condition = parseBinary(0);
    if (peek() === "?") {
      next();
      const whenTrue = parseTernaryLevel();
      expect(":");
      const whenFalse = parseTernaryLevel();
      return { kind: "call", name: "__conditional", args: [condition, whenTrue, whenFalse] };
    }
    return condition;
  };
  const LEVELS = [["||"], ["&&"], ["==", "!="], [">=", "<=", ">", "<"], ["+", "-"], ["*", "/", "%"]];
  const parseBinary = (level: number): Expr => {
    if (level >= LEVELS.length) return parseUnary();
    let left = parseBinary(level + 1);
    while (LEVELS[level].includes(peek())) {
      const op = next();
      left = { kind: "binary", op, left, right: parseBinary(level + 1) };
    }
    return left;
  };
  const parseUnary = (): Expr => {
    if (peek() === "!" || peek() === "-") {
      const op = next() as "!" | "-";
      return { kind: "unary", op, operand: parseUnary() };
    }
    return parsePostfix(parsePrimary());
  };
  const parsePostfix = (base: Expr): Expr => {
    let expr = base;
    for (;;) {
      if (peek() === "." && expr.kind === "ref") {
        next();
        const name = next();
        if (name === "*") expr = { ...expr, path: [...expr.path, { splat: true }] };
        else expr = { ...expr, path: [...expr.path, /^\d+$/.test(name) ? { index: { kind: "literal", value: Number(name) } } : { attr: name }] };
      } else if (peek() === "[*]" && expr.kind === "ref") {
        next();
        expr = { ...expr, path: [...expr.path, { splat: true }] };
      } else if (peek() === "[") {
        next();
        const index = parseTernaryLevel();
        expect("]");
        expr = expr.kind === "ref" ? { ...expr, path: [...expr.path, { index }] } : { kind: "call", name: "__index", args: [expr, index] };
      } else return expr;
    }
  };
  const parsePrimary = (): Expr => {
    const token = next();
    if (token === undefined) throw new UnsupportedExpression(`unexpected end of ${text}`);
    if (/^\d/.test(token)) return { kind: "literal", value: Number(token) };
    if (token.startsWith('"')) {
      const raw = JSON.parse(token) as string;
      if (raw.includes("${")) throw new UnsupportedExpression(`a nested template in ${text}`);
      return { kind: "literal", value: raw };
    }
    if (token === "(") {
      const inner = parseTernaryLevel();
      expect(")");
      return inner;
    }
    if (token === "[") {
      if (peek() === "for") {
        next();
        const variable = next();
        expect("in");
        const collection = parseTernaryLevel();
        expect(":");
        const body = parseTernaryLevel();
        let filter: Expr | undefined;
        if (peek() === "if") {
          next();
          filter = parseTernaryLevel();
        }
        expect("]");
        return { kind: "for", variable, collection, body, filter };
      }
      const items: Expr[] = [];
      while (peek() !== "]") {
        items.push(parseTernaryLevel());
        if (peek() === ",") next();
      }
      next();
      return { kind: "list", items };
    }
    if (token === "{") {
      const entries: Array<[string, Expr]> = [];
      while (peek() !== "}") {
        const key = next();
        if (key === "for") throw new UnsupportedExpression(`an object for expression in ${text}`);
        const name = key.startsWith('"') ? (JSON.parse(key) as string) : key;
        if (peek() !== "=" && peek() !== ":") throw new UnsupportedExpression(`expected = in an object in ${text}`);
        next();
        entries.push([name, parseTernaryLevel()]);
        if (peek() === ",") next();
      }
      next();
      return { kind: "object", entries };
    }
    if (token === "true" || token === "false") return { kind: "literal", value: token === "true" };
    if (token === "null") return { kind: "literal", value: null };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() === "(") {
        next();
        const args: Expr[] = [];
        while (peek() !== ")") {
          args.push(parseTernaryLevel());
          if (peek() === ",") next();
        }
        next();
        return { kind: "call", name: token, args };
      }
      return { kind: "ref", root: token, path: [] };
    }
    throw new UnsupportedExpression(`unexpected "${token}" in ${text}`);
  };

  const expr = parseTernaryLevel();
  if (position !== tokens.length) throw new UnsupportedExpression(`unexpected "${tokens[position]}" in ${text}`);
  return expr;
}

/** Every reference in an expression (variables of `for` expressions excluded). */
export function referencesOf(expr: Expr, bound: ReadonlySet<string> = new Set()): Array<Extract<Expr, { kind: "ref" }>> {
  switch (expr.kind) {
    case "literal":
      return [];
    case "template":
      return expr.parts.flatMap((part) => referencesOf(part, bound));
    case "ref":
      return [
        ...(bound.has(expr.root) ? [] : [expr]),
        ...expr.path.flatMap((step) => ("index" in step ? referencesOf(step.index, bound) : [])),
      ];
    case "call":
      return expr.args.flatMap((arg) => referencesOf(arg, bound));
    case "unary":
      return referencesOf(expr.operand, bound);
    case "binary":
      return [...referencesOf(expr.left, bound), ...referencesOf(expr.right, bound)];
    case "list":
      return expr.items.flatMap((item) => referencesOf(item, bound));
    case "object":
      return expr.entries.flatMap(([, value]) => referencesOf(value, bound));
    case "for": {
      const inner = new Set([...bound, expr.variable]);
      return [...referencesOf(expr.collection, bound), ...referencesOf(expr.body, inner), ...(expr.filter ? referencesOf(expr.filter, inner) : [])];
    }
  }
}

/** Every string and number literal in an expression. */
export function literalsOf(expr: Expr): Value[] {
  switch (expr.kind) {
    case "literal":
      return [expr.value];
    case "template":
      return expr.parts.flatMap(literalsOf);
    case "ref":
      return expr.path.flatMap((step) => ("index" in step ? literalsOf(step.index) : []));
    case "call":
      return expr.args.flatMap(literalsOf);
    case "unary":
      return literalsOf(expr.operand);
    case "binary":
      return [...literalsOf(expr.left), ...literalsOf(expr.right)];
    case "list":
      return expr.items.flatMap(literalsOf);
    case "object":
      return expr.entries.flatMap(([, value]) => literalsOf(value));
    case "for":
      return [...literalsOf(expr.collection), ...literalsOf(expr.body), ...(expr.filter ? literalsOf(expr.filter) : [])];
  }
}

/** Resolves a reference's root and leading attributes to a value; `undefined` when unknown. */
export type Resolver = (ref: Extract<Expr, { kind: "ref" }>) => Value;

export class EvaluationError extends Error {}

function truthy(value: Value): boolean {
  if (typeof value !== "boolean") throw new EvaluationError(`a condition must be bool, found ${JSON.stringify(value)}`);
  return value;
}

function asList(value: Value): Value[] {
  if (!Array.isArray(value)) throw new EvaluationError(`a list is required, found ${JSON.stringify(value)}`);
  return value;
}

function step(value: Value, key: Value): Value {
  if (value === null || value === undefined) throw new EvaluationError(`attempt to index null with ${JSON.stringify(key)}`);
  if (Array.isArray(value)) {
    if (typeof key !== "number" || key >= value.length) throw new EvaluationError(`invalid index ${JSON.stringify(key)}`);
    return value[key];
  }
  if (typeof value === "object") {
    if (!(key in value)) throw new EvaluationError(`no attribute or key ${JSON.stringify(key)}`);
    return value[key];
  }
  throw new EvaluationError(`cannot index ${JSON.stringify(value)}`);
}

/** Follows a path from a value (the part of a reference after what the resolver consumed). */
export function followPath(value: Value, path: readonly PathStep[], evaluateIndex: (e: Expr) => Value): Value {
  let current = value;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if ("splat" in segment) {
      const rest = path.slice(i + 1);
      return current === null ? [] : asList(current).map((item) => followPath(item, rest, evaluateIndex));
    }
    current = step(current, "attr" in segment ? segment.attr : evaluateIndex(segment.index));
  }
  return current;
}

function compare(a: Value, b: Value): number {
  if (typeof a !== "number" || typeof b !== "number") throw new EvaluationError(`numbers required, found ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  return a - b;
}

/** Evaluates an expression; references go through `resolve`, `for` variables are bound locally. */
export function evaluate(expr: Expr, resolve: Resolver, scope: Readonly<Record<string, Value>> = {}): Value {
  const again = (e: Expr) => evaluate(e, resolve, scope);
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "template":
      return expr.parts.map((part) => String(again(part))).join("");
    case "ref": {
      if (expr.root in scope) return followPath(scope[expr.root], expr.path, again);
      const value = resolve(expr);
      if (value === undefined) throw new EvaluationError(`unknown value of ${describeRef(expr)}`);
      return value;
    }
    case "unary":
      return expr.op === "!" ? !truthy(again(expr.operand)) : -again(expr.operand);
    case "binary": {
      if (expr.op === "&&") return truthy(again(expr.left)) && truthy(again(expr.right));
      if (expr.op === "||") return truthy(again(expr.left)) || truthy(again(expr.right));
      const left = again(expr.left);
      const right = again(expr.right);
      switch (expr.op) {
        case "==":
          return JSON.stringify(left) === JSON.stringify(right);
        case "!=":
          return JSON.stringify(left) !== JSON.stringify(right);
        case ">=":
          return compare(left, right) >= 0;
        case "<=":
          return compare(left, right) <= 0;
        case ">":
          return compare(left, right) > 0;
        case "<":
          return compare(left, right) < 0;
        case "+":
          return compare(left, 0) + right;
        case "-":
          return compare(left, 0) - right;
        default:
          throw new UnsupportedExpression(`operator ${expr.op}`);
      }
    }
    case "list":
      return expr.items.map(again);
    case "object":
      return Object.fromEntries(expr.entries.map(([key, value]) => [key, again(value)]));
    case "for": {
      const collection = again(expr.collection);
      const items = Array.isArray(collection) ? collection : collection && typeof collection === "object" ? Object.values(collection) : asList(collection);
      return items
        .filter((item) => !expr.filter || truthy(evaluate(expr.filter, resolve, { ...scope, [expr.variable]: item })))
        .map((item) => evaluate(expr.body, resolve, { ...scope, [expr.variable]: item }));
    }
    case "call":
      return callFunction(expr, again);
  }
}

function callFunction(expr: Extract<Expr, { kind: "call" }>, again: (e: Expr) => Value): Value {
  const args = () => expr.args.map(again);
  switch (expr.name) {
    case "__conditional":
      return truthy(again(expr.args[0])) ? again(expr.args[1]) : again(expr.args[2]);
    case "__index":
      return step(again(expr.args[0]), again(expr.args[1]));
    case "try":
      for (const arg of expr.args) {
        try {
          return again(arg);
        } catch (error) {
          if (!(error instanceof EvaluationError)) throw error;
        }
      }
      throw new EvaluationError("no argument of try() could be evaluated");
    case "contains": {
      const [list, item] = args();
      return asList(list).some((member) => JSON.stringify(member) === JSON.stringify(item));
    }
    case "tolist":
    case "toset":
      return asList(args()[0]);
    case "tostring":
      return String(args()[0]);
    case "length": {
      const [value] = args();
      if (typeof value === "string") return value.length;
      if (value && typeof value === "object" && !Array.isArray(value)) return Object.keys(value).length;
      return asList(value).length;
    }
    case "one": {
      const list = asList(args()[0]);
      if (list.length > 1) throw new EvaluationError("one() of a list with more than one element");
      return list.length === 0 ? null : list[0];
    }
    case "coalesce": {
      const found = args().find((value) => value !== null && value !== "");
      if (found === undefined) throw new EvaluationError("coalesce() found no non-null argument");
      return found;
    }
    case "tonumber": {
      const value = args()[0];
      const number = typeof value === "number" ? value : Number(value);
      if (value === null || Number.isNaN(number)) throw new EvaluationError(`tonumber(${JSON.stringify(value)})`);
      return number;
    }
    case "split": {
      const [separator, text] = args();
      if (typeof text !== "string") throw new EvaluationError(`split() of ${JSON.stringify(text)}`);
      return text.split(separator);
    }
    case "element": {
      const [list, index] = args();
      const items = asList(list);
      if (items.length === 0) throw new EvaluationError("element() of an empty list");
      return items[index % items.length];
    }
    case "lower":
      return String(args()[0]).toLowerCase();
    case "upper":
      return String(args()[0]).toUpperCase();
    default:
      throw new UnsupportedExpression(`the function ${expr.name}() (outside what the generator models)`);
  }
}

export function describeRef(ref: Extract<Expr, { kind: "ref" }>): string {
  return [ref.root, ...ref.path.map((s) => ("attr" in s ? s.attr : "splat" in s ? "*" : s.index.kind === "literal" ? `[${JSON.stringify(s.index.value)}]` : "[?]"))]
    .join(".")
    .replace(/\.\[/g, "[");
}

/** HCL text for a value (for `override_data` values and `mock_data` defaults). */
export function toHcl(value: Value, indent = ""): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.map((item) => toHcl(item, indent)).join(", ")}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const inner = `${indent}  `;
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)} = ${toHcl(item, inner)}`).join("\n")}\n${indent}}`;
}
