/**
 * cdktf 0.21's HCL renderer writes `precondition = [{...}]` (terraform rejects it) and quotes
 * `ignore_changes` entries (deprecated). patches/cdktf+0.21.0.patch fixes both; these tests fail
 * without it.
 */
import { parse } from "@cdktf/hcl2json";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { format } from "@cdktf/hcl-tools";
import { Op, TerraformLocal, Testing, TerraformStack } from "cdktf";

function stackWithLifecycle(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "lifecycle");
  new AwsProvider(stack, "aws", { region: "us-west-2" });
  const first = new SecurityGroup(stack, "first", { name: "first" });
  new SecurityGroup(stack, "second", {
    name: "second",
    lifecycle: {
      createBeforeDestroy: true,
      ignoreChanges: ["description", "tags"],
      replaceTriggeredBy: [first],
      precondition: [
        { condition: Op.eq(first.name, "first"), errorMessage: "first must be named first" },
        { condition: Op.neq(first.name, ""), errorMessage: "first must have a name" },
      ],
      postcondition: [{ condition: Op.neq("${self.id}", ""), errorMessage: "second must exist" }],
    },
  });
  return stack;
}

describe("the patched HCL renderer", () => {
  const hcl = Testing.synthHcl(stackWithLifecycle());

  it("writes preconditions and postconditions as nested blocks", async () => {
    expect(hcl).not.toMatch(/(pre|post)condition\s*=/);
    const parsed = await parse("main.tf", hcl);
    const lifecycle = parsed.resource.aws_security_group.second[0].lifecycle[0];
    expect(lifecycle.precondition).toHaveLength(2);
    expect(lifecycle.precondition[0].error_message).toBe("first must be named first");
    expect(lifecycle.postcondition).toHaveLength(1);
    expect(lifecycle.create_before_destroy).toBe(true);
  });

  it("writes ignore_changes and replace_triggered_by as bare references", () => {
    expect(hcl).toMatch(/ignore_changes\s*=\s*\[description, tags\]/);
    expect(hcl).toMatch(/replace_triggered_by\s*=\s*\[aws_security_group\.first\]/);
  });
});

describe("the patched HCL output", () => {
  const hcl = Testing.synthHcl(stackWithLifecycle());

  it("writes interpolation-only values as bare expressions, as terraform fmt does", () => {
    expect(hcl).not.toMatch(/= "\$\{[^"]*\}"$/m);
    expect(hcl).toMatch(/condition\s*=\s*\(aws_security_group\.first\.name == "first"\)/);
  });
});

describe("the patched locals renderer", () => {
  it("writes a multi-line local as a heredoc whose value is exactly the string", async () => {
    const stack = new TerraformStack(Testing.app(), "locals");
    new TerraformLocal(stack, "script", 'line "one"\nline two\n');
    new TerraformLocal(stack, "no-final-newline", "a\nb");
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toContain('<<EOT\nline "one"\nline two\nEOT');
    const parsed = await parse("main.tf", await format(hcl));
    const locals = parsed.locals[0];
    expect(locals.script).toBe('line "one"\nline two\n');
    // hcl2json keeps function calls as expressions; the heredoc inside holds "a\nb\n", chomped.
    expect(locals["no-final-newline"]).toMatch(/^\$\{chomp\(<<EOT\na\nb\nEOT\n\s*\)\}$/);
  });
});
