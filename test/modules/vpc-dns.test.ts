/**
 * VpcDns: on-premises domains forwarded by a Route 53 Resolver outbound endpoint (or served by DHCP
 * options), and private hosted zones created or adopted, all associated with the VPC.
 */
import { Testing } from "cdktf";
import { VpcDns, VpcDnsProps } from "../../modules/vpc-dns";

type Json = Record<string, any>;

function synth(props: Partial<VpcDnsProps>): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new VpcDns(scope, "dns", { name: "edge", vpcId: "vpc-0123", endpointSubnetIds: ["subnet-a", "subnet-b"], ...props });
    }),
  );
}

const SITE = { domain: "site.example.internal", servers: ["192.168.10.53", "192.168.11.53"] };

describe("VpcDns forwarding through a Resolver endpoint", () => {
  const json = synth({ onPremDomains: [SITE, { domain: "corp.example.internal", servers: ["192.168.10.53"] }] });

  it("creates an outbound endpoint with one address in each subnet", () => {
    const [endpoint] = Object.values(json.resource.aws_route53_resolver_endpoint) as Json[];
    expect(endpoint).toMatchObject({ direction: "OUTBOUND", ip_address: [{ subnet_id: "subnet-a" }, { subnet_id: "subnet-b" }] });
  });

  it("lets the endpoint send DNS to the servers only, over UDP and TCP", () => {
    const rules = Object.values(json.resource.aws_vpc_security_group_egress_rule) as Json[];
    expect(rules.map((rule) => `${rule.ip_protocol} ${rule.cidr_ipv4} ${rule.from_port}`).sort()).toEqual(
      ["tcp 192.168.10.53/32 53", "tcp 192.168.11.53/32 53", "udp 192.168.10.53/32 53", "udp 192.168.11.53/32 53"].sort(),
    );
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  it("forwards each domain to its servers, and associates each rule with the VPC", () => {
    const rules = Object.values(json.resource.aws_route53_resolver_rule) as Json[];
    const byDomain = Object.fromEntries(rules.map((rule) => [rule.domain_name, [rule.rule_type, rule.target_ip]]));
    expect(byDomain).toEqual({
      "site.example.internal": ["FORWARD", [{ ip: "192.168.10.53", port: 53 }, { ip: "192.168.11.53", port: 53 }]],
      "corp.example.internal": ["FORWARD", [{ ip: "192.168.10.53", port: 53 }]],
    });
    const associations = Object.values(json.resource.aws_route53_resolver_rule_association) as Json[];
    expect(associations).toHaveLength(2);
    for (const association of associations) expect(association.vpc_id).toBe("vpc-0123");
    expect(json.resource.aws_vpc_dhcp_options).toBeUndefined();
  });

  it("refuses an endpoint with fewer than two subnets", () => {
    expect(() => synth({ onPremDomains: [SITE], endpointSubnetIds: ["subnet-a"] })).toThrow(/at least two subnets/);
  });
});

describe("VpcDns with DHCP options", () => {
  it("makes the servers the VPC's name servers, with the Region's domain name, and no endpoint", () => {
    const json = synth({ onPremDomains: [SITE], forwarding: "dhcpOptions", dhcpDomainName: "us-west-2.compute.internal" });
    const [options] = Object.values(json.resource.aws_vpc_dhcp_options) as Json[];
    expect(options).toMatchObject({ domain_name_servers: ["192.168.10.53", "192.168.11.53"], domain_name: "us-west-2.compute.internal" });
    const [association] = Object.values(json.resource.aws_vpc_dhcp_options_association) as Json[];
    expect(association.vpc_id).toBe("vpc-0123");
    expect(json.resource.aws_route53_resolver_endpoint).toBeUndefined();
  });
});

describe("VpcDns private hosted zones", () => {
  it("creates a private zone on the VPC, or associates an existing one", () => {
    const json = synth({ privateHostedZones: [{ name: "apps.edge.example.internal" }, { name: "legacy.example.internal", zoneId: "Z0123456789ABCDEFGHIJ" }] });
    const [zone] = Object.values(json.resource.aws_route53_zone) as Json[];
    expect(zone).toMatchObject({ name: "apps.edge.example.internal", vpc: [{ vpc_id: "vpc-0123" }] });
    const [association] = Object.values(json.resource.aws_route53_zone_association) as Json[];
    expect(association).toMatchObject({ zone_id: "Z0123456789ABCDEFGHIJ", vpc_id: "vpc-0123" });
    expect(json.resource.aws_route53_resolver_endpoint).toBeUndefined();
  });
});

describe("VpcDns with Amazon-provided DHCP options (HyperShift, issue 23)", () => {
  it("creates a DHCP options set of the Region's domain and AmazonProvidedDNS, associated with the VPC", () => {
    const json = synth({ amazonProvidedDhcpOptions: true, dhcpDomainName: "us-east-2.compute.internal" });
    const [options] = Object.values(json.resource.aws_vpc_dhcp_options) as Json[];
    expect(options).toMatchObject({ domain_name: "us-east-2.compute.internal", domain_name_servers: ["AmazonProvidedDNS"] });
    expect(Object.values(json.resource.aws_vpc_dhcp_options_association)).toHaveLength(1);
  });

  it("leaves the DHCP options to the on-premises servers when they take them", () => {
    const json = synth({ amazonProvidedDhcpOptions: true, onPremDomains: [SITE], forwarding: "dhcpOptions" });
    const options = Object.values(json.resource.aws_vpc_dhcp_options) as Json[];
    expect(options.map((o) => o.domain_name_servers)).toEqual([SITE.servers]);
  });

  it("creates none by default", () => {
    expect(synth({ privateHostedZones: [{ name: "apps.example.internal" }] }).resource.aws_vpc_dhcp_options).toBeUndefined();
  });
});
