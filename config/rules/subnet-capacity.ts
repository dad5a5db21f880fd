/**
 * An Outpost subnet holds every node of the node groups on its Outpost and the addresses the VPC CNI
 * takes on each of them (config/cidr.ts: AWS keeps 5 addresses of each subnet; config/eni-limits.ts:
 * interfaces and addresses per instance type). A subnet too small fails at run time, when a node or a
 * pod gets no address, long after apply.
 */
import { parseCidr, SUBNET_RESERVED_ADDRESSES, usableSubnetAddresses } from "../cidr";
import { interfaceLimitsOf } from "../eni-limits";
import { asNumber, asObject, asString, Raw, RuleContext } from "./context";

/**
 * The addresses the VPC CNI holds on one node before any pod scales (aws/amazon-vpc-cni-k8s
 * docs/eni-and-ip-target.md): with WARM_IP_TARGET or MINIMUM_IP_TARGET set, the larger of them plus
 * the primary interface's address; else WARM_ENI_TARGET (default 1) whole interfaces. At full pod
 * density a node holds every address of every interface it may attach.
 */
export function cniAddressesAtRest(instanceType: string, vpcCni: Raw): { atRest: number; atMostPods: number } | undefined {
  const limits = interfaceLimitsOf(instanceType);
  if (limits === undefined) return undefined;
  const atMostPods = limits.interfaces * limits.ipv4PerInterface;
  const warmIp = asNumber(vpcCni.warmIpTarget);
  const minimumIp = asNumber(vpcCni.minimumIpTarget);
  if (warmIp !== undefined || minimumIp !== undefined) return { atRest: Math.min(atMostPods, 1 + Math.max(warmIp ?? 0, minimumIp ?? 0)), atMostPods };
  const interfaces = Math.min(limits.interfaces, Math.max(1, asNumber(vpcCni.warmEniTarget) ?? 1));
  return { atRest: interfaces * limits.ipv4PerInterface, atMostPods };
}

export function subnetCapacityRules(context: RuleContext): void {
  const vpcCni = asObject(context.addons.vpcCni);
  context.outposts.forEach((outpost, i) => {
    const name = asString(outpost.name);
    const text = asString(asObject(outpost.subnet).cidr);
    const cidr = text === undefined ? undefined : parseCidr(text);
    if (name === undefined || cidr === undefined) return;
    const usable = usableSubnetAddresses(cidr);
    let nodes = 0;
    let atRest = 0;
    let atMostPods = 0;
    const demand: string[] = [];
    for (const group of context.nodeGroups) {
      if (group.outpost !== name) continue;
      const count = (asNumber(group.maxSize) ?? 0) + (asNumber(group.spareNodes) ?? 0);
      const perNode = cniAddressesAtRest(asString(group.instanceType) ?? "", vpcCni);
      nodes += count;
      if (perNode === undefined) continue;
      atRest += count * perNode.atRest;
      atMostPods += count * perNode.atMostPods;
      demand.push(`${asString(group.name)}: ${count} × ${perNode.atRest}`);
    }
    const path = ["outposts", i, "subnet", "cidr"];
    const reserved = `AWS keeps ${SUBNET_RESERVED_ADDRESSES.length} of each subnet (Amazon VPC User Guide, subnet CIDR blocks)`;
    if (nodes > usable) {
      context.add(path, `has ${usable} usable addresses (${reserved}) for the ${nodes} nodes its node groups reach at maxSize + spareNodes; give a larger subnet or fewer nodes`);
    } else if (atRest > usable) {
      context.add(
        path,
        `has ${usable} usable addresses (${reserved}), but the VPC CNI holds ${atRest} on its nodes before any pod scales (${demand.join(", ")}; ` +
          `addons.vpcCni targets, aws/amazon-vpc-cni-k8s docs/eni-and-ip-target.md) and up to ${atMostPods} at full pod density; ` +
          `give a prefix of /${32 - Math.ceil(Math.log2(atRest + SUBNET_RESERVED_ADDRESSES.length))} or larger, fewer nodes, or lower addons.vpcCni.warmIpTarget and minimumIpTarget`,
      );
    }
  });
}
