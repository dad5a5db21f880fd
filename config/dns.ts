/**
 * How every name the cluster depends on resolves, connected and disconnected: the DNS model beside
 * the network model. The rules refuse a blueprint whose required names cannot resolve, the network
 * stack builds what the model asks for (forwarding, DHCP options, private zones), and
 * docs/networking.md's "How names resolve" explains the same answers.
 *
 * Sources (read 2026-12-02):
 * - Amazon VPC User Guide, "DNS attributes for your VPC" and "DHCP option sets": nodes ask the VPC
 *   resolver (the VPC CIDR's base + 2, or 169.254.169.253) unless DHCP options name other servers;
 *   it answers public names, private hosted zones and interface endpoints' private DNS, not
 *   on-premises names.
 * - Route 53 Developer Guide, "Forwarding outbound DNS queries to your network": an outbound endpoint
 *   (ENIs in the VPC's subnets, at least two IP addresses) and forwarding rules associated with the VPC.
 * - AWS whitepaper "AWS Outposts High Availability Design and Architecture Considerations", and the
 *   Outposts User Guide, "Route 53 Resolver on Outposts": while the service link is down, DNS on the
 *   Outpost fails unless Route 53 Resolver on Outposts runs on the rack (opt-in on first-generation
 *   racks); then it keeps answering from the rack, and forwards through outbound endpoints on the
 *   Outpost.
 * - EKS User Guide, "Prepare local clusters for network disconnects" (seed 004): the control-plane
 *   instances keep static IP addresses; EKS-optimized AMIs write the API server's addresses into
 *   /etc/hosts (nodeadm `enableOutpost`, amazon-eks-ami internal/kubelet); use local DNS servers
 *   or hosts entries while Route 53 is out of reach. Instance-store clusters: a kubelet resolvConf
 *   that names only the name server (`spec.kubelet.config.resolvConf`).
 */
import { isIpv4Address } from "./cidr";
import { clusterArchitecture } from "./cluster-architecture";
import type { Blueprint } from "./schema";

/**
 * Special-use names no public resolver answers (RFC 6761, sections 6.2-6.5): `test.`, `localhost.`,
 * `invalid.`, and `example.` with example.com, .net and .org, whose subdomains IANA never delegates.
 */
export const SPECIAL_USE_SUFFIXES = ["test", "localhost", "invalid", "example", "example.com", "example.net", "example.org"] as const;

/** Top-level domains and names that are never public, so the VPC resolver cannot answer them by itself. */
export const NON_PUBLIC_SUFFIXES = ["internal", "local", "lan", "corp", "home", "localdomain", "intranet", "private", "home.arpa", "in-addr.arpa", ...SPECIAL_USE_SUFFIXES] as const;

/** The RFC 6761 special-use domain a name lies in, or undefined. */
export function specialUseDomainOf(name: string): string | undefined {
  return SPECIAL_USE_SUFFIXES.find((suffix) => inDomain(name, suffix));
}

/** Domains the VPC answers itself (EC2 host names, AWS endpoints, EKS): on-premises forwarding for them would break the cluster. */
export function vpcOwnedDomains(region: string): string[] {
  return ["amazonaws.com", "amazonaws.com.cn", "api.aws", "compute.internal", "ec2.internal", `${region}.compute.internal`];
}

/** Whether `name` is `domain` or one of its subdomains. */
export function inDomain(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/** Whether one domain lies in the other. */
export function domainsOverlap(a: string, b: string): boolean {
  return inDomain(a, b) || inDomain(b, a);
}

/** The host part of `host[:port]`. */
export function hostOf(hostAndPort: string): string {
  return hostAndPort.replace(/:\d+$/, "");
}

/** A name the VPC resolver answers only if it is public: one label, or under a suffix that is never public. */
export function isNonPublicName(name: string): boolean {
  return !name.includes(".") || NON_PUBLIC_SUFFIXES.some((suffix) => inDomain(name, suffix));
}

export type Resolver =
  | "none (an IP address)"
  | "the on-premises servers, asked by the nodes"
  | "VPC resolver"
  | "VPC resolver (from its cache on the rack)"
  | "VPC resolver, forwarded to the on-premises servers"
  | "on-premises servers (DHCP options)"
  | "/etc/hosts (written at boot)"
  | "unresolved";

export interface NameAnswer {
  /** The name, or a pattern of names. */
  readonly name: string;
  /** What needs it. */
  readonly what: string;
  readonly connected: Resolver;
  readonly disconnected: Resolver | "not needed (the service is in the Region)";
}

type DnsInput = Pick<Blueprint, "name" | "region" | "variant" | "controlPlane" | "dns" | "addons">;

/** Who answers an on-premises or private name, connected and disconnected. */
function answerFor(blueprint: DnsInput, name: string): Pick<NameAnswer, "connected" | "disconnected"> {
  const { dns } = blueprint;
  // Route 53 Resolver on Outposts answers from its cache while disconnected (Route 53 DG, Resolver on Outposts).
  const onRack: Resolver = dns.outpostResolver ? "VPC resolver (from its cache on the rack)" : "unresolved";
  if (isIpv4Address(name)) return { connected: "none (an IP address)", disconnected: "none (an IP address)" };
  if (dns.onPremDomains.some((entry) => inDomain(name, entry.domain))) {
    if (dns.forwarding === "nodes") return { connected: "the on-premises servers, asked by the nodes", disconnected: "the on-premises servers, asked by the nodes" };
    if (dns.forwarding === "dhcpOptions") return { connected: "on-premises servers (DHCP options)", disconnected: "on-premises servers (DHCP options)" };
    // The outbound endpoint's ENIs are in the Region: forwarding stops with the service link.
    return { connected: "VPC resolver, forwarded to the on-premises servers", disconnected: "unresolved" };
  }
  if (dns.privateHostedZones.some((zone) => inDomain(name, zone.name)) || !isNonPublicName(name)) {
    return { connected: dns.forwarding === "dhcpOptions" ? "on-premises servers (DHCP options)" : "VPC resolver", disconnected: onRack };
  }
  return { connected: "unresolved", disconnected: "unresolved" };
}

/** Every name the blueprint's cluster depends on, and who answers it. */
export function nameResolution(blueprint: DnsInput): NameAnswer[] {
  const architecture = clusterArchitecture(blueprint);
  const viaVpc: Resolver = blueprint.dns.forwarding === "dhcpOptions" ? "on-premises servers (DHCP options)" : "VPC resolver";
  const answers: NameAnswer[] = [
    {
      name: "<cluster endpoint>.eks.amazonaws.com",
      what: "the Kubernetes API (nodes, add-ons, kubectl)",
      connected: viaVpc,
      disconnected: architecture.controlPlaneOnOutpost ? "/etc/hosts (written at boot)" : "not needed (the service is in the Region)",
    },
    {
      name: `*.${blueprint.region}.amazonaws.com`,
      what: "AWS APIs: ECR, STS, EC2, SSM, logs (interface endpoints' private DNS, or public DNS through NAT)",
      connected: viaVpc,
      disconnected: "not needed (the service is in the Region)",
    },
  ];
  const mirror = blueprint.addons.images.mirror;
  if (blueprint.addons.images.source === "mirror" && mirror) {
    const host = hostOf(mirror.host);
    answers.push({ name: host, what: "the registry mirror (images.mirror.host)", ...answerFor(blueprint, host) });
  }
  for (const entry of blueprint.dns.onPremDomains) answers.push({ name: `*.${entry.domain}`, what: "on-premises names (dns.onPremDomains)", ...answerFor(blueprint, entry.domain) });
  for (const zone of blueprint.dns.privateHostedZones) answers.push({ name: `*.${zone.name}`, what: "workload and ingress names (dns.privateHostedZones)", ...answerFor(blueprint, zone.name) });
  return answers;
}

/** Why the blueprint's disconnect readiness needs Route 53 Resolver on Outposts, or undefined. */
export function outpostResolverAdvice(blueprint: DnsInput): string | undefined {
  if (blueprint.dns.outpostResolver) return undefined;
  const lost = nameResolution(blueprint).filter((answer) => answer.connected !== "unresolved" && answer.disconnected === "unresolved");
  if (lost.length === 0) return undefined;
  return (
    `While an Outpost is disconnected, nothing answers ${lost.map((answer) => answer.name).join(", ")}: ` +
    "forward on-premises domains with dns.forwarding: nodes, run Route 53 Resolver on Outposts on the racks for private zones and public names " +
    "(docs/networking.md, How names resolve) and set dns.outpostResolver: true, or give those hosts by IP address."
  );
}

/** The domain name AWS's default DHCP options give a VPC in the Region (Amazon VPC User Guide, DHCP option sets). */
export function defaultDhcpDomainName(region: string): string {
  return region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
}

/** The VPC resolver: the VPC CIDR's base address plus two (Amazon VPC User Guide, DNS attributes). */
export function vpcResolverAddress(vpcCidr: string): string {
  const [a, b, c, d] = vpcCidr.split("/")[0].split(".").map(Number);
  return [a, b, c, d + 2].join(".");
}

/** The link-local address of the VPC resolver, reachable from every instance. */
export const VPC_RESOLVER_LINK_LOCAL = "169.254.169.253";

/** Where nodes write the kubelet's resolv.conf of name servers only, where the architecture asks for one. */
export const KUBELET_RESOLV_CONF = "/etc/eks/kubelet-resolv.conf";


/**
 * What the VPC forwards (modules/vpc-dns): the on-premises domains and how, unless the nodes ask the
 * servers themselves (forwarding "nodes"), when the VPC forwards nothing.
 */
export function vpcForwarding(blueprint: Pick<Blueprint, "dns">): { domains: Blueprint["dns"]["onPremDomains"]; mode?: "resolverEndpoint" | "dhcpOptions" } {
  const { dns } = blueprint;
  return dns.forwarding === "nodes" ? { domains: [] } : { domains: dns.onPremDomains, mode: dns.forwarding };
}

/**
 * The on-premises domains the nodes ask the servers for themselves (forwarding "nodes"): every
 * declared domain, to every declared server (systemd-resolved's global routing domains).
 */
export function nodeResolverRoutes(blueprint: Pick<Blueprint, "dns">): { domains: string[]; servers: string[] } | undefined {
  const { dns } = blueprint;
  if (dns.forwarding !== "nodes" || dns.onPremDomains.length === 0) return undefined;
  return { domains: dns.onPremDomains.map((entry) => entry.domain), servers: [...new Set(dns.onPremDomains.flatMap((entry) => entry.servers))] };
}

/**
 * The kubelet's resolv.conf, where one is written: the VPC resolver alone, on instance-store local
 * clusters (EKS UG, network disconnects) and wherever the nodes route on-premises domains (so pods
 * keep the VPC resolver as their upstream).
 */
export function kubeletResolvConfOf(blueprint: Pick<Blueprint, "variant" | "controlPlane" | "dns" | "network">): { path: string; nameserver: string } | undefined {
  if (!clusterArchitecture(blueprint).kubeletResolvConf && nodeResolverRoutes(blueprint) === undefined) return undefined;
  return { path: KUBELET_RESOLV_CONF, nameserver: vpcResolverAddress(blueprint.network.vpc.cidr) };
}
