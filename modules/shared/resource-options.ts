/**
 * What platform teams set on everything a construct creates, as terraform-aws-eks offers it
 * (`iam_role_permissions_boundary`, `iam_role_path`, `tags`): one shape for every construct.
 */
import { Aspects, IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";

/** Options for every IAM role a construct creates. */
export interface IamRoleOptions {
  /**
   * ARN of the managed policy that bounds each role's permissions.
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: string;
  /**
   * IAM path of each role, such as `/platform/`.
   * @default "/"
   */
  readonly path?: string;
}

/** The IamRole arguments for the options. */
export function iamRoleArguments(options: IamRoleOptions | undefined): { permissionsBoundary?: string; path?: string } {
  return { permissionsBoundary: options?.permissionsBoundary, path: options?.path };
}

interface Taggable {
  tags: Record<string, string> | undefined;
  readonly tagsInput: Record<string, string> | undefined;
}

/** Adds the tags to every resource in scope that takes `tags`; a resource's own tags (such as Name) win. */
class TagResources implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    // Not `instanceof`: under CDK Terrain the aws bindings extend the `cdktn` package's classes, a
    // second copy beside the `cdktf` alias (docs/cdk-terrain.md); the symbol check holds for both.
    if (!TerraformResource.isTerraformResource(node) || !("tagsInput" in node)) return;
    const resource = node as unknown as Taggable;
    resource.tags = { ...this.tags, ...(resource.tagsInput ?? {}) };
  }
}

/**
 * Tags every taggable resource a construct creates, on top of the provider's default tags. A
 * construct calls it once with its `tags` prop.
 */
export function tagResources(scope: IConstruct, tags: Readonly<Record<string, string>> | undefined): void {
  if (tags === undefined || Object.keys(tags).length === 0) return;
  Aspects.of(scope).add(new TagResources(tags));
}
