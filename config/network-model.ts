/**
 * Who can reach whom, computed from the blueprint: the one network model that the config rules
 * check and the stacks build from, so the routes and security-group rules the blueprint creates and
 * the paths the rules require cannot disagree.
 *
 * The facts it encodes (../shared/docs/outposts-facts.md, with sources):
 * - Nodes on two Outposts reach each other only through the racks' local gateways, with direct VPC
 *   routing: each rack's subnet routes the other's CIDR to its LGW (seed 002). Traffic between
 *   Outposts cannot hairpin through the Region.
 * - A local gateway route table is in direct-vpc-routing or coip mode, fixed at creation; the modes
 *   exclude each other (Outposts User Guide, "Local gateway route tables"). In coip mode the VPC's
 *   private IPs are not routed between racks.
 * - Servers have no local gateway: a server's subnet reaches no other Outpost.
 * - Every Outpost reaches the Region over its service link: the regional API endpoint, VPC endpoints
 *   and a NAT gateway.
 * - BGP advertises only Outpost subnets whose route table routes to the local gateway (Outposts User
 *   Guide, local gateway routes): a rack with on-prem CIDRs gets those routes.
 */
import type { Blueprint, Outpost } from "./schema";

export type LocalGatewayMode = "direct-vpc-routing" | "coip";

export interface OutpostSite {
  readonly name: string;
  /** Index in `outposts`, for problem paths. */
  readonly index: number;
  readonly formFactor: Outpost["formFactor"];
  readonly subnetCidr: string;
  readonly availabilityZone: string;
  /** Racks only. */
  readonly localGatewayMode?: LocalGatewayMode;
  readonly onPremCidrs: readonly string[];
  /** The subnet is adopted by ID rather than created. */
  readonly adopted: boolean;
  /** The blueprint writes this subnet's routes (created subnets, and adopted ones unless opted out). */
  readonly routesManaged: boolean;
  /** Servers with a local network interface: its device index. */
  readonly lniDeviceIndex?: number;
}

/** A path between the nodes of two Outposts: how, or why there is none. */
export interface OutpostPath {
  readonly from: string;
  readonly to: string;
  readonly reachable: boolean;
  /** Why there is no path. */
  readonly reason?: string;
}

export interface NetworkModel {
  readonly sites: readonly OutpostSite[];
  /**
   * By Outpost: the destinations its subnet routes to its local gateway, on-prem networks first,
   * then the subnets of the racks it reaches. Racks only.
   */
  readonly localGatewayRoutes: Readonly<Record<string, readonly string[]>>;
  /** Every pair of Outposts of the cluster, in blueprint order. */
  readonly outpostPaths: readonly OutpostPath[];
  /** The node subnets whose nodes reach each other, by Outpost name: the nodes' security-group sources. */
  readonly nodeCidrs: Readonly<Record<string, string>>;
}

function siteOf(outpost: Outpost, index: number): OutpostSite {
  const adopted = outpost.subnet.id !== undefined;
  return {
    name: outpost.name,
    index,
    formFactor: outpost.formFactor,
    subnetCidr: outpost.subnet.cidr,
    availabilityZone: outpost.availabilityZone,
    localGatewayMode: outpost.formFactor === "rack" ? outpost.localGatewayRouteTableMode : undefined,
    onPremCidrs: outpost.formFactor === "rack" ? outpost.onPremCidrs : [],
    adopted,
    routesManaged: !adopted || outpost.subnet.manageRouting,
    ...(outpost.formFactor === "server" && outpost.lniDeviceIndex !== undefined ? { lniDeviceIndex: outpost.lniDeviceIndex } : {}),
  };
}

/** The path between two Outposts' nodes. */
export function pathBetween(a: OutpostSite, b: OutpostSite): OutpostPath {
  const none = (reason: string): OutpostPath => ({ from: a.name, to: b.name, reachable: false, reason });
  const server = [a, b].find((site) => site.formFactor === "server");
  if (server) return none("servers have no local gateway, and traffic between Outposts cannot pass through the Region");
  const coip = [a, b].find((site) => site.localGatewayMode === "coip");
  if (coip) {
    return none(`the local gateway route table of ${coip.name} is in coip mode, which does not route the VPC's private IPs between racks`);
  }
  return { from: a.name, to: b.name, reachable: true };
}

/** The sites of a blueprint's Outposts, without the pairs: linear, for the rules. */
export function outpostSites(blueprint: Pick<Blueprint, "outposts">): OutpostSite[] {
  return blueprint.outposts.map(siteOf);
}

/**
 * The node interface that carries a node's traffic to the site's networks (onPremCidrs): on a rack
 * the primary ENI, whose subnet routes them to the local gateway; on a server the local network
 * interface, which the OS configures (Outposts server user guide, "Local network interface"); a
 * server without one reaches no site network.
 */
export function siteInterfaceOf(site: Pick<OutpostSite, "formFactor" | "lniDeviceIndex">): "primary" | "lni" | undefined {
  if (site.formFactor === "rack") return "primary";
  return site.lniDeviceIndex === undefined ? undefined : "lni";
}

/** A site that reaches no other Outpost: a server, or a rack whose local gateway route table is in coip mode. */
export function isIsolated(site: OutpostSite): boolean {
  return site.formFactor === "server" || site.localGatewayMode === "coip";
}

export function networkModel(blueprint: Pick<Blueprint, "outposts">): NetworkModel {
  const sites = outpostSites(blueprint);
  const outpostPaths: OutpostPath[] = [];
  const reachable = new Map<string, string[]>(sites.map((site) => [site.name, []]));
  sites.forEach((a, i) => {
    for (const b of sites.slice(i + 1)) {
      const path = pathBetween(a, b);
      outpostPaths.push(path);
      if (path.reachable) {
        reachable.get(a.name)!.push(b.subnetCidr);
        reachable.get(b.name)!.push(a.subnetCidr);
      }
    }
  });
  const localGatewayRoutes: Record<string, string[]> = {};
  for (const site of sites) {
    if (site.formFactor !== "rack") continue;
    // A peer rack's subnet may lie inside an on-prem CIDR only if the user routed it so; keep both, once each.
    localGatewayRoutes[site.name] = [...new Set([...site.onPremCidrs, ...reachable.get(site.name)!])];
  }
  return {
    sites,
    localGatewayRoutes,
    outpostPaths,
    nodeCidrs: Object.fromEntries(sites.map((site) => [site.name, site.subnetCidr])),
  };
}

/** The Kubernetes service CIDR EKS picks when none is given: 172.20.0.0/16 for a VPC in 10.0.0.0/8, else 10.100.0.0/16. */
export function defaultServiceCidr(vpcCidr: string): string {
  return vpcCidr.split(".")[0] === "10" ? "172.20.0.0/16" : "10.100.0.0/16";
}
