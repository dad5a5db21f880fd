/**
 * The one escape hatch for provider arguments that the prebuilt 6.25.0 bindings do not know.
 *
 * Arguments are written with `addOverride`. They need a newer hashicorp/aws than the bindings, and
 * the aws provider constraint is a setting of the whole stack, which a construct must not change on
 * its own: the app raises it explicitly with `requireAwsProviderVersion`, and a construct that needs
 * it fails early, saying what to call, when it has not. Nothing else in the project calls
 * `addOverride` on a resource.
 */
import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

export interface NewerProviderArguments {
  /** The first hashicorp/aws release that accepts the arguments, such as "6.49.0". */
  readonly minimumAwsProviderVersion: string;
  /** Argument paths (Terraform names, dot-separated) and their values. */
  readonly arguments: Readonly<Record<string, unknown>>;
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
 * Raises the stack's hashicorp/aws constraint to `>= minimumVersion`, so Terraform refuses an older
 * provider instead of failing at apply. Call it once per stack, before the constructs that need it.
 */
export function requireAwsProviderVersion(stack: TerraformStack, minimumVersion: string): void {
  const current = REQUIRED.get(stack);
  if (current !== undefined && atLeast(current, minimumVersion)) return;
  REQUIRED.set(stack, minimumVersion);
  stack.addOverride("terraform.required_providers.aws.version", `>= ${minimumVersion}`);
}

/** Writes the arguments; throws, naming the call to make, if the stack does not require a new enough provider. */
export function applyNewerProviderArguments(resource: TerraformResource, newer: NewerProviderArguments): void {
  assertAwsProviderVersion(resource, newer.minimumAwsProviderVersion, Object.keys(newer.arguments).join(", "));
  for (const [argumentPath, value] of Object.entries(newer.arguments)) {
    resource.addOverride(argumentPath, value);
  }
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
