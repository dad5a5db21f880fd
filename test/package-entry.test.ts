/**
 * The package's entry points load only what they use: the root entry's import graph never reaches
 * an optional peer (helm, kubernetes, tfe, tls providers) or the stacks, and every entry point that
 * does reach one names exactly those peers in its first statement (requireOptionalPeers).
 */
import { readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import ts from "typescript";
import { OPTIONAL_PEERS, requireOptionalPeers } from "../modules/shared/optional-peers";

const ROOT = path.resolve(__dirname, "..");
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** The module specifiers a file loads at run time: value imports and re-exports, require(), import(); with `types`, type-only ones too (what its .d.ts imports). */
function runtimeSpecifiers(file: string, types = false): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (types || !node.importClause?.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (types || !node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if ((ts.isIdentifier(callee) && callee.text === "require") || callee.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidate = [`${base}.ts`, path.join(base, "index.ts")].find((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
  if (!candidate) throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${specifier}`);
  return candidate;
}

/** Every project file and every package (by name) an entry point loads, transitively. */
function importGraph(entry: string, types = false): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of runtimeSpecifiers(file, types)) {
      if (specifier.startsWith(".")) walk(resolveLocal(file, specifier));
      else packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
    }
  };
  walk(path.join(ROOT, entry));
  return { files: [...files].map((file) => path.relative(ROOT, file)).sort(), packages: [...packages].sort() };
}

const optionalReached = (entry: string) => importGraph(entry).packages.filter((pkg) => (OPTIONAL_PEERS as readonly string[]).includes(pkg));

/** The source file of each package.json export, by subpath (modules/* expanded). */
function exportedEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  const toSource = (dist: string) => dist.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts");
  for (const [subpath, target] of Object.entries<any>(manifest.exports)) {
    if (typeof target === "string") continue;
    if (subpath === "./modules/*") {
      for (const dir of readdirSync(path.join(ROOT, "modules")).filter((d) => d !== "shared" && statSync(path.join(ROOT, "modules", d)).isDirectory())) {
        entries[`modules/${dir}`] = toSource(target.default.replace("*", dir));
      }
    } else {
      entries[subpath === "." ? "." : subpath.slice(2)] = toSource(target.default);
    }
  }
  return entries;
}

/** The entry name and peers of a `requireOptionalPeers(...)` call that is the file's second statement (after its import). */
function guardOf(file: string): { entry: string; peers: string[] } | undefined {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const [first, second] = source.statements;
  const guarded =
    first !== undefined &&
    ts.isImportDeclaration(first) &&
    ts.isStringLiteral(first.moduleSpecifier) &&
    first.moduleSpecifier.text.endsWith("/optional-peers") &&
    second !== undefined &&
    ts.isExpressionStatement(second) &&
    ts.isCallExpression(second.expression) &&
    second.expression.expression.getText(source) === "requireOptionalPeers";
  if (!guarded) return undefined;
  const [entryArg, peersArg] = (second.expression as ts.CallExpression).arguments;
  return {
    entry: (entryArg as ts.StringLiteral).text,
    peers: (peersArg as ts.ArrayLiteralExpression).elements.map((element) => (element as ts.StringLiteral).text).sort(),
  };
}

describe("package entry points", () => {
  it("the root entry loads the required peers and never an optional peer or the stacks", () => {
    const graph = importGraph("index.ts");
    expect(graph.packages).toEqual(expect.arrayContaining(["@cdktf/provider-aws", "cdktf", "constructs"]));
    expect(graph.packages.filter((pkg) => (OPTIONAL_PEERS as readonly string[]).includes(pkg))).toEqual([]);
    expect(graph.files.filter((file) => file.startsWith("stacks/"))).toEqual([]);
  });

  it("the root entry's types, type-only imports included, never reach an optional peer (a consumer compiles with skipLibCheck: false)", () => {
    const { packages } = importGraph("index.ts", true);
    expect(packages).toContain("@cdktf/provider-aws");
    expect(packages.filter((pkg) => (OPTIONAL_PEERS as readonly string[]).includes(pkg))).toEqual([]);
  });

  it("the optional peers are the package's optional peer dependencies", () => {
    expect([...OPTIONAL_PEERS].sort()).toEqual(Object.keys(manifest.peerDependenciesMeta).filter((name) => manifest.peerDependenciesMeta[name].optional).sort());
    expect(Object.keys(manifest.peerDependencies).filter((name) => !(OPTIONAL_PEERS as readonly string[]).includes(name)).sort()).toEqual(["@cdktf/provider-aws", "cdktf", "constructs"]);
  });

  it("every entry point that reaches an optional peer names exactly those peers first, under its own subpath", () => {
    const entries = exportedEntries();
    const expected = Object.fromEntries(
      Object.entries(entries).map(([subpath, file]) => {
        const peers = optionalReached(file);
        return [subpath, peers.length === 0 ? undefined : { entry: subpath, peers }];
      }),
    );
    const actual = Object.fromEntries(Object.entries(entries).map(([subpath, file]) => [subpath, guardOf(file)]));
    expect(actual).toEqual(expected);
    // The guarded entries: the add-on and Kubernetes constructs, the HCP ones, the stacks.
    expect(Object.keys(expected).filter((subpath) => expected[subpath] !== undefined).sort()).toEqual([
      "addon",
      "modules/aws-auth",
      "modules/break-glass-access",
      "modules/cluster-access",
      "modules/ebs-storage",
      "modules/eks-core-addons",
      "modules/hcp-workspaces",
      "modules/load-balancer-controller",
      "modules/node-termination-handler",
      "modules/state-backend",
      "stacks",
    ]);
  });

  it("every module is in the root entry unless it needs an optional peer", () => {
    const rootExports = runtimeSpecifiers(path.join(ROOT, "index.ts"));
    const modules = Object.keys(exportedEntries()).filter((subpath) => subpath.startsWith("modules/"));
    const missing = modules.filter((subpath) => optionalReached(`${subpath}/index.ts`).length === 0 && !rootExports.includes(`./${subpath}`));
    expect(missing).toEqual([]);
  });

  it("a missing optional peer is named with its install command", () => {
    const resolveWithout = (absent: readonly string[]) => (id: string) => {
      if (absent.some((peer) => id.startsWith(`${peer}/`))) throw new Error(`Cannot find module '${id}'`);
      return id;
    };
    expect(() => requireOptionalPeers("modules/aws-auth", ["@cdktf/provider-kubernetes"], resolveWithout(["@cdktf/provider-kubernetes"]))).toThrow(
      `outposts-eks/modules/aws-auth needs @cdktf/provider-kubernetes: npm install @cdktf/provider-kubernetes@${manifest.peerDependencies["@cdktf/provider-kubernetes"]}`,
    );
    expect(() =>
      requireOptionalPeers("stacks", [...OPTIONAL_PEERS], resolveWithout(["@cdktf/provider-helm", "@cdktf/provider-tls"])),
    ).toThrow(
      `outposts-eks/stacks needs @cdktf/provider-helm and @cdktf/provider-tls: npm install @cdktf/provider-helm@${manifest.peerDependencies["@cdktf/provider-helm"]} @cdktf/provider-tls@${manifest.peerDependencies["@cdktf/provider-tls"]}`,
    );
    expect(() => requireOptionalPeers("stacks", [...OPTIONAL_PEERS], resolveWithout([]))).not.toThrow();
  });
});
