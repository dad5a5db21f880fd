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
import { AWS_PROVIDER_BASELINE, requireAwsProviderVersion } from "../modules/shared/newer-provider-arguments";

/** The stacks of a blueprint, in deploy order. Their names are part of the contract. */
export const STACK_NAMES = ["network", "control-plane", "workers", "addons"] as const;
export type StackName = (typeof STACK_NAMES)[number];

/**
 * The stacks whose published outputs each stack reads, through the readers of stacks/*-contract.ts.
 * The workspaces stack shares each state with exactly these readers; a test keeps this in step with
 * the data sources the stacks synthesize.
 */
export const STACK_READS: Readonly<Record<StackName, readonly StackName[]>> = {
  network: [],
  "control-plane": ["network"],
  workers: ["network", "control-plane"],
  addons: ["network", "control-plane", "workers"],
};

/** One published output: its fixed name and what it means, for docs/outputs.md and the reader alike. */
export interface OutputSpec {
  readonly name: string;
  readonly description: string;
  /** Marked sensitive by its producer, and read so that it stays sensitive in a consumer. */
  readonly sensitive?: boolean;
}

/**
 * `terraform { required_version }` in a synthesized stack, for the JSON and the HCL renderings: an
 * override of the terraform block would do for JSON, but cdktf 0.21's HCL renderer mangles it.
 */
export const requiredVersion = {
  json(rendered: Record<string, unknown>, constraint: string): Record<string, unknown> {
    return { ...rendered, terraform: { required_version: constraint, ...(rendered.terraform as Record<string, unknown> | undefined) } };
  },
  hcl(rendered: string, constraint: string): string {
    if (!/^terraform \{\n/m.test(rendered)) throw new Error("bug: the synthesized HCL has no terraform block");
    return rendered.replace(/^terraform \{\n/m, `terraform {\n  required_version = ${JSON.stringify(constraint)}\n`);
  },
};

/**
 * The name a stack synthesizes under: the layer's (`network`) for a single blueprint, or
 * `<site>-<layer>` (`store-042-network`) for a site of a fleet (docs/fleets.md).
 */
export function siteStackName(stackName: string, site?: string): string {
  return site === undefined ? stackName : `${site}-${stackName}`;
}

export abstract class BlueprintStack extends TerraformStack {
  /**
   * @param blueprint for a fleet's site, the blueprint with the site's backend (config `siteBackend`),
   *   so that the stack's own state and its readers of the others' agree
   * @param site the fleet site the stack belongs to, which prefixes its name; none for a single blueprint
   */
  protected constructor(
    scope: Construct,
    readonly stackName: StackName,
    readonly blueprint: Blueprint,
    readonly site?: string,
  ) {
    super(scope, siteStackName(stackName, site));
    applyStateBackend(this, blueprint.backend, stackName);
    new AwsProvider(this, "aws", {
      region: blueprint.region,
      defaultTags: [{ tags: commonTags(blueprint.name, blueprint.tags) }],
    });
    // A team's constraint, the same under cdktf and CDK Terrain, instead of the bindings' exact release.
    requireAwsProviderVersion(this, AWS_PROVIDER_BASELINE);
  }

  override toTerraform(): Record<string, unknown> {
    return requiredVersion.json(super.toTerraform(), this.blueprint.backend.requiredVersion);
  }

  /** cdktf's HCL renderer drops block types it does not know: check blocks are appended here. */
  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const rendered = super.toHclTerraform() as { hcl: string; metadata: Record<string, unknown> };
    const hcl = requiredVersion.hcl(rendered.hcl, this.blueprint.backend.requiredVersion);
    const checks = checkBlocksHcl(this);
    return { ...rendered, hcl: checks ? `${hcl}\n\n${checks}\n` : hcl };
  }

  /** Publishes an output under its contract name, independent of construct paths; sensitive as the contract says. */
  protected publish(spec: OutputSpec, value: unknown): TerraformOutput {
    const output = new TerraformOutput(this, `output-${spec.name}`, { value, description: spec.description, sensitive: spec.sensitive ?? false });
    output.overrideLogicalId(spec.name);
    return output;
  }
}
