/**
 * AWS limits that a blueprint can exceed by its size alone: an accepted blueprint would otherwise
 * synthesize, then fail at plan or apply. Each count is computed in linear time.
 */
import { NODE_MANAGED_POLICIES } from "../../modules/node-role";
import { asgTerminatePattern, EVENT_PATTERN_MAX_LENGTH } from "../../modules/termination-queue/patterns";
import { nodeGroupResourceName } from "../names";
import { asArray, asString, RuleContext } from "./context";

/** Managed policies attached to one IAM role: 10 by default, at most 20 (IAM User Guide, "IAM and AWS STS quotas"). */
export const IAM_MAX_MANAGED_POLICIES_PER_ROLE = 20;
/** Routes in one route table: 50 by default, at most 1,000 (Amazon VPC User Guide, "Amazon VPC quotas"). */
export const ROUTE_TABLE_MAX_ROUTES = 1000;
/** Routes the blueprint adds to an Outpost subnet's route table besides those to the local gateway: NAT default and S3 gateway. */
const OTHER_OUTPOST_ROUTES = 2;

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

function nodeRolePolicyRule(context: RuleContext): void {
  const extra = new Set(asArray(context.workers.extraNodePolicyArns).filter((arn) => typeof arn === "string")).size;
  const total = NODE_MANAGED_POLICIES.length + extra;
  if (total > IAM_MAX_MANAGED_POLICIES_PER_ROLE) {
    context.add(
      ["workers", "extraNodePolicyArns"],
      `has ${extra} policies; with the node role's own ${NODE_MANAGED_POLICIES.length} that makes ${total}, and IAM attaches at most ` +
        `${IAM_MAX_MANAGED_POLICIES_PER_ROLE} managed policies to a role (10 unless raised): give at most ${IAM_MAX_MANAGED_POLICIES_PER_ROLE - NODE_MANAGED_POLICIES.length}, or combine them`,
    );
  }
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
    if (routes > ROUTE_TABLE_MAX_ROUTES) {
      context.add(
        ["outposts", i, "onPremCidrs"],
        `needs ${routes} routes in the subnet's route table (${onPrem} on-premises networks, ${peers} other racks, ${OTHER_OUTPOST_ROUTES} more), ` +
          `and a route table holds at most ${ROUTE_TABLE_MAX_ROUTES} (Amazon VPC quotas, 50 unless raised): summarize the on-premises networks`,
      );
    }
  });
}

export function limitRules(context: RuleContext): void {
  terminationPatternRule(context);
  nodeRolePolicyRule(context);
  routeTableRule(context);
}
