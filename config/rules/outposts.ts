/** Outpost rules: ARNs in the Region, unique names and local gateways, on-prem CIDRs, the local variant's one rack. */
import { cidrsOverlap } from "../cidr";
import { OUTPOST_CONSTRUCT_SUFFIXES } from "../names";
import { asArray, asString, RuleContext } from "./context";

export function outpostRules(context: RuleContext): void {
  const { outposts } = context;
  // Each ARN's shape, partition and Region: config/rules/arns.ts.
  context.checkUnique(outposts.map((o) => asString(o.name)), (i) => ["outposts", i, "name"], "Outpost name");
  outposts.forEach((outpost, i) => {
    const suffix = Object.values(OUTPOST_CONSTRUCT_SUFFIXES).find((reserved) => asString(outpost.name)?.endsWith(`-${reserved}`));
    if (suffix) context.add(["outposts", i, "name"], `ends in '-${suffix}', which the blueprint appends to Outpost names for its own resources; choose another name`);
  });
  context.checkUnique(outposts.map((o) => asString(o.arn)), (i) => ["outposts", i, "arn"], "Outpost ARN");
  context.checkUnique(
    outposts.map((o) => asString(o.localGatewayRouteTableId)),
    (i) => ["outposts", i, "localGatewayRouteTableId"],
    "local gateway route table (each rack has its own local gateway)",
  );

  outposts.forEach((outpost, i) => {
    if (outpost.formFactor === "server" && outpost.lniDeviceIndex === undefined && asArray(outpost.onPremCidrs).length > 0) {
      context.add(["outposts", i, "onPremCidrs"], "needs a local network interface (lniDeviceIndex): a server reaches on-premises networks only through its LNI");
    }
    asArray(outpost.onPremCidrs).forEach((value, j) => {
      const path = ["outposts", i, "onPremCidrs", j];
      const parsed = context.checkCidr(path, value);
      if (parsed && context.vpcCidr && cidrsOverlap(parsed, context.vpcCidr)) {
        context.add(path, `overlaps the VPC CIDR ${context.vpcCidr.text}; on-premises networks routed to the local gateway or the LNI must lie outside the VPC`);
      }
    });
  });

  if (context.architecture?.controlPlaneOnOutpost) {
    if (outposts.length !== 1) context.add(["outposts"], `has ${outposts.length} Outposts; a local cluster runs on exactly one Outpost`);
    outposts.forEach((outpost, i) => {
      if (outpost.formFactor !== undefined && outpost.formFactor !== "rack") {
        context.add(["outposts", i, "formFactor"], "must be 'rack' for a local cluster: the control plane only runs on Outposts racks");
      }
    });
  }
}
