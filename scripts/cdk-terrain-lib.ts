/**
 * CDK Terrain (`cdktn`), the community continuation of cdktf, as a second runtime for the same code
 * (docs/cdk-terrain.md): the package set that replaces cdktf 0.21 and its aws bindings, and what
 * may differ between the two runtimes' synthesized stacks. Pure functions; `npm run test:cdk-terrain`
 * (scripts/test-cdk-terrain.ts) installs the set into a scratch copy and applies them.
 */

/**
 * What replaces cdktf in an app's package.json. The project's imports stay `cdktf` and
 * `@cdktf/provider-aws/lib/<resource>`: npm aliases install CDK Terrain under those names, whose
 * `lib/` paths and class names are the same (checked by the scratch build, which type-checks the
 * unchanged sources against them). No `@cdktn` kubernetes, helm, tls or tfe bindings exist on the
 * registry reachable here, so the `@cdktf` ones stay, and `overrides` make their `cdktf` peer the
 * alias too: a real cdktf beside cdktn fails at synth (`_resetResolveDiscoveredProviderFeatureUsage
 * is not a function`). `@cdktn/provider-aws` still asks for its own peer `cdktn`, which npm installs
 * beside the alias: the same release twice, which synthesizes identically (the test diffs it).
 */
export const CDK_TERRAIN_DEPENDENCIES: Readonly<Record<string, string>> = {
  cdktf: "npm:cdktn@0.24.0",
  cdktn: "0.24.0",
  "@cdktf/provider-aws": "npm:@cdktn/provider-aws@25.7.0",
  constructs: "10.6.0",
};
/** The CLI: `cdktn synth`, `cdktn deploy`. Needs Node >= 22.19 (its engines field); crashes on Node 20. */
export const CDK_TERRAIN_CLI: Readonly<Record<string, string>> = { "cdktn-cli": "0.24.0" };
/** npm `overrides`: every package's `cdktf` and `constructs` are the app's own (the alias and 10.6). */
export const CDK_TERRAIN_OVERRIDES: Readonly<Record<string, string>> = { cdktf: "$cdktf", constructs: "$constructs" };
/** `@cdktn/provider-aws` 25.7.0 asks for Node >= 22.11 and `cdktn-cli` 0.24.0 for >= 22.19. */
export const CDK_TERRAIN_NODE = ">=22.19";
/** A Node 22 from the npm registry (the `node` package), for the CLI where the machine's Node is older. */
export const NODE_22_PACKAGE = "node@22.23.3";

/** The packages of cdktf 0.21 that the set replaces. */
const REPLACED = ["cdktf", "cdktf-cli", "@cdktf/provider-aws", "constructs"];

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}

/**
 * The project's package.json for the scratch copy: its dependencies, its devDependencies with the
 * cdktf set replaced by CDK Terrain's, and only what building and synthesizing need (no test or lint tools).
 */
export function cdkTerrainScratchPackage(project: PackageJson): Record<string, unknown> {
  const keep = ["@cdktf/hcl-tools", "@cdktf/hcl2json", "@cdktf/provider-helm", "@cdktf/provider-kubernetes", "@cdktf/provider-tfe", "@cdktf/provider-tls", "@swc/core", "@types/node", "typescript"];
  const devDependencies = Object.fromEntries(
    Object.entries(project.devDependencies ?? {}).filter(([name]) => keep.includes(name) && !REPLACED.includes(name)),
  );
  for (const name of keep) {
    if (!(name in devDependencies)) throw new Error(`cdk-terrain: the project's devDependencies have no ${name}`);
  }
  return {
    name: "outposts-eks-on-cdk-terrain",
    private: true,
    dependencies: project.dependencies ?? {},
    devDependencies: { ...devDependencies, ...CDK_TERRAIN_DEPENDENCIES, ...CDK_TERRAIN_CLI },
    overrides: CDK_TERRAIN_OVERRIDES,
  };
}

/** One place where two synthesized stacks differ. */
export interface RuntimeDifference {
  /** Dotted path, such as `terraform.required_providers.aws.source`. */
  readonly at: string;
  readonly cdktf: unknown;
  readonly cdkTerrain: unknown;
}

/** A difference the two runtimes may show, and why. */
export interface AllowedDifference {
  readonly at: RegExp;
  readonly why: string;
  readonly allows: (cdktf: unknown, cdkTerrain: unknown) => boolean;
}

/**
 * Every difference allowed between a stack synthesized by cdktf 0.21 and by CDK Terrain 0.24: the
 * runtime's own version in the stack's metadata, and how the bindings spell a provider's source
 * (cdktf's aws bindings write `aws`, CDK Terrain's `hashicorp/aws`: the same provider to Terraform,
 * whose registry namespace defaults to hashicorp). Provider versions do not differ: every stack sets
 * its aws constraint itself (modules/shared/newer-provider-arguments.ts), and the other bindings are the same packages.
 */
export const ALLOWED_RUNTIME_DIFFERENCES: readonly AllowedDifference[] = [
  {
    at: /^\/\/\.metadata\.version$/,
    why: "the runtime's own version, recorded in the stack's metadata",
    allows: (a, b) => a === "0.21.0" && b === "0.24.0",
  },
  {
    // hcl2json writes each block as a list of bodies: `terraform.0.required_providers.0.aws.source`.
    at: /^terraform(\.0)?\.required_providers(\.0)?\.[^.]+\.source$/,
    why: "the same provider: a bare name means hashicorp/<name> to Terraform",
    allows: (a, b) => typeof a === "string" && typeof b === "string" && (a.includes("/") ? a : `hashicorp/${a}`) === (b.includes("/") ? b : `hashicorp/${b}`),
  },
];

/**
 * In a stack that sets no aws constraint of its own (a team's stack that does not call
 * `requireAwsProviderVersion`), the bindings' own exact pin: 6.25.0 from cdktf's, 6.66.0 from CDK
 * Terrain's. Allowed by the consumer check for the team's stack only; the blueprint's stacks set theirs.
 */
export const BINDINGS_PIN_DIFFERENCE: AllowedDifference = {
  at: /^terraform\.required_providers\.aws\.version$/,
  why: "the aws bindings' own exact pin, in a stack that sets no constraint of its own",
  allows: (a, b) => a === "6.25.0" && b === "6.66.0",
};

/** Every place where the two values differ, deeply; arrays by index. */
export function differencesOf(cdktf: unknown, cdkTerrain: unknown, at = ""): RuntimeDifference[] {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
  if (isObject(cdktf) && isObject(cdkTerrain) && Array.isArray(cdktf) === Array.isArray(cdkTerrain)) {
    const keys = [...new Set([...Object.keys(cdktf), ...Object.keys(cdkTerrain)])].sort();
    return keys.flatMap((key) => differencesOf(cdktf[key], cdkTerrain[key], at ? `${at}.${key}` : key));
  }
  return JSON.stringify(cdktf) === JSON.stringify(cdkTerrain) ? [] : [{ at, cdktf, cdkTerrain }];
}

/** The differences split into the allowed ones (with why) and the rest, which fail the check. */
export function classifyRuntimeDifferences(
  differences: readonly RuntimeDifference[],
  allowed: readonly AllowedDifference[] = ALLOWED_RUNTIME_DIFFERENCES,
): { allowed: Array<RuntimeDifference & { why: string }>; unexpected: RuntimeDifference[] } {
  const result = { allowed: [] as Array<RuntimeDifference & { why: string }>, unexpected: [] as RuntimeDifference[] };
  for (const difference of differences) {
    const rule = allowed.find((r) => r.at.test(difference.at) && r.allows(difference.cdktf, difference.cdkTerrain));
    if (rule) result.allowed.push({ ...difference, why: rule.why });
    else result.unexpected.push(difference);
  }
  return result;
}

/** A difference as one line: `at: <cdktf> under cdktf, <cdktn> under CDK Terrain`. */
export function describeDifference(difference: RuntimeDifference): string {
  const short = (value: unknown) => {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length > 100 ? `${text.slice(0, 97)}...` : text;
  };
  return `${difference.at}: ${short(difference.cdktf)} under cdktf, ${short(difference.cdkTerrain)} under CDK Terrain`;
}
