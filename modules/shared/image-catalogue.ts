/**
 * The image catalogue: every container image the blueprint's Helm charts run, with the tag that
 * matches each pinned chart, and where AWS also publishes it in its regional EKS registries. Every
 * add-on takes its image values from here (no chart default is relied on), the config rules use it to
 * name what a source cannot pull, `npm run images` prints copy and warm-up commands from it, and the
 * addons stack proves at plan time that each private copy exists.
 *
 * Import-free on purpose: modules, config and scripts all read it.
 */

/** The add-ons whose charts run images. EKS managed add-ons (extended clusters) pull their own. */
export type ImageAddon = "aws-load-balancer-controller" | "aws-node-termination-handler" | "aws-ebs-csi-driver";

export interface CatalogueImage {
  readonly addon: ImageAddon;
  /** Short name, unique within the add-on. */
  readonly name: string;
  /** Where the chart's default pulls it from. */
  readonly upstream: { readonly registry: string; readonly repository: string };
  /** The tag that matches the pinned chart version. */
  readonly tag: string;
  /** The repository path in AWS's regional EKS registry, when AWS publishes the image there. */
  readonly regionalRepository?: string;
  /** Where in the chart's values the image is set: `<path>.repository` and `<path>.tag`. */
  readonly valuesPath: readonly string[];
}

/** ECR Public, where the charts' defaults point: no PrivateLink endpoint exists for it. */
export const ECR_PUBLIC = "public.ecr.aws";

export const IMAGE_CATALOGUE: readonly CatalogueImage[] = [
  {
    // Chart 3.5.0 values.yaml: image.repository public.ecr.aws/eks/aws-load-balancer-controller, tag v3.5.0.
    // AWS documents the controller's image on ECR Public only, and tells clusters without internet
    // access to copy it into their own registry (EKS User Guide, "Install AWS Load Balancer Controller
    // with Helm", private clusters). A regional path (amazon/aws-load-balancer-controller, aws-cdk's
    // AlbController default) is documented for no v3 tag: so no regionalRepository, and a private
    // copy (checked at plan time) wherever the cluster has no NAT.
    addon: "aws-load-balancer-controller",
    name: "controller",
    upstream: { registry: ECR_PUBLIC, repository: "eks/aws-load-balancer-controller" },
    tag: "v3.5.0",
    valuesPath: ["image"],
  },
  {
    // Chart 0.27.6: image.repository public.ecr.aws/aws-ec2/aws-node-termination-handler; the tag
    // defaults to "v" + appVersion 1.25.6. NTH is published on ECR Public only.
    addon: "aws-node-termination-handler",
    name: "handler",
    upstream: { registry: ECR_PUBLIC, repository: "aws-ec2/aws-node-termination-handler" },
    tag: "v1.25.6",
    valuesPath: ["image"],
  },
  // aws-ebs-csi-driver chart 2.53.0 (kubernetes-sigs/aws-ebs-csi-driver, tag helm-chart-aws-ebs-csi-driver-2.53.0,
  // charts/aws-ebs-csi-driver/values.yaml): the driver's tag defaults to "v" + appVersion 1.53.0; each
  // sidecar's tag is pinned in values.yaml. Installed by Helm on local clusters only.
  {
    // AWS documents the driver's image in the regional EKS registries as eks/aws-ebs-csi-driver:<version>
    // (aws-ebs-csi-driver docs/install.md, container images; the release checklist, docs/release.md,
    // pulls 602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-ebs-csi-driver:<version>). AWS's
    // registry does not let other accounts describe its images, so no plan-time check can look there.
    addon: "aws-ebs-csi-driver",
    name: "driver",
    upstream: { registry: ECR_PUBLIC, repository: "ebs-csi-driver/aws-ebs-csi-driver" },
    tag: "v1.53.0",
    regionalRepository: "eks/aws-ebs-csi-driver",
    valuesPath: ["image"],
  },
  // The sidecars are EKS builds (-eksbuild.N) on ECR Public. The managed add-on runs the same images
  // from eks/<name> in the regional registries, but no source confirms these exact tags there, so
  // they are copied into private repositories instead.
  ...(
    [
      ["csi-provisioner", "provisioner", "v5.3.0-eksbuild.5"],
      ["csi-attacher", "attacher", "v4.10.0-eksbuild.2"],
      ["csi-snapshotter", "snapshotter", "v8.4.0-eksbuild.2"],
      ["csi-resizer", "resizer", "v1.14.0-eksbuild.5"],
      ["livenessprobe", "livenessProbe", "v2.17.0-eksbuild.2"],
      ["csi-node-driver-registrar", "nodeDriverRegistrar", "v2.15.0-eksbuild.2"],
      // Runs only with controller.volumeModificationFeature.enabled; set anyway, so no default can slip in.
      ["volume-modifier-for-k8s", "volumemodifier", "v0.9.0"],
    ] as const
  ).map(
    ([name, sidecar, tag]): CatalogueImage => ({
      addon: "aws-ebs-csi-driver",
      name,
      upstream: { registry: ECR_PUBLIC, repository: name === "volume-modifier-for-k8s" ? `ebs-csi-driver/${name}` : `csi-components/${name}` },
      tag,
      valuesPath: ["sidecars", sidecar, "image"],
    }),
  ),
];

/** The catalogue's images of one add-on. */
export function catalogueImagesOf(addon: ImageAddon): CatalogueImage[] {
  return IMAGE_CATALOGUE.filter((image) => image.addon === addon);
}

/** An image reference as a chart takes it. */
export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
}

/** The image as its upstream publishes it. */
export function upstreamRef(image: CatalogueImage): ImageRef {
  return { repository: `${image.upstream.registry}/${image.upstream.repository}`, tag: image.tag };
}

type ValuesTree = { [key: string]: ValuesTree | string };

/**
 * Chart values that set every catalogue image of an add-on, at each image's values path: the given
 * reference by image name, else the upstream one. No image is left to a chart default.
 */
export function imageValues(addon: ImageAddon, refs: Readonly<Record<string, ImageRef>> = {}): ValuesTree {
  const values: ValuesTree = {};
  for (const image of catalogueImagesOf(addon)) {
    let node: ValuesTree = values;
    for (const key of image.valuesPath) {
      const next = node[key];
      node = typeof next === "object" ? next : (node[key] = {});
    }
    const ref = refs[image.name] ?? upstreamRef(image);
    node.repository = ref.repository;
    node.tag = ref.tag;
  }
  return values;
}

