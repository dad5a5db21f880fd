/**
 * Lookups by ID that fail the plan with a message saying what was not found and what to check.
 *
 * A singular data source read by an ID that matches nothing fails the plan with the provider's
 * "no matching EC2 VPC found" or "query returned no results", naming neither the field that gave
 * the ID nor what to do. The plural data source filtered on the same ID returns an empty list
 * instead (DescribeVpcs, DescribeSubnets... filters match nothing without an error), so a
 * postcondition on it names the ID; the singular then reads `one(ids)`.
 */
import { Fn, Op, TerraformSelf } from "cdktf";

/** A postcondition: the list attribute holds exactly one item, else the plan fails with `errorMessage`. */
export function exactlyOne(errorMessage: string, attribute = "ids"): { postcondition: Array<{ condition: ReturnType<typeof Op.eq>; errorMessage: string }> } {
  return { postcondition: [{ condition: Op.eq(Fn.lengthOf(TerraformSelf.getAny(attribute)), 1), errorMessage }] };
}

/** What the plan says when an ID the blueprint gives matches nothing. */
export function notFoundMessage(what: string, id: string, field: string): string {
  return (
    `${what} ${id}, given as ${field}, was not found: it does not exist in the provider's Region and account, or these credentials ` +
    `may not describe it. Check ${field}, the blueprint's region, and the account of the credentials.`
  );
}
