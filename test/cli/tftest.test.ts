/**
 * The suite generator without terraform: what it writes for every example, and the expression
 * evaluator it decides with. terraform's verdict on the suites is test/scripts/tftest-terraform.test.ts
 * (`npm run test:terraform`).
 */
import { parse as parseHcl } from "@cdktf/hcl2json";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { EXAMPLES, loadExample, synthBlueprint } from "../helpers/synth";
import { GENERATED_MARK, generateSuites, MANIFEST_FILE, runCommand, sibling, StackSuite, SUITE_DIR, tallySuite, WrittenSuites, writeTerraformTests } from "../../scripts/tftest-lib";
import { evaluate, parseValueString } from "../../scripts/tftest-expr";
import { parseTftestArgs } from "../../scripts/tftest";
import { terraformEnv } from "../../scripts/terraform-toolchain";
import { instanceTypeFacts, OUTPOSTS_FAMILIES, zoneIdOf } from "../../scripts/tftest-world";
import { instanceTypeArchitecture } from "../../config/cpu-architectures";

const suitesByExample: Record<string, WrittenSuites> = {};

/** The suite file that holds a run. */
function fileOfRun(suite: StackSuite, run: string): string {
  const file = path.join(SUITE_DIR, `${run}.tftest.hcl`);
  if (!(file in suite.files)) throw new Error(`${suite.stack} has no file ${file}`);
  return suite.files[file];
}
const jsonsByExample: Record<string, Record<string, Record<string, any>>> = {};

beforeAll(async () => {
  for (const example of EXAMPLES) {
    const synth = await synthBlueprint(loadExample(example));
    try {
      jsonsByExample[example] = Object.fromEntries(synth.stackNames.map((stack) => [stack, synth.json(stack)]));
      suitesByExample[example] = generateSuites(loadExample(example), jsonsByExample[example]);
    } finally {
      synth.dispose();
    }
  }
}, 60_000);

/** Every precondition, postcondition and check assertion of a stack, as the generator names them. */
function conditionIds(json: Record<string, any>): string[] {
  const ids: string[] = [];
  for (const mode of ["data", "resource"] as const) {
    for (const [type, byName] of Object.entries(json[mode] ?? {})) {
      for (const [name, body] of Object.entries(byName as Record<string, any>)) {
        const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        for (const kind of ["precondition", "postcondition"]) (body.lifecycle?.[kind] ?? []).forEach((_: unknown, i: number) => ids.push(`${address} ${kind} ${i + 1}`));
      }
    }
  }
  for (const [name, body] of Object.entries(json.check ?? {})) ((body as any).assert ?? []).forEach((_: unknown, i: number) => ids.push(`check.${name} assert ${i + 1}`));
  return ids.sort();
}

describe.each(EXAMPLES)("the suites of %s", (example) => {
  it("cover every AWS-only stack and skip the others only for their providers", () => {
    const { written, skipped } = suitesByExample[example];
    expect(written.map((s) => s.stack)).toContain("network");
    for (const s of skipped) expect(s.reason).toMatch(/^needs providers other than hashicorp\/aws: (?!.*hashicorp\/aws)/);
    expect([...written.map((s) => s.stack), ...skipped.map((s) => s.stack)].sort()).toEqual(Object.keys(jsonsByExample[example]).sort());
  });

  it("give every condition a failing run per conjunct, or a reason, and know no condition that will not be proven", () => {
    for (const suite of suitesByExample[example].written) {
      expect(suite.conditions.map((c) => c.id).sort()).toEqual(conditionIds(jsonsByExample[example][suite.stack]));
      for (const condition of suite.conditions) {
        expect({ id: condition.id, problem: condition.problem, fromCondition: condition.worldFromCondition }).toEqual({ id: condition.id, problem: undefined, fromCondition: undefined });
        if (condition.untestable) expect(condition.runs).toEqual([]);
        else expect(condition.runs.length).toBeGreaterThan(0);
      }
    }
  });

  it("write HCL that terraform's parser reads, one file per run (the world and each failing run), each naming what it expects to fail", async () => {
    for (const suite of suitesByExample[example].written) {
      const runs: Record<string, Array<Record<string, any>>> = {};
      for (const [file, text] of Object.entries(suite.files)) {
        expect(text.startsWith(GENERATED_MARK)).toBe(true);
        const parsed = await parseHcl(file, text);
        expect(Object.keys(parsed.mock_provider)).toEqual(["aws"]);
        const inFile = Object.keys(parsed.run);
        expect({ file, runs: inFile }).toEqual({ file, runs: [path.basename(file, ".tftest.hcl")] });
        Object.assign(runs, parsed.run);
      }
      const failingRuns = suite.conditions.flatMap((c) => c.runs);
      expect(Object.keys(runs).sort()).toEqual(["world", ...failingRuns].sort());
      expect(runs.world[0].expect_failures).toBeUndefined();
      for (const condition of suite.conditions) {
        for (const run of condition.runs) expect(runs[run][0].expect_failures[0]).toBe(`\${${condition.checkable}}`);
      }
    }
  });
});

describe("lookups of adopted IDs (existing-vpc)", () => {
  const suiteOf = (stack: string) => suitesByExample["existing-vpc.yaml"].written.find((s) => s.stack === stack)!;

  it.each([
    ["VPC", "data.aws_vpcs.", "data.aws_vpc."],
    ["regional subnet", "data.aws_subnets.vpc_existing-private", "data.aws_subnet.vpc_existing-private"],
    ["Outpost subnet", "data.aws_subnets.outpost-rack-b", "data.aws_subnet.outpost-rack-b"],
    ["LGW route table", "data.aws_ec2_local_gateway_route_tables.", "data.aws_ec2_local_gateway_route_table."],
  ])("has a %s run for not found and one for found but not the blueprint's", (_what, plural, singular) => {
    const suite = suiteOf("network");
    const runsOf = (prefix: string) => suite.conditions.filter((c) => c.id.startsWith(prefix)).flatMap((c) => c.runs);
    expect(runsOf(plural).length).toBeGreaterThan(0);
    expect(runsOf(singular).length).toBeGreaterThan(0);
    const section = (run: string) => {
      const text = fileOfRun(suite, run);
      return text.slice(text.lastIndexOf("\n\n", text.indexOf(`run "${run}"`)) + 1);
    };
    for (const run of runsOf(plural)) expect(section(run)).toMatch(/^\n# [^\n]*: not found\./);
    for (const run of runsOf(singular)) expect(section(run)).toMatch(/^\n# [^\n]*: found, but not what the blueprint describes\./);
  });

  it("answers the world from the blueprint, not from the conditions: the adopted VPC's CIDR and DNS attributes", () => {
    const world = fileOfRun(suiteOf("network"), "world").split('run "world"')[0];
    expect(world).toMatch(/target = data\.aws_vpcs\.[^\n]*\n  values = \{\n    "ids" = \["vpc-0abc1234def567890"\]/);
    expect(world).toMatch(/"cidr_block" = "10\.30\.0\.0\/16"\n    "enable_dns_support" = true\n    "enable_dns_hostnames" = true/);
  });
});

describe("writeTerraformTests", () => {
  it("writes the suite and its manifest beside each AWS-only stack of a synthesis", async () => {
    const synth = await synthBlueprint(loadExample("extended-servers-lni.yaml"));
    const outdir = mkdtempSync(path.join(tmpdir(), "tftest-"));
    try {
      cpSync(synth.outdir, outdir, { recursive: true });
      // A file an earlier generation wrote goes; the user's own test stays.
      const networkTests = path.join(outdir, "stacks", "network", SUITE_DIR);
      mkdirSync(networkTests, { recursive: true });
      writeFileSync(path.join(networkTests, "fails_99_gone.tftest.hcl"), `${GENERATED_MARK}: stale\n`);
      writeFileSync(path.join(networkTests, "mine.tftest.hcl"), 'run "mine" {\n  command = plan\n}\n');
      const { written, skipped } = writeTerraformTests(loadExample("extended-servers-lni.yaml"), outdir);
      expect(skipped.map((s) => s.stack)).toEqual(["addons"]);
      expect(readdirSync(networkTests)).toContain("mine.tftest.hcl");
      expect(readdirSync(networkTests)).not.toContain("fails_99_gone.tftest.hcl");
      for (const suite of written) {
        const testsDir = path.join(outdir, "stacks", suite.stack, SUITE_DIR);
        const generated = readdirSync(testsDir).filter((f) => f.endsWith(".tftest.hcl") && f !== "mine.tftest.hcl");
        expect(generated.sort()).toEqual(Object.keys(suite.files).map((f) => path.basename(f)).sort());
        for (const [file, text] of Object.entries(suite.files)) expect(readFileSync(path.join(outdir, "stacks", suite.stack, file), "utf8")).toBe(text);
        expect(JSON.parse(readFileSync(path.join(outdir, "stacks", suite.stack, MANIFEST_FILE), "utf8")).conditions).toEqual(suite.conditions);
      }
    } finally {
      synth.dispose();
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("says what to do when nothing is synthesized", () => {
    expect(() => writeTerraformTests(loadExample("extended-racks.yaml"), path.join(tmpdir(), "no-such-outdir"))).toThrow(/run npm run synth first/);
  });

  it("reads --outdir", () => {
    expect(parseTftestArgs([])).toEqual({ outdir: "cdktf.out" });
    expect(parseTftestArgs(["--outdir", "x"])).toEqual({ outdir: "x" });
    expect(() => parseTftestArgs(["--bogus"])).toThrow(/unknown argument --bogus/);
  });
});

describe("the evaluator and the tally", () => {
  const run = (text: string, values: Record<string, unknown>) => evaluate(parseValueString(text), (ref) => values[ref.path.map((s: any) => s.attr).join(".")]);

  it("evaluates the forms the conditions use", () => {
    expect(run('${contains(tolist(self.types), "m5.xlarge")}', { types: ["m5.xlarge"] })).toBe(true);
    expect(run('${(coalesce(self.arn, "regional") == "regional")}', { arn: "" })).toBe(true);
    expect(run('${(tonumber(element(split(".", self.v), 1)) >= 33)}', { v: "1.32" })).toBe(false);
    expect(run('${(length([for m in self.maps : m.ebs.snapshot_id if try(m.ebs.snapshot_id, "") != ""]) == 1)}', { maps: [{ ebs: { snapshot_id: "snap-1" } }, { ebs: {} }] })).toBe(true);
    expect(run('${!contains(["use1-az3"], self.zone)}', { zone: "use1-az3" })).toBe(false);
  });

  it("finds another value of the same shape", () => {
    expect(sibling("10.30.0.0/16")).toBe("10.31.0.0/16");
    expect(sibling("eu-west-1a")).toBe("eu-west-1b");
    expect(sibling("RACK")).toBe("SERVER");
    expect(sibling("vpc-0abc1234def567899")).toBe("vpc-0abc1234def567890");
  });

  it("counts a condition proven only when each of its runs passed", () => {
    const lines = [
      { type: "test_run", test_run: { run: "world", progress: "complete", status: "pass" } },
      { type: "test_run", test_run: { run: "a", progress: "complete", status: "pass" } },
      { type: "test_run", test_run: { run: "b", progress: "complete", status: "fail" } },
    ].map((l) => JSON.stringify(l));
    const result = tallySuite("s", [
      { id: "one", checkable: "x", errorMessage: "", runs: ["a"] },
      { id: "two", checkable: "x", errorMessage: "", runs: ["a", "b"] },
      { id: "three", checkable: "x", errorMessage: "", runs: [], untestable: "no data" },
      { id: "four", checkable: "x", errorMessage: "", runs: [], problem: "cannot fire" },
    ], lines.join("\n"));
    expect(result.proven).toEqual(["one"]);
    expect(result.failing.map((f) => f.id)).toEqual(["two", "four"]);
    expect(result.notRun).toEqual([]);
    expect(result.untestable).toEqual([{ id: "three", reason: "no data" }]);
    expect(result.worldPassed).toBe(true);
  });

  it("reports a run terraform skipped or never reached as not run, neither proven nor failing", () => {
    const lines = [
      { type: "test_run", test_run: { run: "world", progress: "complete", status: "fail" } },
      { type: "test_run", test_run: { run: "a", progress: "complete", status: "skip" } },
      { type: "test_run", test_run: { run: "b", progress: "complete", status: "pass" } },
    ].map((l) => JSON.stringify(l));
    const result = tallySuite("s", [
      { id: "skipped", checkable: "x", errorMessage: "", runs: ["a"] },
      { id: "absent", checkable: "x", errorMessage: "", runs: ["b", "c"] },
    ], lines.join("\n"));
    expect(result.proven).toEqual([]);
    expect(result.failing).toEqual([]);
    expect(result.notRun).toEqual([
      { id: "skipped", run: "a", status: "skip" },
      { id: "absent", run: "c", status: "not run" },
    ]);
    expect(result.worldPassed).toBe(false);
  });
});

describe("the world model", () => {
  it("fails an AMI's snapshot check first with two snapshots, the failure AWS can give", async () => {
    const suite = suitesByExample["extended-servers-lni.yaml"].written.find((s) => s.stack === "workers")!;
    const runs = suite.conditions.filter((c) => /^aws_launch_template\./.test(c.id) && /snapshot/i.test(c.errorMessage)).flatMap((c) => c.runs);
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const parsed = await parseHcl(run, fileOfRun(suite, run));
      const override = parsed.run[run][0].override_data[0];
      const mappings = override.values.block_device_mappings as Array<{ ebs: { snapshot_id: string } }>;
      expect(mappings.map((m) => m.ebs.snapshot_id)).toEqual(["snap-0123456789abcdef0", "snap-0123456789abcdef1"]);
    }
  });

  it("answers instance architectures from its own table of Outposts families, not from the naming rule", () => {
    expect(instanceTypeFacts("c6gd.2xlarge").supported_architectures).toEqual(["arm64"]);
    expect(instanceTypeFacts("g4dn.xlarge").supported_architectures).toEqual(["x86_64"]);
    expect(instanceTypeFacts("m6id.large").supported_architectures).toEqual(["x86_64"]);
    // The table and the rule agree on every family the table knows: a change to either shows here.
    for (const family of Object.keys(OUTPOSTS_FAMILIES)) expect([family, instanceTypeArchitecture(`${family}.large`)]).toEqual([family, OUTPOSTS_FAMILIES[family].architecture]);
  });

  it("knows sizes beyond the doubling ladder: metal, Graviton medium, burstable t3", () => {
    expect(instanceTypeFacts("m5.metal")).toMatchObject({ default_vcpus: 96, memory_size: 384 * 1024 });
    expect(instanceTypeFacts("c6id.metal").default_vcpus).toBe(128);
    expect(instanceTypeFacts("c6gd.medium")).toMatchObject({ default_vcpus: 1, memory_size: 2 * 1024 });
    expect(instanceTypeFacts("t3.medium")).toMatchObject({ default_vcpus: 2, memory_size: 4 * 1024 });
    expect(instanceTypeFacts("c5.9xlarge")).toMatchObject({ default_vcpus: 36, memory_size: 72 * 1024 });
    expect(instanceTypeFacts("i3en.6xlarge")).toMatchObject({ default_vcpus: 24, memory_size: 192 * 1024 });
  });

  it("names zone IDs in every partition's style", () => {
    expect(zoneIdOf("us-west-2a")).toBe("usw2-az1");
    expect(zoneIdOf("ap-southeast-1b")).toBe("apse1-az2");
    expect(zoneIdOf("eu-central-1c")).toBe("euc1-az3");
    expect(zoneIdOf("us-gov-west-1a")).toBe("usgw1-az1");
    expect(zoneIdOf("us-gov-east-1b")).toBe("usge1-az2");
    expect(zoneIdOf("cn-northwest-1a")).toBe("cnnw1-az1");
  });
});

describe("the runner's commands", () => {
  it("kills a command that outlives its timeout and says so, exit 124", async () => {
    const run = await runCommand(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { cwd: process.cwd(), env: process.env, timeoutMs: 200 });
    expect(run.status).toBe(124);
    expect(run.stderr).toMatch(/killed after 0\.2 s without finishing$/);
  });

  it("gives terraform none of the caller's variables that would share a directory or change its arguments", () => {
    const saved = { ...process.env };
    Object.assign(process.env, { TF_DATA_DIR: "/shared", TF_PLUGIN_CACHE_DIR: "/cache", TF_CLI_ARGS: "-x", TF_CLI_ARGS_init: "-y", TF_LOG: "WARN" });
    try {
      const env = terraformEnv({ TF_CLI_CONFIG_FILE: "/rc" });
      expect(Object.keys(env).filter((name) => /^TF_(DATA_DIR|PLUGIN_CACHE_DIR|CLI_ARGS)/.test(name))).toEqual([]);
      expect({ log: env.TF_LOG, rc: env.TF_CLI_CONFIG_FILE, checkpoint: env.CHECKPOINT_DISABLE }).toEqual({ log: "WARN", rc: "/rc", checkpoint: "1" });
    } finally {
      for (const name of ["TF_DATA_DIR", "TF_PLUGIN_CACHE_DIR", "TF_CLI_ARGS", "TF_CLI_ARGS_init", "TF_LOG"]) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
