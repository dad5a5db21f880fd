/**
 * NodeSecurityGroup: the nodes' security group, every rule a CIDR: node-to-node traffic and
 * CoreDNS, kubelet and webhooks from the control plane, and egress.
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { CONTROL_PLANE_TO_NODE_PORTS, NodeSecurityGroup, NodeSecurityGroupProps } from "../../modules/node-security-group";

const base: NodeSecurityGroupProps = {
  name: "edge",
  vpcId: "vpc-0abc",
  nodeCidrs: { "rack-a": "10.20.64.0/22", "rack-b": "10.20.68.0/22" },
  controlPlaneCidrs: { "us-west-2a": "10.20.0.0/20" },
};

function synth(props: NodeSecurityGroupProps): { synthesized: string; json: any; groupRef: string } {
  const synthesized = Testing.synthScope((scope) => {
    new NodeSecurityGroup(scope, "nodes", props);
  });
  const json = JSON.parse(synthesized);
  return { synthesized, json, groupRef: `\${aws_security_group.${Object.keys(json.resource.aws_security_group)[0]}.id}` };
}

const ingressRules = (json: any): any[] => Object.values(json.resource.aws_vpc_security_group_ingress_rule ?? {});
const egressRules = (json: any): any[] => Object.values(json.resource.aws_vpc_security_group_egress_rule ?? {});

describe("NodeSecurityGroup with defaults", () => {
  const { synthesized, json, groupRef } = synth(base);

  it("creates the group in the VPC, named after the blueprint", () => {
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, {
      name: "edge-nodes",
      vpc_id: "vpc-0abc",
      description: "EKS nodes on Outposts (CIDR rules only)",
      tags: { Name: "edge-nodes" },
    });
  });

  it("admits all traffic and CoreDNS over UDP and TCP from every node CIDR", () => {
    for (const [name, cidr] of Object.entries(base.nodeCidrs)) {
      expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        security_group_id: groupRef,
        cidr_ipv4: cidr,
        ip_protocol: "-1",
        description: `All traffic from nodes on ${name}`,
      });
      for (const protocol of ["udp", "tcp"]) {
        expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
          security_group_id: groupRef,
          cidr_ipv4: cidr,
          ip_protocol: protocol,
          from_port: 53,
          to_port: 53,
        });
      }
    }
  });

  it("admits kubelet (10250) and webhooks (443, 9443) from the control-plane CIDRs", () => {
    expect(CONTROL_PLANE_TO_NODE_PORTS.map((p) => p.port)).toEqual([10250, 443, 9443]);
    for (const port of [10250, 443, 9443]) {
      expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        security_group_id: groupRef,
        cidr_ipv4: "10.20.0.0/20",
        ip_protocol: "tcp",
        from_port: port,
        to_port: port,
      });
    }
  });

  it("has exactly these ingress rules, none referencing a security group", () => {
    const rules = ingressRules(json);
    expect(rules).toHaveLength(2 * 3 + 3);
    expect(rules.every((rule) => typeof rule.cidr_ipv4 === "string" && rule.referenced_security_group_id === undefined)).toBe(true);
  });

  it("allows all egress to 0.0.0.0/0 by default", () => {
    expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      security_group_id: groupRef,
      cidr_ipv4: "0.0.0.0/0",
      ip_protocol: "-1",
    });
    expect(egressRules(json)).toHaveLength(1);
  });
});

describe("NodeSecurityGroup options", () => {
  it("without all node traffic, keeps only CoreDNS between nodes", () => {
    const { json } = synth({ ...base, allowAllNodeTraffic: false });
    const fromNodes = ingressRules(json).filter((rule) => Object.values(base.nodeCidrs).includes(rule.cidr_ipv4));
    expect(fromNodes.map((rule) => `${rule.ip_protocol}/${rule.from_port}`).sort()).toEqual(["tcp/53", "tcp/53", "udp/53", "udp/53"]);
  });

  it("limits egress to the CIDRs given", () => {
    const { synthesized, json } = synth({ ...base, egressCidrs: ["10.0.0.0/8", "192.168.0.0/16"] });
    expect(egressRules(json).map((rule) => rule.cidr_ipv4).sort()).toEqual(["10.0.0.0/8", "192.168.0.0/16"]);
    expect(synthesized).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { cidr_ipv4: "10.0.0.0/8", ip_protocol: "-1", description: "Egress to 10.0.0.0/8" });
  });

  it("with no node or control-plane CIDRs, has only the egress rule", () => {
    const { json } = synth({ ...base, nodeCidrs: {}, controlPlaneCidrs: {} });
    expect(ingressRules(json)).toEqual([]);
    expect(egressRules(json)).toHaveLength(1);
  });
});
