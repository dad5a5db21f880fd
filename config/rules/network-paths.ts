/**
 * Required paths, checked on the network model (config/network-model.ts) that the stacks build
 * from: nodes on every pair of Outposts reach each other, each rack's local gateway route table
 * suits what it carries, and a local cluster's NAT is in the rack's parent AZ.
 */
import { isIsolated, OutpostSite, outpostSites, pathBetween } from "../network-model";
import type { Outpost } from "../schema";
import { asArray, asObject, asString, RuleContext } from "./context";

/** The Outposts whose shape the model needs, rebuilt safely from the untrusted input. */
function modelOutposts(context: RuleContext): Array<{ outpost: Outpost; index: number }> {
  return context.outposts.flatMap((raw, index) => {
    const name = asString(raw.name);
    const formFactor = raw.formFactor;
    const subnet = asObject(raw.subnet);
    if (name === undefined || (formFactor !== "rack" && formFactor !== "server") || asString(subnet.cidr) === undefined) return [];
    const outpost = {
      ...raw,
      name,
      formFactor,
      subnet: { ...subnet, manageRouting: subnet.manageRouting !== false },
      onPremCidrs: asArray(raw.onPremCidrs).filter((cidr): cidr is string => typeof cidr === "string"),
      localGatewayRouteTableMode: raw.localGatewayRouteTableMode === "coip" ? "coip" : "direct-vpc-routing",
    } as unknown as Outpost;
    return [{ outpost, index }];
  });
}

/** Pairs without a path reported one by one; beyond these, one summary (n Outposts make n(n-1)/2 pairs). */
export const MAX_PATH_PROBLEMS = 20;

/**
 * The pairs (i < j, in blueprint order) that have no path, lazily: a pair has none exactly when one
 * end is isolated (isIsolated), so the first k come in O(n + k), never O(n^2).
 */
function* pairsWithoutPath(sites: readonly OutpostSite[]): Generator<[number, number]> {
  const isolated = sites.flatMap((site, i) => (isIsolated(site) ? [i] : []));
  let next = 0;
  for (let i = 0; i < sites.length; i++) {
    while (next < isolated.length && isolated[next] <= i) next++;
    if (isIsolated(sites[i])) for (let j = i + 1; j < sites.length; j++) yield [i, j];
    else for (let k = next; k < isolated.length; k++) yield [i, isolated[k]];
  }
}

export function networkPathRules(context: RuleContext): void {
  const outposts = modelOutposts(context);
  const sites = outpostSites({ outposts: outposts.map((entry) => entry.outpost) });
  // Every Outpost of a blueprint runs nodes of the one cluster: each pair needs a path.
  let reported = 0;
  for (const [i, j] of pairsWithoutPath(sites)) {
    if (reported === MAX_PATH_PROBLEMS) break;
    const path = pathBetween(sites[i], sites[j]);
    context.add(["outposts", outposts[sites[j].index].index], `no path; ${path.reason}`, `outposts[${path.from}] ↔ outposts[${path.to}]`);
    reported += 1;
  }
  const connected = sites.filter((site) => !isIsolated(site)).length;
  const withoutPath = (sites.length * (sites.length - 1)) / 2 - (connected * (connected - 1)) / 2;
  if (withoutPath > reported) {
    context.add(
      ["outposts"],
      `has ${withoutPath} pairs of Outposts without a path between them (the first ${reported} are listed): a server must be the only ` +
        "Outpost of its cluster, and racks reach each other only with direct-vpc-routing",
    );
  }

  context.outposts.forEach((outpost, i) => {
    if (outpost.coip !== undefined && outpost.formFactor === "rack" && outpost.localGatewayRouteTableMode !== "coip") {
      context.add(
        ["outposts", i, "coip"],
        "needs localGatewayRouteTableMode: coip: a CoIP pool belongs to a route table in coip mode, and direct VPC routing and CoIP " +
          "exclude each other (Outposts User Guide, local gateway route tables)",
      );
    }
    const subnet = asObject(outpost.subnet);
    if (subnet.id === undefined && subnet.manageRouting === false) {
      context.add(["outposts", i, "subnet", "manageRouting"], "is only valid for an adopted subnet (subnet.id); the blueprint always routes the subnets it creates");
    }
  });

  // Nodes pull images from ECR (ecr.api, ecr.dkr) and their layers from S3: without NAT, each needs an
  // endpoint the blueprint creates or the adopted VPC already has.
  const endpoints = asObject(context.network.endpoints);
  const created = endpoints.enabled !== false;
  const existing = new Set(asArray(endpoints.existingServices).filter((service): service is string => typeof service === "string"));
  if (context.egress === "private" && context.existingVpc && !created) {
    const missing = ["ecr.api", "ecr.dkr", "s3"].filter((service) => !existing.has(service));
    if (missing.length > 0) {
      context.add(
        ["network", "endpoints", "existingServices"],
        `nodes → ECR: no path; egress is private and endpoints are off, so the VPC must already have the ${missing.join(", ")} endpoint(s): list them here, or enable the endpoints`,
      );
    }
  }

  // A local cluster's NAT gateway must sit in the rack's parent AZ (EKS User Guide, local cluster VPC requirements).
  if (context.architecture?.controlPlaneOnOutpost && context.egress === "nat" && !context.existingVpc) {
    const zone = asString(context.outposts[0]?.availabilityZone);
    const publicZones = context.publicSubnets.map((subnet) => asString(subnet.availabilityZone));
    if (zone !== undefined && context.publicSubnets.length > 0 && !publicZones.includes(zone)) {
      context.add(
        ["network", "publicSubnets"],
        `has no subnet in ${zone}, the rack's parent AZ; a local cluster's NAT gateway must be in that AZ (EKS User Guide, local clusters)`,
      );
    }
  }
}
