/**
 * Blueprints with lists as long as a 1 MiB file holds, grown from the extended-racks example: the
 * parsing tests answer them (every problem found, at most 100 printed) and check that the work grows
 * linearly; `npm run bench` prints the same growth as a ratio.
 */
import { parseBlueprintText, validateBlueprint } from "../../config";
import { rawExample } from "./synth";

const EXAMPLE = "extended-racks.yaml";

/** The example with `n` regional subnets, four AZs round the list. */
export function withRegionalSubnets(n: number): Record<string, any> {
  const raw = rawExample(EXAMPLE);
  raw.network.regionalSubnets = Array.from({ length: n }, (_, i) => ({ availabilityZone: `us-west-2${"abcd"[i % 4]}`, cidr: `10.0.${i % 256}.${((i >> 8) % 16) * 16}/28` }));
  return raw;
}

/** The example with `n` Outposts, servers among racks (no path between them), each with a node group. */
export function withOutposts(n: number): Record<string, any> {
  const raw = rawExample(EXAMPLE);
  const hex = (i: number) => i.toString(16).padStart(17, "0");
  raw.outposts = Array.from({ length: n }, (_, i) => ({
    name: `r${i}`,
    arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${hex(i)}`,
    formFactor: i % 3 ? "rack" : "server",
    availabilityZone: "us-west-2a",
    ...(i % 3 ? { localGatewayRouteTableId: `lgw-rtb-${hex(i)}`, onPremCidrs: ["192.168.0.0/16"] } : {}),
    subnet: { cidr: `10.0.${16 + ((i >> 4) % 200)}.${(i & 15) * 16}/28` },
  }));
  raw.nodeGroups = raw.outposts.map((o: { name: string }) => ({ name: `${o.name}-g`, outpost: o.name, instanceType: "m5.large", rollout: { maxSurge: 1 } }));
  return raw;
}

/** What grows, the smaller size n (the larger is 4n, the size the parsing tests answer), and the blueprint of size n. */
export const LARGE_LISTS: ReadonlyArray<readonly [string, number, (n: number) => Record<string, any>]> = [
  ["regional subnets", 1500, withRegionalSubnets],
  ["Outposts, servers among racks, each with a node group", 500, withOutposts],
];

/** What validating `raw` as a JSON file ends with: the error thrown, or undefined when it is valid. */
export function validationOutcome(raw: Record<string, any>): unknown {
  try {
    validateBlueprint(parseBlueprintText(JSON.stringify(raw), "large.json"), "large.json");
  } catch (caught) {
    return caught;
  }
  return undefined;
}

/**
 * CPU time (user and system, of this process) that `work` takes at its least disturbed of `runs`
 * calls. CPU time, not wall time: a process waiting for a busy core is not charged for the wait.
 */
export function leastCpuSeconds(work: () => void, runs = 2): number {
  let least = Infinity;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1e6);
  }
  return least;
}
