/**
 * Issue 31: neither installer's destroy can match what the network stack of a network-only blueprint
 * creates. `hypershift destroy cluster aws` and `openshift-install destroy cluster` delete by tag
 * (config/distributions.ts INSTALLER_DESTROY_TAG_MATCHES); every tag of every resource, and the
 * provider's default tags, are read from the synthesized stack.
 */
import { Blueprint } from "../../config";
import { clusterTagKey } from "../../config/names";
import { HYPERSHIFT_CLUSTER_TAG_VALUE, hypershiftNames, installerDestroyMatches } from "../../config/distributions";
import { exampleWith, loadExample, NETWORK_ONLY_EXAMPLES, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

/** Every [where, key, value] tag the stack writes: each resource's tags and the AWS provider's default tags. */
function tagsOf(stack: Json): Array<[string, string, string]> {
  const found: Array<[string, string, string]> = [];
  for (const [type, blocks] of Object.entries(stack.resource ?? {})) {
    for (const [id, block] of Object.entries(blocks as Json)) {
      for (const [key, value] of Object.entries((block as Json).tags ?? {})) found.push([`${type}.${id}`, key, String(value)]);
    }
  }
  for (const provider of [stack.provider?.aws ?? []].flat()) {
    for (const defaults of [provider.default_tags ?? []].flat()) {
      for (const [key, value] of Object.entries(defaults.tags ?? {})) found.push(["provider.aws.default_tags", key, String(value)]);
    }
  }
  return found;
}

async function networkOf(blueprint: Blueprint): Promise<Json> {
  const synth = await synthBlueprint(blueprint);
  try {
    return synth.json("network");
  } finally {
    synth.dispose();
  }
}

const HYPERSHIFT_VARIANT = exampleWith("hypershift-outposts.yaml", (raw) => {
  raw.hypershift = { baseDomain: "example.com", baseDomainPrefix: "none", infraId: "hcp-edge-x7k2p" };
  raw.tags = { team: "platform" };
});

const CASES: Array<[string, Blueprint]> = [
  ...NETWORK_ONLY_EXAMPLES.map((example): [string, Blueprint] => [example, loadExample(example)]),
  ["hypershift-outposts.yaml with its own infra ID and base domain prefix none", HYPERSHIFT_VARIANT],
];

describe("installer destroy paths cannot match the network stack", () => {
  it("covers both network-only distributions", () => {
    expect(CASES.map(([, blueprint]) => blueprint.distribution)).toEqual(expect.arrayContaining(["openshift", "hypershift"]));
  });

  it.each(CASES)("%s: no tag carries a key and value a destroy deletes by", async (_name, blueprint) => {
    const tags = tagsOf(await networkOf(blueprint));
    // The scan saw the tagged resources: Name tags at least on the VPC and every subnet.
    expect(tags.filter(([, key]) => key === "Name").length).toBeGreaterThanOrEqual(1 + blueprint.network.regionalSubnets.length);
    const matched = tags.filter(([, key, value]) => installerDestroyMatches(key, value).length > 0);
    expect(matched).toEqual([]);
  });

  it("HyperShift's discovery tag is still there, with the value shared, on the VPC, its subnets and both private zones", async () => {
    const stack = await networkOf(HYPERSHIFT_VARIANT);
    const key = clusterTagKey("hcp-edge-x7k2p");
    const tagged = tagsOf(stack).filter(([, tagKey]) => tagKey === key);
    expect(new Set(tagged.map(([, , value]) => value))).toEqual(new Set([HYPERSHIFT_CLUSTER_TAG_VALUE]));
    const types = new Set(tagged.map(([where]) => where.split(".")[0]));
    expect([...types]).toEqual(expect.arrayContaining(["aws_vpc", "aws_subnet", "aws_route53_zone"]));
  });

  it("baseDomainPrefix none makes the private zone the base domain itself, as hypershift's ZoneName does", async () => {
    const stack = await networkOf(HYPERSHIFT_VARIANT);
    const zones = Object.values(resourcesOf(stack, "aws_route53_zone")).map((zone: any) => zone.name).sort();
    expect(zones).toEqual(["example.com", "hcp-edge.hypershift.local"]);
    expect(hypershiftNames(HYPERSHIFT_VARIANT)).toMatchObject({ baseDomainPrefix: "none", privateZoneName: "example.com" });
  });
});

describe("installerDestroyMatches", () => {
  it.each([
    ["kubernetes.io/cluster/abc", "owned", 2],
    ["kubernetes.io/cluster/abc", "shared", 0],
    ["kubernetes.io/cluster/unmanaged", "true", 0],
    ["openshiftClusterID", "0b1c2d3e", 1],
    ["sigs.k8s.io/cluster-api-provider-aws/cluster/abc", "owned", 1],
    ["sigs.k8s.io/cluster-api-provider-aws/cluster/abc", "shared", 0],
    ["Name", "owned", 0],
  ])("%s = %s: %i matches", (key, value, count) => {
    expect(installerDestroyMatches(key, value)).toHaveLength(count);
  });
});
