/**
 * `outposts-eks`, the package's command, run as a process: each subcommand once, from the app the npm
 * scripts run (.app/cli/outposts-eks.js, built by test/global-setup.ts), so each costs a node start
 * and what the command loads, not a TypeScript compile. `--help` of every subcommand runs in-process.
 */
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { loadOneBlueprint } from "../../config";
import { capacityLines, capacityReport } from "../../cli/capacity";
import { renderDiagram } from "../../cli/diagram-lib";
import { describeError } from "../../cli/errors";
import { CommandError, EXIT_CODES } from "../../cli/exit-codes";
import { blueprintJsonSchema } from "../../cli/export-schema";
import { imagesCommand } from "../../cli/images";
import { openshiftFragments, renderOpenshiftFragments } from "../../cli/openshift-fragments";
import { cliProgram, runCli, SITES_ENV } from "../../cli/outposts-eks";
import { EXAMPLES_DIR, loadExample, PROJECT_ROOT } from "../helpers/synth";

const BIN = path.join(PROJECT_ROOT, ".app", "cli", "outposts-eks.js");
const example = (file: string) => path.join(EXAMPLES_DIR, file);
let scratch: string;
beforeAll(() => (scratch = mkdtempSync(path.join(tmpdir(), "outposts-eks-cli-"))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the command in `cwd` (default: a scratch folder, so nothing lands in the clone). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = scratch) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, BLUEPRINT_CONFIG: "", ...env }, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("outposts-eks as a process", () => {
  it("lists every subcommand and the exit codes with --help, and answers an unknown command with the usage exit code", () => {
    const help = cli(["--help"]);
    expect(help.status).toBe(0);
    for (const name of ["validate", "synth", "deploy", "diff", "destroy", "diagram", "images", "disconnect-kit", "eject", "openshift-fragments", "hypershift-infra", "capacity", "schema"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    expect(help.stdout).toContain(`${EXIT_CODES.invalidBlueprint}  the blueprint is invalid`);
    const unknown = cli(["deploi"]);
    expect({ status: unknown.status, stderr: unknown.stderr }).toEqual({ status: EXIT_CODES.usage, stderr: expect.stringContaining("unknown command 'deploi'") });
  });

  it("validate: a one-line summary on stdout and the synth-time warnings on stderr, nothing written", () => {
    const run = cli(["validate", "--config", example("extended-servers-lni.yaml")]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\S+extended-servers-lni\.yaml: valid: 4 stacks \(network, control-plane, workers, addons\), \d+ resources \(\d+ aws, \d+ helm\), \d+ data sources, 4 warnings\n$/);
    expect(run.stderr).toMatch(/^warning: network\/outpost-server-1: .*reported to work in a community example, not supported by AWS/m);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("validate: a YAML syntax error with its line, column and the line's text; a missing file named with what to do", () => {
    const file = path.join(scratch, "broken.yaml");
    writeFileSync(file, "name: edge\nnetwork:\n  vpc: { cidr: 10.0.0.0/16 }\n regionalSubnets: []\n");
    const broken = cli(["validate", "-c", file]);
    rmSync(file);
    expect(broken.status).toBe(EXIT_CODES.invalidBlueprint);
    expect(broken.stderr).toContain("- (root): cannot be read: All mapping items must start at the same column (line 4, column 1: ` regionalSubnets: []`)");
    const missing = cli(["validate"], { BLUEPRINT_CONFIG: "nowhere.yaml" });
    expect(missing.status).toBe(EXIT_CODES.invalidBlueprint);
    expect(missing.stderr).toContain("nowhere.yaml does not exist: give the path of a YAML or JSON blueprint (--config <file> or BLUEPRINT_CONFIG)");
    expect(missing.stderr).not.toMatch(/ENOENT/);
  });

  it("synth --hcl writes cdk.tf and removes a cdk.tf.json an earlier JSON synth left in the stack folder, and the stack folders of an earlier blueprint", () => {
    const out = path.join(scratch, "out");
    mkdirSync(path.join(out, "stacks", "network"), { recursive: true });
    writeFileSync(path.join(out, "stacks", "network", "cdk.tf.json"), "{}");
    // A previous blueprint's stacks, which this one (network only) does not have.
    for (const stale of ["addons", "store-042-network"]) {
      mkdirSync(path.join(out, "stacks", stale), { recursive: true });
      writeFileSync(path.join(out, "stacks", stale, "cdk.tf.json"), "{}");
    }
    const run = cli(["synth", "--hcl", "-c", example("openshift-outposts.yaml"), "--output", out]);
    // The one warning: the example's disconnect alarms notify nobody (monitoring.notify is empty).
    expect(run.stderr).toMatch(/^warning: network: monitoring\.notify is empty[^\n]*\n$/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^out: 1 stack \(network\), \d+ resources/);
    expect(readdirSync(path.join(out, "stacks", "network")).filter((file) => file.startsWith("cdk."))).toEqual(["cdk.tf"]);
    expect(readdirSync(path.join(out, "stacks"))).toEqual(["network"]);
    rmSync(out, { recursive: true });
  });

  describe("deploy, diff and destroy pass through to the cdktf CLI", () => {
    // A stand-in for cdktf-cli's entry script: prints what it was given, one JSON line a run, and
    // exits 7 for a control-plane stack, 3 otherwise (so the worst of several runs shows).
    let stub: string;
    const fleet = path.join(EXAMPLES_DIR, "fleet", "fleet.yaml");
    beforeAll(() => {
      stub = path.join(scratch, "cdktf-stub.js");
      writeFileSync(
        stub,
        "const argv = process.argv.slice(2); console.log(JSON.stringify({ argv, sites: process.env.OUTPOSTS_EKS_SITES ?? null, checkpoint: process.env.CHECKPOINT_DISABLE, versionCheck: process.env.DISABLE_VERSION_CHECK })); process.exit(argv.some((arg) => arg.endsWith('control-plane')) ? 7 : 3);\n",
      );
      chmodSync(stub, 0o644);
    });
    const runs = (args: string[]) => {
      const run = cli(args, { OUTPOSTS_EKS_CDKTF_CLI: stub, CHECKPOINT_DISABLE: undefined as unknown as string });
      return { status: run.status, runs: run.stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
    };
    const quiet = { checkpoint: "1", versionCheck: "1" };
    it.each([
      [["deploy", "network", "--auto-approve", "-c", example("extended-racks.yaml")], 3, [{ argv: ["deploy", "network", "--auto-approve", "--parallelism", "4"], sites: null }]],
      [["deploy", "network", "--parallelism", "2", "-c", example("extended-racks.yaml")], 3, [{ argv: ["deploy", "network", "--parallelism", "2"], sites: null }]],
      [["destroy", "--sites", "store-042", "store-042-addons", "-c", fleet], 3, [{ argv: ["destroy", "store-042-addons", "--parallelism", "4"], sites: "store-042" }]],
      [["destroy", "--sites", "store-04*", "-c", fleet], 3, [{ argv: ["destroy", "*", "--parallelism", "4"], sites: "store-04*" }]],
    ])("%j", (args, status, expected) => {
      expect(runs(args)).toEqual({ status, runs: expected.map((run) => ({ ...quiet, ...run })) });
    });

    it("diff runs `cdktf diff <stack>` once per stack (cdktf 0.21 plans one), reusing the first synthesis, and exits with the worst code", () => {
      expect(runs(["diff", "network", "control-plane", "--no-color", "-c", example("extended-racks.yaml")])).toEqual({
        status: 7,
        runs: [
          { ...quiet, argv: ["diff", "network", "--no-color"], sites: null },
          { ...quiet, argv: ["diff", "control-plane", "--no-color", "--skip-synth"], sites: null },
        ],
      });
      expect(runs(["diff", "--sites", "store-043", "-c", fleet])).toEqual({
        status: 7,
        runs: ["network", "control-plane", "workers", "addons"].map((stack, index) => ({ ...quiet, argv: ["diff", `store-043-${stack}`, ...(index === 0 ? [] : ["--skip-synth"])], sites: "store-043" })),
      });
      expect(runs(["diff", "network", "-c", example("extended-racks.yaml")])).toEqual({ status: 3, runs: [{ ...quiet, argv: ["diff", "network"], sites: null }] });
    });

    it("validates the blueprint and the selection first: an error is reported once, exit 1, and cdktf never runs", () => {
      const invalid = path.join(scratch, "invalid.yaml");
      writeFileSync(invalid, "name: Bad_Name\n");
      for (const name of ["deploy", "diff", "destroy"]) {
        const bad = cli([name, "network", "-c", invalid], { OUTPOSTS_EKS_CDKTF_CLI: stub });
        expect({ status: bad.status, stdout: bad.stdout }).toEqual({ status: EXIT_CODES.invalidBlueprint, stdout: "" });
        expect(bad.stderr.match(/the blueprint is invalid/g)).toHaveLength(1);
        const unselected = cli([name, "--sites", "store-42", "-c", fleet], { OUTPOSTS_EKS_CDKTF_CLI: stub });
        expect({ status: unselected.status, stdout: unselected.stdout }).toEqual({ status: EXIT_CODES.invalidBlueprint, stdout: "" });
        expect(unselected.stderr).toContain("the site selection is invalid");
      }
    });
  });

  it("diagram, images and capacity print what their modules render; --site picks a fleet's site (config/fleet.test.ts: without it)", () => {
    const diagram = cli(["diagram", "--format", "dot", "-c", example("extended-servers-lni.yaml")]);
    expect({ status: diagram.status, stdout: diagram.stdout }).toEqual({ status: 0, stdout: renderDiagram(loadExample("extended-servers-lni.yaml"), "dot") });
    const images = cli(["images", "copy", "--tool", "skopeo", "-c", example("local-cluster.yaml")]);
    expect({ status: images.status, stdout: images.stdout }).toEqual({ status: 0, stdout: `${imagesCommand(loadExample("local-cluster.yaml"), "copy", "skopeo").join("\n")}\n` });
    const fleet = path.join(EXAMPLES_DIR, "fleet", "fleet.yaml");
    const capacity = cli(["capacity", "-c", fleet, "--site", "store-043"]);
    expect({ status: capacity.status, stdout: capacity.stdout }).toEqual({ status: 0, stdout: `${capacityLines(capacityReport(loadOneBlueprint(fleet, "store-043"))).join("\n")}\n` });
  });

  it("disconnect-kit writes the hosts block of a local cluster, and says why an extended cluster has none", () => {
    const kit = cli(["disconnect-kit", "-c", example("local-cluster.yaml"), "--endpoint", "https://abc.gr7.us-west-2.eks.amazonaws.com", "--addresses", "10.0.5.10,10.0.5.11"]);
    expect(kit.status).toBe(0);
    expect(kit.stdout).toContain("10.0.5.10 abc.gr7.us-west-2.eks.amazonaws.com\n10.0.5.11 abc.gr7.us-west-2.eks.amazonaws.com\n");
    const extended = cli(["disconnect-kit", "-c", example("extended-racks.yaml")]);
    expect({ status: extended.status, stderr: extended.stderr }).toEqual({ status: EXIT_CODES.cannotRun, stderr: expect.stringContaining("outposts-eks disconnect-kit: the disconnect kit is for local clusters") });
  });

  it("eject writes a network-only blueprint as a root module, and needs --out", () => {
    const out = path.join(scratch, "ejected");
    const run = cli(["eject", "--out", out, "-c", example("openshift-outposts.yaml")]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Ejected 1 stacks of /);
    expect(existsSync(path.join(out, "network", "main.tf"))).toBe(true);
    rmSync(out, { recursive: true });
    const usage = cli(["eject"]);
    expect({ status: usage.status, stderr: usage.stderr }).toEqual({ status: EXIT_CODES.usage, stderr: expect.stringContaining("required option '-o, --out <dir>' not specified") });
  });

  it("openshift-fragments and hypershift-infra read a terraform output file; a missing one is named, not ENOENT", () => {
    const outputs = {
      distribution: { value: "openshift" },
      region: { value: "us-west-2" },
      vpc_cidr: { value: "10.1.0.0/16" },
      regional_subnet_ids: { value: ["subnet-0aaaaaaaaaaaaaaa1"] },
      public_subnet_ids: { value: ["subnet-0bbbbbbbbbbbbbbb1"] },
      outpost_subnet_ids: { value: { "rack-a": "subnet-0ccccccccccccccc1" } },
      outpost_availability_zones: { value: { "rack-a": "us-west-2a" } },
      openshift_cluster_network_mtu: { value: 1200 },
      openshift_compute_instance_type: { value: "m5.xlarge" },
    };
    const file = path.join(scratch, "network-outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const fragments = cli(["openshift-fragments", "-c", example("openshift-outposts.yaml"), "--outputs", file]);
    const values = Object.fromEntries(Object.entries(outputs).map(([name, entry]) => [name, entry.value]));
    expect({ status: fragments.status, stdout: fragments.stdout }).toEqual({ status: 0, stdout: renderOpenshiftFragments(openshiftFragments(values)) });
    const missing = cli(["hypershift-infra", "-c", example("hypershift-outposts.yaml"), "--outputs", path.join(scratch, "none.json")]);
    expect(missing.status).toBe(EXIT_CODES.cannotRun);
    expect(missing.stderr).toMatch(/outposts-eks hypershift-infra: the file \S+none\.json does not exist/);
    expect(missing.stderr).not.toMatch(/ENOENT/);
    // The blueprint's hint is for the blueprint only.
    expect(missing.stderr).not.toContain("give the path of a YAML or JSON blueprint");
  });

  it("schema prints the blueprint's JSON Schema", () => {
    const run = cli(["schema"]);
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: blueprintJsonSchema() });
  });
});

describe("outposts-eks in-process", () => {
  // A command turns --config and --sites into BLUEPRINT_CONFIG and OUTPOSTS_EKS_SITES for the process
  // it runs in; here that process runs other test files next (test/light-runner.mjs).
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of ["BLUEPRINT_CONFIG", SITES_ENV]) saved[name] = process.env[name];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("has --help on every subcommand, with --config on those that read the blueprint and --sites on those that build stacks", async () => {
    const commands = cliProgram().commands.map((command) => command.name());
    expect(commands).toHaveLength(13);
    for (const name of commands) {
      let out = "";
      const code = await runCli([name, "--help"], { stdout: (text) => (out += text), stderr: () => undefined });
      expect({ name, code }).toEqual({ name, code: 0 });
      expect(out).toMatch(new RegExp(`^Usage: outposts-eks ${name} `));
      expect(out.includes("--config <file>")).toBe(name !== "schema");
      expect(out.includes(`(sets ${SITES_ENV})`)).toBe(["validate", "synth", "deploy", "diff", "destroy"].includes(name));
    }
  });

  it("deploy --help names what a deploy still reaches, and diff --help says it plans one stack per run", async () => {
    const help = async (name: string) => {
      let out = "";
      await runCli([name, "--help"], { stdout: (text) => (out += text), stderr: () => undefined });
      return out.replace(/\s+/g, " ");
    };
    const deploy = await help("deploy");
    expect(deploy).toContain("without telemetry or version checks");
    expect(deploy).not.toContain("offline");
    for (const need of ["Terraform registry (or a provider mirror)", "Helm chart repositories", "AWS APIs", "private endpoint (VPC, VPN or Direct Connect)", "--parallelism N"]) expect(deploy).toContain(need);
    expect(await help("diff")).toContain("Runs `cdktf diff <stack>` once per stack");
  });

  it("answers a valid fleet given to a one-blueprint command without --site as a usage error (exit 3), not an invalid blueprint", async () => {
    const fleet = path.join(EXAMPLES_DIR, "fleet", "fleet.yaml");
    let err = "";
    const code = await runCli(["capacity", "-c", fleet], { stdout: () => undefined, stderr: (text) => (err += text) });
    expect({ code, err }).toEqual({
      code: EXIT_CODES.usage,
      err: `outposts-eks capacity: ${fleet} is a fleet (a top-level sites list, docs/fleets.md), not one blueprint: name a site with --site <name> (its sites: store-042, store-043, store-044)\n`,
    });
  });

  it("maps a command's own CommandError to its exit code, and any other error to an internal error (exit 2)", () => {
    const file = "blueprint.yaml";
    expect(describeError(new CommandError("no endpoint: give --endpoint"), "disconnect-kit", file)).toEqual({ message: "outposts-eks disconnect-kit: no endpoint: give --endpoint", exitCode: EXIT_CODES.cannotRun });
    expect(describeError(new CommandError("name a site", EXIT_CODES.usage), "images", file).exitCode).toBe(EXIT_CODES.usage);
    for (const bug of [new Error("undefined is not a function"), new TypeError("x is undefined"), new SyntaxError("Unexpected token")]) {
      const { message, exitCode } = describeError(bug, "images", file);
      expect({ exitCode, internal: message.startsWith("outposts-eks: internal error, a bug in outposts-eks") }).toEqual({ exitCode: EXIT_CODES.internalError, internal: true });
    }
  });

  it("without --config or BLUEPRINT_CONFIG where the clone's default is missing, asks for --config (exit 3)", () => {
    const run = cli(["validate"]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: EXIT_CODES.usage,
      stderr: "outposts-eks validate: name a blueprint with --config <file> (or BLUEPRINT_CONFIG): there is no examples/extended-racks.yaml here, the default of a clone of outposts-eks\n",
    });
  });

  it("hides the maintainers' diagram --write-docs from --help", async () => {
    let out = "";
    await runCli(["diagram", "--help"], { stdout: (text) => (out += text), stderr: () => undefined });
    expect(out).toContain("--format <format>");
    expect(out).not.toContain("--write-docs");
  });

  it("keeps the published bin and the npm scripts pointing at the command", () => {
    const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
    expect(manifest.bin).toEqual({ "outposts-eks": "dist/cli/outposts-eks.js" });
    expect(readFileSync(path.join(PROJECT_ROOT, "cli", "outposts-eks.ts"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    for (const name of ["validate", "synth", "images", "disconnect-kit", "openshift-fragments", "hypershift-infra", "capacity", "diagram", "eject"]) {
      expect(manifest.scripts[name]).toBe(`node scripts/build-app.mjs && node .app/cli/outposts-eks.js ${name}`);
    }
  });
});
