/**
 * Nodes proven by running their configuration (npm run test:node; not part of npm test). For every
 * example and node group: the user data as cloud-init's own MIME handling reads it, the NodeConfig
 * as nodeadm's schema takes it, and the network and name configuration run by Debian's
 * systemd-networkd and systemd-resolved (systemd 252, as on AL2023) in network namespaces, with
 * dnsmasq answering as the VPC resolver, the site's DNS servers and the DHCP servers. Where this
 * machine cannot (no root, no namespaces, no Debian packages), the suite says why it skipped.
 */
import { execFileSync } from "child_process";
import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { Blueprint } from "../../config";
import { EKS_EXAMPLES, exampleWith, loadExample, synthBlueprint } from "../helpers/synth";
import { CloudInitPart, cloudInitParts, NodeRun, NodeScenario, prepareHarness, routingProblems, runEvidence, runNode, scenarioOf, userDataByGroup } from "./harness";
import { nodeConfigProblems } from "./nodeadm";

const lookup = prepareHarness();
if (!lookup.root) console.warn(`node harness skipped: ${lookup.reason}`);
const withHarness = lookup.root ? describe : describe.skip;
const NODE_TIMEOUT = 300_000;

/** Every EKS example, and the LNI example with static addresses (no shipped example has them). */
const CASES: Array<{ label: string; blueprint: () => Blueprint }> = [
  ...EKS_EXAMPLES.map((file) => ({ label: file, blueprint: () => loadExample(file) })),
  {
    label: "extended-servers-lni.yaml with lni.mode static",
    blueprint: () =>
      exampleWith("extended-servers-lni.yaml", (raw) => {
        raw.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.20.21/24", "192.168.20.22/24"], gateway: "192.168.20.1" };
      }),
  },
];

/** The machine's resolver configuration, which installing systemd-resolved would replace: the harness must leave it. */
const resolvConfBefore = existsSync("/etc/resolv.conf") ? readFileSync("/etc/resolv.conf", "utf8") : undefined;

const timings: string[] = [];
const scenarios: NodeScenario[] = [];
const started = Date.now();

/** One node group's run, timed for the harness's report. */
function timedRun(root: string, scenario: NodeScenario): NodeRun {
  const start = Date.now();
  const run = runNode(root, scenario);
  timings.push(`${scenario.label}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return run;
}

withHarness("nodes, run in network namespaces", () => {
  afterAll(() => {
    console.log([`node harness: ${timings.length} node(s) run in ${((Date.now() - started) / 1000).toFixed(1)} s`, ...timings.map((line) => `  ${line}`)].join("\n"));
  });

  /** What the user data parts printed, all parts together. */
  const partLogs = (run: NodeRun) =>
    readdirSync(path.join(run.dir, "out"))
      .filter((name) => name.startsWith("part-"))
      .map((name) => run.file(name) ?? "")
      .join("\n");

  describe.each(CASES)("$label", ({ label, blueprint: load }) => {
    const blueprint = load();
    const userData: Record<string, string> = {};
    const parts: Record<string, CloudInitPart[]> = {};
    beforeAll(async () => {
      const synth = await synthBlueprint(blueprint);
      Object.assign(userData, userDataByGroup(synth.json("workers"), blueprint));
      for (const group of blueprint.nodeGroups) {
        if (group.ami.family !== "bottlerocket") parts[group.name] = cloudInitParts(lookup.root!, userData[group.name]);
      }
    });

    const mimeGroups = blueprint.nodeGroups.filter((group) => group.ami.family !== "bottlerocket").map((group) => group.name);
    it.each(mimeGroups)("%s: cloud-init takes every part, nodeadm takes the NodeConfig", (group) => {
      const found = parts[group];
      expect(found.length).toBeGreaterThan(0);
      // A part no cloud-init handler takes is skipped at boot; nodeadm alone reads its own media type.
      const skipped = found.filter((part) => part.handler === null && part.contentType !== "application/node.eks.aws");
      expect(skipped.map((part) => `${part.filename}: ${part.contentType}`)).toEqual([]);
      for (const script of found.filter((part) => part.handler === "ShellScriptPartHandler")) expect(script.payload.startsWith("#!/bin/bash\n")).toBe(true);
      const family = blueprint.nodeGroups.find((candidate) => candidate.name === group)!.ami.family;
      const nodeConfigs = found.filter((part) => part.contentType === "application/node.eks.aws");
      expect(nodeConfigs).toHaveLength(family === "al2023" ? 1 : 0);
      for (const nodeConfig of nodeConfigs) expect(nodeConfigProblems(nodeConfig.payload)).toEqual([]);
    });

    it.each(mimeGroups)(
      "%s: names go where the model says, and packets too",
      (group) => {
        const scenario = scenarioOf(blueprint, group, parts[group], `${label}/${group}`);
        scenarios.push(scenario);
        const run = timedRun(lookup.root!, scenario);
        const problems = routingProblems(run);
        if (problems.length > 0) console.log(`${scenario.label}:\n${runEvidence(run)}`);
        expect(problems).toEqual([]);
        // The scripts' own checks (the LNI's site route, the primary's ~.) found nothing to complain of.
        expect(partLogs(run).match(/outposts-eks: ERROR.*/g) ?? []).toEqual([]);
      },
      NODE_TIMEOUT,
    );
  });

  it(
    "a broken drop-in (the site's servers as global DNS= without the primary's ~.) fails, and says which name went where",
    async () => {
      const blueprint = loadExample("local-cluster.yaml");
      const group = blueprint.nodeGroups[0].name;
      const synth = await synthBlueprint(blueprint);
      const parts = cloudInitParts(lookup.root!, userDataByGroup(synth.json("workers"), blueprint)[group]);
      const scenario = scenarioOf(blueprint, group, parts, "local-cluster.yaml, global DNS= alone");
      const broken: NodeScenario = {
        ...scenario,
        parts: [
          ...scenario.parts,
          {
            filename: "zz-broken",
            script: "#!/bin/bash\nset -euo pipefail\nrm /etc/systemd/network/70-*.network.d/outposts-eks-dns.conf\nnetworkctl reload\nsystemctl restart systemd-resolved\n",
          },
        ],
      };
      const problems = routingProblems(timedRun(lookup.root!, broken));
      const region = blueprint.region;
      expect(problems).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^connected: api\\.ecr\\.${region}\\.amazonaws\\.com was asked of (site\\d, )?(site\\d, )?vpc, answered .*; it must go to only the VPC resolver`))]),
      );
      // Every AWS name the node needs was asked of a site server too.
      expect(problems.filter((problem) => /^connected: .*amazonaws\.com was asked of site\d/.test(problem))).toHaveLength(scenario.awsNames.length);
    },
    NODE_TIMEOUT,
  );

  it(
    "an LNI without its routes (the DHCP-mode file before this issue) sends the site's servers and mirror out of eth0, and says so",
    async () => {
      const blueprint = loadExample("extended-servers-lni.yaml");
      const group = blueprint.nodeGroups[0].name;
      const synth = await synthBlueprint(blueprint);
      const parts = cloudInitParts(lookup.root!, userDataByGroup(synth.json("workers"), blueprint)[group]);
      const scenario = scenarioOf(blueprint, group, parts, "extended-servers-lni.yaml, LNI without routes");
      const unrouted: NodeScenario = {
        ...scenario,
        parts: [
          ...scenario.parts,
          {
            filename: "zz-unrouted",
            script: "#!/bin/bash\nset -euo pipefail\nsed -i '/^\\[Route\\]/,$d' /etc/systemd/network/60-outposts-lni.network\nnetworkctl reload\nnetworkctl reconfigure eth1\n",
          },
        ],
      };
      const problems = routingProblems(timedRun(lookup.root!, unrouted));
      expect(problems).toEqual(
        expect.arrayContaining([
          ...scenario.siteServers.map((server) => `${server} (a site DNS server) is routed out of eth0; the model says eth1`),
          `${scenario.mirrorAddress} (the mirror) is routed out of eth0; the model says eth1`,
          expect.stringMatching(/^connected: node-probe\.site\.example\.internal was asked of no server/),
        ]),
      );
    },
    NODE_TIMEOUT,
  );

  /** The first node group of an example, as the harness would run it, before any change. */
  async function firstGroupScenario(example: string, label: string): Promise<NodeScenario> {
    const blueprint = loadExample(example);
    const group = blueprint.nodeGroups[0].name;
    const synth = await synthBlueprint(blueprint);
    const parts = cloudInitParts(lookup.root!, userDataByGroup(synth.json("workers"), blueprint)[group]);
    return scenarioOf(blueprint, group, parts, label);
  }
  it(
    "the drop-in at the old path (70-<iface>.network.d, which no file on the EKS AMI matches) fails loudly, and AWS names reach the site's servers",
    async () => {
      const scenario = await firstGroupScenario("local-cluster.yaml", "local-cluster.yaml, drop-in at 70-<iface>.network.d");
      const fixedPath = 'DROPIN_DIR="/etc/systemd/network/$(basename "$NETWORK_FILE").d"';
      expect(scenario.parts.filter((part) => part.script.includes(fixedPath))).toHaveLength(1);
      const oldPath: NodeScenario = {
        ...scenario,
        parts: scenario.parts.map((part) => ({ ...part, script: part.script.replace(fixedPath, 'DROPIN_DIR="/etc/systemd/network/70-$PRIMARY.network.d"') })),
      };
      const run = timedRun(lookup.root!, oldPath);
      const problems = routingProblems(run);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^user data part .* failed: .*the routing domain ~\. is not on eth0 after the reload/)]));
      expect(problems.filter((problem) => /^connected: .*amazonaws\.com was asked of site\d/.test(problem))).toHaveLength(scenario.awsNames.length);
    },
    NODE_TIMEOUT,
  );

  it(
    "on the EKS AMI the drop-in extends nodeadm's 70-eks-<iface>.network, and the reload's lost lease is waited out",
    async () => {
      const scenario = await firstGroupScenario("local-cluster.yaml", "local-cluster.yaml, nodeadm's layout");
      const run = timedRun(lookup.root!, scenario);
      expect(routingProblems(run)).toEqual([]);
      expect(run.file("etc-systemd-network/70-eks-eth0.network.d/outposts-eks-dns.conf")).toBe("[Network]\nDomains=~.\n");
      expect(run.file("networkctl-eth0.txt")).toMatch(/Network File: \/run\/systemd\/network\/70-eks-eth0\.network/);
    },
    NODE_TIMEOUT,
  );

  it.each([
    ["ec2-default", "80-ec2.network"],
    ["ec2-net-utils", "70-eth0.network"],
  ])(
    "on the %s layout the drop-in extends %s, the file networkd applied",
    async (layout, networkFile) => {
      const scenario = await firstGroupScenario("local-cluster.yaml", `local-cluster.yaml, ${layout} layout`);
      const run = timedRun(lookup.root!, { ...scenario, env: { ...scenario.env, NETWORK_LAYOUT: layout } });
      expect(routingProblems(run)).toEqual([]);
      expect(run.file(`etc-systemd-network/${networkFile}.d/outposts-eks-dns.conf`)).toBe("[Network]\nDomains=~.\n");
    },
    NODE_TIMEOUT,
  );

  it(
    "an LNI whose site DHCP server gives no router: the script says why the site networks leave by eth0",
    async () => {
      const scenario = await firstGroupScenario("extended-servers-lni.yaml", "extended-servers-lni.yaml, site DHCP without a router");
      const run = timedRun(lookup.root!, { ...scenario, env: { ...scenario.env, LNI_DHCP_ROUTER: "no" } });
      expect(partLogs(run)).toMatch(/outposts-eks: ERROR: \S+ \(\S+\) is routed out of dev eth0, not by the LNI eth1: does the site's DHCP server give a router \(option 3\)\?/);
      expect(routingProblems(run)).toEqual(expect.arrayContaining([`${scenario.mirrorAddress} (the mirror) is routed out of eth0; the model says eth1`]));
    },
    NODE_TIMEOUT,
  );

  it("exercised on-premises domains, a mirror, an LNI by DHCP and by static address, and a local cluster's disconnect", () => {
    expect(scenarios.some((scenario) => scenario.onPremNames.length > 0)).toBe(true);
    expect(scenarios.some((scenario) => scenario.mirrorHost !== undefined)).toBe(true);
    expect(scenarios.map((scenario) => scenario.env.LNI_MODE)).toEqual(expect.arrayContaining(["dhcp", "static"]));
    expect(scenarios.some((scenario) => scenario.phases.includes("disconnected"))).toBe(true);
  });

  it("left the machine as it was: /etc/resolv.conf, and no namespace behind", () => {
    expect(existsSync("/etc/resolv.conf") ? readFileSync("/etc/resolv.conf", "utf8") : undefined).toBe(resolvConfBefore);
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).split("\n").filter((line) => line.startsWith("nh-"))).toEqual([]);
  });
});

describe("nodeadm's reading of a NodeConfig (the schema from awslabs/amazon-eks-ami)", () => {
  const valid = [
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  cluster:",
    "    name: edge",
    "    apiServerEndpoint: https://example.eks.amazonaws.com",
    "    certificateAuthority: Y2E=",
    "    cidr: 172.20.0.0/16",
    "  kubelet:",
    "    config:",
    "      resolvConf: /etc/eks/kubelet-resolv.conf",
    "",
  ].join("\n");

  it("takes a complete NodeConfig", () => {
    expect(nodeConfigProblems(valid)).toEqual([]);
  });

  it("refuses what nodeadm would refuse or drop: a missing id on an Outpost, an unknown field, a wrong type", () => {
    expect(nodeConfigProblems(valid.replace("    cidr: 172.20.0.0/16", "    cidr: 172.20.0.0/16\n    enableOutpost: true"))).toEqual(["spec.cluster.id: missing while enableOutpost is true, which nodeadm refuses"]);
    expect(nodeConfigProblems(valid.replace("    cidr:", "    clusterCidr:"))).toEqual(["NodeConfig.spec.cluster.clusterCidr: unknown to nodeadm, which would drop it", "spec.cluster.cidr: missing, which nodeadm refuses"]);
    expect(nodeConfigProblems(`${valid}  instance:\n    localStorage:\n      strategy: RAID5\n`)).toEqual(['NodeConfig.spec.instance.localStorage.strategy: "RAID5" is none of RAID0, RAID10, Mount']);
    expect(nodeConfigProblems(valid.replace("certificateAuthority: Y2E=", "certificateAuthority: not base64!"))).toEqual(["NodeConfig.spec.cluster.certificateAuthority: is not base64 (format byte)"]);
  });
});
