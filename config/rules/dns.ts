/**
 * DNS rules (config/dns.ts): every name a node needs resolves somewhere, forwarded domains leave the
 * VPC's own names alone, and the servers they point at can be reached.
 */
import { addressInAnyCidr, isIpv4Address, networkOf, parseCidr, subnetReservedRole } from "../cidr";
import { lniRoutes } from "../derived";
import { domainsOverlap, hostOf, inDomain, isNonPublicName, specialUseDomainOf, VPC_RESOLVER_LINK_LOCAL, vpcOwnedDomains, vpcResolverAddress } from "../dns";
import { asArray, asObject, asString, RuleContext } from "./context";

/** DHCP options take at most four domain name servers (Amazon VPC User Guide, DHCP option sets). */
const DHCP_MAX_NAME_SERVERS = 4;

export function dnsRules(context: RuleContext): void {
  const dns = asObject(context.root.dns);
  const domains = asArray(dns.onPremDomains).map(asObject);
  const zones = asArray(dns.privateHostedZones).map(asObject);
  const region = context.region ?? "";
  const zoneNames = zones.map((zone) => asString(zone.name)).filter((name): name is string => name !== undefined);
  const domainNames = domains.map((entry) => asString(entry.domain)).filter((name): name is string => name !== undefined);
  const subnetCidrs = [
    ...context.regionalSubnets.map((subnet) => asString(subnet.cidr)),
    ...context.publicSubnets.map((subnet) => asString(subnet.cidr)),
    ...context.outposts.map((outpost) => asString(asObject(outpost.subnet).cidr)),
  ].filter((cidr): cidr is string => cidr !== undefined);
  const vpcCidr = context.vpcCidr;

  domains.forEach((entry, i) => {
    const domain = asString(entry.domain);
    if (domain === undefined) return;
    const owned = [...vpcOwnedDomains(region), ...zoneNames].find((other) => domainsOverlap(domain, other));
    if (owned) {
      context.add(
        ["dns", "onPremDomains", i, "domain"],
        `overlaps ${owned}, which the VPC answers itself (AWS endpoints, EC2 host names or a private hosted zone): forwarding it on premises would break the cluster; forward only your own domains`,
      );
    }
    const earlier = domainNames.slice(0, i).find((other) => domainsOverlap(domain, other));
    if (earlier) context.add(["dns", "onPremDomains", i, "domain"], `overlaps ${earlier}, declared before it; give each on-premises domain once`);
    asArray(entry.servers).forEach((value, j) => {
      const server = asString(value);
      const path = ["dns", "onPremDomains", i, "servers", j];
      if (server === undefined) return;
      if (!isIpv4Address(server)) {
        context.add(path, "is not an IPv4 address; Route 53 Resolver rules and DHCP options take the servers' addresses");
      } else if (server === VPC_RESOLVER_LINK_LOCAL) {
        context.add(path, `is the VPC resolver (${VPC_RESOLVER_LINK_LOCAL}): forwarding to it loops; give the on-premises servers`);
      } else if (vpcCidr && addressInAnyCidr(server, [vpcCidr.text])) {
        const resolver = vpcResolverAddress(vpcCidr.text);
        if (server === resolver) {
          context.add(path, `is the VPC resolver (${resolver}): forwarding to it loops; give the on-premises servers`);
        } else if (!addressInAnyCidr(server, subnetCidrs)) {
          context.add(path, `lies in the VPC (${vpcCidr.text}) but in none of the blueprint's subnets, so no server can hold it; give an address in a subnet, or the on-premises one`);
        } else {
          reservedServerAddress(context, path, server, subnetCidrs);
        }
      }
    });
  });

  const forwarding = asString(dns.forwarding) ?? "nodes";
  const distribution = asString(context.root.distribution) ?? "eks";
  if (domains.length > 0 && forwarding === "nodes" && distribution !== "eks") {
    // forwarding defaults to nodes: the answer says to choose, whether or not it was written.
    context.add(
      ["dns", "forwarding"],
      `is nodes, but distribution ${distribution} builds no nodes: ${distribution === "openshift" ? "the installer's MachineSets" : "HyperShift's NodePools"} ` +
        "create them, and nothing of the blueprint configures their resolver; use resolverEndpoint (servers reachable from the Region) or dhcpOptions",
    );
  } else if (domains.length > 0 && forwarding === "nodes") nodeForwardingRules(context, domains);
  if (domains.length > 0 && forwarding === "resolverEndpoint" && dns.serversReachableFromRegion !== true) {
    context.add(
      ["dns", "forwarding"],
      "is resolverEndpoint, whose addresses are in the regional subnets, but dns.serversReachableFromRegion is not true: an Outpost's local gateway carries no " +
        "Region traffic (Outposts User Guide, local gateway), so only a VPN, Direct Connect or transit gateway route reaches the servers; use forwarding: nodes, or declare that route",
    );
  }
  if (domains.length > 0 && forwarding === "dhcpOptions" && dns.serversAnswerAwsNames !== true) {
    context.add(
      ["dns", "forwarding"],
      "is dhcpOptions, which replaces the VPC resolver for every name, but dns.serversAnswerAwsNames is not true: the servers must answer the AWS endpoints' " +
        "private DNS and the cluster endpoint (through a Route 53 Resolver inbound endpoint); use forwarding: nodes, or declare that they do",
    );
  }
  if (forwarding === "dhcpOptions") {
    if (context.existingVpc) {
      context.add(["dns", "forwarding"], "is dhcpOptions, but the VPC exists: the blueprint does not replace an adopted VPC's DHCP options; use resolverEndpoint");
    }
    const servers = new Set(domains.flatMap((entry) => asArray(entry.servers).map(asString)).filter((server) => server !== undefined));
    if (servers.size === 0) context.add(["dns", "forwarding"], "is dhcpOptions, but dns.onPremDomains names no server for the nodes to use");
    if (servers.size > DHCP_MAX_NAME_SERVERS) {
      context.add(["dns", "onPremDomains"], `name ${servers.size} distinct servers; DHCP options take at most ${DHCP_MAX_NAME_SERVERS} (Amazon VPC User Guide, DHCP option sets)`);
    }
  }
  context.checkUnique(zoneNames, (i) => ["dns", "privateHostedZones", i, "name"], "private hosted zone");
  zones.forEach((zone, i) => {
    const name = asString(zone.name);
    const owned = name === undefined ? undefined : vpcOwnedDomains(region).find((other) => domainsOverlap(name, other));
    if (owned) context.add(["dns", "privateHostedZones", i, "name"], `overlaps ${owned}, which AWS answers for the VPC; choose your own domain`);
  });

  // The registry mirror: nodes pull from it by name, so something must answer that name.
  const images = asObject(context.addons.images);
  const mirrorHost = asString(asObject(images.mirror).host);
  if (images.source === "mirror" && mirrorHost !== undefined) {
    const host = hostOf(mirrorHost);
    const answered = isIpv4Address(host) || [...domainNames, ...zoneNames].some((domain) => inDomain(host, domain)) || !isNonPublicName(host);
    const special = specialUseDomainOf(host);
    if (!answered && special !== undefined) {
      context.add(
        ["addons", "images", "mirror", "host"],
        `names ${host}, under ${special}, a special-use name no public resolver answers (RFC 6761): ` +
          `declare ${special === host ? host : `its domain`} in dns.onPremDomains with the servers that answer it, put it in dns.privateHostedZones, or give the mirror by IP address`,
      );
    } else if (!answered) {
      context.add(
        ["addons", "images", "mirror", "host"],
        `names ${host}, which the VPC resolver cannot answer (it knows public names, private hosted zones and AWS endpoints, not on-premises ones): ` +
          `declare its domain in dns.onPremDomains with the servers that answer it, or give the mirror by IP address`,
      );
    }
  }
}

/**
 * Forwarding "nodes": each AL2023 node routes the domains to the servers with systemd-resolved, over
 * its rack's local gateway or its server's LNI. So every node group runs AL2023, every domain names
 * the same servers (systemd-resolved's global routing domains share them), and every node group
 * reaches each server: a rack through a network its subnet routes to the local gateway
 * (onPremCidrs), a server through a network its LNI routes or is on (siteNetworksOf).
 */
function nodeForwardingRules(context: RuleContext, domains: ReturnType<typeof asObject>[]): void {
  context.nodeGroups.forEach((group, i) => {
    const family = asString(asObject(group.ami).family) ?? "al2023";
    if (family !== "al2023") {
      context.add(
        ["nodeGroups", i, "ami", "family"],
        `is ${family}, but dns.forwarding nodes routes the on-premises domains with systemd-resolved, which only AL2023 nodes run; use al2023, or forward from the VPC`,
      );
    }
  });
  const serversOf = (entry: ReturnType<typeof asObject>) => asArray(entry.servers).map(asString).filter((server): server is string => server !== undefined).sort().join(",");
  domains.forEach((entry, i) => {
    if (i > 0 && serversOf(entry) !== serversOf(domains[0])) {
      context.add(["dns", "onPremDomains", i, "servers"], "differ from dns.onPremDomains[0]'s: with forwarding nodes every server answers every domain (systemd-resolved's routing domains share their servers)");
    }
  });
  const servers = asArray(domains[0]?.servers).map(asString);
  // One problem per server, naming every node group that cannot reach it (each may need its own fix).
  const unreachableFrom = servers.map((): string[] => []);
  context.nodeGroups.forEach((group) => {
    const outpost = context.outpostNamed(group.outpost);
    if (outpost === undefined) return;
    const site = siteNetworksOf(outpost, group);
    servers.forEach((server, j) => {
      if (server === undefined || !isIpv4Address(server) || addressInAnyCidr(server, site.networks)) return;
      unreachableFrom[j].push(`node group '${asString(group.name)}' on Outpost '${asString(outpost.name)}': ${site.why}`);
    });
  });
  unreachableFrom.forEach((groups, j) => {
    if (groups.length > 0) context.add(["dns", "onPremDomains", 0, "servers", j], `is out of reach of ${groups.join("; and of ")}`);
  });
}

/**
 * The site networks a node group's nodes reach, and what to change where a server lies outside them.
 * Racks: onPremCidrs, routed to the local gateway. Servers: the LNI's routes (onPremCidrs and a static
 * group's lni.routes, through the site gateway) and a static LNI's own networks; none without an LNI.
 */
function siteNetworksOf(outpost: ReturnType<typeof asObject>, group: ReturnType<typeof asObject>): { networks: string[]; why: string } {
  const strings = (value: unknown) => asArray(value).map(asString).filter((text): text is string => text !== undefined);
  const onPremCidrs = strings(outpost.onPremCidrs);
  if (outpost.formFactor === "rack") {
    return { networks: onPremCidrs, why: "it lies in none of the rack's outposts[].onPremCidrs, which its subnet routes to the local gateway; add its network there" };
  }
  if (outpost.lniDeviceIndex === undefined) {
    return { networks: [], why: "a server without a local network interface reaches no site network; set lniDeviceIndex, or forward from the VPC" };
  }
  const lni = asObject(group.lni);
  const staticLni = lni.mode === "static";
  const addresses = staticLni ? strings(lni.addresses).filter((address) => /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(address)).map(networkOf) : [];
  const routed = staticLni && lni.gateway === undefined ? [] : lniRoutes(onPremCidrs, staticLni ? strings(lni.routes) : []);
  return {
    networks: [...routed, ...addresses],
    why:
      "the LNI routes it nowhere: add its network to the server's outposts[].onPremCidrs (routed out of the LNI through the site gateway" +
      (staticLni ? ", which a static LNI needs as lni.gateway" : ", the one the site's DHCP server gives") +
      ")",
  };
}

/** A server address in one of the blueprint's subnets that AWS keeps for itself there (config/cidr.ts). */
function reservedServerAddress(context: RuleContext, path: Array<string | number>, server: string, subnetCidrs: readonly string[]): void {
  for (const text of subnetCidrs) {
    const subnet = parseCidr(text);
    const role = subnet === undefined ? undefined : subnetReservedRole(server, subnet);
    if (role !== undefined) {
      context.add(path, `is ${role} of subnet ${text}, one of the five addresses AWS keeps in every subnet (the first four and the last; Amazon VPC User Guide, subnet CIDR blocks): no DNS server can hold it; give a server's own address`);
      return;
    }
  }
}
