/**
 * The blueprint as a diagram, drawn from the models the rules and stacks use, never re-derived:
 * `networkModel` (sites, paths between Outposts, local gateway routes), `resolveAddonImages` (where
 * images come from), `nameResolution` (where names come from), `clusterArchitecture` (where the
 * control plane runs), `endpointsEnabled` / `interfaceEndpointServicesOf` (VPC endpoints), the
 * network's egress and public subnets (NAT), and the HCP Terraform workspaces.
 *
 * One graph (subgraphs, nodes, edges) is rendered to Mermaid or, by a plain translation, Graphviz
 * DOT. Node IDs come from indices, never from names, so they are always [A-Za-z0-9_]. Beyond
 * MAX_PAIRWISE_OUTPOSTS Outposts the paths between them are drawn per mesh (a hub node) instead of
 * per pair, and beyond MAX_LISTED_GROUPS node groups an Outpost lists its groups in one node.
 */
import * as path from "path";
import { readdirSync } from "fs";
import {
  Blueprint,
  clusterArchitecture,
  endpointsEnabled,
  endpointZones,
  executionModeOf,
  hcpWorkspacesEnabled,
  imageReference,
  localControlPlaneInstances,
  loadBlueprint,
  nameResolution,
  networkModel,
  nodeGroupSizes,
  resolveAddonImages,
} from "../config";
import { interfaceEndpointServicesOf } from "../config/endpoints";
import { STACK_NAMES } from "../config";
import { cloudWorkspaceName } from "../modules/shared/workspace-name";
import { packageFile } from "../modules/shared/package-files";

/** Up to this many Outposts, every pair gets its own path edge (at most 6 edges). */
export const MAX_PAIRWISE_OUTPOSTS = 4;
/** Up to this many node groups, each group of an Outpost is its own node. */
export const MAX_LISTED_GROUPS = 3;
/** Labels wrap at this many characters; a single longer word stays whole. */
export const LABEL_WRAP = 64;
/** Local gateway routes are listed up to this many, else counted. */
export const MAX_LISTED_ROUTES = 4;

/** The workspaces bootstrap stack's name (stacks/workspaces-stack.ts WORKSPACES_STACK_NAME). */
const WORKSPACES_STACK = "workspaces";

export interface DiagramNode {
  readonly kind: "node";
  readonly id: string;
  /** Lines of the label. */
  readonly label: readonly string[];
}

export interface DiagramCluster {
  readonly kind: "cluster";
  readonly id: string;
  readonly label: string;
  readonly children: readonly (DiagramNode | DiagramCluster)[];
}

/** solid: a link; path: traffic both ways; absent: no path (dotted, no arrow head); flow: one way. */
export type EdgeStyle = "link" | "path" | "absent" | "flow";

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly style: EdgeStyle;
  readonly label?: readonly string[];
}

export interface DiagramGraph {
  readonly title: string;
  readonly children: readonly (DiagramNode | DiagramCluster)[];
  readonly edges: readonly DiagramEdge[];
}

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width = LABEL_WRAP): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((part) => part !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Items joined with ", " in lines of at most `width` characters. */
function listLines(items: readonly string[], width = LABEL_WRAP): string[] {
  return wrap(items.join(", "), width);
}

const node = (id: string, ...label: string[]): DiagramNode => ({ kind: "node", id, label });

/** Ids of an Outpost's parts, by its index in `outposts`. */
export const outpostIds = (index: number) => ({
  cluster: `op${index}`,
  subnet: `op${index}_subnet`,
  gateway: `op${index}_lgw`,
  lni: `op${index}_lni`,
  controlPlane: `op${index}_cp`,
  group: (groupIndex: number) => `op${index}_ng${groupIndex}`,
  groups: `op${index}_ngs`,
});

/** The node a path edge of an Outpost starts from: its local gateway (racks), else its subnet. */
export function pathAnchor(blueprint: Blueprint, index: number): string {
  const ids = outpostIds(index);
  return blueprint.outposts[index].formFactor === "rack" ? ids.gateway : ids.subnet;
}

function outpostCluster(blueprint: Blueprint, index: number, model: ReturnType<typeof networkModel>): DiagramCluster {
  const site = model.sites[index];
  const outpost = blueprint.outposts[index];
  const ids = outpostIds(index);
  const children: DiagramNode[] = [node(ids.subnet, `subnet ${site.subnetCidr}${site.adopted ? " (existing)" : ""}`)];
  const groups = blueprint.nodeGroups.filter((group) => group.outpost === site.name);
  const groupLine = (group: (typeof groups)[number]) => {
    const sizes = nodeGroupSizes(group);
    return `${group.name}: ${group.instanceType} x ${sizes.min}-${sizes.max}`;
  };
  if (groups.length <= MAX_LISTED_GROUPS) {
    groups.forEach((group, i) => children.push(node(ids.group(i), "node group", ...wrap(groupLine(group)))));
  } else {
    children.push(node(ids.groups, `${groups.length} node groups`, ...groups.map(groupLine)));
  }
  if (site.formFactor === "rack") {
    const routes = model.localGatewayRoutes[site.name] ?? [];
    const routeLines = routes.length === 0 ? ["no routes to it"] : routes.length <= MAX_LISTED_ROUTES ? listLines([`routes: ${routes.join(", ")}`]) : [`routes: ${routes.length} destinations`];
    children.push(node(ids.gateway, `local gateway (${site.localGatewayMode})`, ...routeLines));
  } else if (outpost.formFactor === "server" && outpost.lniDeviceIndex !== undefined) {
    children.push(node(ids.lni, `local network interface eth${outpost.lniDeviceIndex}`));
  }
  const architecture = clusterArchitecture(blueprint);
  // The local control plane runs on the first Outpost (stacks/control-plane-stack.ts).
  if (architecture.controlPlaneOnOutpost && index === 0) {
    const local = blueprint.controlPlane.local;
    children.push(node(ids.controlPlane, `EKS control plane (${architecture.name})`, `${localControlPlaneInstances(blueprint)} instances, ${local?.controlPlaneInstanceType ?? "default type"}`));
  }
  return { kind: "cluster", id: ids.cluster, label: `Outpost ${site.name} (${site.formFactor})`, children };
}

/** Connected sets of Outposts (by index) over reachable paths, in blueprint order. */
function meshes(model: ReturnType<typeof networkModel>): number[][] {
  const indexOf = new Map(model.sites.map((site) => [site.name, site.index]));
  const parent = model.sites.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (const p of model.outpostPaths) if (p.reachable) parent[find(indexOf.get(p.to)!)] = find(indexOf.get(p.from)!);
  const sets = new Map<number, number[]>();
  model.sites.forEach((_, i) => sets.set(find(i), [...(sets.get(find(i)) ?? []), i]));
  return [...sets.values()].filter((set) => set.length > 1);
}

function pathEdges(blueprint: Blueprint, model: ReturnType<typeof networkModel>): { nodes: DiagramNode[]; edges: DiagramEdge[] } {
  const indexOf = new Map(model.sites.map((site) => [site.name, site.index]));
  const anchor = (name: string) => pathAnchor(blueprint, indexOf.get(name)!);
  const reachable = new Set(model.outpostPaths.filter((p) => p.reachable).map((p) => `${p.from}\n${p.to}`));
  const sets = meshes(model);
  // A mesh may be drawn as one hub only when the model has a path between every pair of it.
  const full = sets.every((set) => set.every((a, i) => set.slice(i + 1).every((b) => reachable.has(`${model.sites[a].name}\n${model.sites[b].name}`))));
  if (model.sites.length <= MAX_PAIRWISE_OUTPOSTS || !full) {
    return {
      nodes: [],
      edges: model.outpostPaths.map((p) =>
        p.reachable
          ? { from: anchor(p.from), to: anchor(p.to), style: "path", label: ["direct VPC routing"] }
          : { from: anchor(p.from), to: anchor(p.to), style: "absent", label: wrap(`no path: ${p.reason ?? "none"}`) },
      ),
    };
  }
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  sets.forEach((set, m) => {
    const id = `mesh${m}`;
    nodes.push(node(id, `full mesh over direct VPC routing`, `${set.length} Outposts, every pair`));
    for (const i of set) edges.push({ from: pathAnchor(blueprint, i), to: id, style: "path" });
  });
  const meshed = new Set(sets.flat());
  const isolated = model.sites.filter((site) => !meshed.has(site.index));
  if (isolated.length > 0) {
    const reasons = [...new Set(model.outpostPaths.filter((p) => !p.reachable && isolated.some((site) => site.name === p.from || site.name === p.to)).map((p) => p.reason ?? "none"))];
    const shown = reasons.slice(0, 2).flatMap((reason) => wrap(reason));
    const more = reasons.length > 2 ? [`and ${reasons.length - 2} more reasons`] : [];
    nodes.push(node("nopath", `no path to any other Outpost: ${isolated.length} Outposts`, ...shown, ...more));
    for (const site of isolated) edges.push({ from: pathAnchor(blueprint, site.index), to: "nopath", style: "absent" });
  }
  return { nodes, edges };
}

/** The diagram's graph, from the models. */
export function diagramGraph(blueprint: Blueprint): DiagramGraph {
  const model = networkModel(blueprint);
  const architecture = clusterArchitecture(blueprint);
  const { network } = blueprint;
  const nat = network.egress === "nat" ? network.publicSubnets : [];
  const zones = [...new Set([...network.regionalSubnets.map((s) => s.availabilityZone), ...model.sites.map((s) => s.availabilityZone), ...nat.map((s) => s.availabilityZone)])].sort();
  const azClusters: DiagramCluster[] = zones.map((zone, z) => {
    const children: (DiagramNode | DiagramCluster)[] = [];
    const regional = network.regionalSubnets.filter((s) => s.availabilityZone === zone).map((s) => s.cidr);
    if (regional.length > 0) children.push(node(`az${z}_subnets`, regional.length === 1 ? "regional subnet" : "regional subnets", ...listLines(regional)));
    nat.forEach((subnet, p) => {
      if (subnet.availabilityZone === zone) children.push(node(`nat${p}`, "NAT gateway", `public subnet ${subnet.cidr}`));
    });
    model.sites.forEach((site) => {
      if (site.availabilityZone === zone) children.push(outpostCluster(blueprint, site.index, model));
    });
    return { kind: "cluster", id: `az${z}`, label: zone, children };
  });

  const regionChildren: (DiagramNode | DiagramCluster)[] = [];
  // A network-only blueprint (OpenShift, HyperShift) builds no cluster: its installer does.
  const eks = blueprint.distribution === "eks";
  if (!eks) {
    regionChildren.push(node("cp", `${blueprint.distribution} control plane in the Region`, "built by its installer, not by this blueprint"));
  } else if (!architecture.controlPlaneOnOutpost) {
    regionChildren.push(node("cp", `EKS control plane (${architecture.name}) in the Region`, `API endpoint: ${blueprint.controlPlane.endpointPublicAccess ? "private and public" : "private"}`));
  }
  if (endpointsEnabled(blueprint)) {
    const existing = new Set(network.endpoints.existingServices);
    const services = interfaceEndpointServicesOf(blueprint.variant, blueprint.controlPlane.local?.instanceStore, network.endpoints.extraServices).filter((s) => !existing.has(s));
    regionChildren.push(node("vpce", `VPC endpoints in ${endpointZones(blueprint).join(", ")}`, ...listLines(services)));
  }
  regionChildren.push(...azClusters);

  const edges: DiagramEdge[] = [];
  const outside: (DiagramNode | DiagramCluster)[] = [];
  const onPrem = [...new Set(model.sites.flatMap((site) => site.onPremCidrs))];
  const lniSites = blueprint.outposts.map((outpost, i) => (outpost.formFactor === "server" && outpost.lniDeviceIndex !== undefined ? i : -1)).filter((i) => i >= 0);
  if (onPrem.length > 0 || lniSites.length > 0) {
    outside.push(node("onprem", "on-premises networks", ...(onPrem.length > 0 ? listLines(onPrem) : ["the site network"])));
    for (const site of model.sites) {
      if (site.onPremCidrs.length > 0) edges.push({ from: outpostIds(site.index).gateway, to: "onprem", style: "link", label: wrap(site.onPremCidrs.join(", ")) });
    }
    for (const i of lniSites) edges.push({ from: outpostIds(i).lni, to: "onprem", style: "link" });
  }
  const paths = pathEdges(blueprint, model);
  outside.push(...paths.nodes);
  edges.push(...paths.edges);

  // One node per source (origin and registry), listing its images as repository:tag.
  const sources = new Map<string, { origin: string; registry: string; images: string[] }>();
  for (const resolved of eks ? resolveAddonImages(blueprint) : []) {
    const reference = imageReference(resolved, blueprint.region);
    const slash = reference.indexOf("/");
    const registry = reference.slice(0, slash);
    const key = `${resolved.origin} ${registry}`;
    if (!sources.has(key)) sources.set(key, { origin: resolved.origin, registry, images: [] });
    sources.get(key)!.images.push(reference.slice(slash + 1));
  }
  if (sources.size > 0) {
    outside.push({
      kind: "cluster",
      id: "images",
      label: "add-on images",
      children: [...sources.values()].map((source, i) => node(`img${i}`, `${source.origin}: ${source.registry}`, ...source.images)),
    });
  }
  outside.push({
    kind: "cluster",
    id: "names",
    label: "name resolution",
    children: nameResolution(blueprint)
      .filter((answer) => eks || !answer.name.endsWith(".eks.amazonaws.com"))
      .map((answer, i) => node(`dns${i}`, answer.name, ...wrap(`connected: ${answer.connected}`), ...wrap(`disconnected: ${answer.disconnected}`))),
  });
  const backend = blueprint.backend;
  if (hcpWorkspacesEnabled(blueprint) && backend.type === "cloud") {
    const workspaces = STACK_NAMES.map((stack, i) => node(`ws${i}`, cloudWorkspaceName(backend, stack), `${stack} stack, ${executionModeOf(blueprint, stack)}`));
    outside.push({
      kind: "cluster",
      id: "hcp",
      label: `HCP Terraform ${backend.organization}${backend.project ? ` / ${backend.project}` : ""}`,
      children: [node("ws_bootstrap", `${WORKSPACES_STACK} stack (deployed first)`), ...workspaces],
    });
    workspaces.forEach((workspace) => edges.push({ from: "ws_bootstrap", to: workspace.id, style: "flow", label: ["creates"] }));
  }
  return {
    title: `${blueprint.name}: ${architecture.name} cluster`,
    children: [{ kind: "cluster", id: "region", label: `Region ${blueprint.region}, VPC ${network.vpc.cidr}`, children: regionChildren }, ...outside],
    edges,
  };
}

// Mermaid ----------------------------------------------------------------------------------------

/** A Mermaid label: quoted, quotes and angle brackets as entity codes, lines joined with <br/>. */
function mermaidLabel(lines: readonly string[]): string {
  const escape = (line: string) => line.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
  return `"${lines.map(escape).join("<br/>")}"`;
}

const MERMAID_ARROWS: Record<EdgeStyle, string> = { link: "---", path: "<-->", absent: "-.-", flow: "-->" };

export function renderMermaid(graph: DiagramGraph): string {
  const out = ["flowchart LR"];
  const emit = (item: DiagramNode | DiagramCluster, depth: number) => {
    const pad = "  ".repeat(depth);
    if (item.kind === "node") {
      out.push(`${pad}${item.id}[${mermaidLabel(item.label)}]`);
      return;
    }
    out.push(`${pad}subgraph ${item.id}[${mermaidLabel([item.label])}]`);
    for (const child of item.children) emit(child, depth + 1);
    out.push(`${pad}end`);
  };
  for (const item of graph.children) emit(item, 1);
  for (const edge of graph.edges) {
    const label = edge.label ? `|${mermaidLabel(edge.label)}|` : "";
    out.push(`  ${edge.from} ${MERMAID_ARROWS[edge.style]}${label} ${edge.to}`);
  }
  return `${out.join("\n")}\n`;
}

// DOT --------------------------------------------------------------------------------------------

function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((line) => line.replace(/\\/g, "\\\\").replace(/"/g, '\\"')).join("\\n")}"`;
}

const DOT_EDGE: Record<EdgeStyle, string> = { link: "dir=none", path: "dir=both", absent: "dir=none, style=dashed", flow: "" };

export function renderDot(graph: DiagramGraph): string {
  const out = ["digraph blueprint {", "  rankdir=LR;", "  node [shape=box];"];
  const emit = (item: DiagramNode | DiagramCluster, depth: number) => {
    const pad = "  ".repeat(depth);
    if (item.kind === "node") {
      out.push(`${pad}${item.id} [label=${dotLabel(item.label)}];`);
      return;
    }
    out.push(`${pad}subgraph cluster_${item.id} {`, `${pad}  label=${dotLabel([item.label])};`);
    for (const child of item.children) emit(child, depth + 1);
    out.push(`${pad}}`);
  };
  for (const item of graph.children) emit(item, 1);
  for (const edge of graph.edges) {
    const attributes = [DOT_EDGE[edge.style], edge.label ? `label=${dotLabel(edge.label)}` : ""].filter((a) => a !== "").join(", ");
    out.push(`  ${edge.from} -> ${edge.to}${attributes ? ` [${attributes}]` : ""};`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

export type DiagramFormat = "mermaid" | "dot";

export function renderDiagram(blueprint: Blueprint, format: DiagramFormat = "mermaid"): string {
  const graph = diagramGraph(blueprint);
  return format === "dot" ? renderDot(graph) : renderMermaid(graph);
}

// Docs -------------------------------------------------------------------------------------------

// The clone's root, from cli/ or from .app/cli/ (the npm scripts' build) alike.
const ROOT = path.dirname(packageFile("package.json"));
export const DIAGRAMS_DIR = path.join(ROOT, "docs", "diagrams");

/** The one-line caption of a blueprint's diagram. */
export function diagramCaption(blueprint: Blueprint, example: string): string {
  const racks = blueprint.outposts.filter((o) => o.formFactor === "rack").length;
  const servers = blueprint.outposts.length - racks;
  const parts = [racks ? `${racks} rack${racks > 1 ? "s" : ""}` : "", servers ? `${servers} server${servers > 1 ? "s" : ""}` : ""].filter((p) => p !== "");
  const what = blueprint.distribution === "eks" ? `${clusterArchitecture(blueprint).name} cluster` : `${blueprint.distribution} network`;
  return `\`examples/${example}\` (${blueprint.name}): ${what} in ${blueprint.region} on ${parts.join(" and ")}, ${blueprint.network.egress} egress.`;
}

/** Every example blueprint, by file name. */
export function exampleFiles(): string[] {
  return readdirSync(path.join(ROOT, "examples"))
    .filter((file) => file.endsWith(".yaml"))
    .sort();
}

/** docs/diagrams: one page per example and an index, by absolute path. */
export function renderDiagramDocs(): Record<string, string> {
  const docs: Record<string, string> = {};
  const index = [
    "# Diagrams of the examples",
    "",
    "Generated by `npm run diagram -- --write-docs` from the network, image, name and cluster-architecture models (cli/diagram-lib.ts); a test fails when one is stale.",
    "",
  ];
  for (const example of exampleFiles()) {
    const blueprint = loadBlueprint(path.join(ROOT, "examples", example));
    const page = example.replace(/\.yaml$/, ".md");
    docs[path.join(DIAGRAMS_DIR, page)] = [`# ${example}`, "", diagramCaption(blueprint, example), "", "```mermaid", renderMermaid(diagramGraph(blueprint)).trimEnd(), "```", ""].join("\n");
    index.push(`- [${example}](${page}): ${diagramCaption(blueprint, example)}`);
  }
  docs[path.join(DIAGRAMS_DIR, "README.md")] = `${index.join("\n")}\n`;
  return docs;
}
