/** Network rules: CIDR form and placement, existing or new VPC, Availability Zones, egress and endpoints. */
import { cidrContains, cidrsOverlap, Ipv4Cidr } from "../cidr";
import { endpointsEnabledFor } from "../derived";
import { VPC_ENDPOINTS_FIXED_IDS, VPC_ENDPOINTS_RULE_ID_PREFIX } from "../../modules/vpc-endpoints";
import { asArray, asObject, asString, IssuePath, RuleContext } from "./context";

interface PlacedCidr {
  readonly path: IssuePath;
  readonly cidr: Ipv4Cidr;
  readonly role: string;
}

function subnetCidrRules(context: RuleContext): void {
  const { regionalSubnets, publicSubnets, outposts } = context;
  context.checkVpcSizedCidr(["network", "vpc", "cidr"], asObject(context.network.vpc).cidr);
  const subnets: PlacedCidr[] = [];
  const place = (path: IssuePath, value: unknown, role: string) => {
    const parsed = context.checkVpcSizedCidr(path, value);
    if (parsed) subnets.push({ path, cidr: parsed, role });
  };
  regionalSubnets.forEach((subnet, i) => place(["network", "regionalSubnets", i, "cidr"], subnet.cidr, `regional subnet ${i}`));
  publicSubnets.forEach((subnet, i) => place(["network", "publicSubnets", i, "cidr"], subnet.cidr, `public subnet ${i}`));
  outposts.forEach((outpost, i) =>
    place(["outposts", i, "subnet", "cidr"], asObject(outpost.subnet).cidr, `the subnet of Outpost '${asString(outpost.name) ?? i}'`),
  );

  const vpcCidr = context.vpcCidr;
  if (vpcCidr) {
    for (const subnet of subnets) {
      if (!cidrContains(vpcCidr, subnet.cidr)) context.add(subnet.path, `is outside the VPC CIDR ${vpcCidr.text}; every subnet must lie inside it`);
    }
  }
  // Sorted by first address, an overlapping pair is always adjacent to the widest range seen so far:
  // n log n, not n^2, for any number of subnets.
  const ordered = subnets.map((subnet, order) => ({ ...subnet, order })).sort((a, b) => a.cidr.network - b.cidr.network || a.cidr.prefix - b.cidr.prefix || a.order - b.order);
  let widest: (typeof ordered)[number] | undefined;
  for (const subnet of ordered) {
    if (widest && cidrsOverlap(widest.cidr, subnet.cidr)) {
      // Report on the later one in the file, naming the earlier.
      const [first, second] = widest.order < subnet.order ? [widest, subnet] : [subnet, widest];
      context.add(second.path, `overlaps ${first.role} (${first.cidr.text}); subnets must not overlap`);
    }
    const end = (cidr: Ipv4Cidr) => cidr.network + 2 ** (32 - cidr.prefix);
    if (!widest || end(subnet.cidr) > end(widest.cidr)) widest = subnet;
  }
}

function existingVpcRules(context: RuleContext): void {
  const { existingVpc } = context;
  context.regionalSubnets.forEach((subnet, i) => {
    if (existingVpc && subnet.id === undefined) {
      context.add(["network", "regionalSubnets", i, "id"], "is required with an existing VPC (network.vpc.id): give the ID of the subnet created beforehand");
    }
    if (!existingVpc && subnet.id !== undefined) {
      context.add(["network", "regionalSubnets", i, "id"], "is only valid with an existing VPC: set network.vpc.id, or remove the ID to create the subnet");
    }
  });
  context.outposts.forEach((outpost, i) => {
    if (!existingVpc && asObject(outpost.subnet).id !== undefined) {
      context.add(["outposts", i, "subnet", "id"], "is only valid with an existing VPC: set network.vpc.id, or remove the ID to create the subnet");
    }
  });
}

function availabilityZoneRules(context: RuleContext): void {
  const { region } = context;
  const checkZone = (path: IssuePath, value: unknown) => {
    const zone = asString(value);
    if (zone === undefined || region === undefined) return;
    // Compared as text, never as a pattern built from user input.
    const suffix = zone.startsWith(region) ? zone.slice(region.length) : "";
    if (!/^[a-z]$/.test(suffix)) context.add(path, `is not an Availability Zone of region ${region}; expected ${region}a, ${region}b, ...`);
  };
  context.regionalSubnets.forEach((subnet, i) => checkZone(["network", "regionalSubnets", i, "availabilityZone"], subnet.availabilityZone));
  context.publicSubnets.forEach((subnet, i) => checkZone(["network", "publicSubnets", i, "availabilityZone"], subnet.availabilityZone));
  context.outposts.forEach((outpost, i) => checkZone(["outposts", i, "availabilityZone"], outpost.availabilityZone));

  const regionalZones = context.regionalSubnets.map((subnet) => asString(subnet.availabilityZone));
  const seen = new Set<string>();
  regionalZones.forEach((zone, i) => {
    if (zone === undefined) return;
    if (seen.has(zone)) context.add(["network", "regionalSubnets", i, "availabilityZone"], `repeats ${zone}; give one regional subnet per Availability Zone`);
    seen.add(zone);
  });
  // One public subnet, NAT gateway and Elastic IP per AZ: they are keyed by AZ.
  context.checkUnique(
    context.publicSubnets.map((subnet) => asString(subnet.availabilityZone)),
    (i) => ["network", "publicSubnets", i, "availabilityZone"],
    "Availability Zone (one public subnet per AZ)",
  );
  // The network layer spreads regional subnets (and the endpoints in them) over at least two AZs
  // for every variant.
  if (Array.isArray(context.network.regionalSubnets) && seen.size < 2) {
    context.add(["network", "regionalSubnets"], `spans ${seen.size} Availability Zone(s); give regional private subnets in at least 2`);
  }
}

function egressRules(context: RuleContext): void {
  const { egress, existingVpc, publicSubnets } = context;
  if (egress === "nat" && !existingVpc && publicSubnets.length === 0) {
    context.add(["network", "publicSubnets"], "is empty; egress 'nat' on a new VPC needs at least one public subnet for the NAT gateway");
  }
  if ((egress === "private" || existingVpc) && publicSubnets.length > 0) {
    context.add(
      ["network", "publicSubnets"],
      existingVpc
        ? "is only valid for a new VPC; an existing VPC keeps its own public subnets"
        : "is only valid with egress 'nat'; a private blueprint has no public subnets",
    );
  }
  if (egress === "private" && !existingVpc && asObject(context.network.endpoints).enabled === false) {
    context.add(
      ["network", "endpoints", "enabled"],
      "cannot be false with egress 'private' on a new VPC: nodes would reach neither ECR nor SSM; use egress 'nat' or enable the endpoints",
    );
  }
  if (context.architecture?.controlPlaneOnOutpost) {
    const zone = asString(context.outposts[0]?.availabilityZone);
    const zones = context.regionalSubnets.map((subnet) => asString(subnet.availabilityZone));
    const enabled = asObject(context.network.endpoints).enabled;
    const wanted = endpointsEnabledFor(egress, typeof enabled === "boolean" ? enabled : undefined);
    if (zone !== undefined && wanted && !zones.includes(zone)) {
      context.add(
        ["network", "regionalSubnets"],
        `has no subnet in ${zone}, the Outpost's parent AZ; a private local cluster's VPC endpoints must sit in a regional subnet of that AZ`,
      );
    }
  }
}

/** Endpoint services by short name; existing ones only in an adopted VPC; flow-log destinations. */
function endpointAndFlowLogRules(context: RuleContext): void {
  const endpoints = asObject(context.network.endpoints);
  const servicePath = (field: string, i: number) => ["network", "endpoints", field, i];
  for (const field of ["extraServices", "existingServices"]) {
    const services = asArray(endpoints[field]);
    services.forEach((value, i) => {
      const service = asString(value);
      if (service === undefined) return;
      if (service.startsWith("com.amazonaws.") || service.includes(".amazonaws.")) {
        context.add(servicePath(field, i), `is a full service name; give the short name, such as ${service.split(".").slice(3).join(".") || "kms"}`);
      } else if (!/^[a-z0-9]+([.-][a-z0-9]+)*$/.test(service)) {
        context.add(servicePath(field, i), "must be a service short name such as kms or ecr.api");
      } else if ((VPC_ENDPOINTS_FIXED_IDS as readonly string[]).includes(service) || service.startsWith(VPC_ENDPOINTS_RULE_ID_PREFIX)) {
        context.add(servicePath(field, i), "is not an AWS service (the name is the blueprint's own); s3 gives both the S3 gateway and interface endpoints");
      }
    });
    context.checkUnique(services.map(asString), (i) => servicePath(field, i), "service");
  }
  if (!context.existingVpc && asArray(endpoints.existingServices).length > 0) {
    context.add(["network", "endpoints", "existingServices"], "is only valid with an existing VPC (network.vpc.id): a new VPC has no endpoints yet");
  }

  const flowLogs = asObject(context.network.flowLogs);
  const bucket = asString(flowLogs.s3BucketArn);
  if (flowLogs.destination === "s3" && bucket === undefined && flowLogs.enabled !== false) {
    context.add(["network", "flowLogs", "s3BucketArn"], "is required with destination s3: give the ARN of the bucket that receives the logs");
  }
  if (bucket !== undefined && flowLogs.destination !== "s3") {
    context.add(["network", "flowLogs", "s3BucketArn"], "is only valid with destination s3");
  }
  if (bucket !== undefined && !/^arn:aws(-us-gov|-cn)?:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(bucket)) {
    context.add(["network", "flowLogs", "s3BucketArn"], "is not an S3 bucket ARN such as arn:aws:s3:::my-flow-logs");
  }
}

export function networkRules(context: RuleContext): void {
  subnetCidrRules(context);
  existingVpcRules(context);
  availabilityZoneRules(context);
  egressRules(context);
  endpointAndFlowLogRules(context);
}
