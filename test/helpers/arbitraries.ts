/**
 * fast-check generators for the property tests (test/config/properties.test.ts) and `npm run fuzz`:
 * valid blueprints built within the rules (racks with direct VPC routing, or one server alone; a
 * local cluster on one rack), and mutations of the examples (a field dropped, a list item repeated,
 * a type changed, odd characters inserted).
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

type Raw = Record<string, any>;

const EXAMPLES_DIR = path.resolve(__dirname, "../../examples");
export const EXAMPLE_FILES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith(".yaml")).sort();
export const exampleRaw = (file: string): Raw => parseYaml(readFileSync(path.join(EXAMPLES_DIR, file), "utf8"));

const hex17 = (n: number) => n.toString(16).padStart(17, "0");

/** A valid blueprint: every field chosen at random within what the rules accept. */
export const validBlueprint: fc.Arbitrary<Raw> = fc
  .record({
    variant: fc.constantFrom("extended", "extended", "local"),
    racks: fc.integer({ min: 1, max: 4 }),
    server: fc.boolean(),
    groupsPerOutpost: fc.integer({ min: 1, max: 2 }),
    minSize: fc.integer({ min: 0, max: 3 }),
    extraMax: fc.integer({ min: 0, max: 3 }),
    spare: fc.integer({ min: 0, max: 2 }),
    egress: fc.constantFrom("private", "nat"),
    backend: fc.constantFrom("local", "s3", "cloud"),
    lbc: fc.boolean(),
    storage: fc.boolean(),
    nth: fc.boolean(),
    imageSource: fc.constantFrom("regional", "privateRepositories", "pullThroughCache"),
    family: fc.constantFrom("al2023", "al2023", "al2"),
    flowLogs: fc.boolean(),
    onPrem: fc.boolean(),
    nodeSlots: fc.option(fc.integer({ min: 60, max: 100 }), { nil: undefined }),
  })
  .map((c) => {
    const local = c.variant === "local";
    const serverOnly = !local && c.server;
    const outposts: Raw[] = serverOnly
      ? [{ name: "server-1", arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${hex17(999)}`, formFactor: "server", availabilityZone: "us-west-2a", subnet: { cidr: "10.0.100.0/24" }, lniDeviceIndex: 1 }]
      : Array.from({ length: local ? 1 : c.racks }, (_, i) => ({
          name: `rack-${i}`,
          arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${hex17(i + 1)}`,
          formFactor: "rack",
          availabilityZone: i % 2 === 0 ? "us-west-2a" : "us-west-2b",
          subnet: { cidr: `10.0.${10 + i}.0/24` },
          localGatewayRouteTableId: `lgw-rtb-${hex17(i + 1)}`,
          ...(c.onPrem ? { onPremCidrs: ["192.168.0.0/16"] } : {}),
          ...(c.nodeSlots ? { nodeSlots: c.nodeSlots } : {}),
        }));
    const kubernetesVersion = local ? "1.32" : c.family === "al2" ? "1.32" : "1.33";
    const nodeGroups = outposts.flatMap((outpost) =>
      Array.from({ length: c.groupsPerOutpost }, (_, g) => ({
        name: `${outpost.name}-g${g}`,
        outpost: outpost.name,
        instanceType: local ? "m5.large" : "m5.xlarge",
        minSize: c.minSize,
        maxSize: Math.max(1, c.minSize + c.extraMax),
        spareNodes: c.spare,
        ami: { family: outpost.formFactor === "server" ? "al2023" : c.family },
      })),
    );
    const nat = c.egress === "nat";
    const backend =
      c.backend === "s3"
        ? { type: "s3", bucket: "fuzz-state", region: "us-west-2" }
        : c.backend === "cloud"
          ? { type: "cloud", organization: "fuzz", workspacePrefix: "fuzz" }
          : { type: "local", stateDirectory: "terraform-state" };
    return {
      name: "fuzz",
      region: "us-west-2",
      variant: c.variant,
      kubernetesVersion,
      backend,
      network: {
        vpc: { cidr: "10.0.0.0/16" },
        regionalSubnets: [
          { availabilityZone: "us-west-2a", cidr: "10.0.1.0/24" },
          { availabilityZone: "us-west-2b", cidr: "10.0.2.0/24" },
        ],
        egress: c.egress,
        ...(nat ? { publicSubnets: [{ availabilityZone: "us-west-2a", cidr: "10.0.200.0/24" }] } : {}),
        flowLogs: { enabled: c.flowLogs },
      },
      outposts,
      nodeGroups,
      ...(local ? { controlPlane: { local: { controlPlaneInstanceType: "m5d.2xlarge" } } } : {}),
      addons: {
        loadBalancerController: { enabled: c.lbc },
        storage: { enabled: c.storage },
        nodeTerminationHandler: { enabled: c.nth },
        images: { source: c.imageSource === "pullThroughCache" && !nat ? "privateRepositories" : c.imageSource },
      },
    };
  });

/** A small seeded generator (mulberry32), so a mutation is reproduced from its seed. */
export interface SeededRandom {
  nextInt(min: number, max: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { nextInt: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

type Mutation = (raw: Raw, rand: SeededRandom) => void;

/** Every [container, key] pair in a value, for a mutation to pick from. */
function slots(value: unknown, into: Array<[Raw, string | number]> = []): Array<[Raw, string | number]> {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      into.push([value as Raw, Array.isArray(value) ? Number(key) : key]);
      slots(child, into);
    }
  }
  return into;
}

const ODD = ["\u00A0", "\u200B", "(", ")", "*", "[", "\\", "$", "${", "%{", "é", "\n", " ", "'", '"', "..", "~", "/"];
const TYPES: unknown[] = [null, 0, -1, 1.5, Infinity, true, "", "x", [], {}, ["a", "a"], "1.39", "10.0.010.0/24"];

export const MUTATIONS: Record<string, Mutation> = {
  drop: (raw, rand) => {
    const all = slots(raw);
    const [container, key] = all[rand.nextInt(0, all.length - 1)];
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key];
  },
  duplicate: (raw, rand) => {
    const lists = slots(raw).filter(([container, key]) => Array.isArray(container[key]) && container[key].length > 0);
    if (lists.length === 0) return;
    const [container, key] = lists[rand.nextInt(0, lists.length - 1)];
    const list = container[key] as unknown[];
    list.push(structuredClone(list[rand.nextInt(0, list.length - 1)]));
  },
  retype: (raw, rand) => {
    const all = slots(raw);
    const [container, key] = all[rand.nextInt(0, all.length - 1)];
    container[key] = structuredClone(TYPES[rand.nextInt(0, TYPES.length - 1)]);
  },
  oddCharacters: (raw, rand) => {
    const strings = slots(raw).filter(([container, key]) => typeof container[key] === "string");
    if (strings.length === 0) return;
    const [container, key] = strings[rand.nextInt(0, strings.length - 1)];
    const text = container[key] as string;
    const at = rand.nextInt(0, text.length);
    container[key] = text.slice(0, at) + ODD[rand.nextInt(0, ODD.length - 1)] + text.slice(at);
  },
};

/** An example with one to three random mutations, and their names. */
export const mutatedExample: fc.Arbitrary<{ example: string; mutations: string[]; raw: Raw }> = fc
  .record({
    example: fc.constantFrom(...EXAMPLE_FILES),
    mutations: fc.array(fc.constantFrom(...Object.keys(MUTATIONS)), { minLength: 1, maxLength: 3 }),
    seed: fc.integer(),
  })
  .map(({ example, mutations, seed }) => {
    const raw = exampleRaw(example);
    const rand = seededRandom(seed);
    for (const name of mutations) MUTATIONS[name](raw, rand);
    return { example, mutations, raw };
  });
