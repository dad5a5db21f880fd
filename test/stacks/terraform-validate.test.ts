/**
 * terraform's own verdict on every synthesized stack, JSON and HCL, where this machine has a
 * terraform binary and a provider mirror. Elsewhere the suite says why it skipped. A warning (a
 * deprecated argument, quoted references...) fails it as an error does.
 */
import {
  bindingsDocument,
  findTerraformToolchain,
  newerArgumentsOf,
  TargetReport,
  terraformFmtCheck,
  validateWithTerraform,
  ValidationTarget,
} from "../helpers/terraform";
import { EKS_EXAMPLES, EXAMPLES, loadExample, synthBlueprint } from "../helpers/synth";
import { INSTANCE_STORE_ARGUMENTS } from "../../modules/eks-control-plane";

const lookup = findTerraformToolchain();
if (!lookup.toolchain) {
  // Printed, never silent: CI logs show why terraform's checks did not run.
  console.warn(`terraform validate skipped: ${lookup.reason}`);
}
const withTerraform = lookup.toolchain ? describe : describe.skip;

withTerraform(`terraform ${lookup.toolchain?.version ?? ""} on every example`, () => {
  const targets: ValidationTarget[] = [];
  const hclFiles: Record<string, string> = {};
  const stackJsons: Record<string, Record<string, any>> = {};
  let reports: TargetReport[] = [];

  beforeAll(async () => {
    for (const example of EXAMPLES) {
      const blueprint = loadExample(example);
      const json = await synthBlueprint(blueprint);
      const hcl = await synthBlueprint(blueprint, { hcl: true });
      try {
        for (const stack of json.stackNames) {
          const label = `${example.replace(/\.yaml$/, "")}/${stack}`;
          // The default blueprint's JSON keeps its provider blocks, so provider configuration is validated too.
          const keepProviderBlocks = example === "extended-racks.yaml";
          const newerArguments = newerArgumentsOf(json.json(stack));
          stackJsons[`${label}.json`] = stackJsons[`${label}.hcl`] = json.json(stack);
          targets.push({ label: `${label}.json`, format: "json", content: json.file(stack), json: json.json(stack), keepProviderBlocks, newerArguments });
          targets.push({ label: `${label}.hcl`, format: "hcl", content: hcl.file(stack), json: json.json(stack), newerArguments });
          hclFiles[`${label}.tf`] = hcl.file(stack);
        }
      } finally {
        json.dispose();
        hcl.dispose();
      }
    }
    reports = validateWithTerraform(lookup.toolchain!, targets);
    const skipped = reports.filter((r) => r.skipped);
    const tolerated = reports.flatMap((r) => r.tolerated.map((t) => `${r.label}: ${t}`));
    const warnings = reports.flatMap((r) => r.warnings.map((w) => `${r.label}: ${w}`));
    console.log(
      [
        `terraform validate: ${reports.length - skipped.length} of ${reports.length} stack files validated`,
        ...skipped.map((r) => `  skipped ${r.label}: ${r.skipped}`),
        `  tolerated ${tolerated.length} argument(s) newer than the mirrored provider (dropped before validate, so not validated)${tolerated.length ? ":" : ""}`,
        ...tolerated.map((t) => `    ${t}`),
        `  ${warnings.length} warning(s)${warnings.length ? ":" : ""}`,
        ...warnings.map((w) => `    ${w}`),
      ].join("\n"),
    );
  }, 180_000);

  it("validates every network stack, JSON and HCL", () => {
    const network = reports.filter((r) => /\/network\.(json|hcl)$/.test(r.label));
    expect(network).toHaveLength(EXAMPLES.length * 2);
    for (const report of network) {
      expect({ label: report.label, skipped: report.skipped, errors: report.errors, warnings: report.warnings }).toEqual({
        label: report.label,
        skipped: undefined,
        errors: [],
        warnings: [],
      });
    }
  });

  it("validates every control-plane stack, JSON and HCL, tolerating only deletion_protection and the instance-store arguments", () => {
    const controlPlane = reports.filter((r) => /\/control-plane\.(json|hcl)$/.test(r.label));
    expect(controlPlane).toHaveLength(EKS_EXAMPLES.length * 2);
    for (const report of controlPlane) {
      expect({
        label: report.label,
        skipped: report.skipped,
        errors: report.errors,
        warnings: report.warnings,
        tolerated: report.tolerated,
      }).toEqual({
        label: report.label,
        skipped: undefined,
        errors: [],
        warnings: [],
        // aws_eks_cluster.deletion_protection is in the 6.25.0 bindings but not in the mirrored 5.x
        // provider; the instance-store arguments exist from hashicorp/aws 6.51.0 on.
        tolerated: [
          ...(newerArgumentsOf(stackJsons[report.label])
            ? INSTANCE_STORE_ARGUMENTS.map((argument) => `aws_eks_cluster.${argument} (newer than the mirror)`)
            : []),
          "aws_eks_cluster.deletion_protection",
        ],
      });
    }
  });

  it("finds no error in any stack it could validate", () => {
    expect(reports.filter((r) => !r.skipped && r.errors.length > 0)).toEqual([]);
  });

  it("finds no warning in any stack it could validate", () => {
    expect(reports.filter((r) => !r.skipped && r.warnings.length > 0)).toEqual([]);
  });

  it("accepts the formatting of every HCL file (terraform fmt -check)", () => {
    expect(terraformFmtCheck(lookup.toolchain!, hclFiles)).toEqual([]);
  });
});

describe("the tolerance rule", () => {
  it("tolerates only arguments the 6.25.0 bindings document", () => {
    expect(bindingsDocument("resource", "aws_eks_cluster", "deletion_protection")).toBe(true);
    expect(bindingsDocument("resource", "aws_eks_cluster", "etcd_instance_type")).toBe(false);
    expect(bindingsDocument("data", "aws_subnet", "availability_zone")).toBe(true);
    expect(bindingsDocument("data", "aws_subnet", "outpost_arn")).toBe(false); // computed, never an argument
    expect(bindingsDocument("resource", "aws_no_such_thing", "name")).toBe(false);
  });
});
