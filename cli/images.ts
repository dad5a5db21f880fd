/**
 * `outposts-eks images [list|copy|warm] [--tool crane|skopeo|docker]`: what the blueprint's add-on images
 * are and where they come from, and the commands that put them in place, to run once from a host
 * with internet access and AWS credentials for the blueprint's account.
 *
 * - copy: private repositories (source privateRepositories, or regional for images AWS does not
 *   publish regionally): copies every image, all platforms where the tool can.
 * - warm: pull-through cache without NAT: pulls every image once through the cache, for each node
 *   architecture, so that nodes find it cached (the first pull through a cache needs internet).
 *
 * --config or BLUEPRINT_CONFIG names the blueprint, as for synth.
 */
import { amiArchitectureOf, Blueprint, dnsSuffixOf, imageReference, resolveAddonImages } from "../config";
import { CommandError } from "./exit-codes";

export type ImageTool = "crane" | "skopeo" | "docker";
export const IMAGE_TOOLS: readonly ImageTool[] = ["crane", "skopeo", "docker"];

const ACCOUNT = 'ACCOUNT=$(aws sts get-caller-identity --query Account --output text)';

function registryOf(blueprint: Blueprint): string {
  return `$ACCOUNT.dkr.ecr.${blueprint.region}.${dnsSuffixOf(blueprint.region)}`;
}

function login(blueprint: Blueprint, tool: ImageTool): string {
  const password = `aws ecr get-login-password --region ${blueprint.region}`;
  const registry = registryOf(blueprint);
  if (tool === "crane") return `${password} | crane auth login ${registry} -u AWS --password-stdin`;
  if (tool === "skopeo") return `${password} | skopeo login --username AWS --password-stdin ${registry}`;
  return `${password} | docker login --username AWS --password-stdin ${registry}`;
}

/** One line per image: its add-on, name, origin and the reference the chart gets. */
export function imageList(blueprint: Blueprint): string[] {
  return resolveAddonImages(blueprint).map(
    (resolved) => `${resolved.image.addon} ${resolved.image.name}: ${resolved.origin} ${imageReference(resolved, blueprint.region)}`,
  );
}

/** The commands that copy every private-repository image from its upstream. */
export function copyCommands(blueprint: Blueprint, tool: ImageTool): string[] {
  const images = resolveAddonImages(blueprint).filter((resolved) => resolved.origin === "privateRepository");
  if (images.length === 0) return ["# Nothing to copy: no image of this blueprint comes from a private repository."];
  const lines = ["set -euo pipefail", ACCOUNT, login(blueprint, tool)];
  for (const resolved of images) {
    const source = `${resolved.image.upstream.registry}/${resolved.image.upstream.repository}:${resolved.tag}`;
    const target = `${registryOf(blueprint)}/${resolved.repository}:${resolved.tag}`;
    if (tool === "crane") lines.push(`crane copy ${source} ${target}`);
    else if (tool === "skopeo") lines.push(`skopeo copy --all docker://${source} docker://${target}`);
    // docker copies one platform: the host's. Prefer crane or skopeo for multi-architecture node groups.
    else lines.push(`docker pull ${source}`, `docker tag ${source} ${target}`, `docker push ${target}`);
  }
  return lines;
}

/** The commands that pull every cache image once, for each node architecture. */
export function warmCommands(blueprint: Blueprint, tool: ImageTool): string[] {
  const images = resolveAddonImages(blueprint).filter((resolved) => resolved.origin === "pullThroughCache");
  if (images.length === 0) return ["# Nothing to warm: the image source is not pullThroughCache."];
  const platforms = [...new Set(blueprint.nodeGroups.map((group) => (amiArchitectureOf(group) === "arm64" ? "linux/arm64" : "linux/amd64")))].sort();
  const lines = ["set -euo pipefail", ACCOUNT, login(blueprint, tool)];
  for (const resolved of images) {
    const reference = `${registryOf(blueprint)}/${resolved.repository}:${resolved.tag}`;
    for (const platform of platforms) {
      if (tool === "crane") lines.push(`crane pull --platform ${platform} ${reference} /dev/null`);
      else if (tool === "skopeo") lines.push(`skopeo copy --override-os linux --override-arch ${platform.split("/")[1]} docker://${reference} dir:$(mktemp -d)`);
      else lines.push(`docker pull --platform ${platform} ${reference}`);
    }
  }
  return lines;
}

export const IMAGE_ACTIONS = ["list", "copy", "warm"] as const;

/** The lines `outposts-eks images <action> --tool <tool>` prints. */
export function imagesCommand(blueprint: Blueprint, action: string = "list", tool: string = "crane"): string[] {
  if (!IMAGE_TOOLS.includes(tool as ImageTool)) throw new CommandError(`--tool must be one of: ${IMAGE_TOOLS.join(", ")}`);
  if (action === "list") return imageList(blueprint);
  if (action === "copy") return copyCommands(blueprint, tool as ImageTool);
  if (action === "warm") return warmCommands(blueprint, tool as ImageTool);
  throw new CommandError(`unknown action '${action}'; expected list, copy or warm`);
}
