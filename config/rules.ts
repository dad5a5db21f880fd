/**
 * Rules that relate several fields of a blueprint. They run on the raw input, beside the schema,
 * so that one run reports every problem: a rule skips a value that the schema already rejects.
 */
import { cidrContains, cidrProblem, cidrsOverlap, Ipv4Cidr, parseCidr } from "./cidr";
import { EKS_CLUSTER_NAME_MAX, IAM_NAME_MAX, iamRoleNames, maxBlueprintNameLength } from "./names";
import { IAM_PRINCIPAL_ARN_PATTERN, OUTPOST_ARN_PATTERN } from "./schema";
import { CONTROL_PLANE_SIZES, ETCD_SIZES, sizingProblem } from "./sizing";

export type IssuePath = ReadonlyArray<string | number>;

/** One problem in a blueprint file: where it is and what would be valid. */
export interface RuleIssue {
  readonly path: IssuePath;
  readonly message: string;
}

// The raw input is untrusted: every accessor below tolerates any shape.
type Raw = Record<string, unknown>;
const asObject = (value: unknown): Raw => (value && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** VPC and subnet CIDR blocks must be between /16 and /28 (Amazon VPC User Guide, "VPC CIDR blocks"). */
const VPC_PREFIX_RANGE = { min: 16, max: 28 };

/** RFC 1918 ranges, where EKS requires the service CIDR to lie. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((text) => parseCidr(text)!);

interface PlacedCidr {
  readonly path: IssuePath;
  readonly cidr: Ipv4Cidr;
  readonly role: string;
}

export function blueprintRuleIssues(input: unknown): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (path: IssuePath, message: string) => issues.push({ path, message });

  const root = asObject(input);
  const region = asString(root.region);
  const variant = asString(root.variant);
  const network = asObject(root.network);
  const vpc = asObject(network.vpc);
  const existingVpc = asString(vpc.id) !== undefined;
  const egress = asString(network.egress) ?? "private";
  const regionalSubnets = asArray(network.regionalSubnets).map(asObject);
  const publicSubnets = asArray(network.publicSubnets).map(asObject);
  const outposts = asArray(root.outposts).map(asObject);
  const nodeGroups = asArray(root.nodeGroups).map(asObject);
  const controlPlane = asObject(root.controlPlane);

  // --- CIDR form, everywhere a CIDR is written -------------------------------------------------
  const checkCidr = (path: IssuePath, value: unknown): Ipv4Cidr | undefined => {
    const text = asString(value);
    if (text === undefined) return undefined; // the schema reports a missing or non-string CIDR
    const problem = cidrProblem(text);
    if (problem) {
      add(path, problem);
      return undefined;
    }
    return parseCidr(text);
  };
  const checkVpcSizedCidr = (path: IssuePath, value: unknown): Ipv4Cidr | undefined => {
    const parsed = checkCidr(path, value);
    if (parsed && (parsed.prefix < VPC_PREFIX_RANGE.min || parsed.prefix > VPC_PREFIX_RANGE.max)) {
      add(path, `has prefix /${parsed.prefix}; AWS allows /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max} for VPCs and subnets`);
      return undefined;
    }
    return parsed;
  };

  const vpcCidr = checkVpcSizedCidr(["network", "vpc", "cidr"], vpc.cidr);
  const subnets: PlacedCidr[] = [];
  regionalSubnets.forEach((subnet, i) => {
    const path = ["network", "regionalSubnets", i, "cidr"];
    const parsed = checkVpcSizedCidr(path, subnet.cidr);
    if (parsed) subnets.push({ path, cidr: parsed, role: `regional subnet ${i}` });
  });
  publicSubnets.forEach((subnet, i) => {
    const path = ["network", "publicSubnets", i, "cidr"];
    const parsed = checkVpcSizedCidr(path, subnet.cidr);
    if (parsed) subnets.push({ path, cidr: parsed, role: `public subnet ${i}` });
  });
  outposts.forEach((outpost, i) => {
    const path = ["outposts", i, "subnet", "cidr"];
    const parsed = checkVpcSizedCidr(path, asObject(outpost.subnet).cidr);
    if (parsed) subnets.push({ path, cidr: parsed, role: `the subnet of Outpost '${asString(outpost.name) ?? i}'` });
  });

  // --- subnets inside the VPC, and no two overlapping ------------------------------------------
  if (vpcCidr) {
    for (const subnet of subnets) {
      if (!cidrContains(vpcCidr, subnet.cidr)) {
        add(subnet.path, `is outside the VPC CIDR ${vpcCidr.text}; every subnet must lie inside it`);
      }
    }
  }
  subnets.forEach((a, i) => {
    subnets.slice(i + 1).forEach((b) => {
      if (cidrsOverlap(a.cidr, b.cidr)) add(b.path, `overlaps ${a.role} (${a.cidr.text}); subnets must not overlap`);
    });
  });

  // --- existing VPC or new VPC ----------------------------------------------------------------
  regionalSubnets.forEach((subnet, i) => {
    if (existingVpc && subnet.id === undefined) {
      add(["network", "regionalSubnets", i, "id"], "is required with an existing VPC (network.vpc.id): give the ID of the subnet created beforehand");
    }
    if (!existingVpc && subnet.id !== undefined) {
      add(["network", "regionalSubnets", i, "id"], "is only valid with an existing VPC: set network.vpc.id, or remove the ID to create the subnet");
    }
  });
  outposts.forEach((outpost, i) => {
    if (!existingVpc && asObject(outpost.subnet).id !== undefined) {
      add(["outposts", i, "subnet", "id"], "is only valid with an existing VPC: set network.vpc.id, or remove the ID to create the subnet");
    }
  });

  // --- Availability Zones ---------------------------------------------------------------------
  const checkZone = (path: IssuePath, value: unknown) => {
    const zone = asString(value);
    if (zone === undefined || region === undefined) return;
    if (!new RegExp(`^${region.replace(/[-]/g, "\\-")}[a-z]$`).test(zone)) {
      add(path, `is not an Availability Zone of region ${region}; expected ${region}a, ${region}b, ...`);
    }
  };
  regionalSubnets.forEach((subnet, i) => checkZone(["network", "regionalSubnets", i, "availabilityZone"], subnet.availabilityZone));
  publicSubnets.forEach((subnet, i) => checkZone(["network", "publicSubnets", i, "availabilityZone"], subnet.availabilityZone));
  outposts.forEach((outpost, i) => checkZone(["outposts", i, "availabilityZone"], outpost.availabilityZone));

  const regionalZones = regionalSubnets.map((subnet) => asString(subnet.availabilityZone));
  regionalZones.forEach((zone, i) => {
    if (zone !== undefined && regionalZones.indexOf(zone) !== i) {
      add(["network", "regionalSubnets", i, "availabilityZone"], `repeats ${zone}; give one regional subnet per Availability Zone`);
    }
  });
  // The network layer spreads regional subnets (and the endpoints in them) over at least two AZs for
  // every variant; an extended cluster's own subnets are checked again below (forControlPlane).
  const distinctZones = new Set(regionalZones.filter((zone) => zone !== undefined));
  if (Array.isArray(network.regionalSubnets) && distinctZones.size < 2) {
    add(["network", "regionalSubnets"], `spans ${distinctZones.size} Availability Zone(s); give regional private subnets in at least 2`);
  }

  // --- egress and endpoints ---------------------------------------------------------------------
  if (egress === "nat" && !existingVpc && publicSubnets.length === 0) {
    add(["network", "publicSubnets"], "is empty; egress 'nat' on a new VPC needs at least one public subnet for the NAT gateway");
  }
  if ((egress === "private" || existingVpc) && publicSubnets.length > 0) {
    add(
      ["network", "publicSubnets"],
      existingVpc
        ? "is only valid for a new VPC; an existing VPC keeps its own public subnets"
        : "is only valid with egress 'nat'; a private blueprint has no public subnets",
    );
  }
  const endpointsEnabled = asObject(network.endpoints).enabled;
  if (egress === "private" && !existingVpc && endpointsEnabled === false) {
    add(["network", "endpoints", "enabled"], "cannot be false with egress 'private' on a new VPC: nodes would reach neither ECR nor SSM; use egress 'nat' or enable the endpoints");
  }

  // --- Outposts ---------------------------------------------------------------------------------
  outposts.forEach((outpost, i) => {
    const arn = asString(outpost.arn);
    if (arn === undefined) return;
    const match = OUTPOST_ARN_PATTERN.exec(arn);
    if (!match) {
      add(["outposts", i, "arn"], "is not an Outpost ARN; expected arn:aws:outposts:<region>:<12-digit account>:outpost/op-<17 hex digits>");
    } else if (region !== undefined && match[2] !== region) {
      add(["outposts", i, "arn"], `is in region ${match[2]}, but the blueprint's region is ${region}; an Outpost is anchored to one Region`);
    }
  });
  const duplicates = (values: Array<string | undefined>, path: (i: number) => IssuePath, what: string) => {
    values.forEach((value, i) => {
      if (value !== undefined && values.indexOf(value) !== i) add(path(i), `repeats ${what} '${value}'; each must be unique`);
    });
  };
  duplicates(outposts.map((o) => asString(o.name)), (i) => ["outposts", i, "name"], "Outpost name");
  duplicates(outposts.map((o) => asString(o.arn)), (i) => ["outposts", i, "arn"], "Outpost ARN");
  duplicates(
    outposts.map((o) => asString(o.localGatewayRouteTableId)),
    (i) => ["outposts", i, "localGatewayRouteTableId"],
    "local gateway route table (each rack has its own local gateway)",
  );
  duplicates(nodeGroups.map((g) => asString(g.name)), (i) => ["nodeGroups", i, "name"], "node group name");

  outposts.forEach((outpost, i) => {
    asArray(outpost.onPremCidrs).forEach((value, j) => {
      const path = ["outposts", i, "onPremCidrs", j];
      const parsed = checkCidr(path, value);
      if (parsed && vpcCidr && cidrsOverlap(parsed, vpcCidr)) {
        add(path, `overlaps the VPC CIDR ${vpcCidr.text}; on-premises networks routed to the local gateway must lie outside the VPC`);
      }
    });
  });

  // --- the local variant ------------------------------------------------------------------------
  if (variant === "local") {
    if (outposts.length !== 1) {
      add(["outposts"], `has ${outposts.length} Outposts; a local cluster runs on exactly one Outpost`);
    }
    outposts.forEach((outpost, i) => {
      if (outpost.formFactor !== undefined && outpost.formFactor !== "rack") {
        add(["outposts", i, "formFactor"], "must be 'rack' for a local cluster: the control plane only runs on Outposts racks");
      }
    });
    const zone = asString(outposts[0]?.availabilityZone);
    const endpointsWanted = endpointsEnabled ?? egress === "private";
    if (zone !== undefined && endpointsWanted && !regionalZones.includes(zone)) {
      add(
        ["network", "regionalSubnets"],
        `has no subnet in ${zone}, the Outpost's parent AZ; a private local cluster's VPC endpoints must sit in a regional subnet of that AZ`,
      );
    }
  }

  // --- node groups ------------------------------------------------------------------------------
  const outpostNames = outposts.map((o) => asString(o.name)).filter((name): name is string => name !== undefined);
  const kubernetesMinor = /^1\.(\d+)$/.exec(asString(root.kubernetesVersion) ?? "")?.[1];
  nodeGroups.forEach((group, i) => {
    const path = (...rest: Array<string | number>) => ["nodeGroups", i, ...rest];
    const outpostName = asString(group.outpost);
    const outpost = outposts.find((o) => o.name === outpostName);
    if (outpostName !== undefined && !outpost) {
      add(path("outpost"), `names no declared Outpost; expected one of: ${outpostNames.join(", ") || "(none declared)"}`);
    }
    const spare = typeof group.spareNodes === "number" ? group.spareNodes : 0;
    const min = typeof group.minSize === "number" ? group.minSize : 1;
    const max = typeof group.maxSize === "number" ? group.maxSize : 3;
    if (min > max) add(path("minSize"), `is above maxSize (${max}); expected minSize <= maxSize`);
    if (typeof group.desiredSize === "number" && (group.desiredSize < min || group.desiredSize > max)) {
      add(path("desiredSize"), `is outside minSize..maxSize (${min}..${max})`);
    }

    const rootVolume = group.rootVolume === undefined ? undefined : asObject(group.rootVolume);
    if (outpost?.formFactor === "server" && rootVolume !== undefined) {
      add(path("rootVolume"), "is not allowed on an Outposts server: servers have no EBS; instances boot from the AMI's instance-store copy");
    }
    if (outpost?.formFactor === "rack" && rootVolume?.type !== undefined && rootVolume.type !== "gp2") {
      add(path("rootVolume", "type"), "must be gp2: Outposts racks offer no other EBS volume type");
    }

    const lni = group.lni === undefined ? undefined : asObject(group.lni);
    if (lni !== undefined && outpost?.formFactor === "rack") {
      add(path("lni"), "is only valid on an Outposts server: racks have a local gateway, not local network interfaces");
    } else if (lni !== undefined && outpost?.formFactor === "server" && outpost.lniDeviceIndex === undefined) {
      add(path("lni"), `needs LNI enabled on Outpost '${outpostName}': set its lniDeviceIndex`);
    }
    if (lni?.mode === "static") {
      const addresses = asArray(lni.addresses);
      addresses.forEach((value, j) => {
        const text = asString(value);
        if (text !== undefined && !/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(text)) {
          add(path("lni", "addresses", j), "is not an address with prefix length, such as 192.168.10.21/24");
        }
      });
      if (addresses.length > 0 && addresses.length < max + spare) {
        add(path("lni", "addresses"), `has ${addresses.length} address(es) for up to ${max + spare} nodes (maxSize + spareNodes); give one per node`);
      }
      if (lni.gateway !== undefined && !/^(\d{1,3}\.){3}\d{1,3}$/.test(asString(lni.gateway) ?? "")) {
        add(path("lni", "gateway"), "is not an IPv4 address");
      }
      asArray(lni.routes).forEach((value, j) => checkCidr(path("lni", "routes", j), value));
      if (asArray(lni.routes).length > 0 && lni.gateway === undefined) {
        add(path("lni", "routes"), "needs lni.gateway: routes through the LNI go via a site-network gateway");
      }
    }

    const ami = asObject(group.ami);
    if (ami.family === "al2" && outpost?.formFactor === "server" && outpost.lniDeviceIndex !== undefined) {
      add(path("ami", "family"), "must be al2023 with an LNI: the LNI is configured with systemd-networkd, which AL2 does not use");
    }
    if (ami.family === "al2" && kubernetesMinor !== undefined && Number(kubernetesMinor) > 32) {
      add(path("ami", "family"), `is al2, but EKS publishes AL2 AMIs only up to Kubernetes 1.32 (this blueprint runs 1.${kubernetesMinor}); use al2023`);
    }

    const hopLimit = group.metadataHopLimit;
    if (variant === "local" && typeof hopLimit === "number" && hopLimit < 2) {
      add(path("metadataHopLimit"), "must be 2 or more on a local cluster: without IRSA, add-on pods reach AWS through the instance profile");
    }
  });

  const workers = asObject(root.workers);
  asArray(workers.egressCidrs).forEach((value, i) => checkCidr(["workers", "egressCidrs", i], value));

  // --- control plane ----------------------------------------------------------------------------
  const outpostZones = new Map<string, string>();
  outposts.forEach((outpost) => {
    const zone = asString(outpost.availabilityZone);
    if (zone !== undefined && !outpostZones.has(zone)) outpostZones.set(zone, asString(outpost.name) ?? "?");
  });
  if (variant === "extended") {
    const clusterZones = new Set<string>();
    regionalSubnets.forEach((subnet, i) => {
      const zone = asString(subnet.availabilityZone);
      if (subnet.forControlPlane === false || zone === undefined) return;
      clusterZones.add(zone);
      if (outpostZones.has(zone)) {
        add(
          ["network", "regionalSubnets", i, "availabilityZone"],
          `is the AZ of Outpost '${outpostZones.get(zone)}'; an extended cluster must not get a regional subnet in an Outpost's AZ ` +
            "(EKS User Guide); set forControlPlane: false to keep the subnet for endpoints only",
        );
      }
    });
    if (Array.isArray(network.regionalSubnets) && clusterZones.size < 2) {
      add(["network", "regionalSubnets"], `gives the cluster subnets in ${clusterZones.size} AZ(s); EKS needs subnets in at least 2 (forControlPlane)`);
    }
  }

  const endpointPublic = controlPlane.endpointPublicAccess === true;
  const publicCidrs = asArray(controlPlane.publicAccessCidrs);
  publicCidrs.forEach((value, i) => {
    const path = ["controlPlane", "publicAccessCidrs", i];
    const parsed = checkCidr(path, value);
    if (parsed && parsed.prefix === 0) add(path, "opens the API to the whole internet; name the networks that may reach it");
  });
  if (endpointPublic && variant === "local") {
    add(["controlPlane", "endpointPublicAccess"], "must be false: a local cluster's API endpoint is private only");
  } else if (endpointPublic && publicCidrs.length === 0) {
    add(["controlPlane", "publicAccessCidrs"], "is empty; a public endpoint is opt-in with explicit CIDRs");
  } else if (!endpointPublic && publicCidrs.length > 0) {
    add(["controlPlane", "publicAccessCidrs"], "is only valid with endpointPublicAccess: true");
  }

  asArray(controlPlane.adminPrincipalArns).forEach((value, i) => {
    const arn = asString(value);
    if (arn !== undefined && !IAM_PRINCIPAL_ARN_PATTERN.test(arn)) {
      add(["controlPlane", "adminPrincipalArns", i], "is not an IAM role or user ARN; expected arn:aws:iam::<account>:role/<name> or :user/<name>");
    }
  });
  if (variant === "local" && asArray(controlPlane.adminPrincipalArns).length > 0) {
    add(
      ["controlPlane", "adminPrincipalArns"],
      "must be empty for a local cluster: it uses CONFIG_MAP authentication, where access entries do not exist; the cluster creator is admin",
    );
  }

  const serviceCidrText = asString(controlPlane.serviceIpv4Cidr);
  if (serviceCidrText !== undefined) {
    const path = ["controlPlane", "serviceIpv4Cidr"];
    const serviceCidr = checkCidr(path, serviceCidrText);
    if (serviceCidr) {
      if (serviceCidr.prefix < 12 || serviceCidr.prefix > 24 || !PRIVATE_RANGES.some((range) => cidrContains(range, serviceCidr))) {
        add(path, "must be a /12 to /24 block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (EKS API, KubernetesNetworkConfigRequest)");
      } else if (vpcCidr && cidrsOverlap(serviceCidr, vpcCidr)) {
        add(path, `overlaps the VPC CIDR ${vpcCidr.text}; Kubernetes services need a range of their own`);
      }
    }
  }

  const local = controlPlane.local === undefined ? undefined : asObject(controlPlane.local);
  if (variant === "local" && local === undefined) {
    add(["controlPlane", "local"], "is required for a local cluster: give at least controlPlaneInstanceType");
  }
  if (variant !== "local" && local !== undefined && variant !== undefined) {
    add(["controlPlane", "local"], "is only valid with variant 'local'");
  }
  if (variant === "local" && local !== undefined) {
    // The ASG maximum: maxSize plus the spare nodes kept for disconnects.
    const maxNodes = nodeGroups.reduce(
      (sum, group) => sum + (typeof group.maxSize === "number" ? group.maxSize : 3) + (typeof group.spareNodes === "number" ? group.spareNodes : 0),
      0,
    );
    const instanceType = asString(local.controlPlaneInstanceType);
    const problem = instanceType === undefined ? undefined : sizingProblem(instanceType, maxNodes, CONTROL_PLANE_SIZES);
    if (problem) add(["controlPlane", "local", "controlPlaneInstanceType"], problem);
    const rackCount = typeof local.rackCount === "number" ? local.rackCount : 1;
    if (local.spreadLevel === "rack" && rackCount < 3) {
      add(["controlPlane", "local", "spreadLevel"], `is 'rack' with ${rackCount} rack(s); rack-level spread of 3 control-plane instances needs 3 racks or more`);
    }
    const etcdType = asString(asObject(local.instanceStore).etcdInstanceType);
    const etcdProblem = etcdType === undefined ? undefined : sizingProblem(etcdType, maxNodes, ETCD_SIZES);
    if (etcdProblem) add(["controlPlane", "local", "instanceStore", "etcdInstanceType"], etcdProblem);
  }

  // --- add-ons ----------------------------------------------------------------------------------
  const addons = asObject(root.addons);
  if (variant === "extended" && asObject(addons.breakGlass).enabled === true) {
    add(["addons", "breakGlass", "enabled"], "is only valid for a local cluster: an extended cluster's control plane is in the Region, where IAM is always reachable");
  }
  if (variant === "extended" && asObject(addons.clusterAuth).mode === "certificate") {
    add(["addons", "clusterAuth", "mode"], "'certificate' is for local clusters cut off from IAM; an extended cluster uses token or exec");
  }

  // --- names and AWS length limits --------------------------------------------------------------
  const name = asString(root.name);
  if (name !== undefined) {
    if (name.length > EKS_CLUSTER_NAME_MAX) add(["name"], `is ${name.length} characters; EKS cluster names allow ${EKS_CLUSTER_NAME_MAX}`);
    const tooLong = Object.values(iamRoleNames(name)).filter((roleName) => roleName.length > IAM_NAME_MAX);
    if (tooLong.length > 0) {
      add(
        ["name"],
        `is too long: the IAM role name '${tooLong[0]}' would be ${tooLong[0].length} characters, and IAM allows ${IAM_NAME_MAX}; use at most ${maxBlueprintNameLength()} characters`,
      );
    }
  }

  // --- backend ----------------------------------------------------------------------------------
  const backend = asObject(root.backend);
  const stateDirectory = asString(backend.stateDirectory);
  if (backend.type === "local" && stateDirectory !== undefined) {
    if (stateDirectory.startsWith("/") || /^[A-Za-z]:/.test(stateDirectory)) {
      add(["backend", "stateDirectory"], "is absolute; give a path relative to the project root, such as terraform-state");
    } else if (stateDirectory.split(/[\\/]/).includes("..") || stateDirectory.trim() === "") {
      add(["backend", "stateDirectory"], "must be a non-empty path inside the project, without '..'");
    }
  }


  return issues;
}
