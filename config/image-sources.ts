/**
 * Where each add-on image is pulled from, decided once for the network stack (private repositories),
 * the addons stack (chart values and plan-time checks), the config rules and `npm run images`.
 */
import { clusterArchitecture } from "./cluster-architecture";
import { CatalogueImage, catalogueImagesOf, dnsSuffixOf, ImageAddon, regionalRegistry } from "./images";
import type { Blueprint } from "./schema";

/** Where one image comes from. */
export type ImageOrigin = "regional" | "privateRepository" | "pullThroughCache" | "mirror" | "upstream";

export interface ResolvedImage {
  readonly image: CatalogueImage;
  readonly origin: ImageOrigin;
  /** The registry host; undefined for this account's private registry, known only at plan time. */
  readonly registry?: string;
  readonly repository: string;
  readonly tag: string;
}

/** The name of an image's private repository in this account. */
export function privateRepositoryName(prefix: string, image: CatalogueImage): string {
  return `${prefix}/${image.upstream.repository}`;
}

/** The prefix of the blueprint's private repositories: as configured, else the blueprint name. */
export function imageRepositoryPrefix(blueprint: Blueprint): string {
  return blueprint.addons.images.repositoryPrefix ?? blueprint.name;
}

/** The add-ons whose charts this blueprint installs. */
export function chartAddonsOf(blueprint: Blueprint): ImageAddon[] {
  const racks = blueprint.outposts.some((outpost) => outpost.formFactor === "rack");
  const addons: ImageAddon[] = [];
  if (blueprint.addons.loadBalancerController.enabled && racks) addons.push("aws-load-balancer-controller");
  if (blueprint.addons.nodeTerminationHandler.enabled) addons.push("aws-node-termination-handler");
  // Where the EBS CSI driver is the EKS managed add-on, it pulls from the regional registry itself.
  if (blueprint.addons.storage.enabled && racks && !clusterArchitecture(blueprint).managedEbsCsiDriver) addons.push("aws-ebs-csi-driver");
  return addons;
}

/**
 * The source in force: as configured, else `regional`. `regional` takes AWS's regional EKS registry
 * where AWS publishes the image, and for the rest this account's private repositories under private
 * egress, or the upstream registry with NAT egress.
 */
export function imageSourceOf(blueprint: Blueprint): NonNullable<Blueprint["addons"]["images"]["source"]> {
  return blueprint.addons.images.source ?? "regional";
}

export function resolveImage(blueprint: Blueprint, image: CatalogueImage): ResolvedImage {
  const source = imageSourceOf(blueprint);
  const { images } = blueprint.addons;
  const prefix = imageRepositoryPrefix(blueprint);
  const privateCopy: ResolvedImage = { image, origin: "privateRepository", repository: privateRepositoryName(prefix, image), tag: image.tag };
  const upstream: ResolvedImage = { image, origin: "upstream", registry: image.upstream.registry, repository: image.upstream.repository, tag: image.tag };
  switch (source) {
    case "regional":
      if (image.regionalRepository !== undefined) {
        return { image, origin: "regional", registry: regionalRegistry(blueprint.region), repository: image.regionalRepository, tag: image.tag };
      }
      return blueprint.network.egress === "nat" ? upstream : privateCopy;
    case "privateRepositories":
      return privateCopy;
    case "pullThroughCache":
      // The cache rule serves <prefix>/<upstream repository> from this account's registry.
      return { image, origin: "pullThroughCache", repository: `${images.pullThroughCache.prefix}/${image.upstream.repository}`, tag: image.tag };
    case "mirror": {
      const mirror = images.mirror!;
      const path = [mirror.pathPrefix, image.upstream.repository].filter((part) => part !== undefined).join("/");
      return { image, origin: "mirror", registry: mirror.host, repository: path, tag: image.tag };
    }
    case "upstream":
      return upstream;
  }
}

/** Every image the blueprint's charts run, resolved, in catalogue order. */
export function resolveAddonImages(blueprint: Blueprint): ResolvedImage[] {
  return chartAddonsOf(blueprint).flatMap((addon) => catalogueImagesOf(addon).map((image) => resolveImage(blueprint, image)));
}

/**
 * Images that must be in this account's registry before the addons stack deploys, and so get a
 * plan-time check: private copies always; cache entries when a warm-up stands in for NAT.
 */
export function checkedAtPlan(blueprint: Blueprint, resolved: ResolvedImage): boolean {
  const warmed = blueprint.network.egress === "private" && blueprint.addons.images.pullThroughCache.warmUp;
  return resolved.origin === "privateRepository" || (resolved.origin === "pullThroughCache" && warmed);
}

/** Images that need internet egress at first pull: upstream ones always, cache entries until warmed. */
export function imagesNeedingInternet(blueprint: Blueprint): ResolvedImage[] {
  const warmed = blueprint.addons.images.pullThroughCache.warmUp;
  return resolveAddonImages(blueprint).filter((resolved) => resolved.origin === "upstream" || (resolved.origin === "pullThroughCache" && !warmed));
}

/** The images the blueprint copies into private repositories. */
export function privateRepositoryImages(blueprint: Blueprint): ResolvedImage[] {
  return resolveAddonImages(blueprint).filter((resolved) => resolved.origin === "privateRepository");
}

/** `registry/repository:tag`, with `<account>` standing for this account's private registry. */
export function imageReference(resolved: ResolvedImage, region: string): string {
  const registry = resolved.registry ?? `<account>.dkr.ecr.${region}.${dnsSuffixOf(region)}`;
  return `${registry}/${resolved.repository}:${resolved.tag}`;
}
