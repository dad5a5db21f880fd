/**
 * Small builders for Terraform conditions, used by the modules' preconditions and postconditions.
 * What only AWS knows at plan time (an Outpost's AZ, a subnet's CIDR) is checked by Terraform
 * itself with these, instead of being left to a comment.
 */
import { Expression, IResolvable, Op, TerraformSelf } from "cdktf";

/** `a && b && ...` as one Terraform expression. */
export function allOf(first: Expression, ...rest: Expression[]): IResolvable | Expression {
  return rest.reduce<Expression>((combined, next) => Op.and(combined, next), first);
}

/** `self.<attribute>` inside a data source's postcondition. */
export function selfAttribute(attribute: string): string {
  return TerraformSelf.getString(attribute);
}
