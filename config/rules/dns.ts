/**
 * DNS rules (config/dns.ts): every name a node needs resolves somewhere, forwarded domains leave the
 * VPC's own names alone, and the servers they point at can be reached.
 */
import { domainsOverlap, hostOf, inAnyCidr, inDomain, isIpv4Address, isNonPublicName, vpcOwnedDomains } from "../dns";
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
      } else if (vpcCidr && inAnyCidr(server, [vpcCidr.text])) {
        const base = vpcCidr.text.split("/")[0].split(".").map(Number);
        const resolver = [base[0], base[1], base[2], base[3] + 2].join(".");
        if (server === resolver) {
          context.add(path, `is the VPC resolver (${resolver}): forwarding to it loops; give the on-premises servers`);
        } else if (!inAnyCidr(server, subnetCidrs)) {
          context.add(path, `lies in the VPC (${vpcCidr.text}) but in none of the blueprint's subnets, so no server can hold it; give an address in a subnet, or the on-premises one`);
        }
      }
    });
  });

  const forwarding = asString(dns.forwarding) ?? "resolverEndpoint";
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
    if (!answered) {
      context.add(
        ["addons", "images", "mirror", "host"],
        `names ${host}, which the VPC resolver cannot answer (it knows public names, private hosted zones and AWS endpoints, not on-premises ones): ` +
          `declare its domain in dns.onPremDomains with the servers that answer it, or give the mirror by IP address`,
      );
    }
  }
}
