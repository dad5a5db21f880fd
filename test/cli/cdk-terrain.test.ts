/**
 * The CDK Terrain runtime check's pure parts (scripts/cdk-terrain-lib.ts): the scratch package.json,
 * and the diff that lets only the listed differences through. `npm run test:cdk-terrain` runs them
 * on the real synthesized stacks; here they run on small ones, an injected difference included.
 */
import { readFileSync } from "fs";
import * as path from "path";
import {
  ALLOWED_RUNTIME_DIFFERENCES,
  CDK_TERRAIN_DEPENDENCIES,
  cdkTerrainScratchPackage,
  classifyRuntimeDifferences,
  describeDifference,
  differencesOf,
} from "../../scripts/cdk-terrain-lib";
import { PROJECT_ROOT } from "../helpers/synth";

const PROJECT = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));

const stack = (runtime: string, source: string, extra: Record<string, unknown> = {}) => ({
  "//": { metadata: { backend: "local", stackName: "network", version: runtime } },
  terraform: { required_providers: { aws: { source, version: "~> 6.25" } } },
  resource: { aws_vpc: { vpc: { cidr_block: "10.0.0.0/16", tags: { Name: "edge" }, ...extra } } },
});

describe("cdkTerrainScratchPackage", () => {
  it("replaces cdktf, its CLI, the aws bindings and constructs with CDK Terrain's, keeps the other bindings, and overrides their cdktf peer", () => {
    const scratch = cdkTerrainScratchPackage(PROJECT) as any;
    expect(scratch.devDependencies).toMatchObject({
      cdktf: "npm:cdktn@0.24.0",
      "@cdktf/provider-aws": "npm:@cdktn/provider-aws@25.7.0",
      "cdktn-cli": "0.24.0",
      constructs: "10.6.0",
      "@cdktf/provider-kubernetes": PROJECT.devDependencies["@cdktf/provider-kubernetes"],
      "@cdktf/provider-helm": PROJECT.devDependencies["@cdktf/provider-helm"],
    });
    expect(scratch.devDependencies["cdktf-cli"]).toBeUndefined();
    expect(scratch.devDependencies.jest).toBeUndefined();
    expect(scratch.dependencies).toEqual(PROJECT.dependencies);
    expect(scratch.overrides).toEqual({ cdktf: "$cdktf", constructs: "$constructs" });
    // Every version exact, as the project pins its own.
    for (const spec of Object.values(CDK_TERRAIN_DEPENDENCIES)) expect(spec).toMatch(/(^|@)\d+\.\d+\.\d+$/);
  });
});

describe("the runtime diff", () => {
  it("allows only the runtime's version and the spelling of a provider's source, each with its reason", () => {
    const result = classifyRuntimeDifferences(differencesOf(stack("0.21.0", "aws"), stack("0.24.0", "hashicorp/aws")));
    expect(result.unexpected).toEqual([]);
    expect(result.allowed.map((d) => d.at)).toEqual(["//.metadata.version", "terraform.required_providers.aws.source"]);
    expect(result.allowed.every((d) => d.why.length > 0)).toBe(true);
    expect(ALLOWED_RUNTIME_DIFFERENCES).toHaveLength(2);
  });

  it("fails on an injected difference, naming where, and on a provider source that is another provider", () => {
    const injected = stack("0.24.0", "hashicorp/aws", { cidr_block: "10.99.0.0/16", enable_dns_support: true });
    const result = classifyRuntimeDifferences(differencesOf(stack("0.21.0", "aws"), injected));
    expect(result.unexpected.map(describeDifference)).toEqual([
      'resource.aws_vpc.vpc.cidr_block: "10.0.0.0/16" under cdktf, "10.99.0.0/16" under CDK Terrain',
      "resource.aws_vpc.vpc.enable_dns_support: undefined under cdktf, true under CDK Terrain",
    ]);
    const otherProvider = classifyRuntimeDifferences(differencesOf(stack("0.21.0", "aws"), stack("0.21.0", "example/aws")));
    expect(otherProvider.unexpected.map((d) => d.at)).toEqual(["terraform.required_providers.aws.source"]);
    const otherVersion = classifyRuntimeDifferences(differencesOf(stack("0.21.0", "aws"), stack("0.25.0", "aws")));
    expect(otherVersion.unexpected.map((d) => d.at)).toEqual(["//.metadata.version"]);
  });

  it("reads hcl2json's block lists as the same paths", () => {
    const hcl = (source: string) => ({ terraform: [{ required_providers: [{ aws: { source } }] }] });
    expect(classifyRuntimeDifferences(differencesOf(hcl("aws"), hcl("hashicorp/aws"))).unexpected).toEqual([]);
  });
});
