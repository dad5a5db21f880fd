/** Node-group and workers rules: the Outpost each group runs on, sizes, volumes, LNI, AMI family, IMDS. */
import { addressInAnyCidr, isIpv4Address, networkOfAddress } from "../cidr";
import { KUBERNETES_CONTROLLER_TAINTS } from "../reserved";
import { Blueprint } from "../schema";
import { clusterArchitectureOfInput } from "../cluster-architecture";
import { instanceTypeArchitecture } from "../cpu-architectures";
import { healthyPercentagesProblem, rolloutPreferencesOf } from "../rollout";
import { requiredHopLimit } from "../derived";
import { asArray, asNumber, asObject, asString, IssuePath, Raw, RuleContext } from "./context";

/**
 * Label keys the kubelet accepts in the kubernetes.io and k8s.io namespaces; it refuses to start
 * with any other key there (kubelet ValidateKubeletFlags, via the allowed node labels of
 * k8s.io/kubelet/pkg/apis: KubeletLabelNamespaces and KubeletLabels).
 */
export const KUBELET_ALLOWED_LABEL_PREFIXES = ["kubelet.kubernetes.io/", "node.kubernetes.io/"] as const;
export const KUBELET_ALLOWED_LABELS = [
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/instance-type",
  "beta.kubernetes.io/os",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "kubernetes.io/arch",
  "kubernetes.io/hostname",
  "kubernetes.io/os",
  "node.kubernetes.io/instance-type",
  "topology.kubernetes.io/region",
  "topology.kubernetes.io/zone",
] as const;

/** Whether the kubelet accepts a label key in --node-labels. */
export function kubeletAcceptsLabel(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return true;
  const namespace = key.slice(0, slash);
  const reserved = ["kubernetes.io", "k8s.io"].some((domain) => namespace === domain || namespace.endsWith(`.${domain}`));
  if (!reserved) return true;
  return KUBELET_ALLOWED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix)) || (KUBELET_ALLOWED_LABELS as readonly string[]).includes(key);
}

function labelAndTaintRules(context: RuleContext, group: Raw, path: (...rest: Array<string | number>) => IssuePath): void {
  for (const key of Object.keys(asObject(group.labels))) {
    if (!kubeletAcceptsLabel(key)) {
      context.add(
        path("labels", key),
        "is in the kubernetes.io or k8s.io namespace, where the kubelet accepts only the prefixes kubelet.kubernetes.io/ and node.kubernetes.io/ " +
          `and the keys ${KUBELET_ALLOWED_LABELS.join(", ")}: it would refuse to start; use your own prefix, such as example.com/role`,
      );
    }
  }
  const taints = asArray(group.taints).map(asObject);
  taints.forEach((taint, j) => {
    if ((KUBERNETES_CONTROLLER_TAINTS as readonly unknown[]).includes(taint.key)) {
      context.add(
        path("taints", j, "key"),
        "is a taint Kubernetes' controllers set and clear from the node's conditions (Taints and Tolerations, taint based evictions): " +
          "a node that registers with it loses it, or counts as not ready; use your own key, such as example.com/dedicated",
      );
    }
  });
  context.checkUnique(
    taints.map((taint) => (typeof taint.key === "string" && typeof taint.effect === "string" ? `${taint.key}:${taint.effect}` : undefined)),
    (j) => path("taints", j),
    "taint key and effect",
  );
}

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
    const parts = text === undefined ? undefined : /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
    if (text !== undefined && !parts) {
      context.add(path("lni", "addresses", j), "is not an address with prefix length, such as 192.168.10.21/24");
    } else if (parts && (parts.slice(1, 5).some((octet) => Number(octet) > 255 || (octet.length > 1 && octet.startsWith("0"))) || Number(parts[5]) > 32 || Number(parts[5]) < 1)) {
      context.add(path("lni", "addresses", j), "is out of range: octets 0-255 without leading zeros, a prefix length of 1-32, such as 192.168.10.21/24");
    }
  });
  const nodes = (asNumber(group.maxSize) ?? 0) + (asNumber(group.spareNodes) ?? 0);
  if (addresses.length > 0 && addresses.length < nodes) {
    context.add(path("lni", "addresses"), `has ${addresses.length} address(es) for up to ${nodes} nodes (maxSize + spareNodes); give one per node`);
  }
  const gateway = asString(lni.gateway);
  if (lni.gateway !== undefined && !/^(\d{1,3}\.){3}\d{1,3}$/.test(gateway ?? "")) {
    context.add(path("lni", "gateway"), "is not an IPv4 address");
  } else if (gateway !== undefined && isIpv4Address(gateway)) {
    // The node reaches its gateway on the LNI's own link: a gateway outside that prefix is unreachable (no on-link route to it).
    const prefixes = [...new Set(addresses.map((value) => networkOfAddress(asString(value) ?? "")?.text).filter((text): text is string => text !== undefined))];
    if (prefixes.length > 0 && !addressInAnyCidr(gateway, prefixes)) {
      context.add(path("lni", "gateway"), `lies outside the LNI's prefix (${prefixes.join(", ")}, from lni.addresses): a node reaches its gateway on that link only; give a gateway in it`);
    }
  }
  asArray(lni.routes).forEach((value, j) => context.checkCidr(path("lni", "routes", j), value));
  if (asArray(lni.routes).length > 0 && lni.gateway === undefined) {
    context.add(path("lni", "routes"), "needs lni.gateway: routes through the LNI go via a site-network gateway");
  } else if (asArray(outpost?.onPremCidrs).length > 0 && lni.gateway === undefined) {
    context.add(path("lni", "gateway"), `is missing: Outpost '${asString(group.outpost)}' routes its onPremCidrs out of the LNI, through a site-network gateway`);
  }
}

export function nodeGroupRules(context: RuleContext): void {
  const { nodeGroups, variant } = context;
  const outpostNames = context.outposts.map((o) => asString(o.name)).filter((name): name is string => name !== undefined);
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
    const instanceType = asString(group.instanceType);
    const typeArchitecture = instanceType === undefined ? undefined : instanceTypeArchitecture(instanceType);
    if (typeof ami.architecture === "string" && typeArchitecture !== undefined && ami.architecture !== typeArchitecture) {
      context.add(
        path("ami", "architecture"),
        `is '${ami.architecture}', but ${instanceType} is ${typeArchitecture === "arm64" ? "an AWS Graviton (arm64)" : "an x86_64"} type: EC2 refuses an AMI of another architecture; ` +
          `set '${typeArchitecture}' or leave it out (it follows the instance type)`,
      );
    }
    if (ami.family === "al2" && outpost?.formFactor === "server" && outpost.lniDeviceIndex !== undefined) {
      context.add(path("ami", "family"), "must be al2023 with an LNI: the LNI is configured with systemd-networkd, which AL2 does not use");
    }

    labelAndTaintRules(context, group, path);

    const hopLimit = asNumber(group.metadataHopLimit);
    if (hopLimit !== undefined && clusterArchitectureOfInput(variant, asObject(context.controlPlane.local).instanceStore) !== undefined) {
      // Rebuilt from the untrusted input with the shape requiredHopLimit reads.
      const shape = {
        variant,
        controlPlane: { local: context.controlPlane.local === undefined ? undefined : asObject(context.controlPlane.local) },
        outposts: context.outposts,
        nodeGroups: context.nodeGroups.map((candidate) => ({ name: asString(candidate.name), addonControllers: candidate.addonControllers === true })),
        addons: { storage: { enabled: asObject(context.addons.storage).enabled === true } },
      } as unknown as Blueprint;
      const required = requiredHopLimit(shape, { outpost: asString(group.outpost) ?? "", name: asString(group.name) });
      if (hopLimit < required.hopLimit) {
        context.add(path("metadataHopLimit"), `must be ${required.hopLimit} or more ${required.reason}`);
      }
    }
  });

  asArray(context.workers.egressCidrs).forEach((value, i) => context.checkCidr(["workers", "egressCidrs", i], value));
  addonControllerRules(context);
}

/**
 * Where the node-role add-on controllers of an EBS-backed local cluster run (config/derived.ts,
 * addonControllerGroups): at least one of those groups keeps a node (desired size 1 or more) with no
 * taint that repels pods, else the controllers stay Pending. Elsewhere the field means nothing.
 * (A node per desired size: nothing here scales a group up for pending pods.)
 */
function addonControllerRules(context: RuleContext): void {
  const groups = context.nodeGroups;
  const marked = groups.map((group, i) => ({ group, i })).filter(({ group }) => group.addonControllers === true);
  if (context.architecture !== undefined && context.architecture.workloadIdentity !== "node-role") {
    for (const { i } of marked) {
      context.add(["nodeGroups", i, "addonControllers"], "is only valid on an EBS-backed local cluster: elsewhere add-ons use IRSA roles and run on any node");
    }
    return;
  }
  if (context.architecture === undefined || groups.length === 0) return;
  const chosen = marked.length > 0 ? marked : [{ group: groups[0], i: 0 }];
  const schedulable = chosen.some(({ group }) => {
    const repels = asArray(group.taints).some((taint) => ["NoSchedule", "NoExecute"].includes(asString(asObject(taint).effect) ?? ""));
    const desired = (asNumber(group.desiredSize) ?? asNumber(group.minSize) ?? 0) + (asNumber(group.spareNodes) ?? 0);
    return desired >= 1 && !repels;
  });
  if (!schedulable) {
    const where = marked.length > 0 ? ["nodeGroups", marked[0].i, "addonControllers"] : ["nodeGroups", 0];
    context.add(
      where,
      `${marked.length > 0 ? "marks" : "is (as the first group)"} where the add-on controllers run, but no such group keeps an untainted node ` +
        "(a desired size of 1 or more, no NoSchedule or NoExecute taint): the Load Balancer Controller, EBS CSI controller and Node Termination Handler would stay Pending; " +
        "mark a group that does with addonControllers: true",
    );
  }
}

const minorOf = (version: unknown): number | undefined => {
  const match = /^1\.(\d+)$/.exec(typeof version === "string" ? version : "");
  return match ? Number(match[1]) : undefined;
};

/**
 * Day 2: node versions within Kubernetes' skew of the control plane, AMI releases in their family's
 * form, surges that fit the Outpost, and node counts within its declared slots.
 */
export function nodeLifecycleRules(context: RuleContext): void {
  const clusterMinor = minorOf(context.root.kubernetesVersion);
  const sizes = new Map<string, number>();
  // Nodes at max per Outpost, counted once up front so each group's surge check is a lookup.
  const nodesAtMax = new Map<string, number>();
  for (const group of context.nodeGroups) {
    const name = asString(group.outpost);
    if (name !== undefined) nodesAtMax.set(name, (nodesAtMax.get(name) ?? 0) + (asNumber(group.maxSize) ?? 0) + (asNumber(group.spareNodes) ?? 0));
  }
  context.nodeGroups.forEach((group, i) => {
    const path = (...rest: Array<string | number>) => ["nodeGroups", i, ...rest];
    const nodeMinor = minorOf(group.kubernetesVersion);
    if (group.kubernetesVersion !== undefined && clusterMinor !== undefined && nodeMinor !== undefined) {
      if (nodeMinor > clusterMinor) {
        context.add(path("kubernetesVersion"), `is ahead of the control plane (1.${clusterMinor}); upgrade the control plane first (docs/upgrades.md)`);
      } else if (clusterMinor - nodeMinor > 3) {
        context.add(path("kubernetesVersion"), `is ${clusterMinor - nodeMinor} minor versions behind the control plane (1.${clusterMinor}); the kubelet may be at most 3 behind (Kubernetes version skew policy)`);
      }
    } else if (group.kubernetesVersion !== undefined && nodeMinor === undefined) {
      context.add(path("kubernetesVersion"), 'must be a Kubernetes minor version such as "1.32" (quote it in YAML)');
    }

    const ami = asObject(group.ami);
    const release = asString(ami.release) ?? asString(context.workers.amiRelease);
    if (asString(ami.release) !== undefined && ami.id !== undefined) context.add(path("ami", "release"), "cannot go with ami.id: pin either an AMI ID or an EKS AMI release");
    if (release !== undefined && ami.id === undefined) {
      const bottlerocket = ami.family === "bottlerocket";
      const where = asString(ami.release) !== undefined ? path("ami", "release") : ["workers", "amiRelease"];
      if (bottlerocket && !/^\d+\.\d+\.\d+$/.test(release)) context.add(where, `is ${release}, but node group ${asString(group.name)} runs Bottlerocket, whose releases are versions such as 1.49.0`);
      if (!bottlerocket && !/^v\d{8}$/.test(release)) context.add(where, `is ${release}, but node group ${asString(group.name)} runs an EKS-optimized Amazon Linux AMI, whose releases are dates such as v20251103`);
    }

    const spare = asNumber(group.spareNodes) ?? 0;
    const max = (asNumber(group.maxSize) ?? 0) + spare;
    const outpostName = asString(group.outpost);
    if (outpostName !== undefined) sizes.set(outpostName, (sizes.get(outpostName) ?? 0) + max);
    const rollout = asObject(group.rollout);
    const surge = asNumber(rollout.maxSurge) ?? 0;
    const minHealthy = asNumber(rollout.minHealthyPercentage);
    const desired = (asNumber(group.desiredSize) ?? asNumber(group.minSize) ?? 0) + spare;
    const preferences = rolloutPreferencesOf({ desired, minHealthyPercentage: minHealthy, maxSurge: surge, instanceWarmupSeconds: 0 });
    const refused = healthyPercentagesProblem(preferences.minHealthyPercentage, preferences.maxHealthyPercentage);
    if (refused) context.add(path("rollout", "minHealthyPercentage"), refused);
    if (preferences.extraNodes > 0 && preferences.extraNodes > spare) {
      const outpost = context.outpostNamed(group.outpost);
      const slots = asNumber(outpost?.nodeSlots);
      const onOutpost = nodesAtMax.get(outpostName ?? "") ?? 0;
      if (slots === undefined || slots - onOutpost < preferences.extraNodes) {
        const field = surge > 0 ? "maxSurge" : "minHealthyPercentage";
        const what = surge > 0 ? `is ${surge}` : "is 100, which launches each replacement before its node terminates (EC2 Auto Scaling User Guide, instance refresh)";
        context.add(
          path("rollout", field),
          `${what}, but neither spareNodes (${spare}) nor the Outpost's free slots cover the ${preferences.extraNodes} extra node(s)` +
            (slots === undefined ? ` (outposts[${outpostName}].nodeSlots is not declared)` : `: nodeSlots ${slots} - ${onOutpost} nodes at max = ${slots - onOutpost} free`) +
            "; on a fixed-capacity Outpost the refresh would wait for a slot and fail" +
            (surge > 0 ? "" : ": leave minHealthyPercentage out to terminate first, one node at a time"),
        );
      }
    }
  });

  context.outposts.forEach((outpost, i) => {
    const slots = asNumber(outpost.nodeSlots);
    const name = asString(outpost.name);
    if (slots === undefined || name === undefined) return;
    const nodes = sizes.get(name) ?? 0;
    const controlPlane = context.architecture?.controlPlaneOnOutpost ? (asObject(context.controlPlane.local).instanceStore !== undefined ? 6 : 3) : 0;
    if (nodes + controlPlane > slots) {
      context.add(
        ["outposts", i, "nodeSlots"],
        `is ${slots}, but the node groups reach ${nodes} nodes at max (maxSize + spareNodes)` +
          (controlPlane ? ` and the local control plane keeps ${controlPlane} instances` : "") +
          `: ${nodes + controlPlane} > ${slots}`,
      );
    }
  });
}
