/**
 * An Outpost subnet holds every node of the node groups on its Outpost, the addresses the VPC CNI
 * takes on each of them, a server node's local network interface, and a local cluster's control
 * plane (config/cidr.ts: AWS keeps 5 addresses of each subnet; config/eni-limits.ts: interfaces and
 * addresses per instance type). A subnet too small fails at run time, when a node or a pod gets no
 * address, long after apply. The refusals (subnetCapacityRules) and the synth warnings
 * (outpostSubnetCapacityWarnings, raised by the network stack) read one model, outpostSubnetDemands.
 */
import { parseCidr, SUBNET_RESERVED_ADDRESSES, usableSubnetAddresses } from "../cidr";
import { clusterArchitectureOfInput } from "../cluster-architecture";
import { localControlPlaneInstances } from "../derived";
import { interfaceLimitsOf } from "../eni-limits";
import { asArray, asNumber, asObject, asString, Raw, RuleContext } from "./context";

/**
 * The addresses the VPC CNI holds on one node before any pod scales (aws/amazon-vpc-cni-k8s
 * docs/eni-and-ip-target.md): with WARM_IP_TARGET or MINIMUM_IP_TARGET set, the larger of them plus
 * the primary interface's address; else WARM_ENI_TARGET (default 1) whole interfaces. At full pod
 * density a node holds every address of every interface it may attach. `withWarmInterface`: with
 * WARM_ENI_TARGET, what a node holds once a pod (not on the host network) uses an address of its
 * interfaces: the CNI attaches one more interface to keep WARM_ENI_TARGET of them unused.
 */
export function cniAddressesAtRest(instanceType: string, vpcCni: Raw): { atRest: number; withWarmInterface: number; atMostPods: number } | undefined {
  const limits = interfaceLimitsOf(instanceType);
  if (limits === undefined) return undefined;
  const atMostPods = limits.interfaces * limits.ipv4PerInterface;
  const warmIp = asNumber(vpcCni.warmIpTarget);
  const minimumIp = asNumber(vpcCni.minimumIpTarget);
  if (warmIp !== undefined || minimumIp !== undefined) {
    const atRest = Math.min(atMostPods, 1 + Math.max(warmIp ?? 0, minimumIp ?? 0));
    return { atRest, withWarmInterface: atRest, atMostPods };
  }
  const warmInterfaces = Math.max(1, asNumber(vpcCni.warmEniTarget) ?? 1);
  const interfaces = Math.min(limits.interfaces, warmInterfaces);
  return { atRest: interfaces * limits.ipv4PerInterface, withWarmInterface: Math.min(limits.interfaces, warmInterfaces + 1) * limits.ipv4PerInterface, atMostPods };
}

/** What one Outpost subnet must hold. */
export interface OutpostSubnetDemand {
  readonly outpostIndex: number;
  readonly outpost: string;
  readonly cidr: string;
  /** The subnet's addresses less the 5 AWS keeps. */
  readonly usable: number;
  /** Nodes at maxSize + spareNodes of the groups on the Outpost. */
  readonly nodes: number;
  /** A local cluster's control-plane (and etcd) instances, in the first Outpost's subnet. */
  readonly controlPlaneInstances: number;
  /** Addresses each node's local network interface takes (servers with lniDeviceIndex): 1, else 0. */
  readonly lniPerNode: number;
  /** Addresses that exist before any pod: control plane, each node's primary address and LNI. */
  readonly minimum: number;
  /** Addresses held before any pod scales (the CNI's warm targets), for the types the table knows. */
  readonly atRest: number;
  /** The same once every node runs a pod and, with WARM_ENI_TARGET, has attached its next interface. */
  readonly withWarmInterface: number;
  readonly atMostPods: number;
  /** `group: nodes × addresses at rest` for the message. */
  readonly demand: readonly string[];
  /** Groups whose instance type config/eni-limits.ts does not know: counted at one address per node. */
  readonly unknownTypes: ReadonlyArray<{ readonly group: string; readonly instanceType: string }>;
}

/** The demand on every Outpost subnet with a valid CIDR, from a blueprint with its defaults. */
export function outpostSubnetDemands(root: Raw): OutpostSubnetDemand[] {
  const vpcCni = asObject(asObject(root.addons).vpcCni);
  const controlPlane = asObject(root.controlPlane);
  const variant = asString(root.variant);
  // A local cluster's control plane runs in the subnet of its one Outpost (stacks/control-plane-stack.ts).
  // Its update replaces each instance after terminating it (docs: outposts-facts, local clusters), so
  // the instances never need more than their own count of addresses.
  const architecture = clusterArchitectureOfInput(variant, asObject(controlPlane.local).instanceStore);
  const controlPlaneInstances = architecture?.controlPlaneOnOutpost
    ? localControlPlaneInstances({ variant, controlPlane: { local: asObject(controlPlane.local) } } as unknown as Parameters<typeof localControlPlaneInstances>[0])
    : 0;
  const nodeGroups = asArray(root.nodeGroups).map(asObject);
  return asArray(root.outposts)
    .map(asObject)
    .flatMap((outpost, outpostIndex): OutpostSubnetDemand[] => {
      const name = asString(outpost.name);
      const text = asString(asObject(outpost.subnet).cidr);
      const cidr = text === undefined ? undefined : parseCidr(text);
      if (name === undefined || cidr === undefined) return [];
      // A server's LNI is a second network interface of each instance, at lniDeviceIndex in this
      // subnet (the launch template adds it there): as every network interface, it takes a primary
      // private IPv4 address of its subnet (EC2 User Guide, network interfaces), beside the site
      // network's address the OS gives it.
      const lniPerNode = outpost.formFactor === "server" && asNumber(outpost.lniDeviceIndex) !== undefined ? 1 : 0;
      const cpHere = outpostIndex === 0 ? controlPlaneInstances : 0;
      let nodes = 0;
      let atRest = cpHere;
      let withWarmInterface = cpHere;
      let atMostPods = cpHere;
      const demand: string[] = cpHere > 0 ? [`control plane: ${cpHere}`] : [];
      const unknownTypes: Array<{ group: string; instanceType: string }> = [];
      for (const group of nodeGroups) {
        if (group.outpost !== name) continue;
        const count = (asNumber(group.maxSize) ?? 0) + (asNumber(group.spareNodes) ?? 0);
        const instanceType = asString(group.instanceType) ?? "";
        const perNode = cniAddressesAtRest(instanceType, vpcCni) ?? { atRest: 1, withWarmInterface: 1, atMostPods: 1 };
        if (interfaceLimitsOf(instanceType) === undefined) unknownTypes.push({ group: asString(group.name) ?? "?", instanceType });
        nodes += count;
        atRest += count * (perNode.atRest + lniPerNode);
        withWarmInterface += count * (perNode.withWarmInterface + lniPerNode);
        atMostPods += count * (perNode.atMostPods + lniPerNode);
        demand.push(`${asString(group.name)}: ${count} × ${perNode.atRest + lniPerNode}`);
      }
      const minimum = cpHere + nodes * (1 + lniPerNode);
      return [{ outpostIndex, outpost: name, cidr: cidr.text, usable: usableSubnetAddresses(cidr), nodes, controlPlaneInstances: cpHere, lniPerNode, minimum, atRest, withWarmInterface, atMostPods, demand, unknownTypes }];
    });
}

const RESERVED = `AWS keeps ${SUBNET_RESERVED_ADDRESSES.length} of each subnet (Amazon VPC User Guide, subnet CIDR blocks)`;
const prefixFor = (addresses: number) => 32 - Math.ceil(Math.log2(addresses + SUBNET_RESERVED_ADDRESSES.length));

export function subnetCapacityRules(context: RuleContext): void {
  for (const subnet of outpostSubnetDemands(context.root)) {
    const path = ["outposts", subnet.outpostIndex, "subnet", "cidr"];
    if (subnet.minimum > subnet.usable) {
      const parts = [
        `the ${subnet.nodes} nodes its node groups reach at maxSize + spareNodes`,
        ...(subnet.lniPerNode > 0 ? ["each node's local network interface"] : []),
        ...(subnet.controlPlaneInstances > 0 ? [`the local cluster's ${subnet.controlPlaneInstances} control-plane instances`] : []),
      ];
      context.add(path, `has ${subnet.usable} usable addresses (${RESERVED}) for ${subnet.minimum} addresses (${parts.join(", ")}); give a larger subnet or fewer nodes`);
    } else if (subnet.atRest > subnet.usable) {
      context.add(
        path,
        `has ${subnet.usable} usable addresses (${RESERVED}), but the VPC CNI holds ${subnet.atRest} on its nodes before any pod scales (${subnet.demand.join(", ")}; ` +
          `addons.vpcCni targets, aws/amazon-vpc-cni-k8s docs/eni-and-ip-target.md) and up to ${subnet.atMostPods} at full pod density; ` +
          `give a prefix of /${prefixFor(subnet.atRest)} or larger, fewer nodes, or lower addons.vpcCni.warmIpTarget and minimumIpTarget`,
      );
    }
  }
}

/**
 * Synth warnings for Outpost subnets the rules let through: one that cannot hold the second
 * interface each node attaches (WARM_ENI_TARGET) once it runs a pod, and node groups whose
 * instance type config/eni-limits.ts does not know (counted at one address per node).
 */
export function outpostSubnetCapacityWarnings(root: Raw): string[] {
  const warnings: string[] = [];
  for (const subnet of outpostSubnetDemands(root)) {
    if (subnet.atRest <= subnet.usable && subnet.withWarmInterface > subnet.usable) {
      warnings.push(
        `outposts[${subnet.outpostIndex}].subnet.cidr (${subnet.cidr}) has ${subnet.usable} usable addresses: enough for its nodes at rest (${subnet.atRest}), ` +
          `but once each node runs a pod the VPC CNI attaches its next interface (WARM_ENI_TARGET) and the nodes hold ${subnet.withWarmInterface}: ` +
          `pods will wait for addresses. Give a prefix of /${prefixFor(subnet.withWarmInterface)} or larger, or set addons.vpcCni.warmIpTarget or minimumIpTarget.`,
      );
    }
    for (const { group, instanceType } of subnet.unknownTypes) {
      warnings.push(
        `nodeGroups[${group}].instanceType ${instanceType}: its network interface limits are not in config/eni-limits.ts, so the capacity of outposts[${subnet.outpostIndex}].subnet.cidr ` +
          "counts one address per node for it; check the VPC CNI's addresses per node yourself (ENIs × IPv4 per ENI).",
      );
    }
  }
  return warnings;
}
