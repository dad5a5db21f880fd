/**
 * `outposts-eks eject` (cli/eject-lib.ts): the pure transformations, then two examples ejected to a
 * temporary directory (local-cluster: local state, the chart asset and a check block; existing-vpc:
 * S3 state):
 * each main.tf, read back with HashiCorp's parser, declares what the JSON synthesis declares, with
 * readable asset paths and local state paths inside the ejected root; terraform validates them
 * where this machine has terraform and a provider mirror.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import {
  helmProviderAttributes,
  deployOrder,
  ejectBlueprint,
  EjectDifferencesError,
  ejectedLocalStatePath,
  EjectResult,
  exactHeredocs,
  hclDifferences,
  planAssetMoves,
  readableAssetPath,
  rewriteAssetPaths,
  rewriteLocalStatePaths,
  mapStrings,
  stateReadsOf,
} from "../../cli/eject-lib";
import { TerraformStack } from "cdktf";
import { compareHclWithJson, parseHcl } from "../helpers/hcl";
import { exampleWith, loadExample, synthBlueprint } from "../helpers/synth";
import { INSTANCE_STORE_ARGUMENTS, INSTANCE_STORE_MIN_AWS_PROVIDER } from "../../modules/eks-control-plane";
import { awsProviderConstraint } from "../../modules/shared/newer-provider-arguments";
import { findTerraformToolchain, validateWithTerraform, ValidationTarget } from "../helpers/terraform";

type Json = Record<string, any>;

describe("the eject transformations", () => {
  it("orders stacks by dependency, workspaces first among the free ones", () => {
    expect(deployOrder({ addons: ["workers"], workers: ["control-plane"], "control-plane": ["network"], network: [], workspaces: [] })).toEqual([
      "workspaces",
      "network",
      "control-plane",
      "workers",
      "addons",
    ]);
    expect(() => deployOrder({ a: ["b"], b: ["a"] })).toThrow(/cycle/);
  });

  it("names assets by their source, without hashes, and never twice the same", () => {
    expect(readableAssetPath({ synthesizedPath: "assets/x/ABC", sourcePath: "/p/charts/outpost-ingress-classes", type: "directory" })).toBe(
      "charts/outpost-ingress-classes",
    );
    expect(readableAssetPath({ synthesizedPath: "assets/y/DEF/policy.json", sourcePath: "files/policy.json", type: "file" })).toBe("assets/policy.json");
    const moves = planAssetMoves([
      { synthesizedPath: "assets/a/1/x.json", sourcePath: "one/x.json", type: "file" },
      { synthesizedPath: "assets/b/2/x.json", sourcePath: "two/x.json", type: "file" },
    ]);
    expect(moves.map((m) => m.ejectedPath)).toEqual(["assets/x.json", "assets/x-2.json"]);
    expect(rewriteAssetPaths('a = "./assets/a/1/x.json"\nb = "./assets/b/2/x.json"\n', moves)).toBe('a = "./assets/x.json"\nb = "./assets/x-2.json"\n');
  });

  it("makes local state paths relative to the ejected root, keeping absolute ones", () => {
    expect(ejectedLocalStatePath("../../../terraform-state/network.tfstate", "addons")).toBe("../terraform-state/network.tfstate");
    expect(ejectedLocalStatePath("../../../state/dir/workers.tfstate", "workers")).toBe("../state/dir/workers.tfstate");
    expect(ejectedLocalStatePath("/var/state/network.tfstate", "network")).toBe("/var/state/network.tfstate");
    expect(() => ejectedLocalStatePath("../../../../outside.tfstate", "network")).toThrow(/outside the project root/);
  });

  it("rewrites the local backend and local terraform_remote_state paths, and nothing else", () => {
    const hcl = [
      "terraform {",
      '  backend "local" {',
      '    path = "../../../terraform-state/addons.tfstate"',
      "  }",
      "}",
      'data "terraform_remote_state" "network" {',
      '  backend = "local"',
      "  config = {",
      '    path = "../../../terraform-state/network.tfstate"',
      "  }",
      "}",
      'data "terraform_remote_state" "other" {',
      '  backend = "s3"',
      "  config = {",
      '    key = "k/other.tfstate"',
      "  }",
      "}",
      'resource "x" "y" {',
      '  path = "../../../keep"',
      "}",
      "",
    ].join("\n");
    const { text, rewrites } = rewriteLocalStatePaths(hcl, "addons");
    expect(rewrites.map((r) => [r.block, r.to])).toEqual([
      ["backend", "../terraform-state/addons.tfstate"],
      ["network", "../terraform-state/network.tfstate"],
    ]);
    expect(text).toContain('path = "../../../keep"');
    expect(text).toContain('key = "k/other.tfstate"');
    expect(text).not.toContain("../../../terraform-state");
    expect(stateReadsOf(text)).toEqual(["network", "other"]);
  });

  it("writes heredocs whose value Terraform reads as exactly the string, with or without a final newline", async () => {
    const hcl = exactHeredocs('a = <<EOF\nx: 1\ny: 2\n\nEOF\nb = [\n  <<EOF\nline one\nline two\nEOF\n]\nc = <<EOT\nkept\nEOT\n');
    const parsed = await parseHcl(hcl, "t.tf");
    expect(parsed.a).toBe("x: 1\ny: 2\n");
    expect(parsed.b).toEqual(["${chomp(<<EOT\nline one\nline two\nEOT\n)}"]);
    expect(hcl).toContain("c = <<EOT\nkept\nEOT\n");
  });

  it("finds what the HCL says differently from the JSON, and no difference in hcl2json's own forms", () => {
    const json = {
      resource: { t: { n: { a: "1", nested: { b: true }, depends_on: ["t.m"], "//": { metadata: {} } } } },
      data: { terraform_remote_state: { s: { backend: "local", config: { path: "../../../x.tfstate" } } } },
      output: { o: { value: "${t.n.id}" } },
      terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } }, backend: { local: { path: "p" } } },
    };
    const hcl = {
      resource: { t: { n: [{ a: "1", nested: [{ b: true }], depends_on: ["${t.m}"] }] } },
      data: { terraform_remote_state: { s: [{ backend: "local", config: { path: "../x.tfstate" } }] } },
      output: { o: [{ value: "${t.n.id}" }] },
      terraform: [{ required_providers: [{ aws: { source: "aws", version: "6.25.0" } }], backend: [{ local: [{ path: "q" }] }] }],
      check: { c: [{}] },
    };
    expect(hclDifferences(json, hcl)).toEqual([]);
    const lost = structuredClone(hcl);
    delete (lost.resource.t.n[0].nested[0] as { b?: boolean }).b;
    lost.terraform[0].required_providers[0].aws.version = ">= 6";
    expect(hclDifferences(json, lost)).toEqual([
      "resource.t.n.nested.b: true in JSON, undefined in HCL",
      'terraform.required_providers.aws.version: "6.25.0" in JSON, ">= 6" in HCL',
    ]);
  });
});


const body = (value: unknown): Json => (Array.isArray(value) ? value[0] : value) as Json;

const EJECTED = ["local-cluster.yaml", "existing-vpc.yaml", "local-instance-store.yaml"];
const root = mkdtempSync(path.join(tmpdir(), "outposts-eks-eject-test-"));
const ejected: Record<string, { result: EjectResult; json: Record<string, Json>; hcl: Record<string, string>; mainTf: Record<string, string> }> = {};

beforeAll(async () => {
  for (const example of EJECTED) {
    const blueprint = loadExample(example);
    const out = path.join(root, example.replace(/\.yaml$/, ""));
    const result = await ejectBlueprint(blueprint, out);
    const synth = await synthBlueprint(blueprint);
    const synthHcl = await synthBlueprint(blueprint, { hcl: true });
    try {
      const json = Object.fromEntries(synth.stackNames.map((stack) => [stack, synth.json(stack)]));
      const hcl = Object.fromEntries(synthHcl.stackNames.map((stack) => [stack, synthHcl.file(stack)]));
      const mainTf = Object.fromEntries(result.order.map((stack) => [stack, readFileSync(path.join(out, stack, "main.tf"), "utf8")]));
      ejected[example] = { result, json, hcl, mainTf };
    } finally {
      synth.dispose();
      synthHcl.dispose();
    }
  }
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(EJECTED)("ejecting %s", (example) => {
  const get = () => ejected[example];

  it("finds no difference between each main.tf and the JSON synthesis (the eject's own check)", () => {
    expect(get().result.differences).toEqual([]);
  });

  it("writes every synthesized stack, in deploy order, with a README each and one at the root", () => {
    const { result, json } = get();
    expect([...result.order].sort()).toEqual(Object.keys(json).sort());
    expect(result.order).toEqual(["network", "control-plane", "workers", "addons"]);
    const readme = readFileSync(path.join(result.outDir, "README.md"), "utf8");
    const positions = result.order.map((stack) => readme.indexOf(`terraform -chdir=${stack} init`));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const stack of result.order) expect(readFileSync(path.join(result.outDir, stack, "README.md"), "utf8")).toContain("terraform plan");
  });

  it("writes the HCL the project renders (renderer fix, check blocks), changing only heredocs and asset and state path lines", () => {
    const { result, hcl, mainTf } = get();
    for (const stack of result.order) {
      // The rendered HCL with heredocs made exact and the Helm provider's attributes (exactHeredocs, helmProviderAttributes), the changes besides paths.
      const rendered = helmProviderAttributes(exactHeredocs(hcl[stack])).split("\n");
      const written = mainTf[stack].split("\n");
      const body = written.slice(written.length - rendered.length);
      expect(written.slice(0, written.length - rendered.length).every((line) => line === "" || line.startsWith("#"))).toBe(true);
      const changed = rendered.flatMap((line, i) => (line === body[i] ? [] : [`${line} => ${body[i]}`]));
      expect({ stack, changed: changed.filter((change) => !/^\s*(path|chart)\s*=/.test(change)) }).toEqual({ stack, changed: [] });
      expect(changed.length).toBe(result.stacks[stack].statePaths.length + (mainTf[stack].match(/"\.\/(charts|assets)\//g)?.length ?? 0));
    }
    if (example === "local-cluster.yaml") expect(mainTf.addons).toMatch(/^check\s+"[^"]+"\s*\{/m);
  });

  it("declares the same resources, data sources, outputs, literals and provider constraints as the JSON synthesis", async () => {
    const { result, json, mainTf } = get();
    for (const stack of result.order) {
      const moves = result.stacks[stack].assets;
      // The JSON as the eject should leave it: asset paths readable (state paths are no literal attributes).
      const expected = mapStrings(json[stack], (text) => moves.reduce((t, m) => t.split(`./${m.synthesizedPath}`).join(`./${m.ejectedPath}`), text)) as Json;
      const hcl = await parseHcl(mainTf[stack], "main.tf");
      const comparison = compareHclWithJson(expected, hcl);
      expect({ stack, resources: comparison.resources.hcl }).toEqual({ stack, resources: comparison.resources.json });
      expect(comparison.dataSources.hcl).toEqual(comparison.dataSources.json);
      expect(comparison.outputs.hcl).toEqual(comparison.outputs.json);
      expect(comparison.attributeNames.hcl).toEqual(comparison.attributeNames.json);
      expect(comparison.literals.hcl).toEqual(comparison.literals.json);
      for (const [name, output] of Object.entries(expected.output ?? {}) as Array<[string, Json]>) {
        expect({ stack, name, value: body(hcl.output[name]).value, sensitive: body(hcl.output[name]).sensitive }).toEqual({
          stack,
          name,
          value: output.value,
          sensitive: output.sensitive,
        });
      }
      expect(body(body(hcl.terraform).required_providers)).toEqual(expected.terraform.required_providers);
      expect(body(hcl.terraform).required_version).toBe(expected.terraform.required_version);
    }
  });

  it("puts assets in readable folders: no asset path holds a hash", () => {
    const { result, json, mainTf } = get();
    for (const stack of result.order) {
      expect(mainTf[stack]).not.toContain("./assets/");
      expect(mainTf[stack]).not.toMatch(/"\.\/[^"]*[0-9A-F]{32}/);
      for (const move of result.stacks[stack].assets) {
        expect(JSON.stringify(json[stack])).toContain(move.synthesizedPath);
        expect(mainTf[stack]).toContain(`"./${move.ejectedPath}"`);
        expect(existsSync(path.join(result.outDir, stack, move.ejectedPath))).toBe(true);
      }
    }
    expect(result.stacks.addons.assets.map((a) => a.ejectedPath)).toEqual(["charts/outpost-ingress-classes"]);
    expect(existsSync(path.join(result.outDir, "addons", "charts", "outpost-ingress-classes", "Chart.yaml"))).toBe(true);
  });

  it("keeps every state where it was: local paths inside the ejected root, S3 keys unchanged", async () => {
    const { result, json, mainTf } = get();
    for (const stack of result.order) {
      const hcl = await parseHcl(mainTf[stack], "main.tf");
      const backendJson = json[stack].terraform.backend;
      const backendHcl = body(hcl.terraform).backend;
      const remoteJson: Record<string, Json> = json[stack].data?.terraform_remote_state ?? {};
      const remoteHcl: Record<string, Json> = hcl.data?.terraform_remote_state ?? {};
      expect(Object.keys(remoteHcl).sort()).toEqual(Object.keys(remoteJson).sort());
      // Where cdktf's run of the stack (<project>/cdktf.out/stacks/<stack>) finds a local path, from the project root.
      const fromProject = (p: string) => path.posix.normalize(path.posix.join("cdktf.out/stacks", stack, p));
      const fromEjected = (p: string) => path.relative(result.outDir, path.resolve(result.outDir, stack, p));
      if (backendJson.local) {
        const to = body(backendHcl.local).path;
        expect(fromEjected(to)).toBe(fromProject(backendJson.local.path));
        expect(fromEjected(to)).toBe(path.join("terraform-state", `${stack}.tfstate`));
        for (const [name, data] of Object.entries(remoteJson)) {
          const config = body(remoteHcl[name]).config;
          expect(data.backend).toBe("local");
          expect(fromEjected(config.path)).toBe(fromProject(data.config.path));
          expect(fromEjected(config.path).startsWith("..")).toBe(false);
        }
      } else {
        expect(body(backendHcl.s3)).toEqual(backendJson.s3);
        for (const [name, data] of Object.entries(remoteJson)) expect(body(remoteHcl[name]).config).toEqual(data.config);
      }
    }
  });
});

it("ejects the instance-store example with the arguments its bindings lack, blocks as blocks", () => {
  const cluster = /^resource "aws_eks_cluster" [\s\S]*?^}/m.exec(ejected["local-instance-store.yaml"].mainTf["control-plane"])![0];
  expect(cluster).toMatch(/^\s*etcd_instance_type\s*=\s*"[^"]+"$/m);
  expect(cluster).toMatch(/^\s*etcd_placement\s*\{\s*spread_level\s*=\s*"(host|rack)"\s*\}/m);
  expect(cluster).toMatch(/^\s*control_plane_placement\s*\{\s*spread_level\s*=\s*"(host|rack)"\s*\}/m);
});

it("refuses, writing nothing, a blueprint whose HCL loses what the JSON sets (an argument dropped from the rendered HCL)", async () => {
  const out = path.join(root, "refused");
  const original = TerraformStack.prototype.toHclTerraform;
  const dropped = jest.spyOn(TerraformStack.prototype, "toHclTerraform").mockImplementation(function (this: TerraformStack) {
    const rendered = original.call(this);
    return { ...rendered, hcl: rendered.hcl.replace(/^etcd_instance_type = .*$/m, "") };
  });
  try {
    const refusal = ejectBlueprint(loadExample("local-instance-store.yaml"), out);
    await expect(refusal).rejects.toThrow(EjectDifferencesError);
    await expect(refusal).rejects.toThrow(/outpost_config\.etcd_instance_type: "[^"]+" in JSON, undefined in HCL/);
  } finally {
    dropped.mockRestore();
  }
  expect(existsSync(out)).toBe(false);
}, 60_000);

it("ejects the HCP Terraform workspaces stack first, its local state inside the root, the cloud blocks unchanged", async () => {
  const blueprint = exampleWith("local-cluster.yaml", (raw) => {
    raw.backend = { type: "cloud", organization: "edge-org", workspacePrefix: "edge", project: "edge-platform", workspaces: { agentPoolId: "apool-AbCdEfGh12345678" } };
  });
  const out = path.join(root, "cloud");
  const result = await ejectBlueprint(blueprint, out);
  expect(result.differences).toEqual([]);
  expect(result.order).toEqual(["workspaces", "network", "control-plane", "workers", "addons"]);
  const workspaces = await parseHcl(readFileSync(path.join(out, "workspaces", "main.tf"), "utf8"), "main.tf");
  expect(body(body(workspaces.terraform).backend.local).path).toBe("../terraform-state/workspaces.tfstate");
  const addons = readFileSync(path.join(out, "addons", "main.tf"), "utf8");
  expect(body(body(body((await parseHcl(addons, "main.tf")).terraform).cloud).workspaces).name).toBe("edge-addons");
  expect(stateReadsOf(addons).sort()).toEqual(["control-plane", "network", "workers"]);
  const readme = readFileSync(path.join(out, "README.md"), "utf8");
  expect(readme.indexOf("terraform -chdir=workspaces init")).toBeLessThan(readme.indexOf("terraform -chdir=network init"));
  expect(readFileSync(path.join(out, "addons", "README.md"), "utf8")).toContain("HCP Terraform: workspace `edge-addons` of organization `edge-org`");

  // Again into the same folder: refused without --force; with it, the state directory is kept.
  await expect(ejectBlueprint(blueprint, out)).rejects.toThrow(/already holds ejected stacks .*--force/);
  mkdirSync(path.join(out, "terraform-state"));
  writeFileSync(path.join(out, "terraform-state", "workspaces.tfstate"), "{}");
  await ejectBlueprint(blueprint, out, { force: true });
  expect(readFileSync(path.join(out, "terraform-state", "workspaces.tfstate"), "utf8")).toBe("{}");
}, 60_000);

const lookup = findTerraformToolchain();
if (!lookup.toolchain) console.warn(`terraform validate of the ejected folders skipped: ${lookup.reason}`);
(lookup.toolchain ? it : it.skip)("terraform validates every ejected main.tf whose providers the mirror has", () => {
  const targets: ValidationTarget[] = EJECTED.flatMap((example) =>
    ejected[example].result.order.map((stack) => ({
      label: `${example}/${stack}`,
      format: "hcl" as const,
      content: ejected[example].mainTf[stack],
      json: ejected[example].json[stack],
      // As test/stacks/terraform-validate.test.ts: the instance-store arguments are newer than the mirrored provider.
      newerArguments:
        ejected[example].json[stack].terraform?.required_providers?.aws?.version === awsProviderConstraint(INSTANCE_STORE_MIN_AWS_PROVIDER)
          ? { aws_eks_cluster: INSTANCE_STORE_ARGUMENTS }
          : undefined,
    })),
  );
  const reports = validateWithTerraform(lookup.toolchain!, targets);
  const validated = reports.filter((r) => !r.skipped);
  console.log(
    [`terraform validate of ejected folders: ${validated.length} of ${reports.length}`, ...reports.filter((r) => r.skipped).map((r) => `  skipped ${r.label}: ${r.skipped}`)].join("\n"),
  );
  expect(validated.length).toBeGreaterThan(0);
  for (const report of validated) expect({ label: report.label, errors: report.errors, warnings: report.warnings }).toEqual({ label: report.label, errors: [], warnings: [] });
}, 180_000);

describe("helmProviderAttributes", () => {
  it("writes the Helm provider's kubernetes and exec as attributes, which helm provider 3.x takes, and nothing else", () => {
    const hcl = ['provider "helm" {', "  kubernetes {", '    host = "h"', "    exec {", '      command = "aws"', "    }", "  }", "}", 'resource "x" "y" {', "  kubernetes {", "  }", "}", ""].join("\n");
    expect(helmProviderAttributes(hcl)).toBe(
      ['provider "helm" {', "  kubernetes = {", '    host = "h"', "    exec = {", '      command = "aws"', "    }", "  }", "}", 'resource "x" "y" {', "  kubernetes {", "  }", "}", ""].join("\n"),
    );
  });
});
