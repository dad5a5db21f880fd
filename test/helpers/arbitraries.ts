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
import { S3_BUCKET_RESERVED_PREFIXES, S3_BUCKET_RESERVED_SUFFIXES } from "../../config/reserved";

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
    const nodeGroups = outposts.flatMap((outpost, o) =>
      Array.from({ length: c.groupsPerOutpost }, (_, g) => ({
        name: `${outpost.name}-g${g}`,
        outpost: outpost.name,
        instanceType: local ? "m5.large" : "m5.xlarge",
        // An EBS-backed local cluster's add-on controllers run on the first group: it keeps a node.
        minSize: local && o === 0 && g === 0 ? Math.max(1, c.minSize) : c.minSize,
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

const dnsLabel = (maxLength: number) =>
  fc
    .tuple(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"), maxLength: maxLength - 2 }), fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"))
    .map(([first, middle, last]) => `${first}${middle}${last}`);

/** Tag text AWS accepts everywhere the blueprint tags (IAM is the strictest). */
const tagText = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(..."abcXYZ019 _.:/=+-@é"), minLength, maxLength });

/**
 * A valid blueprint with more chosen at random than validBlueprint: the Region, the VPC range and
 * where each subnet sits in it, every name, tags, extra endpoint services (s3 among them), admins
 * and a public endpoint, egress CIDRs, node policies, LNI static addressing with routes, a mirror
 * registry with workload registries.
 */
export const variedBlueprint: fc.Arbitrary<Raw> = fc
  .record({
    region: fc.constantFrom("us-west-2", "us-east-2", "eu-west-1", "ap-southeast-2"),
    vpcFirstOctets: fc.constantFrom("10.0", "10.42", "172.20", "172.31", "192.168"),
    slots: fc.shuffledSubarray(Array.from({ length: 200 }, (_, i) => i + 1), { minLength: 12, maxLength: 12 }),
    prefix: fc.constantFrom(24, 25, 26),
    name: dnsLabel(35),
    outpostNames: fc.uniqueArray(dnsLabel(20), { minLength: 4, maxLength: 4 }),
    variant: fc.constantFrom("extended", "extended", "local"),
    racks: fc.integer({ min: 1, max: 4 }),
    server: fc.boolean(),
    lniStatic: fc.boolean(),
    groupNames: fc.uniqueArray(dnsLabel(20), { minLength: 8, maxLength: 8 }),
    groupsPerOutpost: fc.integer({ min: 1, max: 2 }),
    minSize: fc.integer({ min: 0, max: 2 }),
    extraMax: fc.integer({ min: 0, max: 2 }),
    spare: fc.integer({ min: 0, max: 1 }),
    egress: fc.constantFrom("private", "nat"),
    tags: fc.dictionary(tagText(1, 20).filter((key) => !/^aws:/i.test(key)), tagText(0, 30), { maxKeys: 8 }),
    extraServices: fc.subarray(["kms", "s3", "elasticfilesystem", "ecr.api", "monitoring"]),
    admins: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
    publicEndpoint: fc.boolean(),
    egressCidrs: fc.option(fc.uniqueArray(fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "192.168.0.0/16", "203.0.113.0/24"), { minLength: 1 }), { nil: undefined }),
    policies: fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
    imageSource: fc.constantFrom("regional", "privateRepositories", "mirror"),
    registries: fc.subarray(["docker.io", "quay.io", "ghcr.io", "registry.k8s.io"]),
    backend: fc.constantFrom("local", "s3", "cloud"),
    spread: fc.constantFrom("host", "rack", "none"),
  })
  .map((c) => {
    const local = c.variant === "local";
    const [a, b] = c.vpcFirstOctets.split(".");
    // Each subnet takes its own /24 slot of the VPC's /16 (a smaller prefix sits at the slot's start).
    const slot = (i: number, prefix = c.prefix) => `${a}.${b}.${c.slots[i]}.0/${prefix}`;
    const zones = ["a", "b", "c"].map((letter) => `${c.region}${letter}`);
    const onPrem = c.vpcFirstOctets === "192.168" ? "172.16.0.0/16" : "192.168.0.0/16";
    const hex = (n: number) => n.toString(16).padStart(17, "0");
    const arn = (n: number) => `arn:aws:outposts:${c.region}:111122223333:outpost/op-${hex(n)}`;
    const serverOnly = !local && c.server;
    const outposts: Raw[] = serverOnly
      ? [{ name: c.outpostNames[0], arn: arn(900), formFactor: "server", availabilityZone: zones[2], subnet: { cidr: slot(3, 24) }, lniDeviceIndex: 1, onPremCidrs: [onPrem] }]
      : Array.from({ length: local ? 1 : c.racks }, (_, i) => ({
          name: c.outpostNames[i],
          arn: arn(i + 1),
          formFactor: "rack",
          availabilityZone: zones[i % 2],
          // Outpost subnets stay /24: the VPC CNI holds whole interfaces of addresses per node (config/rules/subnet-capacity.ts).
          subnet: { cidr: slot(3 + i, 24) },
          localGatewayRouteTableId: `lgw-rtb-${hex(i + 1)}`,
          onPremCidrs: [onPrem],
        }));
    const maxSize = Math.max(1, c.minSize + c.extraMax);
    const nodeGroups = outposts.flatMap((outpost, o) =>
      Array.from({ length: c.groupsPerOutpost }, (_, g) => ({
        name: c.groupNames[o * 2 + g],
        outpost: outpost.name,
        instanceType: local ? "m5.large" : "m5.xlarge",
        // An EBS-backed local cluster's add-on controllers run on the first group: it keeps a node.
        minSize: local && o === 0 && g === 0 ? Math.max(1, c.minSize) : c.minSize,
        maxSize,
        spareNodes: c.spare,
        ...(outpost.formFactor === "server" && c.lniStatic
          ? {
              lni: {
                mode: "static",
                addresses: Array.from({ length: maxSize + c.spare }, (_, k) => `192.168.${10 + g}.${21 + k}/24`),
                gateway: `192.168.${10 + g}.1`,
                routes: ["172.30.0.0/16"],
              },
            }
          : {}),
      })),
    );
    const nat = c.egress === "nat";
    const regionalSubnets = [0, 1].map((i) => ({ availabilityZone: zones[i], cidr: slot(i) }));
    const backend =
      c.backend === "s3"
        ? { type: "s3", bucket: `${c.name.slice(0, 30)}-state`.replace(/-+/g, "-"), region: c.region }
        : c.backend === "cloud"
          ? { type: "cloud", organization: "fuzz-org", workspacePrefix: c.name.slice(0, 30).replace(/-+$/, "") || "fuzz" }
          : { type: "local", stateDirectory: `state/${c.name}` };
    const extended = !local;
    return {
      name: c.name,
      region: c.region,
      variant: c.variant,
      kubernetesVersion: local ? "1.32" : "1.33",
      tags: c.tags,
      backend,
      network: {
        vpc: { cidr: `${a}.${b}.0.0/16` },
        regionalSubnets,
        egress: c.egress,
        ...(nat ? { publicSubnets: [{ availabilityZone: outposts[0].availabilityZone, cidr: slot(2) }] } : {}),
        endpoints: { extraServices: c.extraServices },
      },
      outposts,
      nodeGroups,
      controlPlane: {
        ...(local ? { local: { controlPlaneInstanceType: "m5d.2xlarge" } } : {}),
        ...(extended ? { adminPrincipalArns: c.admins.map((n) => `arn:aws:iam::111122223333:role/admin-${n}`) } : {}),
        ...(extended && c.publicEndpoint ? { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } : {}),
      },
      workers: {
        ...(c.egressCidrs ? { egressCidrs: c.egressCidrs } : {}),
        extraNodePolicyArns: c.policies.map((n) => `arn:aws:iam::111122223333:policy/node-extra-${n}`),
        placementSpreadLevel: c.spread,
      },
      addons: {
        images:
          c.imageSource === "mirror"
            ? { source: "mirror", mirror: { host: "registry.example.internal:5000", registries: c.registries.map((upstream) => ({ upstream })) } }
            : { source: c.imageSource },
      },
      // The mirror's on-premises name is forwarded to the site's DNS servers.
      ...(c.imageSource === "mirror" ? { dns: { onPremDomains: [{ domain: "example.internal", servers: [`${onPrem.split(".").slice(0, 2).join(".")}.0.53`] }] } } : {}),
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

/** An example file's text. */
export const exampleText = (file: string): string => readFileSync(path.join(EXAMPLES_DIR, file), "utf8");

const TEXT_INSERTS = ["\uFEFF", "\u00A0", "\u200B", "\t", "#", ":", "- ", "[", "{", "&a ", "*a", "<<: ", "!!binary ", "'", '"', "${", ".inf", "~", "\n", "0", "1.30"];

/** Edits of a file's text: a character sequence inserted, a range deleted, a line repeated, the file cut short. */
export const mutatedExampleText: fc.Arbitrary<{ example: string; text: string }> = fc
  .record({
    example: fc.constantFrom(...EXAMPLE_FILES),
    edits: fc.array(
      fc.record({ kind: fc.constantFrom("insert", "delete", "repeatLine", "truncate"), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }), insert: fc.constantFrom(...TEXT_INSERTS) }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ example, edits }) => {
    let text = exampleText(example);
    for (const edit of edits) {
      const at = Math.floor(edit.at * text.length);
      if (edit.kind === "insert") text = text.slice(0, at) + edit.insert + text.slice(at);
      else if (edit.kind === "delete") text = text.slice(0, at) + text.slice(at + edit.length);
      else if (edit.kind === "truncate") text = text.slice(0, at);
      else {
        const start = text.lastIndexOf("\n", at - 1) + 1;
        const end = text.indexOf("\n", at);
        const line = text.slice(start, end < 0 ? text.length : end + 1);
        text = text.slice(0, start) + line + line + text.slice(start + line.length);
      }
    }
    return { example, text };
  });

type Segment = string | number;

/** One line of rendered text; the two lines of a duplicated key are marked. */
interface Line {
  text: string;
  mark?: "first" | "repeat";
}

/** The key to give twice: the path of its map and the key. */
interface DuplicateTarget {
  readonly map: readonly Segment[];
  readonly key: string;
}

const isMapValue = (value: unknown): value is Raw => value !== null && typeof value === "object" && !Array.isArray(value);
const samePath = (a: readonly Segment[], b: readonly Segment[]) => a.length === b.length && a.every((segment, i) => segment === b[i]);
const pad = (n: number) => " ".repeat(n);

/** Every key of every map in `value`, with the path of its map. */
function mapKeys(value: unknown, at: Segment[] = []): DuplicateTarget[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => mapKeys(item, [...at, i]));
  if (!isMapValue(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => [{ map: at, key }, ...mapKeys(child, [...at, key])]);
}

/** The map's entries, the target key given again (same value) after the last one. */
function entriesOf(value: Raw, at: readonly Segment[], target?: DuplicateTarget): Array<[string, unknown, Line["mark"]]> {
  const entries: Array<[string, unknown, Line["mark"]]> = Object.entries(value).map(([key, child]) => [key, child, undefined]);
  if (!target || !samePath(at, target.map) || !(target.key in value)) return entries;
  return [...entries.map((entry): [string, unknown, Line["mark"]] => (entry[0] === target.key ? [entry[0], entry[1], "first"] : entry)), [target.key, value[target.key], "repeat"]];
}

/** Pretty JSON; the first line carries no indentation (it follows a key or starts the file). */
function jsonLines(value: unknown, indent: number, at: readonly Segment[], target?: DuplicateTarget): Line[] {
  const items: Array<{ prefix: string; lines: Line[]; mark?: Line["mark"] }> = Array.isArray(value)
    ? value.map((item, i) => ({ prefix: "", lines: jsonLines(item, indent + 2, [...at, i], target) }))
    : isMapValue(value)
      ? entriesOf(value, at, target).map(([key, child, mark]) => ({ prefix: `${JSON.stringify(key)}: `, lines: jsonLines(child, indent + 2, [...at, key], target), mark }))
      : [];
  if (!Array.isArray(value) && !isMapValue(value)) return [{ text: JSON.stringify(value) }];
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (items.length === 0) return [{ text: `${open}${close}` }];
  const body = items.flatMap(({ prefix, lines, mark }, i) => {
    const copy = lines.map((line) => ({ ...line }));
    copy[0] = { text: `${pad(indent + 2)}${prefix}${copy[0].text}`, mark };
    if (i < items.length - 1) copy[copy.length - 1].text += ",";
    return copy;
  });
  return [{ text: open }, ...body, { text: `${pad(indent)}${close}` }];
}

/** Block YAML, every scalar and key double-quoted as JSON writes it (valid YAML 1.2). */
function yamlLines(value: unknown, indent: number, at: readonly Segment[], target?: DuplicateTarget): Line[] {
  const inline = (child: unknown) =>
    Array.isArray(child) && child.length === 0 ? "[]" : isMapValue(child) && Object.keys(child).length === 0 ? "{}" : !Array.isArray(child) && !isMapValue(child) ? JSON.stringify(child) : undefined;
  if (Array.isArray(value)) {
    return value.flatMap((item, i): Line[] => {
      const text = inline(item);
      return text !== undefined ? [{ text: `${pad(indent)}- ${text}` }] : [{ text: `${pad(indent)}-` }, ...yamlLines(item, indent + 2, [...at, i], target)];
    });
  }
  return entriesOf(value as Raw, at, target).flatMap(([key, child, mark]): Line[] => {
    const text = inline(child);
    const head = `${pad(indent)}${JSON.stringify(key)}:`;
    return text !== undefined ? [{ text: `${head} ${text}`, mark }] : [{ text: head, mark }, ...yamlLines(child, indent + 2, [...at, key], target)];
  });
}

/** A blueprint's text in YAML or JSON, with `target` given twice when set, and the lines of both. */
export function renderWithDuplicate(raw: Raw, format: "yaml" | "json", target?: DuplicateTarget): { text: string; firstLine: number; repeatLine: number } {
  const lines = format === "json" ? jsonLines(raw, 0, [], target) : yamlLines(raw, 0, [], target);
  return {
    text: `${lines.map((line) => line.text).join("\n")}\n`,
    firstLine: lines.findIndex((line) => line.mark === "first") + 1,
    repeatLine: lines.findIndex((line) => line.mark === "repeat") + 1,
  };
}

/** An example as YAML or JSON with one key, anywhere in it, given a second time. */
export const duplicatedKeyText: fc.Arbitrary<{ example: string; format: "yaml" | "json"; raw: Raw; target: DuplicateTarget; text: string; firstLine: number; repeatLine: number }> = fc
  .record({ example: fc.constantFrom(...EXAMPLE_FILES), format: fc.constantFrom("yaml" as const, "json" as const), pick: fc.nat() })
  .map(({ example, format, pick }) => {
    const raw = exampleRaw(example);
    const targets = mapKeys(raw);
    const target = targets[pick % targets.length];
    return { example, format, raw, target, ...renderWithDuplicate(raw, format, target) };
  });

/**
 * An S3 bucket name of a valid shape (lowercase letters, digits, '-'), alone or with one of the
 * prefixes and suffixes S3 reserves added (config/reserved.ts), and which one it carries.
 */
export const bucketNameWithReserved: fc.Arbitrary<{ bucket: string; reserved?: { part: string; kind: "prefix" | "suffix" } }> = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/),
    fc.option(
      fc.oneof(
        fc.constantFrom(...S3_BUCKET_RESERVED_PREFIXES).map((prefix) => ({ prefix, suffix: "" })),
        fc.constantFrom(...S3_BUCKET_RESERVED_SUFFIXES.map(([suffix]) => suffix)).map((suffix) => ({ prefix: "", suffix })),
      ),
      { nil: undefined },
    ),
  )
  .filter(([base]) => !S3_BUCKET_RESERVED_PREFIXES.some((prefix) => base.startsWith(prefix)) && !S3_BUCKET_RESERVED_SUFFIXES.some(([suffix]) => base.endsWith(suffix)))
  .map(([base, added]) =>
    added === undefined
      ? { bucket: base }
      : { bucket: `${added.prefix}${base}${added.suffix}`, reserved: added.prefix ? { part: added.prefix, kind: "prefix" as const } : { part: added.suffix, kind: "suffix" as const } },
  );
