/**
 * The security group shared by every node of a blueprint. Every rule is a CIDR, never a
 * security-group reference: nodes on different Outposts talk over the customer network, which does
 * not carry security-group identity (seed 002).
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { tagResources } from "../shared/resource-options";

/** Ports the control plane calls on nodes: kubelet, and admission webhooks (443, 9443). */
export const CONTROL_PLANE_TO_NODE_PORTS = [
  { port: 10250, purpose: "kubelet" },
  { port: 443, purpose: "webhooks" },
  { port: 9443, purpose: "webhooks (controller-runtime)" },
] as const;

export interface NodeSecurityGroupProps {
  readonly name: string;
  readonly vpcId: string;
  /** Node subnet CIDRs by a stable key (the Outpost name): nodes there reach each other. */
  readonly nodeCidrs: Readonly<Record<string, string>>;
  /** Where the control plane's ENIs live, by a stable key; they reach kubelet and webhooks. */
  readonly controlPlaneCidrs: Readonly<Record<string, string>>;
  /**
   * Allow all protocols between node CIDRs. DNS is always allowed.
   * @default true
   */
  readonly allowAllNodeTraffic?: boolean;
  /**
   * Egress destinations.
   * @default ["0.0.0.0/0"]
   */
  readonly egressCidrs?: readonly string[];
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

const key = (text: string) => text.replace(/[./]/g, "-");

export class NodeSecurityGroup extends Construct {
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: NodeSecurityGroupProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const group = new SecurityGroup(this, "security-group", {
      name: `${props.name}-nodes`,
      description: "EKS nodes on Outposts (CIDR rules only)",
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-nodes` },
    });
    this.securityGroupId = group.id;
    const ingress = (ruleId: string, description: string, cidr: string, ipProtocol: string, port?: number) =>
      new VpcSecurityGroupIngressRule(this, ruleId, {
        securityGroupId: group.id,
        description,
        cidrIpv4: cidr,
        ipProtocol,
        fromPort: port,
        toPort: port,
      });

    for (const [name, cidr] of Object.entries(props.nodeCidrs)) {
      if (props.allowAllNodeTraffic ?? true) ingress(`nodes-from-${name}`, `All traffic from nodes on ${name}`, cidr, "-1");
      // CoreDNS answers pods on every Outpost (seed 002's minimum rules).
      ingress(`dns-udp-from-${name}`, `CoreDNS (UDP) from nodes on ${name}`, cidr, "udp", 53);
      ingress(`dns-tcp-from-${name}`, `CoreDNS (TCP) from nodes on ${name}`, cidr, "tcp", 53);
    }
    for (const [name, cidr] of Object.entries(props.controlPlaneCidrs)) {
      for (const { port, purpose } of CONTROL_PLANE_TO_NODE_PORTS) {
        ingress(`control-plane-${name}-${port}`, `${purpose} from the control plane (${name})`, cidr, "tcp", port);
      }
    }
    for (const cidr of props.egressCidrs ?? ["0.0.0.0/0"]) {
      new VpcSecurityGroupEgressRule(this, `egress-to-${key(cidr)}`, {
        securityGroupId: group.id,
        description: `Egress to ${cidr}`,
        cidrIpv4: cidr,
        ipProtocol: "-1",
      });
    }
  }
}

/**
 * The ingress rules the group gets: per node subnet all traffic (unless turned off) and DNS over UDP
 * and TCP; per control-plane source one per port. The quota rules count with it.
 */
export function nodeSecurityGroupIngressRuleCount(nodeSources: number, controlPlaneSources: number, allowAllNodeTraffic = true): number {
  return nodeSources * (allowAllNodeTraffic ? 3 : 2) + controlPlaneSources * CONTROL_PLANE_TO_NODE_PORTS.length;
}
