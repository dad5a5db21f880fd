/**
 * The node harness (npm run test:node): every example's node user data, read by cloud-init's own
 * code, and its network and name configuration run by Debian's systemd-networkd and systemd-resolved
 * in network namespaces (scripts/node-harness/run-node.sh), with dnsmasq as the VPC resolver, the
 * site's DNS servers and the DHCP servers. This file turns a blueprint and a node group into that
 * scenario and reads back where every name and packet went.
 */
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import {
  addressInAnyCidr,
  addressPlus,
  Blueprint,
  defaultDhcpDomainName,
  defaultServiceCidr,
  hostOf,
  isIpv4Address,
  lniAddressingOf,
  netmaskOf,
  networkOf,
  outpostOfGroup,
  outpostSites,
  parseCidr,
  siteInterfaceOf,
  vpcResolverAddress,
  KUBELET_RESOLV_CONF,
} from "../../config";
import { PROJECT_ROOT } from "../helpers/synth";

export const HARNESS_DIR = path.join(PROJECT_ROOT, "scripts", "node-harness");
const SYSTEM_PYTHON = "/usr/bin/python3";

export type HarnessLookup = { root: string; reason?: undefined } | { root?: undefined; reason: string };

/** Unpacks what the harness runs (prepare.sh), or says why this machine cannot run it. */
export function prepareHarness(): HarnessLookup {
  if (process.platform !== "linux") return { reason: "needs Linux network namespaces" };
  const run = spawnSync("bash", [path.join(HARNESS_DIR, "prepare.sh")], { encoding: "utf8" });
  if (run.status === 3) return { reason: run.stderr.trim() };
  if (run.status !== 0) throw new Error(`scripts/node-harness/prepare.sh failed (${run.status}): ${run.stderr}`);
  return { root: run.stdout.trim().split("\n").pop()! };
}

// ---------------------------------------------------------------------------------------------
// The user data, as the launch template carries it
// ---------------------------------------------------------------------------------------------

/** What DescribeCluster would give the control-plane stack's outputs, for the harness's cluster. */
export function clusterValues(blueprint: Blueprint): Record<string, string> {
  return {
    cluster_name: blueprint.name,
    cluster_endpoint: `https://0123456789ABCDEF0123456789ABCDEF.gr7.${blueprint.region}.eks.amazonaws.com`,
    cluster_certificate_authority_data: Buffer.from("-----BEGIN CERTIFICATE-----\nharness\n-----END CERTIFICATE-----\n").toString("base64"),
    service_ipv4_cidr: blueprint.controlPlane.serviceIpv4Cidr ?? defaultServiceCidr(blueprint.network.vpc.cidr),
    cluster_id: "0123abcd-4567-89ef-0123-456789abcdef",
  };
}

const REMOTE_OUTPUT = /^data\.terraform_remote_state\.control-plane\.outputs\.([a-z0-9_]+)$/;

/** Terraform's rendering of the user data local: its interpolations of the control plane's outputs, and its escapes. */
export function renderUserData(template: string, values: Record<string, string>): string {
  const value = (expression: string): string => {
    const output = REMOTE_OUTPUT.exec(expression.trim());
    if (output && values[output[1]] !== undefined) return values[output[1]];
    const replace = /^replace\((.+), "\/(.+)\/", "(.*)"\)$/.exec(expression.trim());
    if (replace) return value(replace[1]).replace(new RegExp(replace[2]), replace[3]);
    throw new Error(`the harness cannot render \${${expression}}: give it a value in clusterValues()`);
  };
  return template
    .replace(/(?<![$])\$\{([^}]*)\}/g, (_match, expression: string) => value(expression))
    .replace(/\$\$\{/g, "${")
    .replace(/%%\{/g, "%{");
}

/** The user data locals of the workers stack, by node group name. */
export function userDataByGroup(workers: Record<string, any>, blueprint: Blueprint): Record<string, string> {
  const locals = Object.entries(workers.locals ?? {}) as Array<[string, string]>;
  return Object.fromEntries(
    blueprint.nodeGroups.map((group) => {
      const found = locals.find(([name]) => name.startsWith(`node-group-${group.name}_user-data`));
      if (!found) throw new Error(`no user data local for node group ${group.name}`);
      return [group.name, renderUserData(found[1], clusterValues(blueprint))];
    }),
  );
}

export interface CloudInitPart {
  readonly contentType: string;
  /** The name cloud-init gives the part; shell scripts run in this name's order. */
  readonly filename: string;
  readonly payload: string;
  /** cloud-init's handler for the part; null when cloud-init leaves it alone. */
  readonly handler: string | null;
}

/** The parts of a user data document as cloud-init's own MIME handling hands them on. */
export function cloudInitParts(root: string, userData: string): CloudInitPart[] {
  const dir = mkdtempSync(path.join(tmpdir(), "node-harness-ud-"));
  writeFileSync(path.join(dir, "user-data"), userData);
  const run = spawnSync(SYSTEM_PYTHON, [path.join(HARNESS_DIR, "cloud-init-parts.py"), path.join(dir, "user-data")], {
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: path.join(root, "usr/lib/python3/dist-packages") },
  });
  if (run.status !== 0) throw new Error(`cloud-init could not read the user data: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

// ---------------------------------------------------------------------------------------------
// The scenario: the node's network as AWS and the site give it
// ---------------------------------------------------------------------------------------------

export type Phase = "connected" | "site-down" | "disconnected";

export interface NodeScenario {
  readonly label: string;
  readonly env: Record<string, string>;
  /** Shell scripts, in cloud-init's order, by file name. */
  readonly parts: ReadonlyArray<{ readonly filename: string; readonly script: string }>;
  readonly awsNames: readonly string[];
  readonly onPremNames: readonly string[];
  readonly mirrorHost?: string;
  readonly mirrorAddress?: string;
  readonly siteServers: readonly string[];
  /** The interface the model says carries site traffic: eth0 (the rack subnet, towards the local gateway) or eth1 (the LNI). */
  readonly siteDevice?: "eth0" | "eth1";
  readonly phases: readonly Phase[];
  readonly vpcResolver: string;
  readonly vpcAnswer: string;
  readonly siteAnswer: string;
}

/** Every AWS service name a node needs (ECR api and dkr, STS, EC2, S3, SSM, SQS, EKS) and the cluster endpoint. */
export function awsNamesOf(region: string, endpointHost: string): string[] {
  return ["api.ecr", "111122223333.dkr.ecr", "sts", "ec2", "s3", "ssm", "sqs", "eks"].map((service) => `${service}.${region}.amazonaws.com`).concat(endpointHost);
}

export function scenarioOf(blueprint: Blueprint, groupName: string, parts: readonly CloudInitPart[], label = `${blueprint.name}/${groupName}`): NodeScenario {
  const group = blueprint.nodeGroups.find((candidate) => candidate.name === groupName)!;
  const outpost = outpostOfGroup(blueprint, group);
  const site = outpostSites(blueprint).find((candidate) => candidate.name === outpost.name)!;
  const subnet = parseCidr(outpost.subnet.cidr)!;
  const subnetBase = outpost.subnet.cidr.split("/")[0];
  const vpcBase = blueprint.network.vpc.cidr.split("/")[0];
  const nodeConfig = parts.find((part) => part.contentType === "application/node.eks.aws");
  const endpoint: string = nodeConfig ? parseYaml(nodeConfig.payload).spec.cluster.apiServerEndpoint : clusterValues(blueprint).cluster_endpoint;
  const forwardedByNodes = blueprint.dns.forwarding === "nodes";
  const siteServers = forwardedByNodes ? [...new Set(blueprint.dns.onPremDomains.flatMap((entry) => entry.servers))] : [];
  const onPremCidrs = outpost.formFactor === "rack" ? outpost.onPremCidrs : ((outpost as { onPremCidrs?: string[] }).onPremCidrs ?? []);
  const mirror = blueprint.addons.images.source === "mirror" ? blueprint.addons.images.mirror : undefined;
  const mirrorHost = mirror ? hostOf(mirror.host) : undefined;
  // The mirror lives on the site: at its own address, or at one in the first on-premises network.
  const mirrorAddress = mirrorHost === undefined ? undefined : isIpv4Address(mirrorHost) ? mirrorHost : onPremCidrs[0] ? addressPlus(onPremCidrs[0].split("/")[0], 30 * 256 + 10) : undefined;
  const lni = lniAddressingOf(outpost, group);
  const siteInterface = siteInterfaceOf(site);
  const env: Record<string, string> = {
    // How the AMI configured the interfaces before the user data runs (run-node.sh): the EKS AMI's nodeadm.
    NETWORK_LAYOUT: "nodeadm",
    // The site's DHCP server gives a router (option 3), which Gateway=_dhcp4 routes through.
    LNI_DHCP_ROUTER: "yes",
    REGION: blueprint.region,
    REGION_DOMAIN: defaultDhcpDomainName(blueprint.region),
    PRIMARY_MAC: "02:00:00:00:00:10",
    PRIMARY_ADDRESS: addressPlus(subnetBase, 10),
    PRIMARY_NETMASK: netmaskOf(subnet.prefix),
    PRIMARY_GATEWAY: addressPlus(subnetBase, 1),
    PRIMARY_PREFIX_LENGTH: String(subnet.prefix),
    VPC_RESOLVER: vpcResolverAddress(blueprint.network.vpc.cidr),
    VPC_ANSWER: addressPlus(vpcBase, 99),
    ONPREM_DOMAINS: blueprint.dns.onPremDomains.map((entry) => entry.domain).join(" "),
    SITE_SERVERS: siteServers.join(" "),
    SITE_ANSWER: "192.0.2.99",
    // The site's servers recurse to the internet: asked for an AWS name, they give a public address.
    SITE_PUBLIC_ANSWER: "203.0.113.7",
    MIRROR_HOST: mirrorHost && !isIpv4Address(mirrorHost) ? mirrorHost : "",
    MIRROR_ADDRESS: mirrorAddress ?? "",
    LNI_MODE: lni ? lni.addressing.mode : "none",
    LNI_MAC: "02:00:00:00:01:10",
    LNI_DEVICE_INDEX: String(lni?.deviceIndex ?? ""),
    KUBELET_RESOLV_CONF,
    ROUTE_PROBES: [...siteServers, ...(mirrorAddress ? [mirrorAddress] : [])].join(" "),
    DISCONNECT: blueprint.variant === "local" && (siteServers.length > 0 || mirrorAddress !== undefined) ? "yes" : "no",
  };
  if (lni) {
    // The site network the LNI joins: the static addresses' prefix, or (DHCP) a /24 of the first on-premises network.
    const lniNetwork = networkOf(lni.addressing.mode === "static" ? lni.addressing.addresses[0] : `${addressPlus((onPremCidrs[0] ?? "192.168.0.0/16").split("/")[0], 20 * 256)}/24`);
    const [lniBase, prefixLength] = lniNetwork.split("/");
    env.LNI_PREFIX_LENGTH = prefixLength;
    env.LNI_GATEWAY = lni.addressing.mode === "static" && lni.addressing.gateway ? lni.addressing.gateway : addressPlus(lniBase, 1);
    env.LNI_DHCP_RANGE = `${addressPlus(lniBase, 100)},${addressPlus(lniBase, 150)},${netmaskOf(Number(prefixLength))}`;
    const onLink = [...siteServers, ...(mirrorAddress ? [mirrorAddress] : [])].find((address) => addressInAnyCidr(address, [lniNetwork]));
    if (onLink) throw new Error(`${label}: ${onLink} lies in the LNI's own network ${lniNetwork}; the harness puts the site's servers beyond its gateway`);
  }
  const onPremNames = blueprint.dns.onPremDomains.map((entry) => `node-probe.${entry.domain}`);
  const phases: Phase[] = ["connected", ...(siteServers.length > 0 ? (["site-down"] as const) : []), ...(env.DISCONNECT === "yes" ? (["disconnected"] as const) : [])];
  return {
    label,
    env,
    parts: parts.filter((part) => part.handler === "ShellScriptPartHandler").map((part) => ({ filename: part.filename, script: part.payload })),
    awsNames: awsNamesOf(blueprint.region, new URL(endpoint).hostname),
    onPremNames: forwardedByNodes ? onPremNames : [],
    mirrorHost: env.MIRROR_HOST || undefined,
    mirrorAddress,
    siteServers,
    siteDevice: siteInterface === "primary" ? "eth0" : siteInterface === "lni" ? "eth1" : undefined,
    phases,
    vpcResolver: env.VPC_RESOLVER,
    vpcAnswer: env.VPC_ANSWER,
    siteAnswer: env.SITE_ANSWER,
  };
}

// ---------------------------------------------------------------------------------------------
// Running it, and what it showed
// ---------------------------------------------------------------------------------------------

export interface NodeRun {
  readonly scenario: NodeScenario;
  readonly dir: string;
  /** By phase and name: resolvectl's first line. */
  readonly answers: Readonly<Record<string, string>>;
  /** By phase and name: the servers that saw an A query for it (vpc, site1, site2...). */
  readonly askedOf: Readonly<Record<string, readonly string[]>>;
  /** By address: the device `ip route get` chose. */
  readonly routeDevice: Readonly<Record<string, string>>;
  readonly mirrorReachable: boolean;
  /** User data parts that failed, and a node that did not come up. */
  readonly errors: readonly string[];
  readonly file: (name: string) => string | undefined;
}

export const key = (phase: Phase, name: string) => `${phase} ${name}`;

export function runNode(root: string, scenario: NodeScenario): NodeRun {
  const dir = mkdtempSync(path.join(tmpdir(), "node-harness-"));
  mkdirSync(path.join(dir, "parts"));
  writeFileSync(path.join(dir, "scenario.env"), Object.entries(scenario.env).map(([name, value]) => `${name}=${JSON.stringify(value)}\n`).join(""));
  scenario.parts.forEach((part, i) => writeFileSync(path.join(dir, "parts", `${String(i).padStart(3, "0")}-${part.filename}`), part.script));
  const names: string[] = [];
  for (const phase of scenario.phases) {
    const asked =
      phase === "connected"
        ? [...scenario.awsNames, ...scenario.onPremNames, ...(scenario.mirrorHost ? [scenario.mirrorHost] : [])]
        : phase === "site-down"
          ? scenario.awsNames
          : [...scenario.onPremNames, ...(scenario.mirrorHost ? [scenario.mirrorHost] : [])];
    names.push(...asked.map((name) => `${phase} ${name}`));
  }
  writeFileSync(path.join(dir, "names.txt"), `${names.join("\n")}\n`);
  const run = spawnSync("bash", [path.join(HARNESS_DIR, "run-node.sh"), root, dir], { encoding: "utf8", timeout: 600_000 });
  if (run.status !== 0) throw new Error(`run-node.sh failed for ${scenario.label} (${run.status}): ${run.stderr}`);
  const out = path.join(dir, "out");
  const file = (name: string) => (existsSync(path.join(out, name)) ? readFileSync(path.join(out, name), "utf8") : undefined);
  const rows = (name: string) => (file(name) ?? "").split("\n").filter((line) => line.length > 0).map((line) => line.split("\t"));
  const answers: Record<string, string> = {};
  for (const [phase, name, answer] of rows("answers.tsv")) answers[`${phase} ${name}`] = answer.replace(/\s+/g, " ").trim();
  const askedOf: Record<string, string[]> = {};
  for (const [phase, server, name] of rows("queries.tsv")) {
    const entry = (askedOf[`${phase} ${name}`] ??= []);
    if (!entry.includes(server)) entry.push(server);
  }
  for (const entry of Object.values(askedOf)) entry.sort();
  const routeDevice: Record<string, string> = {};
  for (const [address, route] of rows("route-get.tsv")) routeDevice[address] = / dev (\S+)/.exec(route)?.[1] ?? `none (${route})`;
  const errors = [...(file("errors.txt") ?? "").split("\n").filter(Boolean), ...((file("status") ?? "1").trim() === "0" ? [] : [`the node's setup exited ${file("status")?.trim()}`])];
  return { scenario, dir, answers, askedOf, routeDevice, mirrorReachable: existsSync(path.join(out, "mirror-reachable")), errors, file };
}

/**
 * Where every name and packet went, against where the model says it must go: one line per
 * difference, naming the name, the phase, the servers asked and the answer. Empty when the node is right.
 */
export function routingProblems(run: NodeRun): string[] {
  const { scenario, answers, askedOf } = run;
  const problems: string[] = [...run.errors];
  const seen = (phase: Phase, name: string) => `asked of ${(askedOf[key(phase, name)] ?? []).join(", ") || "no server"}, answered "${answers[key(phase, name)] ?? "(not asked)"}"`;
  const expectName = (phase: Phase, name: string, servers: "vpc" | "site", answer: string) => {
    const asked = askedOf[key(phase, name)] ?? [];
    const wrong = asked.filter((server) => (servers === "vpc" ? server !== "vpc" : server === "vpc"));
    if (asked.length === 0 || wrong.length > 0 || !(answers[key(phase, name)] ?? "").includes(`: ${answer}`)) {
      const where = servers === "vpc" ? `only the VPC resolver (${scenario.vpcResolver}), answering ${answer}` : `only the site's servers (${scenario.siteServers.join(", ")}), answering ${answer}`;
      problems.push(`${phase}: ${name} was ${seen(phase, name)}; it must go to ${where}`);
    }
  };
  const siteAnswerOf = (name: string) => (name === scenario.mirrorHost ? scenario.mirrorAddress! : scenario.siteAnswer);
  for (const phase of scenario.phases) {
    if (phase !== "disconnected") for (const name of scenario.awsNames) expectName(phase, name, "vpc", scenario.vpcAnswer);
    if (phase !== "site-down") for (const name of [...scenario.onPremNames, ...(scenario.mirrorHost ? [scenario.mirrorHost] : [])]) expectName(phase, name, "site", siteAnswerOf(name));
  }
  for (const address of [...scenario.siteServers, ...(scenario.mirrorAddress ? [scenario.mirrorAddress] : [])]) {
    if (run.routeDevice[address] !== scenario.siteDevice) {
      problems.push(`${address} (${address === scenario.mirrorAddress ? "the mirror" : "a site DNS server"}) is routed out of ${run.routeDevice[address]}; the model says ${scenario.siteDevice ?? "no interface reaches it"}`);
    }
  }
  if (scenario.mirrorAddress && !run.mirrorReachable) problems.push(`the mirror's address ${scenario.mirrorAddress} did not answer a ping from the node`);
  const kubeletResolvConf = run.file("kubelet-resolv.conf");
  if (kubeletResolvConf !== undefined && kubeletResolvConf.trim() !== `nameserver ${scenario.vpcResolver}`) {
    problems.push(`the kubelet's resolv.conf is "${kubeletResolvConf.trim()}"; pods must ask the VPC resolver ${scenario.vpcResolver} alone`);
  }
  return problems;
}

/** The files a run wrote under /etc and the state networkd and resolved reported, for a failure's message. */
export function runEvidence(run: NodeRun): string {
  const listing = (sub: string) => {
    const dir = path.join(run.dir, "out", sub);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `--- ${path.join(entry.parentPath, entry.name).slice(dir.length + 1)}\n${readFileSync(path.join(entry.parentPath, entry.name), "utf8")}`);
  };
  return [...listing("etc-systemd-network"), ...listing("etc-resolved.conf.d"), `--- resolvectl status\n${run.file("resolvectl-status.txt") ?? ""}`, `--- routes\n${run.file("routes.txt") ?? ""}`].join("\n");
}
