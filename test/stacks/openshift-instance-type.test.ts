/**
 * Issue 31: a network-only blueprint plans no EC2 instance on the Outpost, so no launch template's
 * precondition checks the installer's instance type; the Outpost subnet's construct asks the Outpost
 * at plan time instead (aws_outposts_outpost_instance_types, with a postcondition per type).
 */
import { dataSourcesOf, exampleWith, loadExample, synthBlueprint } from "../helpers/synth";

async function networkOf(blueprint: ReturnType<typeof loadExample>): Promise<Record<string, any>> {
  const synth = await synthBlueprint(blueprint);
  try {
    return synth.json("network");
  } finally {
    synth.dispose();
  }
}

describe("OpenShift: the compute instance type is checked against the Outpost at plan time", () => {
  it("reads the Outpost's instance types and fails the plan unless computeInstanceType is among them", async () => {
    const blueprint = loadExample("openshift-outposts.yaml");
    const lookups = Object.values(dataSourcesOf(await networkOf(blueprint), "aws_outposts_outpost_instance_types")) as any[];
    const outpost = blueprint.outposts[0];
    expect(lookups).toHaveLength(blueprint.outposts.length);
    const [lookup] = lookups.filter((candidate) => candidate.arn === outpost.arn);
    expect(lookup.lifecycle.postcondition).toEqual([
      {
        condition: `\${contains(self.instance_types, "${blueprint.openshift!.computeInstanceType}")}`,
        error_message: expect.stringContaining(`does not offer ${blueprint.openshift!.computeInstanceType}, which the installer launches`),
      },
    ]);
  });

  it("adds no such lookup where nothing names an installer instance type (HyperShift, EKS)", async () => {
    for (const example of ["hypershift-outposts.yaml", "extended-racks.yaml"]) {
      const stack = await networkOf(exampleWith(example, () => undefined));
      expect(Object.keys(dataSourcesOf(stack, "aws_outposts_outpost_instance_types"))).toEqual([]);
    }
  });
});
