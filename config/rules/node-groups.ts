/** Node-group and workers rules: the Outpost each group runs on, sizes, volumes, LNI, AMI family, IMDS. */
import { asArray, asNumber, asObject, asString, Raw, RuleContext } from "./context";

function lniRules(context: RuleContext, group: Raw, path: (...rest: Array<string | number>) => Array<string | number>, outpost?: Raw): void {
  const lni = group.lni === undefined ? undefined : asObject(group.lni);
  if (lni !== undefined && outpost?.formFactor === "rack") {
    context.add(path("lni"), "is only valid on an Outposts server: racks have a local gateway, not local network interfaces");
  } else if (lni !== undefined && outpost?.formFactor === "server" && outpost.lniDeviceIndex === undefined) {
    context.add(path("lni"), `needs LNI enabled on Outpost '${asString(group.outpost)}': set its lniDeviceIndex`);
  }
  if (lni?.mode !== "static") return;
  const addresses = asArray(lni.addresses);
  addresses.forEach((value, j) => {
    const text = asString(value);
    if (text !== undefined && !/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(text)) {
      context.add(path("lni", "addresses", j), "is not an address with prefix length, such as 192.168.10.21/24");
    }
  });
  const nodes = (asNumber(group.maxSize) ?? 0) + (asNumber(group.spareNodes) ?? 0);
  if (addresses.length > 0 && addresses.length < nodes) {
    context.add(path("lni", "addresses"), `has ${addresses.length} address(es) for up to ${nodes} nodes (maxSize + spareNodes); give one per node`);
  }
  if (lni.gateway !== undefined && !/^(\d{1,3}\.){3}\d{1,3}$/.test(asString(lni.gateway) ?? "")) {
    context.add(path("lni", "gateway"), "is not an IPv4 address");
  }
  asArray(lni.routes).forEach((value, j) => context.checkCidr(path("lni", "routes", j), value));
  if (asArray(lni.routes).length > 0 && lni.gateway === undefined) {
    context.add(path("lni", "routes"), "needs lni.gateway: routes through the LNI go via a site-network gateway");
  }
}

export function nodeGroupRules(context: RuleContext): void {
  const { nodeGroups, variant } = context;
  const outpostNames = context.outposts.map((o) => asString(o.name)).filter((name): name is string => name !== undefined);
  const kubernetesMinor = /^1\.(\d+)$/.exec(asString(context.root.kubernetesVersion) ?? "")?.[1];
  context.checkUnique(nodeGroups.map((g) => asString(g.name)), (i) => ["nodeGroups", i, "name"], "node group name");

  nodeGroups.forEach((group, i) => {
    const path = (...rest: Array<string | number>) => ["nodeGroups", i, ...rest];
    const outpost = context.outpostNamed(group.outpost);
    if (asString(group.outpost) !== undefined && !outpost) {
      context.add(path("outpost"), `names no declared Outpost; expected one of: ${outpostNames.join(", ") || "(none declared)"}`);
    }
    const min = asNumber(group.minSize);
    const max = asNumber(group.maxSize);
    const desired = asNumber(group.desiredSize);
    if (min !== undefined && max !== undefined && min > max) context.add(path("minSize"), `is above maxSize (${max}); expected minSize <= maxSize`);
    if (desired !== undefined && min !== undefined && max !== undefined && (desired < min || desired > max)) {
      context.add(path("desiredSize"), `is outside minSize..maxSize (${min}..${max})`);
    }

    const rootVolume = group.rootVolume === undefined ? undefined : asObject(group.rootVolume);
    if (outpost?.formFactor === "server" && rootVolume !== undefined) {
      context.add(path("rootVolume"), "is not allowed on an Outposts server: servers have no EBS; instances boot from the AMI's instance-store copy");
    }
    if (outpost?.formFactor === "rack" && rootVolume?.type !== undefined && rootVolume.type !== "gp2") {
      context.add(path("rootVolume", "type"), "must be gp2: Outposts racks offer no other EBS volume type");
    }

    lniRules(context, group, path, outpost);

    const ami = asObject(group.ami);
    if (ami.family === "al2" && outpost?.formFactor === "server" && outpost.lniDeviceIndex !== undefined) {
      context.add(path("ami", "family"), "must be al2023 with an LNI: the LNI is configured with systemd-networkd, which AL2 does not use");
    }
    if (ami.family === "al2" && kubernetesMinor !== undefined && Number(kubernetesMinor) > 32) {
      context.add(path("ami", "family"), `is al2, but EKS publishes AL2 AMIs only up to Kubernetes 1.32 (this blueprint runs 1.${kubernetesMinor}); use al2023`);
    }

    const hopLimit = asNumber(group.metadataHopLimit);
    if (variant === "local" && hopLimit !== undefined && hopLimit < 2) {
      context.add(path("metadataHopLimit"), "must be 2 or more on a local cluster: without IRSA, add-on pods reach AWS through the instance profile");
    }
  });

  asArray(context.workers.egressCidrs).forEach((value, i) => context.checkCidr(["workers", "egressCidrs", i], value));
}
