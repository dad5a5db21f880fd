/**
 * What every stack of a blueprint shares: its fixed name, its own state backend, the AWS provider
 * for the blueprint's Region with the common tags, and outputs published under fixed names.
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Annotations, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { Blueprint, commonTags, iamRoleOptionsOf, managedPermissionsBoundary, StackName, workspaceNameWarning } from "../config";
import { IamRoleOptions } from "../modules/shared/resource-options";
import { checkBlocksHcl } from "../modules/shared/terraform-check";
import { applyStateBackend, cloudWorkspaceName } from "../modules/state-backend";
import { AWS_PROVIDER_BASELINE, requireAwsProviderVersion } from "../modules/shared/newer-provider-arguments";

export { STACK_NAMES } from "../config";
export type { StackName } from "../config";

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

/**
 * App context that skips cdktf's preparing resolve (`TerraformStack.prepareStack`), whose only work
 * is turning a reference to another stack's resource into a cross-stack output and remote-state
 * reader. The stacks never make one (they read each other through contracts; the control-plane
 * tests check that no cross-stack output appears, with the preparing pass on), and the pass costs
 * a quarter of a site's synthesis: `synthFleet` sets it, and its output equals an App's without it
 * (test/stacks/fleet-selection.test.ts).
 */
export const SKIP_CROSS_STACK_PREPARATION = "outposts-eks:skip-cross-stack-preparation";

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
    const workspaceAdvice = blueprint.backend.type === "cloud" ? workspaceNameWarning(cloudWorkspaceName(blueprint.backend, stackName)) : undefined;
    if (workspaceAdvice) Annotations.of(this).addWarning(workspaceAdvice);
    new AwsProvider(this, "aws", {
      region: blueprint.region,
      defaultTags: [{ tags: commonTags(blueprint.name, blueprint.tags) }],
    });
    // A team's constraint, the same under cdktf and CDK Terrain, instead of the bindings' exact release.
    requireAwsProviderVersion(this, AWS_PROVIDER_BASELINE);
  }

  override prepareStack(): void {
    if (this.node.tryGetContext(SKIP_CROSS_STACK_PREPARATION) === true) this.ensureBackendExists();
    else super.prepareStack();
  }

  /** Addresses this state forgets without destroying them (Terraform `removed` blocks, 1.7+). */
  private readonly forgotten: string[] = [];

  /**
   * Makes this state forget a resource it held, leaving it in AWS: for a resource that moved to
   * another stack's state (CHANGELOG says how to import it there).
   */
  protected forget(address: string): void {
    this.forgotten.push(address);
  }

  override toTerraform(): Record<string, unknown> {
    const json = requiredVersion.json(super.toTerraform(), this.blueprint.backend.requiredVersion);
    if (this.forgotten.length === 0) return json;
    return { ...json, removed: this.forgotten.map((from) => ({ from, lifecycle: { destroy: false } })) };
  }

  /** cdktf's HCL renderer drops block types it does not know: check blocks are appended here. */
  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const rendered = super.toHclTerraform() as { hcl: string; metadata: Record<string, unknown> };
    const hcl = requiredVersion.hcl(rendered.hcl, this.blueprint.backend.requiredVersion);
    const checks = checkBlocksHcl(this);
    // The renderer drops `removed` blocks too.
    const removed = this.forgotten.map((from) => `removed {\n  from = ${from}\n  lifecycle {\n    destroy = false\n  }\n}`).join("\n\n");
    const extra = [checks, removed].filter(Boolean).join("\n\n");
    return { ...rendered, hcl: extra ? `${hcl}\n\n${extra}\n` : hcl };
  }

  private boundaryAccount?: string;

  /**
   * Permissions boundary and path of every IAM role this stack creates (config `iamRoleOptionsOf`).
   * The blueprint's own boundary (`managedPermissionsBoundary`) is named by this account's ARN, read
   * once per stack from the caller identity.
   */
  iamRoleOptions(): IamRoleOptions {
    if (managedPermissionsBoundary(this.blueprint) === undefined) return iamRoleOptionsOf(this.blueprint);
    this.boundaryAccount ??= new DataAwsCallerIdentity(this, "boundary-account").accountId;
    return iamRoleOptionsOf(this.blueprint, this.boundaryAccount);
  }

  /** Publishes an output under its contract name, independent of construct paths; sensitive as the contract says. */
  protected publish(spec: OutputSpec, value: unknown): TerraformOutput {
    const output = new TerraformOutput(this, `output-${spec.name}`, { value, description: spec.description, sensitive: spec.sensitive ?? false });
    output.overrideLogicalId(spec.name);
    return output;
  }
}
