/**
 * AWS quotas that a blueprint can exceed by its size or its options: an accepted blueprint would
 * otherwise synthesize, then fail at plan or apply. Each count is what the stacks create, against
 * the quota in force (config/quotas.ts: AWS's default, or the raised value the blueprint declares).
 * Each count is computed in linear time.
 */
import { NODE_MANAGED_POLICIES } from "../../modules/node-role";
import { nodeSecurityGroupIngressRuleCount } from "../../modules/node-security-group";
import { asgTerminatePattern, EVENT_PATTERN_MAX_LENGTH } from "../../modules/termination-queue/patterns";
import { endpointsEnabledFor } from "../derived";
import { interfaceEndpointServicesOf } from "../endpoints";
import { nodeGroupResourceName } from "../names";
import { QuotaName, quotaAdvice, quotaOf } from "../quotas";
import { asArray, asObject, asString, IssuePath, RuleContext } from "./context";

/** Rules per security group times security groups per network interface: at most 1,000 (Amazon VPC quotas). */
const RULES_TIMES_GROUPS_MAX = 1000;

/** Routes the blueprint adds to an Outpost subnet's route table besides those to the local gateway: NAT default and S3 gateway. */
const OTHER_OUTPOST_ROUTES = 2;

/** Reports a count over its quota at the path that drives it. */
function checkQuota(context: RuleContext, name: QuotaName, count: number, path: IssuePath, what: string): void {
  const declared = asObject(context.root.quotas);
  if (count > quotaOf(name, declared)) context.add(path, `${what}: ${count}, but ${quotaAdvice(name, declared)}`);
}

const distinctStrings = (values: unknown[]) => new Set(values.filter((value): value is string => typeof value === "string")).size;

function terminationPatternRule(context: RuleContext): void {
  const name = asString(context.root.name);
  const groups = context.nodeGroups.map((group) => asString(group.name)).filter((group): group is string => group !== undefined);
  if (name === undefined || groups.length === 0) return;
  const length = JSON.stringify(asgTerminatePattern(groups.map((group) => nodeGroupResourceName(name, group)))).length;
  if (length > EVENT_PATTERN_MAX_LENGTH) {
    context.add(
      ["nodeGroups"],
      `name ${groups.length} Auto Scaling groups, which make the Node Termination Handler's EventBridge pattern ${length} characters long; ` +
        `EventBridge takes ${EVENT_PATTERN_MAX_LENGTH} (EventBridge quotas, "Event pattern size"): use fewer or shorter node group names`,
    );
  }
}

/** The node role's managed policies: its own, the extras, and the EBS CSI driver's where it uses the node role. */
function nodeRolePolicyRule(context: RuleContext): void {
  const extra = distinctStrings(asArray(context.workers.extraNodePolicyArns));
  const racks = context.outposts.some((outpost) => outpost.formFactor === "rack");
  const ebsOnNodeRole = context.architecture?.workloadIdentity === "node-role" && racks && asObject(context.addons.storage).enabled !== false ? 1 : 0;
  const total = NODE_MANAGED_POLICIES.length + extra + ebsOnNodeRole;
  checkQuota(
    context,
    "managedPoliciesPerRole",
    total,
    ["workers", "extraNodePolicyArns"],
    `has ${extra} policies; with the node role's own ${NODE_MANAGED_POLICIES.length}${ebsOnNodeRole ? " and the EBS CSI driver's" : ""} the role would carry`,
  );
}

/** Each rack's subnet routes its on-prem networks and every rack it reaches to its local gateway. */
function routeTableRule(context: RuleContext): void {
  const racks = context.outposts.filter((outpost) => outpost.formFactor === "rack");
  const connected = racks.filter((rack) => rack.localGatewayRouteTableMode !== "coip").length;
  context.outposts.forEach((outpost, i) => {
    if (outpost.formFactor !== "rack") return;
    const onPrem = new Set(asArray(outpost.onPremCidrs).filter((cidr) => typeof cidr === "string")).size;
    const peers = outpost.localGatewayRouteTableMode === "coip" ? 0 : connected - 1;
    const routes = onPrem + peers + OTHER_OUTPOST_ROUTES;
    checkQuota(
      context,
      "routesPerRouteTable",
      routes,
      ["outposts", i, "onPremCidrs"],
      `need routes in the subnet's route table (${onPrem} on-premises networks, ${peers} other racks, ${OTHER_OUTPOST_ROUTES} more); summarize the networks, or`,
    );
  });
}

/** The security groups' rules: the nodes', the endpoints' and, on extended clusters, the cluster's. */
function securityGroupRules(context: RuleContext): void {
  const outposts = context.outposts.length;
  const onOutpost = context.architecture?.controlPlaneOnOutpost ?? false;
  const controlPlaneSources = onOutpost ? 1 : context.regionalSubnets.length;
  const allowAll = context.workers.allowAllNodeTraffic !== false;
  const nodeIngress = nodeSecurityGroupIngressRuleCount(outposts, controlPlaneSources, allowAll);
  checkQuota(context, "inboundRulesPerSecurityGroup", nodeIngress, ["outposts"], `give the node security group inbound rules (${allowAll ? 3 : 2} per Outpost, 3 per control-plane subnet)`);
  const egress = asArray(context.workers.egressCidrs);
  checkQuota(context, "outboundRulesPerSecurityGroup", egress.length === 0 ? 1 : distinctStrings(egress), ["workers", "egressCidrs"], "give the node security group outbound rules");
  const enabled = asObject(context.network.endpoints).enabled;
  if (endpointsEnabledFor(context.egress, typeof enabled === "boolean" ? enabled : undefined)) {
    // One HTTPS rule from the VPC and one from each Outpost subnet.
    checkQuota(context, "inboundRulesPerSecurityGroup", 1 + outposts, ["outposts"], "give the VPC endpoints' security group inbound rules");
  }
  // The cluster security group EKS creates keeps its own rule, and gets one per source of the API.
  checkQuota(context, "inboundRulesPerSecurityGroup", 1 + (onOutpost ? 2 : outposts), ["outposts"], "give the cluster security group inbound rules");
  // Rules per group times groups per interface may not pass 1,000 (Amazon VPC quotas).
  const declared = asObject(context.root.quotas);
  const product = Math.max(quotaOf("inboundRulesPerSecurityGroup", declared), quotaOf("outboundRulesPerSecurityGroup", declared)) * quotaOf("securityGroupsPerNetworkInterface", declared);
  if (product > RULES_TIMES_GROUPS_MAX) {
    context.add(
      ["quotas"],
      `declare rules per security group times security groups per interface of ${product}; AWS caps the product at ${RULES_TIMES_GROUPS_MAX} (Amazon VPC quotas): lower one of them`,
    );
  }
  context.nodeGroups.forEach((group, i) => {
    const groups = 1 + distinctStrings(asArray(group.additionalSecurityGroupIds));
    checkQuota(context, "securityGroupsPerNetworkInterface", groups, ["nodeGroups", i, "additionalSecurityGroupIds"], "with the node security group, put the nodes' interfaces in security groups");
  });
}

/** What a new VPC holds: subnets, route tables, NAT gateways' Elastic IPs; and its interface endpoints. */
function vpcRules(context: RuleContext): void {
  const newOutpostSubnets = context.outposts.filter((outpost) => asObject(outpost.subnet).id === undefined).length;
  if (!context.existingVpc) {
    const publicSubnets = context.publicSubnets.length;
    checkQuota(context, "subnetsPerVpc", context.regionalSubnets.length + publicSubnets + newOutpostSubnets, ["outposts"], "create subnets in the VPC");
    // One per private and per Outpost subnet, one for the public subnets, and the main table.
    checkQuota(context, "routeTablesPerVpc", context.regionalSubnets.length + newOutpostSubnets + (publicSubnets > 0 ? 1 : 0) + 1, ["outposts"], "create route tables in the VPC");
    if (context.egress === "nat") checkQuota(context, "elasticIpsPerRegion", publicSubnets, ["network", "publicSubnets"], "take an Elastic IP for each NAT gateway");
  }
  const endpoints = asObject(context.network.endpoints);
  if (endpointsEnabledFor(context.egress, typeof endpoints.enabled === "boolean" ? endpoints.enabled : undefined)) {
    const extra = asArray(endpoints.extraServices).filter((service): service is string => typeof service === "string");
    const existing = new Set(asArray(endpoints.existingServices));
    const services = interfaceEndpointServicesOf(context.variant, asObject(context.controlPlane.local).instanceStore, extra).filter((service) => !existing.has(service));
    checkQuota(context, "interfaceEndpointsPerVpc", services.length, ["network", "endpoints", "extraServices"], "create interface endpoints in the VPC");
  }
}

function clusterRules(context: RuleContext): void {
  if (context.controlPlane.endpointPublicAccess === true) {
    checkQuota(context, "publicAccessCidrsPerCluster", distinctStrings(asArray(context.controlPlane.publicAccessCidrs)), ["controlPlane", "publicAccessCidrs"], "name public access CIDRs");
  }
  checkQuota(context, "autoScalingGroupsPerRegion", context.nodeGroups.length, ["nodeGroups"], "create Auto Scaling groups (one per node group)");
}

export function limitRules(context: RuleContext): void {
  terminationPatternRule(context);
  nodeRolePolicyRule(context);
  routeTableRule(context);
  securityGroupRules(context);
  vpcRules(context);
  clusterRules(context);
}
