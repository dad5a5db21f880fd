/**
 * cdktf 0.21's HCL renderer writes `precondition = [{...}]` (terraform rejects it), quotes
 * `ignore_changes` and `depends_on` entries (deprecated) and writes a module's `depends_on` one
 * character at a time. patches/cdktf+0.21.0.patch fixes them; these tests fail without it.
 */
import { parse } from "@cdktf/hcl2json";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { format } from "@cdktf/hcl-tools";
import { Op, TerraformHclModule, TerraformLocal, TerraformOutput, Testing, TerraformStack } from "cdktf";

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

describe("the patched depends_on renderer", () => {
  function stackWithDependencies(): TerraformStack {
    const stack = new TerraformStack(Testing.app(), "depends-on");
    new AwsProvider(stack, "aws", { region: "us-west-2" });
    const first = new SecurityGroup(stack, "first", { name: "first" });
    const vpc = new TerraformHclModule(stack, "vpc", { source: "terraform-aws-modules/vpc/aws", dependsOn: [first] });
    new SecurityGroup(stack, "second", { name: "second", dependsOn: [first, vpc] });
    new DataAwsVpc(stack, "default", { default: true, dependsOn: [first] });
    new TerraformOutput(stack, "first-id", { value: first.id, dependsOn: [first, vpc] });
    return stack;
  }
  const hcl = Testing.synthHcl(stackWithDependencies());

  it("writes depends_on of resources, data sources, modules and outputs as bare references", async () => {
    expect(hcl).not.toMatch(/depends_on\s*=\s*\[\s*["{]/);
    const dependsOn = hcl.match(/^\s*depends_on\s*=.*$/gm)?.map((line: string) => line.trim());
    expect(dependsOn).toEqual([
      "depends_on = [aws_security_group.first]",
      "depends_on = [aws_security_group.first, module.vpc]",
      "depends_on = [aws_security_group.first]",
      "depends_on = [aws_security_group.first, module.vpc]",
    ]);
    // HashiCorp's parser reads a bare reference back as an expression, a quoted one as a string.
    const parsed = await parse("main.tf", hcl);
    expect(parsed.resource.aws_security_group.second[0].depends_on).toEqual(["${aws_security_group.first}", "${module.vpc}"]);
    expect(parsed.data.aws_vpc.default[0].depends_on).toEqual(["${aws_security_group.first}"]);
    expect(parsed.module.vpc[0].depends_on).toEqual(["${aws_security_group.first}"]);
    expect(parsed.output["first-id"][0].depends_on).toEqual(["${aws_security_group.first}", "${module.vpc}"]);
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
