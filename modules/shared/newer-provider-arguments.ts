/**
 * The one escape hatch for provider arguments that the prebuilt 6.25.0 bindings do not know.
 *
 * It writes each argument with `addOverride` and raises the stack's aws provider constraint to the
 * first release that has them, so Terraform refuses an older provider instead of failing at apply.
 * Nothing else in the project calls `addOverride` on a resource.
 */
import { TerraformResource, TerraformStack } from "cdktf";

export interface NewerProviderArguments {
  /** The first hashicorp/aws release that accepts the arguments, such as "6.49.0". */
  readonly minimumAwsProviderVersion: string;
  /** Argument paths (Terraform names, dot-separated) and their values. */
  readonly arguments: Readonly<Record<string, unknown>>;
}

export function applyNewerProviderArguments(resource: TerraformResource, newer: NewerProviderArguments): void {
  for (const [argumentPath, value] of Object.entries(newer.arguments)) {
    resource.addOverride(argumentPath, value);
  }
  TerraformStack.of(resource).addOverride("terraform.required_providers.aws.version", `>= ${newer.minimumAwsProviderVersion}`);
}
