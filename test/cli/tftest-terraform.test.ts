/**
 * `npm run test:terraform`: every example's AWS-only stacks run their generated `terraform test`
 * suites with terraform and the aws provider from the local mirror. The world run must pass and
 * every condition must be proven by a failing run or listed as untestable with a reason; the
 * summary prints the counts. Without terraform or the mirror the suite says why it skipped.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { findTerraformToolchain } from "../helpers/terraform";
import { EXAMPLES, loadExample, synthBlueprint } from "../helpers/synth";
import { generateSuites, runTerraformTests, SkippedStack, SuiteResult, SuiteTarget, summarize } from "../../scripts/tftest-lib";

const lookup = findTerraformToolchain();
if (!lookup.toolchain) console.warn(`terraform test suites skipped: ${lookup.reason}`);
const withTerraform = lookup.toolchain ? describe : describe.skip;

withTerraform(`terraform test ${lookup.toolchain?.version ?? ""}: every example's plan-time checks fire`, () => {
  const targets: SuiteTarget[] = [];
  const skipped: SkippedStack[] = [];
  let results: SuiteResult[] = [];
  const workDir = mkdtempSync(path.join(tmpdir(), "outposts-eks-tftest-kept-"));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  beforeAll(async () => {
    for (const example of EXAMPLES) {
      const blueprint = loadExample(example);
      const synth = await synthBlueprint(blueprint);
      try {
        const jsons = Object.fromEntries(synth.stackNames.map((stack) => [stack, synth.json(stack)]));
        const suites = generateSuites(blueprint, jsons);
        const label = example.replace(/\.yaml$/, "");
        for (const suite of suites.written) targets.push({ label: `${label}/${suite.stack}`, json: jsons[suite.stack], suite });
        skipped.push(...suites.skipped.map((s) => ({ stack: `${label}/${s.stack}`, reason: s.reason })));
      } finally {
        synth.dispose();
      }
    }
    results = await runTerraformTests(lookup.toolchain!, targets, { workDir });
    console.log(summarize(results, skipped));
  }, 900_000);

  it("runs a suite for every network stack, and skips only stacks that need providers beyond aws", () => {
    expect(results.filter((r) => /\/network$/.test(r.stack))).toHaveLength(EXAMPLES.length);
    for (const s of skipped) expect(s.reason).toMatch(/^needs providers other than hashicorp\/aws: /);
  });

  it("runs every stack on a provider no other stack's init rewrites (the mirror's own, no shared plugin cache)", () => {
    const mirror = path.resolve(lookup.toolchain!.mirror);
    const stacks = readdirSync(workDir).filter((entry) => existsSync(path.join(workDir, entry, ".terraform", "providers")));
    expect(stacks.length).toBe(results.length);
    for (const stack of stacks) {
      const platforms = path.join(workDir, stack, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws");
      for (const version of readdirSync(platforms)) {
        for (const platform of readdirSync(path.join(platforms, version))) {
          // A link straight into the mirror (an unpacked mirror), or the stack's own copy (a packed
          // one): never a link into a directory another stack's init writes to, as a plugin cache is
          // (whose own entry links on to the mirror, so only the first link tells).
          const entry = path.join(platforms, version, platform);
          const linked = lstatSync(entry).isSymbolicLink() ? path.resolve(path.dirname(entry), readlinkSync(entry)) : undefined;
          const own = linked === undefined || linked.startsWith(`${mirror}${path.sep}`);
          expect({ stack, linked, own }).toEqual({ stack, linked, own: true });
        }
      }
    }
  });

  it("passes every world run: each check holds when AWS answers as the blueprint describes", () => {
    expect(results.filter((r) => !r.worldPassed).map((r) => ({ stack: r.stack, output: r.output }))).toEqual([]);
  });

  it("proves every condition it can reach by a run in which terraform reports it failing", () => {
    expect(results.flatMap((r) => r.failing.map((f) => `${r.stack}: ${f.id} (${f.run}: ${f.status})`))).toEqual([]);
    expect(results.flatMap((r) => r.notRun.map((f) => `${r.stack}: ${f.id} (${f.run}: ${f.status})`))).toEqual([]);
    expect(results.reduce((sum, r) => sum + r.proven.length, 0)).toBeGreaterThan(0);
  });

  it("gives every untestable condition a reason", () => {
    for (const entry of results.flatMap((r) => r.untestable)) expect(entry.reason.length).toBeGreaterThan(20);
  });
});

/** A copy of a synthesized stack with one condition broken, as a typo in a module would break it. */
function withBrokenCondition(json: Record<string, any>, from: string, to: string): Record<string, any> {
  const text = JSON.stringify(json);
  if (!text.includes(from)) throw new Error(`the stack has no condition text ${from}`);
  return JSON.parse(text.split(from).join(to));
}

withTerraform("terraform test: a broken condition fails the run", () => {
  const example = "extended-servers-lni.yaml";
  let results: SuiteResult[] = [];
  const workDir = mkdtempSync(path.join(tmpdir(), "outposts-eks-tftest-kept-"));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const blueprint = loadExample(example);
    const synth = await synthBlueprint(blueprint);
    try {
      const jsons = Object.fromEntries(synth.stackNames.map((stack) => [stack, synth.json(stack)]));
      const network = jsons.network;
      const outpostLookup = Object.keys(network.data.aws_outposts_outpost)[0];
      const mutants: Record<string, Record<string, any>> = {
        // Compares the wrong attribute: the Outpost's name instead of its parent AZ.
        "wrong-attribute": withBrokenCondition(network, `data.aws_outposts_outpost.${outpostLookup}.availability_zone ==`, `data.aws_outposts_outpost.${outpostLookup}.name ==`),
        // Can never fire: the lookup's condition made always true.
        "always-true": withBrokenCondition(network, "contains(self.arns, ", "true || contains(self.arns, "),
      };
      const targets: SuiteTarget[] = Object.entries(mutants).map(([label, json]) => {
        const suite = generateSuites(blueprint, { ...jsons, network: json }).written.find((s) => s.stack === "network")!;
        return { label, json, suite };
      });
      results = await runTerraformTests(lookup.toolchain!, targets, { workDir });
      console.log(summarize(results));
    } finally {
      synth.dispose();
    }
  }, 300_000);

  it("fails the world run when a condition compares the wrong attribute, and still proves every other condition", () => {
    const wrong = results.find((r) => r.stack === "wrong-attribute")!;
    const healthy = results.find((r) => r.stack === "always-true")!;
    expect(wrong.worldPassed).toBe(false);
    // One file per run: the broken condition hides no other result (in one file terraform skipped every later run).
    expect(wrong.notRun).toEqual([]);
    expect(wrong.proven.length).toBeGreaterThan(0);
    expect(wrong.proven.length + wrong.failing.length + wrong.untestable.length).toBe(healthy.proven.length + healthy.failing.length + healthy.untestable.length);
    // The broken condition is named as the cause.
    expect(wrong.failing).toContainEqual({
      id: expect.stringMatching(/^aws_subnet\..* precondition 1$/),
      run: expect.any(String),
      status: expect.stringMatching(/is false in the blueprint's world \(it reads data\.aws_outposts_outpost\..*\.name = "server-1"\)/),
    });
  });

  it("counts a condition that nothing can make fire as failing, not proven", () => {
    const vacuous = results.find((r) => r.stack === "always-true")!;
    expect(vacuous.worldPassed).toBe(true);
    expect(vacuous.failing).toEqual([expect.objectContaining({ id: expect.stringMatching(/^data\.aws_outposts_outposts\..* postcondition 1$/) })]);
    expect(vacuous.proven).toHaveLength(2);
  });
});
