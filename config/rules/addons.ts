/** Add-on rules: what only a local cluster may use. */
import { imageReference, imagesNeedingInternet } from "../image-sources";
import { EBS_CSI_CHART_VERSION } from "../../modules/ebs-storage/chart";
import { OWNED_VALUES, ownedValueConflicts } from "../../modules/shared/owned-values";
import { PARTITIONS_WITHOUT_PULL_THROUGH_CACHE, partitionOf } from "../images";
import { Blueprint, REGISTRY_HOST_PATTERN } from "../schema";
import { KUBERNETES_RESERVED_USER_PREFIX } from "../reserved";
import { asArray, asObject, asString, IssuePath, RuleContext } from "./context";

/** StorageClass names EKS creates and owns: the gp2 class of clusters created before 1.30 (EKS UG, "Storage classes"). */
export const EKS_OWNED_STORAGE_CLASSES = ["gp2"] as const;

export function addonRules(context: RuleContext): void {
  const { addons } = context;
  if (context.architecture?.breakGlass === false && asObject(addons.breakGlass).enabled === true) {
    context.add(
      ["addons", "breakGlass", "enabled"],
      "is only valid for a local cluster: an extended cluster's control plane is in the Region, where IAM is always reachable",
    );
  }
  const userName = asString(asObject(addons.breakGlass).userName);
  if (userName?.startsWith(KUBERNETES_RESERVED_USER_PREFIX)) {
    context.add(
      ["addons", "breakGlass", "userName"],
      `starts with '${KUBERNETES_RESERVED_USER_PREFIX}', a prefix Kubernetes reserves for its own components (RBAC, referring to subjects); choose a name such as outposts-eks-break-glass`,
    );
  }
  imageSourceRules(context);
  extraValuesRules(context);
  if (context.architecture?.secretsEncryption === false && asString(context.controlPlane.secretsKmsKeyArn) !== undefined) {
    context.add(
      ["controlPlane", "secretsKmsKeyArn"],
      "is only valid for an extended cluster: EKS local clusters, EBS-backed and instance-store alike, offer no secrets envelope encryption (EKS UG, local clusters comparison)",
    );
  }
  const storageClassName = asString(asObject(addons.storage).storageClassName);
  if (storageClassName !== undefined && (EKS_OWNED_STORAGE_CLASSES as readonly string[]).includes(storageClassName)) {
    context.add(
      ["addons", "storage", "storageClassName"],
      `is '${storageClassName}', a StorageClass EKS creates itself (EKS UG, "Storage classes": clusters created before Kubernetes 1.30 ` +
        "get a gp2 class, and keep it through upgrades); choose another name, such as gp2-encrypted (the default)",
    );
  }
  const chartVersion = asObject(addons.storage).ebsCsiChartVersion;
  if (typeof chartVersion === "string" && chartVersion !== EBS_CSI_CHART_VERSION) {
    context.add(
      ["addons", "storage", "ebsCsiChartVersion"],
      `must be ${EBS_CSI_CHART_VERSION}: the image catalogue lists the images and tags of that chart version only, and another version would run images nobody copied`,
    );
  }
  if (context.architecture?.breakGlass === false && asObject(addons.clusterAuth).mode === "certificate") {
    context.add(["addons", "clusterAuth", "mode"], "'certificate' is for local clusters cut off from IAM; an extended cluster uses token or exec");
  }
}

/** A private blueprint cannot pull from the internet: name every image the chosen source leaves there. */
function imageSourceRules(context: RuleContext): void {
  const images = asObject(context.addons.images);
  const source = images.source;
  const path = ["addons", "images"];
  const mirror = images.mirror === undefined ? undefined : asObject(images.mirror);
  if (source === "mirror" && mirror === undefined) {
    context.add([...path, "mirror"], "is required with source 'mirror': give the host of the registry you run, such as registry.example.internal:5000");
  }
  if (source !== "mirror" && mirror !== undefined && typeof source === "string") {
    context.add([...path, "mirror"], `is only valid with source 'mirror' (source is '${source}')`);
  }
  if (mirror !== undefined) {
    registryHostRule(context, [...path, "mirror", "host"], mirror.host);
    const registries = asArray(mirror.registries).map(asObject);
    registries.forEach((registry, i) => registryHostRule(context, [...path, "mirror", "registries", i, "upstream"], registry.upstream));
    context.checkUnique(registries.map((r) => asString(r.upstream)), (i) => [...path, "mirror", "registries", i, "upstream"], "registry");
  }

  const partition = context.region === undefined ? undefined : partitionOf(context.region);
  if (source === "pullThroughCache" && partition !== undefined && PARTITIONS_WITHOUT_PULL_THROUGH_CACHE.includes(partition)) {
    context.add(
      [...path, "source"],
      `is 'pullThroughCache', but ECR pull-through cache rules are not available in the ${partition} partition (ECR User Guide); ` +
        "use 'regional' (the default) or 'privateRepositories'",
    );
    return;
  }
  if (context.egress !== "private" || (source !== "upstream" && source !== "pullThroughCache") || context.architecture === undefined) return;
  const region = context.region ?? "";
  // The resolution reads only these fields; each is rebuilt from the untrusted input with a safe shape.
  const { addons } = context;
  const blueprint = {
    name: asString(context.root.name) ?? "",
    region,
    variant: context.variant,
    controlPlane: { local: context.controlPlane.local === undefined ? undefined : asObject(context.controlPlane.local) },
    network: { egress: context.egress },
    outposts: context.outposts,
    addons: {
      loadBalancerController: asObject(addons.loadBalancerController),
      nodeTerminationHandler: asObject(addons.nodeTerminationHandler),
      storage: asObject(addons.storage),
      images: { ...images, pullThroughCache: asObject(images.pullThroughCache) },
    },
  } as unknown as Blueprint;
  const unreachable = imagesNeedingInternet(blueprint).map((resolved) => imageReference(resolved, region));
  if (unreachable.length === 0) return;
  if (source === "upstream") {
    context.add(
      [...path, "source"],
      "is 'upstream', but egress is 'private': ECR Public has no VPC endpoint, so these images cannot be pulled: " +
        `${unreachable.join(", ")}; use 'regional' (the default) or 'privateRepositories'`,
    );
  } else {
    context.add(
      [...path, "source"],
      "is 'pullThroughCache' with egress 'private': the first pull through a cache rule needs internet egress (ECR User Guide), so these " +
        `images cannot be pulled: ${unreachable.join(", ")}; set pullThroughCache.warmUp: true and run npx outposts-eks images warm --config <blueprint> from a host ` +
        "with internet access before deploying the addons stack, or use 'privateRepositories'",
    );
  }
}

/** A registry host as containerd and Helm take it: no scheme, no path, a port within range. */
function registryHostRule(context: RuleContext, path: IssuePath, value: unknown): void {
  const host = asString(value);
  if (host === undefined) return;
  const port = /:(\d+)$/.exec(host)?.[1];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    context.add(path, "has a scheme; give the host only, such as registry.example.internal:5000");
  } else if (host.includes("/")) {
    context.add(path, "has a path; give the host only (a path prefix goes in pathPrefix)");
  } else if (!REGISTRY_HOST_PATTERN.test(host) || (port !== undefined && Number(port) > 65535)) {
    context.add(path, "is not a registry host: lowercase DNS labels or an IPv4 address, with an optional :port up to 65535");
  }
}

/** Extra chart values may not replace what the blueprint decides for an add-on. */
function extraValuesRules(context: RuleContext): void {
  const sections: Array<[string, keyof typeof OWNED_VALUES]> = [
    ["loadBalancerController", "aws-load-balancer-controller"],
    ["nodeTerminationHandler", "aws-node-termination-handler"],
    ["storage", "aws-ebs-csi-driver"],
  ];
  for (const [section, addon] of sections) {
    const values = asObject(context.addons[section]).values;
    if (values === null || typeof values !== "object" || Array.isArray(values)) continue;
    for (const conflict of ownedValueConflicts(OWNED_VALUES[addon], values as Record<string, unknown>)) {
      context.add(
        ["addons", section, "values", ...conflict.split(".")],
        `is decided by the blueprint (IAM trust, the image catalogue or Outpost placement depend on it); ${addon}'s blueprint-owned values are ${OWNED_VALUES[addon].join(", ")}`,
      );
    }
  }
}
