/**
 * Issue 31: blueprints that synthesized but an installer's destroy, AWS or the installer would refuse or
 * break. Each case breaks a valid example in one way; the answer names the field path, shows the
 * value and says what would be valid, and nothing is synthesized (validateBlueprint throws first).
 */
import fc from "fast-check";
import { constraintSatisfiable } from "../../config/version-constraints";
import { broken, Case, problemsOf } from "../helpers/problems";
import { rawExample } from "../helpers/synth";


const hypershift = "hypershift-outposts.yaml";
const openshift = "openshift-outposts.yaml";
const racks = "extended-racks.yaml";
const server = "extended-servers-lni.yaml";
const local = "local-cluster.yaml";

export const ISSUE_31_CASES: Case[] = [
  {
    rule: "hypershift: no blueprint tag hypershift's destroy deletes by",
    example: hypershift,
    change: (r) => (r.tags = { "kubernetes.io/cluster/hcp-edge": "owned" }),
    path: "tags.kubernetes.io/cluster/hcp-edge",
    message: /hypershift destroy cluster aws.*deletes resources by.*use another key, or the value shared/,
  },
  {
    rule: "openshift: no openshiftClusterID tag",
    example: openshift,
    change: (r) => (r.tags = { openshiftClusterID: "1b2c3d4e-0000-4000-8000-000000000000" }),
    path: "tags.openshiftClusterID",
    message: /openshift-install destroy cluster/,
  },
  {
    rule: "openshift: no Cluster API owned tag (the installer's third identifier)",
    example: openshift,
    change: (r) => (r.tags = { "sigs.k8s.io/cluster-api-provider-aws/cluster/edge-x7k2p": "owned" }),
    path: "tags.sigs.k8s.io/cluster-api-provider-aws/cluster/edge-x7k2p",
    message: /openshift-install destroy cluster/,
  },
  // --- names and identities that collide (config/identities.ts) ------------------------------------
  {
    rule: "hypershift: a private zone named like HyperShift's own zone",
    example: hypershift,
    change: (r) => (r.dns = { privateHostedZones: [{ name: "hcp-edge.example.com" }] }),
    path: "hypershift.baseDomain",
    message: /\(hcp-edge\.example\.com\) derives the construct ID .* zone-hcp-edge--example--com, which dns\.privateHostedZones\[0\]\.name \(hcp-edge\.example\.com\) derives too/,
  },
  {
    rule: "hypershift: baseDomainPrefix none and a private zone of the base domain",
    example: hypershift,
    change: (r) => ((r.hypershift.baseDomainPrefix = "none"), (r.dns = { privateHostedZones: [{ name: "example.com", zoneId: "Z0123456789ABCDEFGHIJ" }] })),
    path: "hypershift.baseDomainPrefix",
    message: /private hosted zone name on the VPC example\.com.*ConflictingDomainExists/,
  },
  {
    rule: "two zone names that become one construct ID (dots become --)",
    example: racks,
    change: (r) => (r.dns = { ...r.dns, privateHostedZones: [{ name: "a--b.edge.example" }, { name: "a.b.edge.example" }] }),
    path: "dns.privateHostedZones[1].name",
    message: /derives the construct ID .* zone-a--b--edge--example, which dns\.privateHostedZones\[0\]\.name \(a--b\.edge\.example\)/,
  },
  {
    rule: "an adopted zone's association and a created zone named <it>-association",
    example: racks,
    change: (r) => (r.dns = { ...r.dns, privateHostedZones: [{ name: "x.example", zoneId: "Z0123456789ABCDEFGHIJ" }, { name: "x.example-association" }] }),
    path: "dns.privateHostedZones[1].name",
    message: /zone-x--example-association/,
  },
  // --- addresses in subnets, names no resolver answers, settings for nodes that are not ours --------
  {
    rule: "dns: a server address AWS keeps in its subnet (the first four and the last)",
    example: local,
    change: (r) => (r.dns.onPremDomains[0].servers = ["10.10.1.255", "192.168.11.53"]),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is the broadcast address of subnet 10\.10\.1\.0\/24, one of the five addresses AWS keeps/,
  },
  {
    rule: "dns: the VPC router's address of a subnet as a server",
    example: local,
    change: (r) => (r.dns.onPremDomains[0].servers = ["10.10.10.1", "192.168.11.53"]),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is the VPC router of subnet 10\.10\.10\.0\/24/,
  },
  {
    rule: "dns: node-side forwarding with a distribution that builds no nodes",
    example: hypershift,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "corp.example.internal", servers: ["192.168.10.53"] }] }),
    path: "dns.forwarding",
    message: /is nodes, but distribution hypershift builds no nodes: HyperShift's NodePools create them.*use resolverEndpoint/,
  },
  {
    rule: "mirror host under an RFC 6761 special-use name, not forwarded",
    example: server,
    change: (r) => (r.addons.images.mirror.host = "registry.example:5000"),
    path: "addons.images.mirror.host",
    message: /names registry\.example, under example, a special-use name no public resolver answers \(RFC 6761\)/,
  },
  {
    rule: "static LNI gateway outside the LNI's prefix",
    example: server,
    change: (r) => (r.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.10.21/24", "192.168.10.22/24", "192.168.10.23/24"], gateway: "192.168.20.1" }),
    path: "nodeGroups[0].lni.gateway",
    message: /lies outside the LNI's prefix \(192\.168\.10\.0\/24, from lni\.addresses\)/,
  },
  // --- capacity of Outpost subnets (config/rules/subnet-capacity.ts) --------------------------------
  {
    rule: "Outpost subnet with fewer usable addresses than nodes (AWS keeps 5)",
    example: racks,
    change: (r) => ((r.outposts[0].subnet.cidr = "10.0.3.0/28"), (r.nodeGroups[0].maxSize = 12)),
    path: "outposts[0].subnet.cidr",
    message: /has 11 usable addresses \(AWS keeps 5 of each subnet.*\) for 12 addresses \(the 12 nodes/,
  },
  {
    rule: "local cluster: the Outpost subnet holds the control-plane instances beside the nodes",
    example: local,
    change: (r) => ((r.outposts[0].subnet.cidr = "10.10.10.0/28"), (r.nodeGroups[0].maxSize = 9)),
    path: "outposts[0].subnet.cidr",
    message: /has 11 usable addresses .* for 12 addresses \(the 9 nodes .*, the local cluster's 3 control-plane instances\)/,
  },
  {
    rule: "server with LNI: each node's local network interface takes an address of the Outpost subnet",
    example: server,
    change: (r) => ((r.outposts[0].subnet.cidr = "10.20.10.0/28"), (r.nodeGroups[0].maxSize = 6)),
    path: "outposts[0].subnet.cidr",
    message: /has 11 usable addresses .* for 12 addresses \(the 6 nodes .*, each node's local network interface\)/,
  },
  {
    rule: "Outpost subnet smaller than what the VPC CNI holds on its nodes",
    example: racks,
    change: (r) => (r.outposts[0].subnet.cidr = "10.0.3.0/26"),
    path: "outposts[0].subnet.cidr",
    message: /has 59 usable addresses .* but the VPC CNI holds 60 on its nodes before any pod scales \(rack-a-general: 4 × 15.*give a prefix of \/25 or larger/,
  },
  {
    rule: "launch-template user data over EC2's 16 KB, measured on the rendered user data",
    example: racks,
    change: (r) => (r.nodeGroups[0].labels = manyLabels(200)),
    path: "nodeGroups[0]",
    message: /renders \d+ bytes of launch-template user data .* EC2 takes at most 16384 bytes before base64/,
  },
  // --- companion settings (config/companions.ts) ------------------------------------------------------
  {
    rule: "dns.serversReachableFromRegion without forwarding resolverEndpoint",
    example: local,
    change: (r) => (r.dns.serversReachableFromRegion = true),
    path: "dns.serversReachableFromRegion",
    message: /does nothing without dns\.forwarding: resolverEndpoint/,
  },
  // --- version constraints (config/version-constraints.ts) -------------------------------------------
  {
    rule: "backend.requiredVersion that no version satisfies",
    example: racks,
    change: (r) => (r.backend.requiredVersion = ">= 1.11, < 1.5"),
    path: "backend.requiredVersion",
    message: /admits no Terraform version at all/,
  },
];

/** `n` labels of a 40-character key and a 60-character value. */
function manyLabels(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`example.com/${String(i).padStart(28, "k")}`, String(i).padStart(60, "v")]));
}

describe("issue 31 refusal classes", () => {
  it.each(ISSUE_31_CASES.map((c) => [c.rule, c] as const))("%s", (_rule, c) => {
    expect(problemsOf(rawExample(c.example))).toEqual([]);
    const problems = problemsOf(broken(c.example, c.change));
    const problem = problems.find((candidate) => candidate.path === c.path && c.message.test(candidate.message)) ?? problems.find((candidate) => candidate.path === c.path);
    expect({ path: problem?.path, message: problem?.message }).toEqual({ path: c.path, message: expect.stringMatching(c.message) });
  });
});

describe("collisions of derived identities, generated", () => {
  /** A domain label that may hold "--" inside. */
  const label = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
  it("two zone names that differ only in '.' against '--' are refused with both paths, never synthesized", () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 3, maxLength: 4 }), fc.nat(), (labels, at) => {
        const split = 1 + (at % (labels.length - 2));
        const dotted = labels.join(".");
        const dashed = [...labels.slice(0, split - 1), `${labels[split - 1]}--${labels[split]}`, ...labels.slice(split + 1)].join(".");
        const problems = problemsOf(broken(racks, (r) => (r.dns = { ...r.dns, privateHostedZones: [{ name: dashed }, { name: dotted }] })));
        const problem = problems.find((candidate) => candidate.path === "dns.privateHostedZones[1].name");
        expect(problem?.message).toContain("dns.privateHostedZones[0].name");
      }),
      { numRuns: 50 },
    );
  });
});

describe("members of the address and name classes, generated", () => {
  it("any of the five addresses AWS keeps in any of local-cluster's subnets is refused as a DNS server", () => {
    const subnets = ["10.10.1.0/24", "10.10.2.0/24", "10.10.10.0/24"];
    fc.assert(
      fc.property(fc.constantFrom(...subnets), fc.constantFrom(0, 1, 2, 3, 255), (subnet, offset) => {
        const server = subnet.replace(/\.0\/24$/, `.${offset}`);
        const problems = problemsOf(broken(local, (r) => (r.dns.onPremDomains[0].servers = [server, "192.168.11.53"])));
        expect(problems.find((p) => p.path === "dns.onPremDomains[0].servers[0]" && p.message.includes(`of subnet ${subnet}`))).toBeDefined();
      }),
    );
  });

  it("a static LNI gateway outside the addresses' prefix is refused; one inside is not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }), (third, host) => {
        const addresses = ["192.168.10.21/24", "192.168.10.22/24", "192.168.10.23/24"];
        const gateway = `192.168.${third}.${host}`;
        const problems = problemsOf(broken(server, (r) => (r.nodeGroups[0].lni = { mode: "static", addresses, gateway })));
        const refused = problems.some((p) => p.path === "nodeGroups[0].lni.gateway");
        expect(refused).toBe(third !== 10);
      }),
    );
  });

  it("a mirror host under any RFC 6761 special-use domain is refused unless forwarded", () => {
    fc.assert(
      fc.property(fc.constantFrom("test", "localhost", "invalid", "example", "example.com", "example.net", "example.org"), fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.boolean(), (suffix, label, forwarded) => {
        const host = `${label}.${suffix}`;
        const problems = problemsOf(
          broken(server, (r) => {
            r.addons.images.mirror.host = `${host}:5000`;
            if (forwarded) r.dns.onPremDomains[0].domain = host;
          }),
        );
        expect(problems.some((p) => p.path === "addons.images.mirror.host")).toBe(!forwarded);
      }),
    );
  });
});

describe("Outpost subnet capacity, generated", () => {
  it("a subnet is refused exactly when its usable addresses (size less 5) fall below what the nodes hold at rest", () => {
    fc.assert(
      fc.property(fc.integer({ min: 24, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 3 }), (prefix, maxSize, warmEni) => {
        const raw = broken(racks, (r) => {
          r.outposts[0].subnet.cidr = `10.0.3.0/${prefix}`;
          r.nodeGroups[0] = { ...r.nodeGroups[0], minSize: 0, maxSize };
          r.addons.vpcCni.warmEniTarget = warmEni;
        });
        const usable = 2 ** (32 - prefix) - 5;
        const atRest = maxSize * Math.min(4, Math.max(1, warmEni)) * 15; // m5.xlarge: 4 interfaces of 15 addresses
        const refused = problemsOf(raw).some((p) => p.path === "outposts[0].subnet.cidr");
        expect(refused).toBe(maxSize > usable || atRest > usable);
      }),
    );
  });
});

describe("user data size, generated", () => {
  it("labels alone over 16 KB are always refused; far under it never", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 240 }), (n) => {
        const labelBytes = n * 102; // key, '=', value and ',' in --node-labels
        const refused = problemsOf(broken(racks, (r) => (r.nodeGroups[0].labels = manyLabels(n)))).some((p) => p.path === "nodeGroups[0]" && /user data/.test(p.message));
        if (labelBytes > 16384) expect(refused).toBe(true);
        if (labelBytes < 8192) expect(refused).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});

describe("companion settings, generated", () => {
  it("each companion-dependent setting is refused exactly when its forwarding mode is another", () => {
    fc.assert(
      fc.property(fc.constantFrom("nodes", "resolverEndpoint", "dhcpOptions"), fc.constantFrom("serversReachableFromRegion", "serversAnswerAwsNames"), (forwarding, setting) => {
        const raw = broken(local, (r) => ((r.dns.forwarding = forwarding), (r.dns[setting] = true)));
        const refused = problemsOf(raw).some((p) => p.path === `dns.${setting}` && /does nothing without/.test(p.message));
        expect(refused).toBe(forwarding !== (setting === "serversReachableFromRegion" ? "resolverEndpoint" : "dhcpOptions"));
      }),
      { numRuns: 30 },
    );
  });
});

describe("version constraints, generated", () => {
  const version = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 9 }));
  const text = ([a, b, c]: [number, number, number]) => `${a}.${b}.${c}`;
  it(">= a, < b is satisfiable exactly when a < b; >= a alone always", () => {
    fc.assert(
      fc.property(version, version, (low, high) => {
        const below = low[0] !== high[0] ? low[0] < high[0] : low[1] !== high[1] ? low[1] < high[1] : low[2] < high[2];
        expect(constraintSatisfiable(`>= ${text(low)}, < ${text(high)}`)).toBe(below);
        expect(constraintSatisfiable(`>= ${text(low)}`)).toBe(true);
      }),
    );
  });
  it("~> x.y admits x.y and refuses a lower bound above the next major", () => {
    fc.assert(
      fc.property(version, ([a, b]) => {
        expect(constraintSatisfiable(`~> ${a}.${b}`)).toBe(true);
        expect(constraintSatisfiable(`~> ${a}.${b}, >= ${a + 1}.0.0`)).toBe(false);
      }),
    );
  });
});
