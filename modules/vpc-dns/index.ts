/**
 * Name resolution for a VPC beyond its own resolver (config/dns.ts decides what is needed):
 * - on-premises domains forwarded by a Route 53 Resolver outbound endpoint (one IP per given
 *   subnet, at least two) and a forwarding rule per domain, associated with the VPC (Route 53
 *   Developer Guide, "Forwarding outbound DNS queries to your network");
 * - or a DHCP options set that makes the on-premises servers the instances' resolvers (Amazon VPC
 *   User Guide, "DHCP option sets"), for sites whose DNS answers every name, AWS ones included;
 * - private hosted zones, created or adopted, associated with the VPC.
 */
import { Route53ResolverEndpoint } from "@cdktf/provider-aws/lib/route53-resolver-endpoint";
import { Route53ResolverRule } from "@cdktf/provider-aws/lib/route53-resolver-rule";
import { Route53ResolverRuleAssociation } from "@cdktf/provider-aws/lib/route53-resolver-rule-association";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Route53ZoneAssociation } from "@cdktf/provider-aws/lib/route53-zone-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcDhcpOptions } from "@cdktf/provider-aws/lib/vpc-dhcp-options";
import { VpcDhcpOptionsAssociation } from "@cdktf/provider-aws/lib/vpc-dhcp-options-association";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Construct } from "constructs";
import { domainConstructKey, forwardingRuleConstructIds, privateZoneConstructId } from "../shared/construct-ids";
import { tagResources } from "../shared/resource-options";

export interface OnPremDomain {
  /** The domain; its subdomains go to the same servers. */
  readonly domain: string;
  /** IPv4 addresses of the DNS servers that answer it. */
  readonly servers: readonly string[];
}

export interface PrivateHostedZoneSpec {
  readonly name: string;
  /**
   * An existing private zone to associate with the VPC.
   * @default - a new zone
   */
  readonly zoneId?: string;
}

export interface VpcDnsProps {
  /** Stem of the names of what the construct creates. */
  readonly name: string;
  readonly vpcId: string;
  /** Subnets for the outbound endpoint's addresses, one each; at least two (Route 53 Resolver requires two IPs). */
  readonly endpointSubnetIds: readonly string[];
  /**
   * On-premises domains and their servers.
   * @default none
   */
  readonly onPremDomains?: readonly OnPremDomain[];
  /**
   * How the domains are reached: forwarded by an outbound endpoint, or the servers as the VPC's DHCP name servers.
   * @default "resolverEndpoint"
   */
  readonly forwarding?: "resolverEndpoint" | "dhcpOptions";
  /**
   * The DHCP options' domain name (dhcpOptions only): the Region's default keeps EC2 host names.
   * @default - none
   */
  readonly dhcpDomainName?: string;
  /**
   * Private hosted zones associated with the VPC.
   * @default none
   */
  readonly privateHostedZones?: readonly PrivateHostedZoneSpec[];
  /**
   * A DHCP options set of the Region's domain and AmazonProvidedDNS, as `hypershift create infra aws`
   * creates (seed 003), when no on-premises servers take the DHCP options.
   * @default false
   */
  readonly amazonProvidedDhcpOptions?: boolean;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

// Dots become "--", so a-b.example and a.b.example keep distinct IDs (a--b.example and a.b.example do
// not: config/identities.ts refuses such pairs before construction).
const key = domainConstructKey;

export class VpcDns extends Construct {
  /** The outbound endpoint; undefined without forwarded domains. */
  readonly resolverEndpointId?: string;
  /** Each private hosted zone's ID, by zone name. */
  readonly privateHostedZoneIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: VpcDnsProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const domains = props.onPremDomains ?? [];
    const forwarding = props.forwarding ?? "resolverEndpoint";
    if (domains.length > 0 && forwarding === "resolverEndpoint") {
      if (props.endpointSubnetIds.length < 2) throw new Error(`${this.node.path}: a Resolver endpoint needs at least two subnets (one IP address each)`);
      const group = new SecurityGroup(this, "resolver-security-group", {
        name: `${props.name}-dns-forwarding`,
        description: "Route 53 Resolver outbound endpoint: DNS to the on-premises servers only",
        vpcId: props.vpcId,
        tags: { Name: `${props.name}-dns-forwarding` },
      });
      const servers = [...new Set(domains.flatMap((domain) => domain.servers))];
      for (const server of servers) {
        for (const protocol of ["udp", "tcp"]) {
          new VpcSecurityGroupEgressRule(this, `dns-${protocol}-to-${key(server)}`, {
            securityGroupId: group.id,
            description: `DNS (${protocol.toUpperCase()}) to ${server}`,
            ipProtocol: protocol,
            fromPort: 53,
            toPort: 53,
            cidrIpv4: `${server}/32`,
          });
        }
      }
      const endpoint = new Route53ResolverEndpoint(this, "outbound-endpoint", {
        name: `${props.name}-outbound`,
        direction: "OUTBOUND",
        securityGroupIds: [group.id],
        ipAddress: props.endpointSubnetIds.map((subnetId) => ({ subnetId })),
      });
      this.resolverEndpointId = endpoint.id;
      for (const domain of domains) {
        const ids = forwardingRuleConstructIds(domain.domain);
        const rule = new Route53ResolverRule(this, ids.rule, {
          name: `${props.name}-${key(domain.domain)}`.slice(0, 64),
          domainName: domain.domain,
          ruleType: "FORWARD",
          resolverEndpointId: endpoint.id,
          targetIp: domain.servers.map((ip) => ({ ip, port: 53 })),
        });
        new Route53ResolverRuleAssociation(this, ids.association, { resolverRuleId: rule.id, vpcId: props.vpcId });
      }
    }
    if (domains.length > 0 && forwarding === "dhcpOptions") {
      const options = new VpcDhcpOptions(this, "dhcp-options", {
        domainNameServers: [...new Set(domains.flatMap((domain) => domain.servers))],
        domainName: props.dhcpDomainName,
        tags: { Name: `${props.name}-on-premises-dns` },
      });
      new VpcDhcpOptionsAssociation(this, "dhcp-options-association", { vpcId: props.vpcId, dhcpOptionsId: options.id });
    }
    if (props.amazonProvidedDhcpOptions && !(domains.length > 0 && forwarding === "dhcpOptions")) {
      const options = new VpcDhcpOptions(this, "dhcp-options", {
        domainNameServers: ["AmazonProvidedDNS"],
        domainName: props.dhcpDomainName,
        tags: { Name: props.name },
      });
      new VpcDhcpOptionsAssociation(this, "dhcp-options-association", { vpcId: props.vpcId, dhcpOptionsId: options.id });
    }
    const zoneIds: Record<string, string> = {};
    for (const zone of props.privateHostedZones ?? []) {
      if (zone.zoneId !== undefined) {
        new Route53ZoneAssociation(this, privateZoneConstructId(zone.name, true), { zoneId: zone.zoneId, vpcId: props.vpcId });
        zoneIds[zone.name] = zone.zoneId;
      } else {
        const created = new Route53Zone(this, privateZoneConstructId(zone.name, false), {
          name: zone.name,
          comment: `${props.name}: private names for workloads and ingress`,
          vpc: [{ vpcId: props.vpcId }],
        });
        zoneIds[zone.name] = created.zoneId;
      }
    }
    this.privateHostedZoneIds = zoneIds;
  }
}
