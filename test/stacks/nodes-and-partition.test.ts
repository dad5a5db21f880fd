/**
 * Issue 11 on synthesized output: Bottlerocket and taints in user data, the one hop-limit decision,
 * no precondition that compares only constants, every ARN in the Region's partition, and the
 * break-glass certificate's expiry output and check block, in JSON and HCL.
 */
import { parse as parseHcl } from "@cdktf/hcl2json";
import { Blueprint, hopLimitWarning, metadataHopLimit, VERSION_SUPPORT, versionSupportMarkdown } from "../../config";
import { endpointWithoutPort, nodeUserData, taintList } from "../../modules/outpost-node-group";
import { ADDONS_OUTPUTS } from "../../stacks";
import { byPath, dataSourcesOf, EKS_EXAMPLES, exampleWith, loadExample, rawExample, resourcesOf, synthBlueprint } from "../helpers/synth";
import { readFileSync } from "fs";
import * as path from "path";
import { validateBlueprint } from "../../config";

type Json = Record<string, any>;

async function stacksOf(blueprint: Blueprint, hcl = false): Promise<Record<string, { json?: Json; text: string }>> {
  const synth = await synthBlueprint(blueprint, { hcl });
  try {
    return Object.fromEntries(synth.stackNames.map((name) => [name, { json: hcl ? undefined : synth.json(name), text: synth.file(name) }]));
  } finally {
    synth.dispose();
  }
}

const cluster = {
  clusterName: "edge",
  endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com:443",
  certificateAuthorityData: "Q0E=",
  serviceIpv4Cidr: "172.20.0.0/16",
  dnsClusterIp: "172.20.0.10",
};
const taints = [
  { key: "dedicated", value: "gpu", effect: "NoSchedule" as const },
  { key: "example.com/drain", value: "", effect: "NoExecute" as const },
];

describe("node user data", () => {
  it("strips the port from a local cluster's endpoint, literal or token", () => {
    expect(endpointWithoutPort("https://10.0.0.5:443")).toBe("https://10.0.0.5");
    expect(endpointWithoutPort("https://example.internal")).toBe("https://example.internal");
  });

  it("renders taints into the kubelet flags of NodeConfig and of AL2's bootstrap.sh", () => {
    expect(taintList(taints)).toBe("dedicated=gpu:NoSchedule,example.com/drain=:NoExecute");
    const al2023 = nodeUserData({ amiFamily: "al2023", cluster, labels: { team: "edge" }, taints });
    expect(al2023).toContain('      - "--node-labels=team=edge"\n      - "--register-with-taints=dedicated=gpu:NoSchedule,example.com/drain=:NoExecute"');
    const al2 = nodeUserData({ amiFamily: "al2", cluster, labels: { team: "edge" }, taints });
    expect(al2).toContain("--kubelet-extra-args '--node-labels=team=edge --register-with-taints=dedicated=gpu:NoSchedule,example.com/drain=:NoExecute'");
  });

  it("writes Bottlerocket TOML settings, not a MIME document", () => {
    const toml = nodeUserData({ amiFamily: "bottlerocket", cluster: { ...cluster, localClusterId: "id-1" }, labels: { team: "edge" }, taints });
    expect(toml).not.toContain("MIME-Version");
    expect(toml).toBe(
      [
        "[settings.kubernetes]",
        'cluster-name = "edge"',
        // Local clusters: no port, as for nodeadm.
        'api-server = "https://ABC.gr7.us-west-2.eks.amazonaws.com"',
        'cluster-certificate = "Q0E="',
        'cluster-dns-ip = "172.20.0.10"',
        "",
        "[settings.kubernetes.node-labels]",
        '"team" = "edge"',
        "",
        "[settings.kubernetes.node-taints]",
        '"dedicated" = ["gpu:NoSchedule"]',
        '"example.com/drain" = [":NoExecute"]',
        "",
      ].join("\n"),
    );
  });

  it("gives a Bottlerocket node group its SSM parameter, TOML user data and data volume", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.nodeGroups[0].instanceType = "m6g.xlarge";
      raw.nodeGroups[0].ami = { family: "bottlerocket", architecture: "arm64" };
      raw.nodeGroups[0].taints = [{ key: "dedicated", value: "edge", effect: "NoSchedule" }];
    });
    const { workers } = await stacksOf(blueprint);
    const parameters = byPath(dataSourcesOf(workers.json!, "aws_ssm_parameter"));
    expect(parameters["node-group-rack-a-general/ami-parameter"].name).toBe("/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_id");
    const [, userData] = Object.entries(workers.json!.locals).find(([name]) => name.startsWith("node-group-rack-a-general_user-data"))! as [string, string];
    expect(userData).toMatch(/^\[settings\.kubernetes\]\ncluster-name = "\$\{data\.terraform_remote_state\.control-plane\.outputs\.cluster_name\}"/);
    expect(userData).toContain('"dedicated" = ["edge:NoSchedule"]');
    const template = byPath(resourcesOf(workers.json!, "aws_launch_template"))["node-group-rack-a-general/launch-template"];
    expect(template.block_device_mappings[0].device_name).toBe("/dev/xvdb");
  });
});

describe("IMDS hop limit", () => {
  it("an explicit hop limit above what a group needs is kept, with a synth warning naming the field", async () => {
    const raised = exampleWith("extended-racks.yaml", (raw) => (raw.nodeGroups[0].metadataHopLimit = 2));
    expect(hopLimitWarning(raised, raised.nodeGroups[0])).toMatch(/^nodeGroups\[0\]\.metadataHopLimit is 2 \(needed: 1\): every pod on node group/);
    expect(hopLimitWarning(raised, raised.nodeGroups[1])).toBeUndefined();
    const local = loadExample("local-cluster.yaml");
    expect(local.nodeGroups.map((group) => hopLimitWarning(local, group))).toEqual(local.nodeGroups.map(() => undefined));
    const synth = await synthBlueprint(raised);
    try {
      const templates = Object.values(resourcesOf(synth.json("workers"), "aws_launch_template")) as Json[];
      expect(templates.map((t) => t.metadata_options.http_put_response_hop_limit).sort()).toEqual([1, 2]);
      const manifest = JSON.parse(readFileSync(path.join(synth.outdir, "manifest.json"), "utf8"));
      const warnings = (manifest.stacks.workers.annotations as Json[]).filter((a) => a.level === "@cdktf/warn").map((a) => a.message);
      expect(warnings).toEqual([hopLimitWarning(raised, raised.nodeGroups[0])]);
    } finally {
      synth.dispose();
    }
  });

  it("is 1 on racks with or without EBS storage and on servers of extended clusters, 2 on the controller group of an EBS-backed local cluster", () => {
    const racks = loadExample("extended-racks.yaml");
    expect(racks.addons.storage.enabled).toBe(true);
    expect(racks.nodeGroups.map((group) => metadataHopLimit(racks, group))).toEqual([1, 1]);
    const noStorage = exampleWith("extended-racks.yaml", (raw) => (raw.addons.storage = { enabled: false }));
    expect(noStorage.nodeGroups.map((group) => metadataHopLimit(noStorage, group))).toEqual([1, 1]);
    const servers = loadExample("extended-servers-lni.yaml");
    expect(servers.nodeGroups.map((group) => metadataHopLimit(servers, group)).every((limit) => limit === 1)).toBe(true);
    const local = loadExample("local-cluster.yaml");
    expect(local.nodeGroups.map((group) => metadataHopLimit(local, group))).toEqual([2]);
  });

  it("is what the launch templates get", async () => {
    const noStorage = exampleWith("extended-racks.yaml", (raw) => (raw.addons.storage = { enabled: false }));
    for (const blueprint of [loadExample("extended-racks.yaml"), noStorage]) {
      const { workers } = await stacksOf(blueprint);
      const templates = Object.values(resourcesOf(workers.json!, "aws_launch_template")) as Json[];
      expect(templates.map((t) => t.metadata_options.http_put_response_hop_limit)).toEqual(templates.map(() => 1));
    }
  });
});

/** `local.<name>` values that hold no interpolation at all, or only of other constant locals. */
function constantLocals(locals: Json): Set<string> {
  const constant = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, value] of Object.entries(locals ?? {})) {
      if (constant.has(name)) continue;
      const text = JSON.stringify(value);
      const references = [...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]);
      const onlyConstants = references.every((reference) =>
        [...reference.matchAll(/\blocal\.([\w-]+)/g)].every((m) => constant.has(m[1])) && !/\b(data|var|self)\.|\b[a-z]+_[a-z0-9_]+\.[\w-]+/.test(reference.replace(/\blocal\.[\w-]+/g, "")),
      );
      if (onlyConstants) {
        constant.add(name);
        changed = true;
      }
    }
  }
  return constant;
}

/** Whether a condition refers to something known only to Terraform: a data source, resource, self, var or a non-constant local. */
function referencesSomething(condition: unknown, stack: Json, constants: Set<string>): boolean {
  const text = typeof condition === "string" ? condition : JSON.stringify(condition);
  const resourceTypes = Object.keys(stack.resource ?? {});
  if (/\b(data|self|var)\./.test(text)) return true;
  if (resourceTypes.some((type) => new RegExp(`\\b${type}\\.[\\w-]+`).test(text))) return true;
  return [...text.matchAll(/\blocal\.([\w-]+)/g)].some((match) => !constants.has(match[1]));
}

describe("preconditions and postconditions", () => {
  it.each(EKS_EXAMPLES)("%s: none compares only constants", async (example) => {
    const stacks = await stacksOf(loadExample(example));
    let seen = 0;
    for (const [name, { json }] of Object.entries(stacks)) {
      const constants = constantLocals(json!.locals);
      const blocks = [
        ...Object.values(json!.resource ?? {}).flatMap((byType: any) => Object.entries(byType)),
        ...Object.values(json!.data ?? {}).flatMap((byType: any) => Object.entries(byType)),
        ...Object.entries(json!.output ?? {}),
      ] as Array<[string, Json]>;
      for (const [id, block] of blocks) {
        const conditions = [...(block.lifecycle?.precondition ?? []), ...(block.lifecycle?.postcondition ?? []), ...(block.precondition ?? [])];
        for (const { condition, error_message: message } of conditions) {
          seen++;
          if (!referencesSomething(condition, json!, constants)) throw new Error(`${name}/${id}: condition ${JSON.stringify(condition)} (${message}) reads nothing Terraform learns`);
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it("the walk itself catches a constant comparison", () => {
    const stack = { locals: { kind: "gp2", derived: "${local.kind}" }, resource: { aws_vpc: {} } };
    const constants = constantLocals(stack.locals);
    expect(referencesSomething('${(local.derived == "gp2")}', stack, constants)).toBe(false);
    expect(referencesSomething('${("gp2" == "gp2")}', stack, constants)).toBe(false);
    expect(referencesSomething("${(aws_vpc.main.cidr_block == \"10.0.0.0/16\")}", stack, constants)).toBe(true);
    expect(referencesSomething("${contains(data.x.y.types, \"m5.large\")}", stack, constants)).toBe(true);
  });
});

/** An example moved to AWS GovCloud (US-West): Region, AZs and every ARN. */
function govCloud(example: string): Blueprint {
  const raw = rawExample(example);
  const text = JSON.stringify(raw).replaceAll(raw.region, "us-gov-west-1").replaceAll("arn:aws:", "arn:aws-us-gov:");
  return validateBlueprint(JSON.parse(text), `govcloud-${example}`);
}

describe("partition", () => {
  it.each(EKS_EXAMPLES)("%s in us-gov-west-1 writes no arn:aws: anywhere", async (example) => {
    const stacks = await stacksOf(govCloud(example));
    for (const [name, { text }] of Object.entries(stacks)) {
      const found = text.match(/.{0,80}arn:aws:.{0,40}/);
      if (found) throw new Error(`${name}: ${found[0]}`);
    }
  });

  it("writes the partition from the Region where it builds an ARN itself", async () => {
    const blueprint = govCloud("extended-servers-lni.yaml");
    const { workers } = await stacksOf(blueprint);
    expect(JSON.stringify(workers.json!.data.aws_iam_policy_document)).toContain("arn:aws-us-gov:ec2:*:*:network-interface/*");
  });
});

describe("break-glass certificate lifetime", () => {
  const blueprint = exampleWith("local-cluster.yaml", (raw) => (raw.addons.breakGlass.validityDays = 200));

  it("asks for the configured lifetime, outputs the certificate's own expiry, and checks it in every plan", async () => {
    const { addons } = await stacksOf(blueprint);
    const json = addons.json!;
    const [csr] = Object.values(resourcesOf(json, "kubernetes_certificate_signing_request_v1")) as Json[];
    expect(csr.spec.expiration_seconds).toBe(200 * 24 * 3600);
    const [certificateId, certificate] = Object.entries(dataSourcesOf(json, "tls_certificate"))[0] as [string, Json];
    expect(certificate.content).toMatch(/^\$\{kubernetes_certificate_signing_request_v1\.[\w-]+\.certificate\}$/);
    const expiry = `data.tls_certificate.${certificateId}.certificates[0].not_after`;
    expect(json.output[ADDONS_OUTPUTS.breakGlassCertificateExpiry.name].value).toBe(`\${${expiry}}`);
    const [check] = Object.values(json.check) as Json[];
    expect(check.assert).toEqual([
      {
        condition: `\${(timecmp(plantimestamp(), timeadd(${expiry}, "-720h")) == -1)}`,
        error_message: expect.stringContaining(`expires at \${${expiry}} (within 30 days)`),
      },
    ]);
  });

  it("renders the check block in HCL too", async () => {
    const { addons } = await stacksOf(blueprint, true);
    const parsed = await parseHcl("addons.tf", addons.text);
    const [[name, [block]]] = Object.entries(parsed.check) as Array<[string, Json[]]>;
    expect(name).toMatch(/^break-glass_expiry-check_/);
    expect(block.assert[0].condition).toMatch(/^\$\{\(timecmp\(plantimestamp\(\), timeadd\(data\.tls_certificate\.[\w-]+\.certificates\[0\]\.not_after, "-720h"\)\) == -1\)\}$/);
  });

  it("outputs an empty expiry without break-glass", async () => {
    const { addons } = await stacksOf(loadExample("extended-racks.yaml"));
    expect(addons.json!.output[ADDONS_OUTPUTS.breakGlassCertificateExpiry.name].value).toBe("");
    expect(addons.json!.check).toBeUndefined();
  });
});

describe("version support table", () => {
  it("is shown in docs/cluster.md as rendered from config/versions.ts", () => {
    const page = readFileSync(path.resolve(__dirname, "../../docs/cluster.md"), "utf8");
    expect(page).toContain(versionSupportMarkdown());
  });

  it("runs every example on a version its architecture offers", () => {
    for (const example of EKS_EXAMPLES) {
      const blueprint = loadExample(example);
      const row = VERSION_SUPPORT[blueprint.variant === "extended" ? "extended" : blueprint.controlPlane.local?.instanceStore ? "local-instance-store" : "local-ebs"];
      expect(row.kubernetesVersions).toContain(blueprint.kubernetesVersion);
    }
  });
});
