/**
 * Issue 31: blueprints that synthesized but an installer's destroy, AWS or the installer would refuse or
 * break. Each case breaks a valid example in one way; the answer names the field path, shows the
 * value and says what would be valid, and nothing is synthesized (validateBlueprint throws first).
 */
import { BlueprintConfigError, BlueprintProblem, validateBlueprint } from "../../config";
import { rawExample } from "../helpers/synth";

type Raw = Record<string, any>;

function problemsOf(raw: unknown): BlueprintProblem[] {
  try {
    validateBlueprint(raw, "test.yaml");
  } catch (error) {
    if (error instanceof BlueprintConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

function broken(example: string, change: (raw: Raw) => void): Raw {
  const raw = structuredClone(rawExample(example));
  change(raw);
  return raw;
}

interface Case {
  readonly rule: string;
  readonly example: string;
  readonly change: (raw: Raw) => void;
  readonly path: string;
  readonly message: RegExp;
}

const hypershift = "hypershift-outposts.yaml";
const openshift = "openshift-outposts.yaml";

export const ISSUE_31_CASES: Case[] = [
  {
    rule: "hypershift: no blueprint tag hypershift's destroy deletes by",
    example: hypershift,
    change: (r) => (r.tags = { "kubernetes.io/cluster/hcp-edge": "owned" }),
    path: "tags.kubernetes.io/cluster/hcp-edge",
    message: /hypershift destroy cluster aws.*deletes resources by.*use another key, or the value shared/,
  },
  {
    rule: "openshift: no openshiftClusterID tag",
    example: openshift,
    change: (r) => (r.tags = { openshiftClusterID: "1b2c3d4e-0000-4000-8000-000000000000" }),
    path: "tags.openshiftClusterID",
    message: /openshift-install destroy cluster/,
  },
];

describe("issue 31 refusal classes", () => {
  it.each(ISSUE_31_CASES.map((c) => [c.rule, c] as const))("%s", (_rule, c) => {
    expect(problemsOf(rawExample(c.example))).toEqual([]);
    const problems = problemsOf(broken(c.example, c.change));
    const problem = problems.find((candidate) => candidate.path === c.path);
    expect({ path: problem?.path, message: problem?.message }).toEqual({ path: c.path, message: expect.stringMatching(c.message) });
  });
});
