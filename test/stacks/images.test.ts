/**
 * Every container image an addons stack deploys, found by walking what it synthesizes: each Helm
 * release's values and every Kubernetes resource. Each must come from the image catalogue, at the
 * catalogue's tag, from a registry the blueprint's VPC can reach; each private-ECR image must have its
 * plan-time check. A release that leaves an image to its chart's default fails here.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
  Blueprint,
  CatalogueImage,
  catalogueImagesOf,
  ImageAddon,
  IMAGE_CATALOGUE,
  regionalRegistry,
  resolveAddonImages,
} from "../../config";
import { INGRESS_CLASSES_CHART_DIR } from "../../modules/load-balancer-controller";
import { hostsToml } from "../../modules/outpost-node-group";
import { dataSourcesOf, EKS_EXAMPLES, exampleWith, loadExample, resourcesOf, synthBlueprint } from "../helpers/synth";
import { referenceFacts } from "../helpers/reference";

type Json = Record<string, any>;

interface FoundImage {
  readonly where: string;
  readonly repository: string;
  readonly tag: string;
}

/** Image references in chart values: every object with a string `repository` and `tag`. */
function imagesInValues(values: unknown, where: string): FoundImage[] {
  if (values === null || typeof values !== "object") return [];
  const node = values as Json;
  const here = typeof node.repository === "string" && typeof node.tag === "string" ? [{ where, repository: node.repository, tag: node.tag }] : [];
  return [...here, ...Object.entries(node).flatMap(([key, value]) => imagesInValues(value, `${where}.${key}`))];
}

/** `image` fields of Kubernetes resources (containers of any workload), as references. */
function imagesInManifests(stack: Json): FoundImage[] {
  const found: FoundImage[] = [];
  const walk = (value: unknown, where: string) => {
    if (value === null || typeof value !== "object") return;
    for (const [key, child] of Object.entries(value as Json)) {
      if (key === "image" && typeof child === "string") {
        const at = child.lastIndexOf(":");
        found.push({ where: `${where}.image`, repository: child.slice(0, at), tag: child.slice(at + 1) });
      } else walk(child, `${where}.${key}`);
    }
  };
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    if (type.startsWith("kubernetes_")) walk(resources, type);
  }
  return found;
}

const CHART_ADDONS: Readonly<Record<string, ImageAddon>> = {
  "aws-load-balancer-controller": "aws-load-balancer-controller",
  "aws-node-termination-handler": "aws-node-termination-handler",
  "aws-ebs-csi-driver": "aws-ebs-csi-driver",
};

/** This account's registry as the addons stack writes it. */
const PRIVATE_REGISTRY = /^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}\.dkr\.ecr\.[a-z0-9-]+\.\$\{data\.aws_partition\.[\w-]+\.dns_suffix\}$/;

async function addonsOf(blueprint: Blueprint): Promise<Json> {
  const synth = await synthBlueprint(blueprint);
  try {
    return { addons: synth.json("addons"), network: synth.json("network"), workers: synth.json("workers") };
  } finally {
    synth.dispose();
  }
}

/** Every image in the stack, by the catalogue add-on of the release that runs it. */
function collect(stack: Json): { byAddon: Record<string, FoundImage[]>; unowned: FoundImage[]; releasesWithoutCatalogue: string[] } {
  const byAddon: Record<string, FoundImage[]> = {};
  const releasesWithoutCatalogue: string[] = [];
  for (const [id, release] of Object.entries(resourcesOf(stack, "helm_release")) as Array<[string, Json]>) {
    const values = (release.values ?? []).map((text: string) => parseYaml(text));
    const found = values.flatMap((v: unknown) => imagesInValues(v, `helm_release.${id}`));
    const addon = CHART_ADDONS[release.chart];
    if (addon) (byAddon[addon] ??= []).push(...found);
    else {
      releasesWithoutCatalogue.push(release.name);
      (byAddon["(no catalogue)"] ??= []).push(...found);
    }
  }
  return { byAddon, unowned: imagesInManifests(stack), releasesWithoutCatalogue };
}

function registryOf(repository: string): string {
  return repository.split("/")[0];
}

describe("the image catalogue", () => {
  it("names each image once per add-on, with a values path and an exact tag", () => {
    const keys = IMAGE_CATALOGUE.map((image) => `${image.addon}/${image.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const image of IMAGE_CATALOGUE) {
      expect(image.tag).toMatch(/^v\d+\.\d+\.\d+(-[\w.]+)?$/);
      expect(image.valuesPath.length).toBeGreaterThan(0);
    }
  });

  it("sets every image key of the charts we keep values for (a chart default cannot slip through)", () => {
    const facts = referenceFacts();
    const imageKeys = (tree: Json, prefix: string[] = []): string[] =>
      Object.entries(tree).flatMap(([key, value]) => {
        if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
        const here = "repository" in value && "tag" in value ? [[...prefix, key].join(".")] : [];
        return [...here, ...imageKeys(value, [...prefix, key])];
      });
    const keysOf = (addon: ImageAddon) => catalogueImagesOf(addon).map((image: CatalogueImage) => image.valuesPath.join(".")).sort();
    expect(keysOf("aws-load-balancer-controller")).toEqual(imageKeys(facts.lbcValues).sort());
    expect(keysOf("aws-node-termination-handler")).toEqual(imageKeys(facts.nthValues).sort());
  });
});

describe.each(EKS_EXAMPLES)("images of %s", (example) => {
  let blueprint: Blueprint;
  let stacks: Json;

  beforeAll(async () => {
    blueprint = loadExample(example);
    stacks = await addonsOf(blueprint);
  });

  it("takes every chart's images from the catalogue at the catalogue's tags, none from a chart default", () => {
    const { byAddon, unowned, releasesWithoutCatalogue } = collect(stacks.addons);
    // Only the project's own ingress-classes chart is outside the catalogue, and its templates run no image.
    expect(releasesWithoutCatalogue.every((name) => name === "outpost-ingress-classes")).toBe(true);
    const templates = path.join(INGRESS_CLASSES_CHART_DIR, "templates");
    for (const file of readdirSync(templates)) expect(readFileSync(path.join(templates, file), "utf8")).not.toMatch(/\bimage:/);
    expect(byAddon["(no catalogue)"] ?? []).toEqual([]);
    expect(unowned).toEqual([]);
    const expected = resolveAddonImages(blueprint);
    const addons = [...new Set(expected.map((resolved) => resolved.image.addon))].sort();
    expect(Object.keys(byAddon).filter((key) => key !== "(no catalogue)").sort()).toEqual(addons);
    for (const addon of addons) {
      const catalogue = catalogueImagesOf(addon as ImageAddon);
      const found = byAddon[addon];
      expect(found).toHaveLength(catalogue.length);
      expect(found.map((image) => image.tag).sort()).toEqual(catalogue.map((image) => image.tag).sort());
    }
  });

  it("pulls every image from a registry inside the VPC, or the on-premises mirror, when egress is private", () => {
    const found = Object.values(collect(stacks.addons).byAddon).flat();
    expect(found.length).toBeGreaterThan(0);
    const regional = regionalRegistry(blueprint.region);
    const mirror = blueprint.addons.images.source === "mirror" ? blueprint.addons.images.mirror?.host : undefined;
    const reachable = (repository: string) =>
      blueprint.network.egress === "nat" || registryOf(repository) === regional || PRIVATE_REGISTRY.test(registryOf(repository)) || registryOf(repository) === mirror;
    expect(found.filter((image) => !reachable(image.repository))).toEqual([]);
    expect(found.filter((image) => registryOf(image.repository) === "public.ecr.aws" && blueprint.network.egress === "private")).toEqual([]);
  });

  it("checks at plan time that every private-ECR copy exists, and creates its repository in the network stack", () => {
    const found = Object.values(collect(stacks.addons).byAddon).flat();
    const privateImages = found.filter((image) => PRIVATE_REGISTRY.test(registryOf(image.repository)));
    const checks = Object.values(dataSourcesOf(stacks.addons, "aws_ecr_images")) as Json[];
    const repositories = Object.values(resourcesOf(stacks.network, "aws_ecr_repository")) as Json[];
    const repositoryOf = (image: FoundImage) => image.repository.split("/").slice(1).join("/");
    expect(checks.map((check) => check.repository_name).sort()).toEqual(privateImages.map(repositoryOf).sort());
    expect(repositories.map((repository) => repository.name).sort()).toEqual(privateImages.map(repositoryOf).sort());
    for (const image of privateImages) {
      const check = checks.find((c) => c.repository_name === repositoryOf(image))!;
      expect(check.lifecycle.postcondition[0].condition).toBe(`\${contains(self.image_ids[*].image_tag, "${image.tag}")}`);
      expect(check.lifecycle.postcondition[0].error_message).toContain("npx outposts-eks images copy --config <your blueprint>");
    }
    for (const repository of repositories) {
      expect(repository).toMatchObject({
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS" }],
      });
    }
  });
});

/** The user data local of a node group, as Terraform holds it. */
function userDataOf(workers: Json, nodeGroup: string): string {
  const [, local] = Object.entries(workers.locals).find(([name]) => name.startsWith(`node-group-${nodeGroup}_user-data`))!;
  return local as string;
}

describe("image sources", () => {
  it("privateRepositories: every chart image from this account's ECR, each created, checked and copyable", async () => {
    const blueprint = exampleWith("local-cluster.yaml", (raw) => (raw.addons.images = { source: "privateRepositories" }));
    const { addons, network } = await addonsOf(blueprint);
    const found = Object.values(collect(addons).byAddon).flat();
    expect(found).toHaveLength(resolveAddonImages(blueprint).length);
    expect(found.every((image) => PRIVATE_REGISTRY.test(registryOf(image.repository)))).toBe(true);
    const names = resolveAddonImages(blueprint).map((resolved) => resolved.repository).sort();
    expect(names[0]).toMatch(new RegExp(`^${blueprint.name}/`));
    expect((Object.values(resourcesOf(network, "aws_ecr_repository")) as Json[]).map((r) => r.name).sort()).toEqual(names);
    expect((Object.values(dataSourcesOf(addons, "aws_ecr_images")) as Json[]).map((d) => d.repository_name).sort()).toEqual(names);
  });

  it("regional: AWS's regional registry where AWS publishes the image, the upstream for the rest with NAT", async () => {
    const withRacks = exampleWith("extended-racks.yaml", (raw) => {
      raw.network.egress = "nat";
      raw.network.publicSubnets = [{ availabilityZone: "us-west-2c", cidr: "10.0.100.0/24" }];
    });
    const { addons, network } = await addonsOf(withRacks);
    const found = collect(addons).byAddon;
    // AWS documents the controller on ECR Public only (EKS UG, Load Balancer Controller install).
    expect(found["aws-load-balancer-controller"].map((image) => image.repository)).toEqual(["public.ecr.aws/eks/aws-load-balancer-controller"]);
    expect(found["aws-node-termination-handler"].map((image) => image.repository)).toEqual(["public.ecr.aws/aws-ec2/aws-node-termination-handler"]);
    expect(resourcesOf(network, "aws_ecr_repository")).toEqual({});
    expect(dataSourcesOf(addons, "aws_ecr_images")).toEqual({});
  });

  it("pullThroughCache with NAT: a cache rule for ECR Public, the node role's import grants, images through the cache", async () => {
    const blueprint = exampleWith("extended-servers-lni.yaml", (raw) => (raw.addons = { ...raw.addons, images: { source: "pullThroughCache" } }));
    const { addons, network, workers } = await addonsOf(blueprint);
    expect(Object.values(resourcesOf(network, "aws_ecr_pull_through_cache_rule"))).toEqual([
      expect.objectContaining({ ecr_repository_prefix: "ecr-public", upstream_registry_url: "public.ecr.aws" }),
    ]);
    const found = Object.values(collect(addons).byAddon).flat();
    expect(found.map((image) => image.repository.split("/").slice(1).join("/"))).toEqual(["ecr-public/aws-ec2/aws-node-termination-handler"]);
    // The first pull goes through NAT at run time: nothing to check at plan time.
    expect(dataSourcesOf(addons, "aws_ecr_images")).toEqual({});
    const documents = Object.values(dataSourcesOf(workers, "aws_iam_policy_document")) as Json[];
    const grant = documents.flatMap((d) => d.statement ?? []).find((s: Json) => (s.actions ?? []).includes("ecr:BatchImportUpstreamImage"));
    expect(grant).toEqual({ effect: "Allow", actions: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"], resources: ["arn:aws:ecr:us-east-2:*:repository/ecr-public/*"] });
  });

  it("pullThroughCache without NAT: only with a declared warm-up, and each cache entry is checked at plan time", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => (raw.addons.images = { source: "pullThroughCache", pullThroughCache: { warmUp: true } }));
    const { addons } = await addonsOf(blueprint);
    const checks = Object.values(dataSourcesOf(addons, "aws_ecr_images")) as Json[];
    expect(checks.map((c) => c.repository_name).sort()).toEqual(["ecr-public/aws-ec2/aws-node-termination-handler", "ecr-public/eks/aws-load-balancer-controller"]);
    for (const check of checks) expect(check.lifecycle.postcondition[0].error_message).toContain("npx outposts-eks images warm --config <your blueprint>");
  });

  it("mirror: every chart image from the mirror, and containerd sends the listed registries there before the node joins", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.addons.images = {
        source: "mirror",
        mirror: { host: "registry.site.internal:5000", pathPrefix: "ecr-public", registries: [{ upstream: "docker.io", pathPrefix: "dockerhub" }, { upstream: "quay.io" }] },
      };
      raw.dns = { onPremDomains: [{ domain: "site.internal", servers: ["192.168.0.53"] }] };
    });
    const { addons, workers } = await addonsOf(blueprint);
    const found = Object.values(collect(addons).byAddon).flat();
    expect(found.map((image) => image.repository).sort()).toEqual([
      "registry.site.internal:5000/ecr-public/aws-ec2/aws-node-termination-handler",
      "registry.site.internal:5000/ecr-public/eks/aws-load-balancer-controller",
    ]);
    expect(dataSourcesOf(addons, "aws_ecr_images")).toEqual({});
    for (const group of blueprint.nodeGroups) {
      const userData = userDataOf(workers, group.name);
      const dockerHub = hostsToml({ upstream: "docker.io", host: "registry.site.internal:5000", pathPrefix: "dockerhub" });
      expect(dockerHub).toBe(
        'server = "https://registry-1.docker.io"\n\n[host."https://registry.site.internal:5000/v2/dockerhub"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n',
      );
      expect(userData).toContain(`cat > /etc/containerd/certs.d/docker.io/hosts.toml <<'HOSTS'\n${dockerHub.trimEnd()}\nHOSTS`);
      expect(userData).toContain('[host."https://registry.site.internal:5000"]\n  capabilities = ["pull", "resolve"]\nHOSTS');
      // The mirror script part comes before the NodeConfig part, so containerd finds it at its first pull.
      expect(userData.indexOf("/etc/containerd/certs.d/")).toBeLessThan(userData.indexOf("application/node.eks.aws"));
    }
  });

  it("upstream with NAT: the images as published", async () => {
    const blueprint = exampleWith("extended-servers-lni.yaml", (raw) => (raw.addons = { ...raw.addons, images: { source: "upstream" } }));
    const { addons } = await addonsOf(blueprint);
    expect(Object.values(collect(addons).byAddon).flat().map((image) => `${image.repository}:${image.tag}`)).toEqual([
      "public.ecr.aws/aws-ec2/aws-node-termination-handler:v1.25.6",
    ]);
  });
});
