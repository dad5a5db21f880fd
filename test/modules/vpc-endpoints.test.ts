/**
 * VpcEndpoints: interface endpoints with private DNS behind a security group that admits HTTPS from
 * CIDRs only, and an S3 gateway endpoint on the given route tables.
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { VpcEndpoints, VpcEndpointsProps } from "../../modules/vpc-endpoints";

const base: VpcEndpointsProps = {
  name: "edge",
  vpcId: "vpc-0abc",
  region: "us-west-2",
  interfaceServices: ["ecr.api", "ecr.dkr", "sts", "ecr.api"],
  subnetIds: ["subnet-0a", "subnet-0b"],
  allowedCidrs: ["10.20.0.0/16", "10.20.64.0/22", "10.20.0.0/16"],
};

function synth(props: VpcEndpointsProps): { endpoints: VpcEndpoints; synthesized: string; json: any } {
  let endpoints!: VpcEndpoints;
  const synthesized = Testing.synthScope((scope) => {
    endpoints = new VpcEndpoints(scope, "endpoints", props);
  });
  return { endpoints, synthesized, json: JSON.parse(synthesized) };
}

const endpointsOf = (json: any): any[] => Object.values(json.resource.aws_vpc_endpoint ?? {});

describe("VpcEndpoints: interface endpoints only", () => {
  const { endpoints, synthesized, json } = synth(base);
  const groupId = Object.keys(json.resource.aws_security_group)[0];

  it("creates the endpoints' security group in the VPC", () => {
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, {
      name: "edge-vpc-endpoints",
      vpc_id: "vpc-0abc",
      tags: { Name: "edge-vpc-endpoints" },
    });
    const group = json.resource.aws_security_group[groupId];
    expect(group.ingress).toBeUndefined();
  });

  it("admits HTTPS from each CIDR once, by CIDR rules only", () => {
    for (const cidr of ["10.20.0.0/16", "10.20.64.0/22"]) {
      expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        security_group_id: `\${aws_security_group.${groupId}.id}`,
        cidr_ipv4: cidr,
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        description: `HTTPS from ${cidr}`,
      });
    }
    const rules = Object.values(json.resource.aws_vpc_security_group_ingress_rule) as any[];
    expect(rules).toHaveLength(2);
    expect(rules.every((rule) => rule.referenced_security_group_id === undefined)).toBe(true);
  });

  it("creates one interface endpoint with private DNS per distinct service", () => {
    for (const service of ["ecr.api", "ecr.dkr", "sts"]) {
      expect(synthesized).toHaveResourceWithProperties(VpcEndpoint, {
        vpc_id: "vpc-0abc",
        service_name: `com.amazonaws.us-west-2.${service}`,
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
        subnet_ids: ["subnet-0a", "subnet-0b"],
        security_group_ids: [`\${aws_security_group.${groupId}.id}`],
        tags: { Name: `edge-${service}` },
      });
    }
    expect(endpointsOf(json)).toHaveLength(3);
    expect(endpointsOf(json).every((endpoint) => endpoint.dns_options === undefined)).toBe(true);
  });

  it("has no S3 gateway endpoint without route tables, and exposes endpoints by service", () => {
    expect(endpointsOf(json).some((endpoint) => endpoint.vpc_endpoint_type === "Gateway")).toBe(false);
    expect(Object.keys(endpoints.endpointIds).sort()).toEqual(["ecr.api", "ecr.dkr", "sts"]);
    expect(endpoints.securityGroupId).toBeDefined();
  });

  it("treats an empty route-table list as no S3 gateway endpoint", () => {
    const { json: empty } = synth({ ...base, gatewayRouteTableIds: [] });
    expect(endpointsOf(empty).some((endpoint) => endpoint.vpc_endpoint_type === "Gateway")).toBe(false);
  });
});

describe("VpcEndpoints: the S3 gateway endpoint", () => {
  it("creates a gateway endpoint on the route tables given", () => {
    const { endpoints, synthesized } = synth({ ...base, gatewayRouteTableIds: ["rtb-0a", "rtb-0rack"] });
    expect(synthesized).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_id: "vpc-0abc",
      service_name: "com.amazonaws.us-west-2.s3",
      vpc_endpoint_type: "Gateway",
      route_table_ids: ["rtb-0a", "rtb-0rack"],
      tags: { Name: "edge-s3" },
    });
    expect(Object.keys(endpoints.endpointIds)).toContain("s3");
  });

  it("beside an S3 interface endpoint, limits the interface's private DNS to inbound resolver endpoints", () => {
    const { endpoints, synthesized, json } = synth({ ...base, interfaceServices: ["s3"], gatewayRouteTableIds: ["rtb-0a"] });
    expect(synthesized).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: "com.amazonaws.us-west-2.s3",
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      dns_options: { private_dns_only_for_inbound_resolver_endpoint: true },
    });
    expect(endpointsOf(json)).toHaveLength(2);
    expect(Object.keys(endpoints.endpointIds).sort()).toEqual(["s3", "s3-interface"]);
  });

  it("creates the S3 interface endpoint after the gateway endpoint, which AWS needs first", () => {
    const { json } = synth({ ...base, interfaceServices: ["s3", "sts"], gatewayRouteTableIds: ["rtb-0a"] });
    const endpoints = json.resource.aws_vpc_endpoint as Record<string, any>;
    const [gatewayId] = Object.keys(endpoints).filter((id) => endpoints[id].vpc_endpoint_type === "Gateway");
    const s3Interface = Object.values(endpoints).find((endpoint: any) => endpoint.vpc_endpoint_type === "Interface" && endpoint.service_name.endsWith(".s3"));
    const sts = Object.values(endpoints).find((endpoint: any) => endpoint.service_name.endsWith(".sts"));
    expect(s3Interface.depends_on).toEqual([`aws_vpc_endpoint.${gatewayId}`]);
    expect(sts.depends_on).toBeUndefined();
  });

  it("beside a gateway endpoint the VPC already has, limits the S3 interface's private DNS without a dependency", () => {
    const { json } = synth({ ...base, interfaceServices: ["s3"], existingS3GatewayEndpoint: true });
    const [interfaceEndpoint] = endpointsOf(json);
    expect(endpointsOf(json)).toHaveLength(1);
    expect(interfaceEndpoint.dns_options).toEqual({ private_dns_only_for_inbound_resolver_endpoint: true });
    expect(interfaceEndpoint.depends_on).toBeUndefined();
  });

  it("an S3 interface endpoint alone keeps full private DNS", () => {
    const { endpoints, json } = synth({ ...base, interfaceServices: ["s3"] });
    const [interfaceEndpoint] = endpointsOf(json);
    expect(endpointsOf(json)).toHaveLength(1);
    expect(interfaceEndpoint.vpc_endpoint_type).toBe("Interface");
    expect(interfaceEndpoint.dns_options).toBeUndefined();
    expect(Object.keys(endpoints.endpointIds)).toEqual(["s3-interface"]);
  });
});
