/**
 * The default AWS quotas a blueprint can exceed by its size or its options, in one table. The rules
 * (config/rules/limits.ts) count what the blueprint will create against each quota: the default,
 * or the raised value the blueprint declares in `quotas.<name>` (after raising it in Service Quotas),
 * which may not pass the quota's hard maximum. A quota AWS does not let anyone raise has no
 * declaration.
 *
 * Sources, read 2026-12-02: Amazon VPC User Guide, "Amazon VPC quotas"; Amazon EC2 User Guide,
 * "Amazon EC2 service quotas" (Elastic IP addresses); IAM User Guide, "IAM and AWS STS quotas";
 * Amazon EKS User Guide, "View and manage Amazon EKS and Fargate service quotas"; AWS PrivateLink
 * Guide, "Quotas for AWS PrivateLink"; Amazon EC2 Auto Scaling User Guide, "Auto Scaling quotas".
 */

export interface QuotaSpec {
  /** What the quota counts, for messages. */
  readonly what: string;
  readonly defaultValue: number;
  /** The most it can be raised to; undefined when AWS documents no maximum. */
  readonly maximum?: number;
  /** False when the quota cannot be raised at all. */
  readonly adjustable: boolean;
  readonly source: string;
}

export const QUOTAS = {
  routesPerRouteTable: {
    what: "routes per route table (non-propagated)",
    defaultValue: 50,
    maximum: 1000,
    adjustable: true,
    source: "Amazon VPC quotas, Routes per route table (propagated routes are a separate quota)",
  },
  inboundRulesPerSecurityGroup: {
    what: "inbound rules per security group",
    defaultValue: 60,
    // The product of rules per group and groups per network interface cannot pass 1,000.
    maximum: 1000,
    adjustable: true,
    source: "Amazon VPC quotas, Inbound or outbound rules per security group",
  },
  outboundRulesPerSecurityGroup: {
    what: "outbound rules per security group",
    defaultValue: 60,
    maximum: 1000,
    adjustable: true,
    source: "Amazon VPC quotas, Inbound or outbound rules per security group",
  },
  securityGroupsPerNetworkInterface: {
    what: "security groups per network interface",
    defaultValue: 5,
    maximum: 16,
    adjustable: true,
    source: "Amazon VPC quotas, Security groups per network interface",
  },
  subnetsPerVpc: { what: "subnets per VPC", defaultValue: 200, adjustable: true, source: "Amazon VPC quotas, Subnets per VPC" },
  routeTablesPerVpc: { what: "route tables per VPC", defaultValue: 200, adjustable: true, source: "Amazon VPC quotas, Route tables per VPC" },
  natGatewaysPerZone: { what: "NAT gateways per Availability Zone", defaultValue: 5, adjustable: true, source: "Amazon VPC quotas, NAT gateways per Availability Zone" },
  elasticIpsPerRegion: {
    what: "Elastic IP addresses per Region",
    defaultValue: 5,
    adjustable: true,
    source: "Amazon EC2 User Guide, Elastic IP address quota (5 per Region by default); each NAT gateway takes one",
  },
  interfaceEndpointsPerVpc: {
    what: "interface VPC endpoints per VPC",
    defaultValue: 50,
    adjustable: true,
    source: "AWS PrivateLink quotas, Interface and Gateway Load Balancer endpoints per VPC",
  },
  managedPoliciesPerRole: {
    what: "managed policies attached to an IAM role",
    defaultValue: 10,
    maximum: 20,
    adjustable: true,
    source: "IAM and AWS STS quotas, Managed policies attached to an IAM role",
  },
  publicAccessCidrsPerCluster: {
    what: "public endpoint access CIDR ranges per EKS cluster",
    defaultValue: 40,
    adjustable: false,
    source: "Amazon EKS service quotas, Public endpoint access CIDR ranges per cluster (not adjustable)",
  },
  autoScalingGroupsPerRegion: {
    what: "Auto Scaling groups per Region",
    defaultValue: 500,
    adjustable: true,
    source: "Amazon EC2 Auto Scaling quotas, Auto Scaling groups per Region",
  },
} as const satisfies Record<string, QuotaSpec>;

export type QuotaName = keyof typeof QUOTAS;

/** The quotas a blueprint may declare raised. */
export const ADJUSTABLE_QUOTAS = (Object.keys(QUOTAS) as QuotaName[]).filter((name) => QUOTAS[name].adjustable);

/** The quota in force: the declared raised value, else AWS's default. */
export function quotaOf(name: QuotaName, declared: Readonly<Record<string, unknown>> | undefined): number {
  const value = declared?.[name];
  return typeof value === "number" && QUOTAS[name].adjustable ? value : QUOTAS[name].defaultValue;
}

/** The end of a message for a count over the quota: what to do about it. */
export function quotaAdvice(name: QuotaName, declared: Readonly<Record<string, unknown>> | undefined): string {
  const spec: QuotaSpec = QUOTAS[name];
  const limit = quotaOf(name, declared);
  const raised = limit !== spec.defaultValue;
  const base = `the quota of ${spec.what} is ${limit}${raised ? " (as declared)" : " by default"} (${spec.source})`;
  if (!spec.adjustable) return `${base}, and AWS does not raise it`;
  if (spec.maximum !== undefined && limit >= spec.maximum) return `${base}, its maximum`;
  const upTo = spec.maximum === undefined ? "" : ` (at most ${spec.maximum})`;
  return `${base}: raise it in Service Quotas and declare the new value in quotas.${name}${upTo}`;
}
