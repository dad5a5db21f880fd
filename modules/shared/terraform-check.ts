/**
 * A Terraform `check` block (Terraform >= 1.5): assertions evaluated in every plan and apply that
 * warn, never fail. cdktf 0.21 has no class for it, so this element writes the block into the JSON
 * itself, and `checkBlocksHcl` renders it for `cdktf synth --hcl`, whose renderer knows only the
 * block types it was written for (the stack appends the text; see stacks/blueprint-stack.ts).
 */
import { DefaultTokenResolver, IResolvable, StringConcat, TerraformElement, TerraformStack, Tokenization } from "cdktf";
import { Construct } from "constructs";

export interface CheckAssertion {
  /** A boolean Terraform expression (a token). */
  readonly condition: IResolvable | string | boolean;
  /** The warning shown when the condition is false. */
  readonly errorMessage: string;
}

export interface TerraformCheckProps {
  readonly assertions: readonly CheckAssertion[];
}

export class TerraformCheck extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: TerraformCheckProps,
  ) {
    super(scope, id, "check");
  }

  /** The block's body, as Terraform JSON. */
  private body(): Record<string, unknown> {
    return { assert: this.props.assertions.map((assertion) => ({ condition: assertion.condition, error_message: assertion.errorMessage })) };
  }

  override toTerraform(): Record<string, unknown> {
    return { check: { [this.friendlyUniqueId]: this.body() } };
  }

  /** The block as HCL, its expressions resolved in `stack`. */
  toHcl(stack: TerraformStack): string {
    const resolver = new DefaultTokenResolver(new StringConcat());
    const body = Tokenization.resolve(this.body(), { scope: stack, preparing: false, resolver }) as { assert: Array<{ condition: unknown; error_message: string }> };
    const expression = (value: unknown) => (typeof value === "string" ? value.replace(/^\$\{([\s\S]*)\}$/, "$1") : JSON.stringify(value));
    const asserts = body.assert.map((assertion) =>
      ["  assert {", `    condition     = ${expression(assertion.condition)}`, `    error_message = ${JSON.stringify(assertion.error_message)}`, "  }"].join("\n"),
    );
    return [`check "${this.friendlyUniqueId}" {`, ...asserts, "}"].join("\n");
  }

  static isTerraformCheck(value: unknown): value is TerraformCheck {
    return value instanceof TerraformCheck;
  }
}

/** Every check block of a stack, as HCL, for appending to the stack's rendered HCL. */
export function checkBlocksHcl(stack: TerraformStack): string {
  return stack.node
    .findAll()
    .filter(TerraformCheck.isTerraformCheck)
    .map((check) => check.toHcl(stack))
    .join("\n\n");
}
