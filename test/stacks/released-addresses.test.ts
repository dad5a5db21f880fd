/**
 * Upgrades keep state: every resource address and output a released version synthesized for an
 * example is still synthesized, so no upgrade replaces a resource because its logical ID changed
 * (a rename needs a `moveTo`/`moveFromId` pair and an entry here) and no output a reader uses
 * disappears. The addresses of each release are in test/facts/released-addresses.json.
 *
 * Two answers other than a move: a `removed` block in the same stack (the state forgets the
 * resource, AWS keeps it: a resource that moved to another stack's state), or an entry under
 * `retired` in the facts file, for a resource a release destroys on purpose, named in CHANGELOG.md.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { loadExample, synthBlueprint } from "../helpers/synth";

const facts = JSON.parse(readFileSync(path.join(__dirname, "../facts/released-addresses.json"), "utf8"));
const retired = Object.entries<{ examples: string[]; reason: string }>(facts.retired ?? {});
const changelog = readFileSync(path.join(__dirname, "../../CHANGELOG.md"), "utf8");
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
    for (const block of json.removed ?? []) if (block.lifecycle?.destroy === false) addresses.add(`${stack} ${block.from}`);
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
    const retiredHere = new Set(retired.filter(([, entry]) => entry.examples.includes(example)).map(([address]) => address));
    expect(addresses.filter((address) => !current.has(address) && !retiredHere.has(address))).toEqual([]);
  });

  it.each(retired)("%s is retired on purpose, with a reason and a CHANGELOG line", (address, entry) => {
    expect(entry.reason.length).toBeGreaterThan(20);
    expect(changelog).toContain(address.split(" ")[1].replace(/_[0-9A-F]{8}$/, ""));
  });
});
