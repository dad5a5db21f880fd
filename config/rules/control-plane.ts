/** Control-plane rules: the endpoint, admins, the service CIDR, local sizing, names. */
import { cidrContains, cidrsOverlap, parseCidr } from "../cidr";
import { EKS_CLUSTER_NAME_MAX, IAM_NAME_MAX, iamRoleNames, maxBlueprintNameLength } from "../names";
import { CONTROL_PLANE_SIZES, ETCD_SIZES, sizingProblem } from "../sizing";
import { defaultServiceCidr } from "../network-model";
import { asArray, asNumber, asObject, asString, RuleContext } from "./context";

/** RFC 1918 ranges, where EKS requires the service CIDR to lie. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((text) => parseCidr(text)!);

function endpointRules(context: RuleContext): void {
  const { controlPlane } = context;
  const endpointPublic = controlPlane.endpointPublicAccess === true;
  const publicCidrs = asArray(controlPlane.publicAccessCidrs);
  publicCidrs.forEach((value, i) => {
    const path = ["controlPlane", "publicAccessCidrs", i];
    const parsed = context.checkCidr(path, value);
    if (parsed && parsed.prefix === 0) context.add(path, "opens the API to the whole internet; name the networks that may reach it");
  });
  if (endpointPublic && context.architecture?.publicEndpointAllowed === false) {
    context.add(
      ["controlPlane", "endpointPublicAccess"],
      "must be false: an EBS-backed local cluster's API endpoint is private only (an instance-store local cluster may add a public one)",
    );
  } else if (endpointPublic && publicCidrs.length === 0) {
    context.add(["controlPlane", "publicAccessCidrs"], "is empty; a public endpoint is opt-in with explicit CIDRs");
  } else if (!endpointPublic && publicCidrs.length > 0) {
    context.add(["controlPlane", "publicAccessCidrs"], "is only valid with endpointPublicAccess: true");
  }
}

function accessRules(context: RuleContext): void {
  // Each ARN's shape and partition: config/rules/arns.ts.
  const admins = asArray(context.controlPlane.adminPrincipalArns);
  if (context.architecture?.adminAccessEntries === false && admins.length > 0) {
    context.add(
      ["controlPlane", "adminPrincipalArns"],
      "must be empty for an EBS-backed local cluster: it uses CONFIG_MAP authentication, where access entries do not exist; the cluster creator is admin",
    );
  }
}

function serviceCidrRules(context: RuleContext): void {
  const text = asString(context.controlPlane.serviceIpv4Cidr);
  if (text === undefined) return;
  const path = ["controlPlane", "serviceIpv4Cidr"];
  const serviceCidr = context.checkCidr(path, text);
  if (!serviceCidr) return;
  if (serviceCidr.prefix < 12 || serviceCidr.prefix > 24 || !PRIVATE_RANGES.some((range) => cidrContains(range, serviceCidr))) {
    context.add(path, "must be a /12 to /24 block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (EKS API, KubernetesNetworkConfigRequest)");
  } else if (context.vpcCidr && cidrsOverlap(serviceCidr, context.vpcCidr)) {
    context.add(path, `overlaps the VPC CIDR ${context.vpcCidr.text}; Kubernetes services need a range of their own`);
  }
}

/**
 * Service addresses that also exist on premises are unreachable from pods: kube-proxy captures them.
 * When the blueprint leaves the range to EKS, the model knows which one EKS picks.
 */
function serviceCidrOnPremRules(context: RuleContext): void {
  const given = asString(context.controlPlane.serviceIpv4Cidr);
  const vpcCidr = context.vpcCidr;
  const serviceText = given ?? (vpcCidr ? defaultServiceCidr(vpcCidr.text) : undefined);
  const serviceCidr = serviceText === undefined ? undefined : parseCidr(serviceText);
  if (!serviceCidr) return;
  context.outposts.forEach((outpost, i) => {
    asArray(outpost.onPremCidrs).forEach((value, j) => {
      const onPrem = parseCidr(asString(value) ?? "");
      if (!onPrem || !cidrsOverlap(onPrem, serviceCidr)) return;
      if (given !== undefined) {
        context.add(["controlPlane", "serviceIpv4Cidr"], `overlaps outposts[${i}].onPremCidrs[${j}] (${onPrem.text}); pods could not reach those on-premises addresses`);
      } else {
        context.add(
          ["outposts", i, "onPremCidrs", j],
          `overlaps ${serviceCidr.text}, the service range EKS picks for this VPC when controlPlane.serviceIpv4Cidr is unset ` +
            "(amazon-eks-ami bootstrap: 172.20.0.0/16 for a VPC in 10.0.0.0/8, else 10.100.0.0/16); set serviceIpv4Cidr to a free range",
        );
      }
    });
  });
}

function localControlPlaneRules(context: RuleContext): void {
  const { variant } = context;
  const local = context.controlPlane.local === undefined ? undefined : asObject(context.controlPlane.local);
  if (variant === "local" && local === undefined) {
    context.add(["controlPlane", "local"], "is required for a local cluster: give at least controlPlaneInstanceType");
  }
  if (variant !== "local" && local !== undefined && variant !== undefined) {
    context.add(["controlPlane", "local"], "is only valid with variant 'local'");
  }
  if (variant !== "local" || local === undefined) return;
  // The ASG maximum: maxSize plus the spare nodes kept for disconnects.
  const maxNodes = context.nodeGroups.reduce((sum, group) => sum + (asNumber(group.maxSize) ?? 0) + (asNumber(group.spareNodes) ?? 0), 0);
  const instanceType = asString(local.controlPlaneInstanceType);
  const problem = instanceType === undefined ? undefined : sizingProblem(instanceType, maxNodes, CONTROL_PLANE_SIZES);
  if (problem) context.add(["controlPlane", "local", "controlPlaneInstanceType"], problem);
  const rackCount = asNumber(local.rackCount);
  if (local.spreadLevel === "rack" && rackCount !== undefined && rackCount < 3) {
    context.add(["controlPlane", "local", "spreadLevel"], `is 'rack' with ${rackCount} rack(s); rack-level spread of 3 control-plane instances needs 3 racks or more`);
  }
  const etcdType = asString(asObject(local.instanceStore).etcdInstanceType);
  const etcdProblem = etcdType === undefined ? undefined : sizingProblem(etcdType, maxNodes, ETCD_SIZES);
  if (etcdProblem) context.add(["controlPlane", "local", "instanceStore", "etcdInstanceType"], etcdProblem);
}

/** The blueprint name is the cluster name and the stem of every IAM role name. */
function nameRules(context: RuleContext): void {
  const name = asString(context.root.name);
  if (name === undefined) return;
  if (name.length > EKS_CLUSTER_NAME_MAX) context.add(["name"], `is ${name.length} characters; EKS cluster names allow ${EKS_CLUSTER_NAME_MAX}`);
  const tooLong = Object.values(iamRoleNames(name)).filter((roleName) => roleName.length > IAM_NAME_MAX);
  if (tooLong.length > 0) {
    context.add(
      ["name"],
      `is too long: the IAM role name '${tooLong[0]}' would be ${tooLong[0].length} characters, and IAM allows ${IAM_NAME_MAX}; use at most ${maxBlueprintNameLength()} characters`,
    );
  }
}

export function controlPlaneRules(context: RuleContext): void {
  endpointRules(context);
  accessRules(context);
  serviceCidrRules(context);
  serviceCidrOnPremRules(context);
  localControlPlaneRules(context);
  nameRules(context);
}
