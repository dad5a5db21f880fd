/**
 * Upgrades keep state: every resource address and output a released version synthesized for an
 * example is still synthesized, so no upgrade replaces a resource because its logical ID changed
 * (a rename needs a `moveTo`/`moveFromId` pair and an entry here) and no output a reader uses
 * disappears. The addresses of each release are in test/facts/released-addresses.json.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { loadExample, synthBlueprint } from "../helpers/synth";

const facts = JSON.parse(readFileSync(path.join(__dirname, "../facts/released-addresses.json"), "utf8"));
const cases = Object.entries<Record<string, string[]>>(facts.releases).flatMap(([release, examples]) =>
  Object.entries(examples).map(([example, addresses]) => ({ release, example, addresses })),
);

/** `<stack> <type>.<logical id>` of every resource, `<stack> output.<name>` of every output. */
async function addressesOf(example: string): Promise<Set<string>> {
  const result = await synthBlueprint(loadExample(example));
  const addresses = new Set<string>();
  for (const stack of result.stackNames) {
    const json = result.json(stack);
    for (const [type, blocks] of Object.entries<Record<string, unknown>>(json.resource ?? {})) for (const id of Object.keys(blocks)) addresses.add(`${stack} ${type}.${id}`);
    for (const name of Object.keys(json.output ?? {})) addresses.add(`${stack} output.${name}`);
  }
  return addresses;
}

describe("released addresses", () => {
  it("cover every example a release shipped", () => {
    expect(cases.map(({ release, example }) => `${release} ${example}`)).toEqual([
      "0.2.0 existing-vpc.yaml",
      "0.2.0 extended-racks.yaml",
      "0.2.0 extended-servers-lni.yaml",
      "0.2.0 local-cluster.yaml",
    ]);
    expect(Math.min(...cases.map(({ addresses }) => addresses.length))).toBeGreaterThan(100);
  });

  it.each(cases)("$release $example: every address is still synthesized", async ({ example, addresses }) => {
    const current = await addressesOf(example);
    expect(addresses.filter((address) => !current.has(address))).toEqual([]);
  });
});
