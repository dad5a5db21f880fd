/**
 * `npm run diagram`: the diagram names exactly the blueprint's Outposts, subnets and node groups,
 * draws a path between two Outposts exactly where the network model has one, is the same every run,
 * stays in the Mermaid subset test/helpers/mermaid.ts checks, stays readable at 16 racks, and the
 * committed docs/diagrams are what it writes.
 */
import { execFileSync } from "child_process";
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import {
  Blueprint,
  blueprintSchema,
  clusterArchitecture,
  endpointsEnabled,
  executionModeOf,
  imageReference,
  nameResolution,
  networkModel,
  nodeGroupSizes,
  parseBlueprintText,
  resolveAddonImages,
  validateBlueprint,
} from "../../config";
import { interfaceEndpointServicesOf } from "../../config/endpoints";
import { DIAGRAMS_DIR, diagramGraph, MAX_LISTED_ROUTES, MAX_PAIRWISE_OUTPOSTS, pathAnchor, renderDiagram, renderDiagramDocs, renderDot, renderMermaid } from "../../cli/diagram-lib";
import { withOutposts } from "../helpers/large-blueprints";
import { parseMermaid, ParsedMermaid } from "../helpers/mermaid";
import { EXAMPLES, EXAMPLES_DIR, exampleWith, loadExample, PROJECT_ROOT } from "../helpers/synth";

type Raw = Record<string, any>;

/** Readability limits at 16 racks: label lines, lines of a label, lines of the file, edges per Outpost. */
const MAX_LABEL_LINE = 80;
const MAX_LABEL_LINES = 16;
const MAX_FILE_LINE = 400;
const MAX_EDGES_PER_OUTPOST = 3;

const CIDR = /\b\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}\b/g;

function parsed(blueprint: Blueprint): ParsedMermaid {
  const result = parseMermaid(renderMermaid(diagramGraph(blueprint)));
  expect(result.problems).toEqual([]);
  return result;
}

const labels = (diagram: ParsedMermaid) => [...diagram.nodes, ...diagram.subgraphs].flatMap((node) => node.label);

function blueprintCidrs(blueprint: Blueprint): Set<string> {
  const { network } = blueprint;
  return new Set([
    network.vpc.cidr,
    ...network.regionalSubnets.map((subnet) => subnet.cidr),
    ...network.publicSubnets.map((subnet) => subnet.cidr),
    ...blueprint.outposts.flatMap((outpost) => [outpost.subnet.cidr, ...(outpost.formFactor === "rack" ? outpost.onPremCidrs : [])]),
  ]);
}

/** The Outpost a path anchor stands for, by name. */
function anchorNames(blueprint: Blueprint): Map<string, string> {
  return new Map(blueprint.outposts.map((outpost, i) => [pathAnchor(blueprint, i), outpost.name]));
}

/** Unordered pairs of Outpost names, as sortable keys. */
const pair = (a: string, b: string) => [a, b].sort().join(" ~ ");

/** 16 racks in two AZs, all with direct VPC routing; rack r0 carries five node groups. */
function sixteenRacks(): Blueprint {
  const raw = withOutposts(16);
  raw.outposts = raw.outposts.map((outpost: Raw, i: number) => ({
    ...outpost,
    formFactor: "rack",
    availabilityZone: i % 2 ? "us-west-2b" : "us-west-2a",
    localGatewayRouteTableId: `lgw-rtb-${i.toString(16).padStart(17, "0")}`,
    onPremCidrs: ["192.168.0.0/16"],
  }));
  raw.nodeGroups = raw.outposts.map((outpost: Raw) => ({ name: `${outpost.name}-g`, outpost: outpost.name, instanceType: "m5.large" }));
  for (let g = 1; g < 5; g++) raw.nodeGroups.push({ name: `r0-extra-${g}`, outpost: "r0", instanceType: "c5.xlarge", minSize: 1, maxSize: 2 });
  // A /24 per rack: the VPC CNI holds more addresses per node than a /28 has (config/rules/subnet-capacity.ts).
  raw.outposts.forEach((outpost: Raw, i: number) => (outpost.subnet.cidr = `10.0.${100 + i}.0/24`));
  return validateBlueprint(parseBlueprintText(JSON.stringify(raw), "sixteen.json"), "sixteen.json");
}

/** Schema-valid only: the rules refuse Outposts without a path, but the model (and the diagram) still describe them. */
function schemaOnly(raw: Raw): Blueprint {
  return blueprintSchema.parse(raw);
}

/** The path edges of a diagram: drawn pairs, absent pairs (with their labels), and hubs (mesh nodes) with their members. */
function pathsOf(blueprint: Blueprint, diagram: ParsedMermaid) {
  const names = anchorNames(blueprint);
  const drawn: string[] = [];
  const absent: Record<string, string> = {};
  const hubs: Record<string, string[]> = {};
  for (const edge of diagram.edges) {
    const [from, to] = [names.get(edge.from), names.get(edge.to)];
    if (from && to && edge.arrow === "<-->") drawn.push(pair(from, to));
    else if (from && to && edge.arrow === "-.-") absent[pair(from, to)] = edge.label!.join(" ");
    else if (from && edge.arrow === "<-->" && /^mesh\d+$/.test(edge.to)) (hubs[edge.to] ??= []).push(from);
    else if (from && edge.arrow === "-.-" && edge.to === "nopath") (hubs.nopath ??= []).push(from);
  }
  return { drawn: drawn.sort(), absent, hubs };
}

describe("npm run diagram", () => {
  describe.each(EXAMPLES)("%s", (example) => {
    const blueprint = loadExample(example);
    const diagram = parseMermaid(renderDiagram(blueprint));

    it("is in the Mermaid subset test/helpers/mermaid.ts checks: IDs, quoted labels, balanced subgraphs, known arrows", () => {
      expect(diagram.problems).toEqual([]);
    });

    it("names every Outpost, in its parent AZ, and no other", () => {
      const outposts = diagram.subgraphs.filter((subgraph) => /^Outpost /.test(subgraph.label[0]));
      expect(outposts.map((subgraph) => subgraph.label[0])).toEqual(
        expect.arrayContaining(blueprint.outposts.map((outpost) => `Outpost ${outpost.name} (${outpost.formFactor})`)),
      );
      expect(outposts).toHaveLength(blueprint.outposts.length);
      for (const outpost of outposts) {
        const declared = blueprint.outposts.find((o) => outpost.label[0] === `Outpost ${o.name} (${o.formFactor})`)!;
        const parent = diagram.subgraphs.find((subgraph) => subgraph.id === outpost.within[outpost.within.length - 1])!;
        expect(parent.label).toEqual([declared.availabilityZone]);
        expect(outpost.within[0]).toBe("region");
      }
    });

    it("names every subnet CIDR of the blueprint and no CIDR the blueprint lacks", () => {
      const shown = new Set(labels(diagram).concat(diagram.edges.flatMap((edge) => edge.label ?? [])).flatMap((line) => line.match(CIDR) ?? []));
      const subnets = [...blueprint.network.regionalSubnets, ...blueprint.outposts.map((outpost) => outpost.subnet)].map((subnet) => subnet.cidr);
      expect(subnets.filter((cidr) => !shown.has(cidr))).toEqual([]);
      expect([...shown].filter((cidr) => !blueprintCidrs(blueprint).has(cidr))).toEqual([]);
      // Each Outpost's own subnet sits in its subgraph.
      blueprint.outposts.forEach((outpost, i) => {
        expect(diagram.nodes.find((node) => node.id === `op${i}_subnet`)).toMatchObject({ within: expect.arrayContaining([`op${i}`]), label: [expect.stringContaining(outpost.subnet.cidr)] });
      });
    });

    it("names every node group, with its instance type and sizes, on its Outpost, and no other", () => {
      const groupLines = diagram.nodes.flatMap((node) => node.label.filter((line) => / x \d+-\d+$/.test(line)).map((line) => ({ line, within: node.within })));
      expect(groupLines.map(({ line }) => line.split(":")[0]).sort()).toEqual(blueprint.nodeGroups.map((group) => group.name).sort());
      for (const group of blueprint.nodeGroups) {
        const sizes = nodeGroupSizes(group);
        const shown = groupLines.find(({ line }) => line.startsWith(`${group.name}:`))!;
        expect(shown.line).toBe(`${group.name}: ${group.instanceType} x ${sizes.min}-${sizes.max}`);
        expect(shown.within).toContain(`op${blueprint.outposts.findIndex((outpost) => outpost.name === group.outpost)}`);
      }
    });

    it("draws a path between two Outposts exactly where the network model has one", () => {
      const model = networkModel(blueprint);
      const { drawn, absent } = pathsOf(blueprint, diagram);
      expect(drawn).toEqual(model.outpostPaths.filter((p) => p.reachable).map((p) => pair(p.from, p.to)).sort());
      expect(Object.keys(absent).sort()).toEqual(model.outpostPaths.filter((p) => !p.reachable).map((p) => pair(p.from, p.to)).sort());
    });

    it("gives each rack's local gateway its mode and the model's routes, and each server with an LNI its interface", () => {
      const model = networkModel(blueprint);
      model.sites.forEach((site, i) => {
        const gateway = diagram.nodes.find((node) => node.id === `op${i}_lgw`);
        if (site.formFactor !== "rack") return expect(gateway).toBeUndefined();
        expect(gateway!.within).toContain(`op${i}`);
        expect(gateway!.label[0]).toBe(`local gateway (${site.localGatewayMode})`);
        const routes = model.localGatewayRoutes[site.name];
        const shown = gateway!.label.slice(1).join(" ");
        const expected = routes.length === 0 ? "no routes to it" : routes.length <= MAX_LISTED_ROUTES ? `routes: ${routes.join(", ")}` : `routes: ${routes.length} destinations`;
        expect(shown).toBe(expected);
      });
      blueprint.outposts.forEach((outpost, i) => {
        const lni = diagram.nodes.find((node) => node.id === `op${i}_lni`);
        if (outpost.formFactor === "server" && outpost.lniDeviceIndex !== undefined) expect(lni?.label).toEqual([`local network interface eth${outpost.lniDeviceIndex}`]);
        else expect(lni).toBeUndefined();
      });
    });

    it("shows where every add-on image and every name comes from, as the models say", () => {
      const images = diagram.nodes.filter((node) => node.within.includes("images"));
      // A network-only blueprint installs no add-on and runs no EKS endpoint: neither is drawn.
      const eks = blueprint.distribution === "eks";
      expect(images.length > 0).toBe(eks && resolveAddonImages(blueprint).length > 0);
      for (const resolved of eks ? resolveAddonImages(blueprint) : []) {
        const reference = imageReference(resolved, blueprint.region);
        const registry = reference.slice(0, reference.indexOf("/"));
        expect(images.filter((node) => node.label[0] === `${resolved.origin}: ${registry}` && node.label.includes(reference.slice(registry.length + 1)))).toHaveLength(1);
      }
      const names = diagram.nodes.filter((node) => node.within.includes("names"));
      expect(names.map((node) => node.label.join(" "))).toEqual(
        nameResolution(blueprint)
          .filter((answer) => eks || !answer.name.endsWith(".eks.amazonaws.com"))
          .map((answer) => `${answer.name} connected: ${answer.connected} disconnected: ${answer.disconnected}`),
      );
    });

    it("puts the control plane where the cluster architecture says", () => {
      const onOutpost = clusterArchitecture(blueprint).controlPlaneOnOutpost;
      const regional = diagram.nodes.find((node) => node.id === "cp");
      const local = diagram.nodes.find((node) => node.id === "op0_cp");
      if (onOutpost) {
        expect(regional).toBeUndefined();
        expect(local?.within).toEqual(["region", expect.stringMatching(/^az\d+$/), "op0"]);
      } else {
        expect(local).toBeUndefined();
        expect(regional?.within).toEqual(["region"]);
      }
    });

    it("lists the VPC endpoints the network stack creates in one node, and a NAT gateway per public subnet with NAT egress", () => {
      const endpoints = diagram.nodes.find((node) => node.id === "vpce");
      if (endpointsEnabled(blueprint)) {
        const existing = new Set(blueprint.network.endpoints.existingServices);
        const services = interfaceEndpointServicesOf(blueprint.variant, blueprint.controlPlane.local?.instanceStore, blueprint.network.endpoints.extraServices).filter((s) => !existing.has(s));
        expect(endpoints!.label.slice(1).join(" ").split(", ")).toEqual(services);
      } else {
        expect(endpoints).toBeUndefined();
      }
      const nat = diagram.nodes.filter((node) => /^nat\d+$/.test(node.id));
      expect(nat).toHaveLength(blueprint.network.egress === "nat" ? blueprint.network.publicSubnets.length : 0);
    });

    it("is byte-identical across runs, and DOT declares the same nodes", () => {
      const first = renderDiagram(blueprint);
      expect(renderDiagram(loadExample(example))).toBe(first);
      const dot = renderDot(diagramGraph(blueprint));
      expect(renderDiagram(blueprint, "dot")).toBe(dot);
      const dotNodes = [...dot.matchAll(/^ *([A-Za-z0-9_]+) \[label=/gm)].map((m) => m[1]);
      expect(dotNodes).toEqual(diagram.nodes.map((node) => node.id));
      expect((dot.match(/{/g) ?? []).length).toBe((dot.match(/}/g) ?? []).length);
    });
  });

  it("draws each pair of up to four Outposts, and an absent path with the model's reason", () => {
    const raw = withOutposts(MAX_PAIRWISE_OUTPOSTS);
    const blueprint = schemaOnly(raw);
    const model = networkModel(blueprint);
    const { drawn, absent } = pathsOf(blueprint, parsed(blueprint));
    expect(drawn).toEqual(model.outpostPaths.filter((p) => p.reachable).map((p) => pair(p.from, p.to)).sort());
    const missing = model.outpostPaths.filter((p) => !p.reachable);
    expect(missing.length).toBeGreaterThan(0);
    for (const p of missing) expect(absent[pair(p.from, p.to)]).toBe(`no path: ${p.reason}`);
  });

  it("beyond four Outposts, draws each mesh once and the Outposts without a path apart, as the model says", () => {
    const blueprint = schemaOnly(withOutposts(16));
    const model = networkModel(blueprint);
    const { drawn, absent, hubs } = pathsOf(blueprint, parsed(blueprint));
    expect([drawn, absent]).toEqual([[], {}]);
    const reachable = new Set(model.outpostPaths.filter((p) => p.reachable).map((p) => pair(p.from, p.to)));
    const meshes = Object.entries(hubs).filter(([hub]) => hub !== "nopath");
    // Within a mesh, every pair has a path; every path lies within one mesh.
    for (const [, members] of meshes) for (const a of members) for (const b of members) if (a !== b) expect(reachable.has(pair(a, b))).toBe(true);
    const covered = new Set(meshes.flatMap(([, members]) => members.flatMap((a) => members.filter((b) => b !== a).map((b) => pair(a, b)))));
    expect([...reachable].sort()).toEqual([...covered].sort());
    const withPath = new Set(model.outpostPaths.filter((p) => p.reachable).flatMap((p) => [p.from, p.to]));
    expect(hubs.nopath.sort()).toEqual(model.sites.map((site) => site.name).filter((name) => !withPath.has(name)).sort());
  });

  it("stays readable at 16 racks: short label lines, short labels, one mesh edge per rack, node groups grouped", () => {
    const blueprint = sixteenRacks();
    const text = renderDiagram(blueprint);
    const diagram = parsed(blueprint);
    const long = labels(diagram).concat(diagram.edges.flatMap((edge) => edge.label ?? [])).filter((line) => line.length > MAX_LABEL_LINE);
    expect(long).toEqual([]);
    expect([...diagram.nodes, ...diagram.subgraphs].filter((node) => node.label.length > MAX_LABEL_LINES).map((node) => node.id)).toEqual([]);
    expect(text.split("\n").filter((line) => line.length > MAX_FILE_LINE)).toEqual([]);
    expect(diagram.edges.length).toBeLessThanOrEqual(MAX_EDGES_PER_OUTPOST * blueprint.outposts.length);
    expect(diagram.subgraphs.filter((s) => /^Outpost /.test(s.label[0]))).toHaveLength(16);
    expect(pathsOf(blueprint, diagram).hubs).toEqual({ mesh0: blueprint.outposts.map((outpost) => outpost.name) });
    // r0's five groups share one node; the others keep their own.
    expect(diagram.nodes.find((node) => node.id === "op0_ngs")?.label[0]).toBe("5 node groups");
  });

  it("shows the HCP Terraform workspaces, named and run as the workspaces stack sets them", () => {
    const blueprint = exampleWith("local-cluster.yaml", (raw) => {
      raw.backend = { type: "cloud", organization: "edge-org", workspacePrefix: "edge", project: "edge-platform", workspaces: { agentPoolId: "apool-AbCdEfGh12345678" } };
    });
    const diagram = parsed(blueprint);
    const hcp = diagram.nodes.filter((node) => node.within.includes("hcp"));
    expect(hcp.map((node) => node.label.join(" | "))).toEqual([
      "workspaces stack (deployed first)",
      ...["network", "control-plane", "workers", "addons"].map((stack) => `edge-${stack} | ${stack} stack, ${executionModeOf(blueprint, stack)}`),
    ]);
    expect(hcp.map((node) => node.label[1])).toContain("addons stack, agent");
    expect(parsed(loadExample("local-cluster.yaml")).subgraphs.map((s) => s.id)).not.toContain("hcp");
  });

  it("the CLI prints what the library renders, in either format", () => {
    const run = (...args: string[]) =>
      execFileSync(process.execPath, [path.join(PROJECT_ROOT, ".app/cli/outposts-eks.js"), "diagram", ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, BLUEPRINT_CONFIG: path.join(EXAMPLES_DIR, "extended-servers-lni.yaml") },
        encoding: "utf8",
      });
    const blueprint = loadExample("extended-servers-lni.yaml");
    expect(run()).toBe(renderDiagram(blueprint));
    expect(run("--format", "dot")).toBe(renderDiagram(blueprint, "dot"));
  });

  it("the committed docs/diagrams are what npm run diagram -- --write-docs writes", () => {
    const docs = renderDiagramDocs();
    const stale = Object.entries(docs)
      .filter(([file, content]) => {
        try {
          return readFileSync(file, "utf8") !== content;
        } catch {
          return true;
        }
      })
      .map(([file]) => path.relative(PROJECT_ROOT, file));
    const extra = readdirSync(DIAGRAMS_DIR).filter((file) => !(path.join(DIAGRAMS_DIR, file) in docs));
    expect({ stale, extra, fix: "npm run diagram -- --write-docs" }).toEqual({ stale: [], extra: [], fix: "npm run diagram -- --write-docs" });
    expect(Object.keys(docs).map((file) => path.basename(file)).sort()).toEqual(["README.md", ...EXAMPLES.map((e) => e.replace(/\.yaml$/, ".md"))].sort());
    for (const example of EXAMPLES) {
      const page = docs[path.join(DIAGRAMS_DIR, example.replace(/\.yaml$/, ".md"))];
      const block = page.match(/```mermaid\n([\s\S]*?\n)```\n/)![1];
      expect(block).toBe(renderDiagram(loadExample(example)));
    }
  });
});
