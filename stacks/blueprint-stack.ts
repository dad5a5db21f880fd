/**
 * What every stack of a blueprint shares: its fixed name, its own state backend, the AWS provider
 * for the blueprint's Region with the common tags, and outputs published under fixed names.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Blueprint, commonTags } from "../config";
import { checkBlocksHcl } from "../modules/shared/terraform-check";
import { applyStateBackend } from "../modules/state-backend";

/** The stacks of a blueprint, in deploy order. Their names are part of the contract. */
export const STACK_NAMES = ["network", "control-plane", "workers", "addons"] as const;
export type StackName = (typeof STACK_NAMES)[number];

/** One published output: its fixed name and what it means, for README and the reader alike. */
export interface OutputSpec {
  readonly name: string;
  readonly description: string;
}

export abstract class BlueprintStack extends TerraformStack {
  protected constructor(
    scope: Construct,
    readonly stackName: StackName,
    readonly blueprint: Blueprint,
  ) {
    super(scope, stackName);
    applyStateBackend(this, blueprint.backend, stackName);
    new AwsProvider(this, "aws", {
      region: blueprint.region,
      defaultTags: [{ tags: commonTags(blueprint.name, blueprint.tags) }],
    });
  }

  /** cdktf's HCL renderer drops block types it does not know: check blocks are appended here. */
  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const rendered = super.toHclTerraform() as { hcl: string; metadata: Record<string, unknown> };
    const checks = checkBlocksHcl(this);
    return checks ? { ...rendered, hcl: `${rendered.hcl}\n\n${checks}\n` } : rendered;
  }

  /** Publishes an output under its contract name, independent of construct paths. */
  protected publish(spec: OutputSpec, value: unknown, sensitive = false): TerraformOutput {
    const output = new TerraformOutput(this, `output-${spec.name}`, { value, description: spec.description, sensitive });
    output.overrideLogicalId(spec.name);
    return output;
  }
}
