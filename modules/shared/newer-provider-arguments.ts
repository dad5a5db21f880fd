/**
 * The one escape hatch for provider arguments that the prebuilt 6.25.0 bindings do not know, and
 * the stacks' hashicorp/aws version constraint.
 *
 * Arguments are written with `addOverride`. They need a newer hashicorp/aws than the bindings, and
 * the aws provider constraint is a setting of the whole stack, which a construct must not change on
 * its own: the app raises it explicitly with `requireAwsProviderVersion`, and a construct that needs
 * it fails early, saying what to call, when it has not. Nothing else in the project calls
 * `addOverride` on a resource.
 *
 * The constraint is the one a team writes, `~> <major>.<minor>` (any release of that major from the
 * floor on), rather than the exact release the bindings were generated from, which the prebuilt
 * providers write: cdktf's 21.22.1 pins 6.25.0 and CDK Terrain's 25.7.0 pins 6.66.0, so the same
 * stack would pin two releases under the two runtimes, and plain Terraform (the eject) would
 * refuse every other release at init.
 */
import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/**
 * The floor of every stack's hashicorp/aws constraint: the release the cdktf bindings
 * (`@cdktf/provider-aws` 21.22.1) were generated from. The code type-checks against those bindings,
 * so every argument it writes without the escape hatch exists from this release on, under either runtime.
 */
export const AWS_PROVIDER_BASELINE = "6.25.0";

/** The constraint for a floor: `~> 6.51` for "6.51.0", any 6.x from 6.51 on (Terraform's pessimistic operator). */
export function awsProviderConstraint(minimumVersion: string): string {
  const [major, minor] = minimumVersion.split(".");
  return `~> ${major}.${minor ?? "0"}`;
}

export interface NewerProviderArguments {
  /** The first hashicorp/aws release that accepts the arguments, such as "6.49.0". */
  readonly minimumAwsProviderVersion: string;
  /** Argument paths (Terraform names, dot-separated) and their values. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /**
   * The argument paths that the provider's schema declares as nested blocks (HCL `name { ... }`);
   * the others are attributes (`name = value`). Terraform's JSON syntax reads an object either way,
   * HCL does not, and the HCL renderer has no schema for arguments its bindings do not know.
   * @default none: every argument is an attribute
   */
  readonly blocks?: readonly string[];
}

const REQUIRED = new WeakMap<TerraformStack, string>();

const versionParts = (version: string) => version.split(".").map(Number);

function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [versionParts(version), versionParts(minimum)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * Raises the stack's hashicorp/aws constraint to `awsProviderConstraint(minimumVersion)`, so
 * Terraform refuses an older provider instead of failing at apply. Call it once per stack, before
 * the constructs that need it; a lower floor than the stack's is a no-op.
 */
export function requireAwsProviderVersion(stack: TerraformStack, minimumVersion: string): void {
  const current = REQUIRED.get(stack);
  if (current !== undefined && atLeast(current, minimumVersion)) return;
  REQUIRED.set(stack, minimumVersion);
  stack.addOverride("terraform.required_providers.aws.version", awsProviderConstraint(minimumVersion));
}

/**
 * Writes the arguments; throws, naming the call to make, if the stack does not require a new enough provider.
 * The HCL synthesis carries them too: cdktf's renderer (0.21 and CDK Terrain 0.24 alike) keeps an
 * override that lands inside a typed block beside the block's value and never renders it, so the
 * resource's HCL attributes get each argument moved into place, blocks as blocks.
 */
export function applyNewerProviderArguments(resource: TerraformResource, newer: NewerProviderArguments): void {
  assertAwsProviderVersion(resource, newer.minimumAwsProviderVersion, Object.keys(newer.arguments).join(", "));
  for (const [argumentPath, value] of Object.entries(newer.arguments)) {
    resource.addOverride(argumentPath, value);
  }
  const blocks = new Set(newer.blocks ?? []);
  const unknown = [...blocks].filter((block) => !(block in newer.arguments));
  if (unknown.length > 0) throw new Error(`${resource.node.path}: blocks ${unknown.join(", ")} are not among the arguments`);
  const original = resource.toHclTerraform.bind(resource);
  resource.toHclTerraform = () => {
    const result = original() as { resource?: Record<string, Record<string, HclAttributes>> };
    const attributes = Object.values(Object.values(result.resource ?? {})[0] ?? {})[0];
    if (attributes === undefined) return result;
    for (const [argumentPath, value] of Object.entries(newer.arguments)) {
      placeHclArgument(attributes, argumentPath.split("."), value, blocks.has(argumentPath));
    }
    return result;
  };
}

type HclAttributes = Record<string, unknown>;

/** A typed value as the bindings hand it to the HCL renderer: `{ value, isBlock, type, storageClassType }`. */
function isHclDescriptor(node: unknown): node is { value?: unknown } & HclAttributes {
  return typeof node === "object" && node !== null && !Array.isArray(node) && "isBlock" in node && "storageClassType" in node;
}

/** The attributes inside a block descriptor (a list block's single element). */
function blockBody(descriptor: { value?: unknown }): HclAttributes {
  if (Array.isArray(descriptor.value)) return (descriptor.value[0] ??= {}) as HclAttributes;
  return (descriptor.value ??= {}) as HclAttributes;
}

/**
 * Moves one override from where cdktf's merge left it (a key beside a typed block's value, which the
 * renderer ignores) into the block's body; a block argument becomes a descriptor the renderer writes
 * as `name { ... }`, merged into the typed block of that name when the bindings have one.
 */
function placeHclArgument(attributes: HclAttributes, segments: readonly string[], value: unknown, isBlock: boolean): void {
  // Where the merge left it: following the override's own keys from the top.
  const residue: HclAttributes[] = [attributes];
  for (const segment of segments.slice(0, -1)) {
    const next = residue[residue.length - 1][segment];
    if (typeof next !== "object" || next === null) break;
    residue.push(next as HclAttributes);
  }
  if (residue.length === segments.length) delete residue[residue.length - 1][segments[segments.length - 1]];

  // Where the renderer reads it: through each typed block's body.
  let node = attributes;
  for (const segment of segments.slice(0, -1)) {
    const child = node[segment];
    node = isHclDescriptor(child) ? blockBody(child) : ((node[segment] ??= {}) as HclAttributes);
  }
  const name = segments[segments.length - 1];
  const existing = node[name];
  if (!isBlock) node[name] = value;
  else if (isHclDescriptor(existing)) Object.assign(blockBody(existing), value);
  else node[name] = { value, isBlock: true, type: "simple", storageClassType: "object" };
}

export function assertAwsProviderVersion(scope: IConstruct, minimumVersion: string, what: string): void {
  const stack = TerraformStack.of(scope);
  const required = REQUIRED.get(stack);
  if (required === undefined || !atLeast(required, minimumVersion)) {
    throw new Error(
      `${scope.node.path}: ${what} need hashicorp/aws >= ${minimumVersion}; call requireAwsProviderVersion(stack, "${minimumVersion}") ` +
        "on its stack first (it raises the stack's provider constraint, a setting no construct changes on its own)",
    );
  }
}
