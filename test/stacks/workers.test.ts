import { parse as parseYaml } from "yaml";
import { Blueprint, clusterArchitectureOf } from "../../config";
import { NODE_MANAGED_POLICIES } from "../../modules/node-role";
import { CNI_NO_MANAGE_TAG, MIME_BOUNDARY, NTH_MANAGED_TAG } from "../../modules/outpost-node-group";
import { NODE_TERMINATION_HANDLER_ACTIONS } from "../../modules/termination-queue";
import { WORKERS_OUTPUTS } from "../../stacks";
import { byPath, dataSourcesOf, EKS_EXAMPLES, exampleWith, loadExample, only, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;
type NodeGroup = Blueprint["nodeGroups"][number];
type Outpost = Blueprint["outposts"][number];


async function workersOf(blueprint: Blueprint): Promise<Json> {
  const synth = await synthBlueprint(blueprint);
  try {
    return synth.json("workers");
  } finally {
    synth.dispose();
  }
}

const BLUEPRINTS = new Map(EKS_EXAMPLES.map((example) => [example, loadExample(example)]));
const WORKERS_STACKS = new Map<string, Promise<Json>>();

/** The example's workers stack, synthesized once for the whole file. */
function exampleWorkers(example: string): Promise<Json> {
  if (!WORKERS_STACKS.has(example)) WORKERS_STACKS.set(example, workersOf(BLUEPRINTS.get(example)!));
  return WORKERS_STACKS.get(example)!;
}

const outpostOf = (blueprint: Blueprint, group: NodeGroup) => blueprint.outposts.find((o) => o.name === group.outpost)!;

/** The node groups of every example that match, as [example, node group] cases. */
function nodeGroupCases(matches: (outpost: Outpost) => boolean): Array<[string, string]> {
  return EKS_EXAMPLES.flatMap((example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    return blueprint.nodeGroups.filter((group) => matches(outpostOf(blueprint, group))).map((group): [string, string] => [example, group.name]);
  });
}

/** One case's synthesized stack and blueprint, with its node group and that group's Outpost. */
async function nodeGroupCase(example: string, name: string) {
  const blueprint = BLUEPRINTS.get(example)!;
  const group = blueprint.nodeGroups.find((g) => g.name === name)!;
  const stack = await exampleWorkers(example);
  return {
    blueprint,
    group,
    outpost: outpostOf(blueprint, group),
    stack,
    template: byPath(resourcesOf(stack, "aws_launch_template"))[`node-group-${name}/launch-template`],
    asg: byPath(resourcesOf(stack, "aws_autoscaling_group"))[`node-group-${name}/auto-scaling-group`],
  };
}

const hasLni = (outpost: Outpost) => outpost.formFactor === "server" && outpost.lniDeviceIndex !== undefined;
const RACK_GROUPS = nodeGroupCases((outpost) => outpost.formFactor === "rack");
const SERVER_GROUPS = nodeGroupCases((outpost) => outpost.formFactor === "server");
const LNI_GROUPS = nodeGroupCases(hasLni);
const NON_LNI_GROUPS = nodeGroupCases((outpost) => !hasLni(outpost));
const EXTENDED_EXAMPLES = EKS_EXAMPLES.filter((example) => BLUEPRINTS.get(example)!.variant === "extended");
const LOCAL_EXAMPLES = EKS_EXAMPLES.filter((example) => BLUEPRINTS.get(example)!.variant === "local");
const architectureOf = (blueprint: Blueprint) => clusterArchitectureOf(blueprint.variant, blueprint.controlPlane.local?.instanceStore);
const LOCAL_EBS_EXAMPLES = EKS_EXAMPLES.filter((example) => architectureOf(BLUEPRINTS.get(example)!) === "local-ebs");
const INSTANCE_STORE_EXAMPLES = EKS_EXAMPLES.filter((example) => architectureOf(BLUEPRINTS.get(example)!) === "local-instance-store");
const ACCESS_ENTRY_EXAMPLES = [...EXTENDED_EXAMPLES, ...INSTANCE_STORE_EXAMPLES];

/**
 * The groups that run the add-on controllers on an EBS-backed local cluster (no IRSA): those
 * marked, else the first. Written out here, not read from config/derived.ts.
 */
function controllerGroupsOf(blueprint: Blueprint): string[] {
  if (architectureOf(blueprint) !== "local-ebs") return [];
  const marked = blueprint.nodeGroups.filter((group) => group.addonControllers).map((group) => group.name);
  return marked.length > 0 ? marked : [blueprint.nodeGroups[0].name];
}

/**
 * The hop limit each group needs: 2 where node-role controllers run; 2 on an extended cluster's
 * racks with EBS storage (the managed driver's node plugin reads IMDS from the pod network); else 1.
 */
function expectedHopLimit(blueprint: Blueprint, group: NodeGroup): number {
  // Only the add-on controllers of an EBS-backed local cluster reach AWS through the instance profile.
  return controllerGroupsOf(blueprint).includes(group.name) ? 2 : 1;
}

/** The user data as the node will read it: Terraform escapes undone, interpolations as markers. */
function decodeUserData(stack: Json, nodeGroup: string): { parts: Array<{ contentType: string; body: string }>; text: string } {
  const [, local] = Object.entries(stack.locals).find(([name]) => name.startsWith(`node-group-${nodeGroup}_user-data`))!;
  let text = "";
  // Replace each ${...} interpolation with a readable marker, and $${ with a literal ${.
  for (let i = 0; i < (local as string).length; i++) {
    const rest = (local as string).slice(i);
    if (rest.startsWith("$${")) {
      text += "${";
      i += 2;
    } else if (rest.startsWith("${")) {
      const end = rest.indexOf("}");
      text += `<${rest.slice(2, end).replace(/^data\.terraform_remote_state\.[\w-]+\.outputs\./, "")}>`;
      i += end;
    } else text += rest[0];
  }
  const [, body] = text.split(`boundary="${MIME_BOUNDARY}"\n`);
  const parts = body
    .split(`--${MIME_BOUNDARY}`)
    .slice(1, -1)
    .map((chunk) => {
      const [header, ...rest] = chunk.replace(/^\n/, "").split("\n\n");
      return { contentType: header.replace(/^Content-Type: /, ""), body: rest.join("\n\n") };
    });
  return { parts, text };
}

describe("workers case tables", () => {
  it.each([
    ["rack node groups", RACK_GROUPS],
    ["server node groups", SERVER_GROUPS],
    ["server node groups with an LNI", LNI_GROUPS],
    ["node groups without an LNI", NON_LNI_GROUPS],
    ["extended examples", EXTENDED_EXAMPLES],
    ["local examples", LOCAL_EXAMPLES],
    ["EBS-backed local examples", LOCAL_EBS_EXAMPLES],
    ["instance-store local examples", INSTANCE_STORE_EXAMPLES],
  ] as Array<[string, unknown[]]>)("has %s among the examples", (_, cases) => {
    expect(cases.length).toBeGreaterThan(0);
  });
});

describe.each(EKS_EXAMPLES)("workers stack of %s", (example) => {
  const blueprint = BLUEPRINTS.get(example)!;
  let stack: Json;
  let templates: Json;
  let groups: Json;

  beforeAll(async () => {
    stack = await exampleWorkers(example);
    templates = byPath(resourcesOf(stack, "aws_launch_template"));
    groups = byPath(resourcesOf(stack, "aws_autoscaling_group"));
  });

  it("reads the network and control-plane stacks through remote state only", () => {
    expect(Object.keys(stack.data.terraform_remote_state).sort()).toEqual(["control-plane", "network"]);
    expect(stack.data.terraform_remote_state["control-plane"].config).toEqual(
      stack.data.terraform_remote_state.network.backend === "local" ? { path: "../../../terraform-state/control-plane.tfstate" } : expect.anything(),
    );
  });

  it("gives every node group a launch template with the EKS AMI, IMDSv2 and the node security group on eth0", () => {
    for (const group of blueprint.nodeGroups) {
      const template = templates[`node-group-${group.name}/launch-template`];
      expect(template).toMatchObject({
        name: `${blueprint.name}-${group.name}`,
        instance_type: group.instanceType,
        update_default_version: true,
        metadata_options: {
          http_endpoint: "enabled",
          http_tokens: "required",
          http_put_response_hop_limit: expectedHopLimit(blueprint, group),
        },
      });
      expect(template.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\.[\w-]+\.insecure_value\}$/);
      expect(template.network_interfaces[0]).toEqual({
        device_index: 0,
        subnet_id: `\${data.terraform_remote_state.network.outputs.outpost_subnet_ids["${group.outpost}"]}`,
        security_groups: [expect.stringMatching(/^\$\{aws_security_group\.node-security-group/)],
        delete_on_termination: "true",
      });
      expect(template.user_data).toMatch(/^\$\{base64encode\(local\.node-group-[\w-]+_user-data_\w+\)\}$/);
    }
    const parameters = Object.values(dataSourcesOf(stack, "aws_ssm_parameter")) as Json[];
    expect(parameters.map((p) => p.name)).toEqual(
      blueprint.nodeGroups.map(() => `/aws/service/eks/optimized-ami/${blueprint.kubernetesVersion}/amazon-linux-2023/x86_64/standard/recommended/image_id`),
    );
  });

  it("writes a nodeadm NodeConfig with the cluster's values, and the Outpost settings on local clusters", () => {
    for (const group of blueprint.nodeGroups) {
      const { parts } = decodeUserData(stack, group.name);
      const nodeConfigPart = parts.find((part) => part.contentType === "application/node.eks.aws")!;
      const nodeConfig = parseYaml(nodeConfigPart.body);
      expect(nodeConfig.apiVersion).toBe("node.eks.aws/v1alpha1");
      expect(nodeConfig.kind).toBe("NodeConfig");
      const expectedCluster: Json = {
        name: "<cluster_name>",
        apiServerEndpoint: "<cluster_endpoint>",
        certificateAuthority: "<cluster_certificate_authority_data>",
        cidr: "<service_ipv4_cidr>",
      };
      if (blueprint.variant === "local") {
        // nodeadm resolves the endpoint's host: any port is stripped (eksctl PRs #8591, #8599). Its
        // kubeconfig passes `id` to `aws eks get-token --cluster-name`: the cluster ID on EBS-backed
        // clusters, the name on instance-store ones (EKS UG: "--cluster-name (not --cluster-id)").
        Object.assign(expectedCluster, {
          apiServerEndpoint: '<replace(data.terraform_remote_state.control-plane.outputs.cluster_endpoint, "/:[0-9]+$/", "")>',
          enableOutpost: true,
          id: architectureOf(blueprint) === "local-ebs" ? "<cluster_id>" : "<cluster_name>",
        });
      }
      expect(nodeConfig.spec.cluster).toEqual(expectedCluster);
      const controllerLabel = controllerGroupsOf(blueprint).includes(group.name) ? ",outposts-eks.io/addon-controllers=true" : "";
      expect(nodeConfig.spec.kubelet.flags).toEqual([
        `--node-labels=outposts-eks.io/outpost=${group.outpost},outposts-eks.io/node-group=${group.name}${controllerLabel}`,
      ]);
    }
  });

  it("gives every node group an ASG with the cluster and NTH tags and the termination hook", () => {
    for (const group of blueprint.nodeGroups) {
      const asg = groups[`node-group-${group.name}/auto-scaling-group`];
      expect(asg).toMatchObject({
        name: `${blueprint.name}-${group.name}`,
        min_size: group.minSize + group.spareNodes,
        max_size: group.maxSize + group.spareNodes,
        desired_capacity: (group.desiredSize ?? group.minSize) + group.spareNodes,
        vpc_zone_identifier: [`\${data.terraform_remote_state.network.outputs.outpost_subnet_ids["${group.outpost}"]}`],
        initial_lifecycle_hook: [
          { name: "node-termination-handler", lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING", default_result: "CONTINUE", heartbeat_timeout: 300 },
        ],
        lifecycle: { ignore_changes: ["desired_capacity"] },
      });
      expect(asg.tag).toEqual(
        expect.arrayContaining([
          { key: `kubernetes.io/cluster/${blueprint.name}`, value: "owned", propagate_at_launch: true },
          { key: NTH_MANAGED_TAG, value: "true", propagate_at_launch: true },
        ]),
      );
      expect(asg.launch_template.version).toMatch(/latest_version\}$/);
    }
  });

  it("checks at plan time that the Outpost offers the type", () => {
    for (const group of blueprint.nodeGroups) {
      const checks = templates[`node-group-${group.name}/launch-template`].lifecycle.precondition;
      expect(checks[0].condition).toMatch(new RegExp(`^\\$\\{contains\\(tolist\\(data\\.aws_outposts_outpost_instance_types\\.[\\w-]+\\.instance_types\\), "${group.instanceType}"\\)\\}$`));
    }
  });

  it("gives nodes a role with the node policies, without the CNI's where aws-node has its own role, and an instance profile", () => {
    const role = Object.values(resourcesOf(stack, "aws_iam_role")).find((r: any) => r.name === `${blueprint.name}-node`) as Json;
    expect(role).toBeDefined();
    const trust = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["node-role/trust"];
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["ec2.amazonaws.com"] }]);
    const attached = (Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")) as Json[]).map((a) => a.policy_arn.replace(/^.*:policy\//, ""));
    // EBS-backed local clusters have no IRSA: there the CNI keeps the node role's policy.
    const expected = NODE_MANAGED_POLICIES.filter((policy) => policy !== "AmazonEKS_CNI_Policy" || architectureOf(blueprint) === "local-ebs");
    expect(attached.sort()).toEqual([...expected].sort());
    expect(Object.values(resourcesOf(stack, "aws_iam_instance_profile"))).toHaveLength(1);
  });

  it("writes every node security-group rule as a CIDR, never a security-group reference", () => {
    const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")) as Json[];
    const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")) as Json[];
    for (const rule of [...ingress, ...egress]) {
      expect(rule.cidr_ipv4).toBeDefined();
      expect(rule.referenced_security_group_id).toBeUndefined();
    }
    for (const outpost of blueprint.outposts) {
      const cidr = `\${data.terraform_remote_state.network.outputs.outpost_subnet_cidrs["${outpost.name}"]}`;
      const fromOutpost = ingress.filter((r) => r.cidr_ipv4 === cidr);
      expect(fromOutpost.map((r) => `${r.ip_protocol}/${r.from_port ?? "*"}`)).toEqual(expect.arrayContaining(["-1/*", "udp/53", "tcp/53"]));
    }
    const controlPlanePorts = ingress.filter((r) => r["//"].metadata.path.includes("/control-plane-")).map((r) => r.from_port);
    const controlPlaneSources = blueprint.variant === "local" ? 1 : blueprint.network.regionalSubnets.length;
    expect(controlPlanePorts.sort()).toEqual(Array.from({ length: controlPlaneSources }, () => [10250, 443, 9443]).flat().sort());
    expect(egress).toEqual([expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" })]);
  });

  it("builds the NTH queue-mode infrastructure: SSE-SQS queue, policy, three EventBridge rules", () => {
    const queue = only(resourcesOf(stack, "aws_sqs_queue"));
    expect(queue).toMatchObject({ name: `${blueprint.name}-nth`, sqs_managed_sse_enabled: true });
    expect(queue.kms_master_key_id).toBeUndefined();
    const policy = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["termination-queue/queue-policy-document"];
    const ruleArns = Object.keys(resourcesOf(stack, "aws_cloudwatch_event_rule")).map((id) => `\${aws_cloudwatch_event_rule.${id}.arn}`);
    expect(policy.statement[0]).toMatchObject({
      actions: ["sqs:SendMessage"],
      principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
      // Only on behalf of the queue's own rules (EventBridge User Guide, Amazon SQS permissions).
      condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: expect.any(Array) }],
    });
    expect(ruleArns).toHaveLength(3);
    expect([...policy.statement[0].condition[0].values].sort()).toEqual(ruleArns.sort());
    const rules = byPath(resourcesOf(stack, "aws_cloudwatch_event_rule"));
    const patterns = Object.fromEntries(Object.entries(rules).map(([path, rule]) => [path.replace("termination-queue/", ""), JSON.parse((rule as Json).event_pattern)]));
    expect(patterns).toEqual({
      "asg-terminate": {
        source: ["aws.autoscaling"],
        "detail-type": ["EC2 Instance-terminate Lifecycle Action"],
        detail: { AutoScalingGroupName: blueprint.nodeGroups.map((g) => `${blueprint.name}-${g.name}`) },
      },
      "state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
      "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"], detail: { service: ["EC2"], eventTypeCategory: ["scheduledChange"] } },
    });
    // EventBridge rule names are at most 64 characters; the longest blueprint name leaves room.
    for (const rule of Object.values(rules) as Json[]) expect(rule.name.length).toBeLessThanOrEqual(64);
    expect(`${"n".repeat(35)}-nth-scheduled-change`.length).toBeLessThanOrEqual(64);
    const targets = Object.values(resourcesOf(stack, "aws_cloudwatch_event_target")) as Json[];
    expect(targets).toHaveLength(3);
    for (const target of targets) expect(target.arn).toMatch(/^\$\{aws_sqs_queue\.[\w-]+\.arn\}$/);
  });

  it("publishes every output of the contract under its fixed name", () => {
    expect(Object.keys(stack.output).sort()).toEqual(Object.values(WORKERS_OUTPUTS).map((o) => o.name).sort());
    expect(Object.keys(stack.output.autoscaling_group_names.value).sort()).toEqual(blueprint.nodeGroups.map((g) => g.name).sort());
    expect(stack.output.nth_queue_url.value).toMatch(/^\$\{aws_sqs_queue\.[\w-]+\.url\}$/);
  });
});


describe.each(RACK_GROUPS)("workers stack of %s, rack node group %s", (example, name) => {
  it("gives the nodes an encrypted gp2 root volume", async () => {
    const { template } = await nodeGroupCase(example, name);
    expect(template.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_size: 50, volume_type: "gp2", encrypted: "true", delete_on_termination: "true" },
      },
    ]);
  });

  it("leaves the volume type to the config rules: a plan-time check of a constant could never fail", async () => {
    const { template } = await nodeGroupCase(example, name);
    // The Outpost offers the type, and the type runs the AMI's architecture; nothing on the volume.
    expect(template.lifecycle.precondition.map((check: Json) => check.error_message)).toEqual([
      expect.stringContaining("the Outpost does not offer"),
      expect.stringContaining("does not run x86_64 AMIs"),
    ]);
  });

  it("puts the ASG in the Outpost's host-spread placement group", async () => {
    const { asg, group, stack } = await nodeGroupCase(example, name);
    expect(asg.placement_group).toMatch(new RegExp(`^\\$\\{aws_placement_group\\.placement-${group.outpost}_`));
    const placements = byPath(resourcesOf(stack, "aws_placement_group"));
    expect(placements[`placement-${group.outpost}/placement-group`]).toMatchObject({ strategy: "spread", spread_level: "host" });
  });
});

describe.each(SERVER_GROUPS)("workers stack of %s, server node group %s", (example, name) => {
  it("gives the nodes no EBS at all", async () => {
    const { template } = await nodeGroupCase(example, name);
    expect(template.block_device_mappings).toBeUndefined();
  });

  it("checks at plan time that the AMI has exactly one EBS snapshot", async () => {
    const { group, stack, template } = await nodeGroupCase(example, name);
    const snapshotCheck = template.lifecycle.precondition.find((check: Json) => check.error_message.includes("exactly one EBS snapshot"));
    expect(snapshotCheck.condition).toMatch(/^\$\{\(length\(local\.[\w-]+_ami-snapshots_\w+\) == 1\)\}$/);
    const [, snapshots] = Object.entries(stack.locals).find(([localName]) => localName.startsWith(`node-group-${group.name}_ami-snapshots`))!;
    expect(snapshots).toMatch(/^\$\{\[for mapping in data\.aws_ami\.[\w-]+\.block_device_mappings : mapping\.ebs\.snapshot_id if try/);
  });

  it("puts the ASG in no placement group", async () => {
    const { asg } = await nodeGroupCase(example, name);
    // A server is one host: a spread group would hold one node.
    expect(asg.placement_group).toBeUndefined();
  });
});

describe("workers LNI", () => {
  it.each(LNI_GROUPS)("adds an LNI at the subnet's device index on a server with LNI: %s, node group %s", async (example, name) => {
    const { group, outpost, stack, template } = await nodeGroupCase(example, name);
    const interfaces = template.network_interfaces;
    expect(interfaces).toHaveLength(2);
    expect(interfaces[1]).toEqual({
      device_index: (outpost as Extract<Outpost, { formFactor: "server" }>).lniDeviceIndex,
      subnet_id: `\${data.terraform_remote_state.network.outputs.outpost_subnet_ids["${group.outpost}"]}`,
      delete_on_termination: "true",
    });
    const { parts } = decodeUserData(stack, group.name);
    expect(parts[0].contentType).toBe('text/x-shellscript; charset="us-ascii"');
    expect(parts[0].body).toContain(`Key=${CNI_NO_MANAGE_TAG},Value=true`);
    expect(parts[0].body).toContain('device-number")" = "1"');
    expect(parts[0].body).toContain("DHCP=ipv4");
    // The site network gives the address only: the VPC resolver keeps answering endpoint names.
    expect(parts[0].body).toContain("UseDNS=false");
    expect(parts[0].body).toContain("UseRoutes=false");
    expect(parts[0].body).toContain('networkctl reload && networkctl reconfigure "$DEVICE"');
    expect(parts[0].body).not.toContain("systemctl restart");
  });

  it.each(NON_LNI_GROUPS)("adds no LNI on racks and servers without LNI: %s, node group %s", async (example, name) => {
    const { group, stack, template } = await nodeGroupCase(example, name);
    expect(template.network_interfaces).toHaveLength(1);
    expect(decodeUserData(stack, group.name).text).not.toContain(CNI_NO_MANAGE_TAG);
  });
});

describe("workers node join", () => {
  it.each(ACCESS_ENTRY_EXAMPLES)("lets nodes of %s (extended or instance-store) join through an EC2_LINUX access entry", async (example) => {
    const stack = await exampleWorkers(example);
    const entries = Object.values(resourcesOf(stack, "aws_eks_access_entry")) as Json[];
    const configMaps = Object.values(resourcesOf(stack, "kubernetes_config_map_v1_data")) as Json[];
    expect(entries).toEqual([expect.objectContaining({ type: "EC2_LINUX", principal_arn: expect.stringMatching(/^\$\{aws_iam_role\.node-role_/) })]);
    expect(configMaps).toEqual([]);
    expect(stack.provider?.kubernetes).toBeUndefined();
  });

  it.each(LOCAL_EBS_EXAMPLES)("lets nodes of the EBS-backed local cluster %s join through aws-auth, created when absent, merged when present", async (example) => {
    const stack = await exampleWorkers(example);
    const entries = Object.values(resourcesOf(stack, "aws_eks_access_entry")) as Json[];
    const merged = only(resourcesOf(stack, "kubernetes_config_map_v1_data"));
    const created = only(resourcesOf(stack, "kubernetes_config_map_v1"));
    const current = only(dataSourcesOf(stack, "kubernetes_config_map_v1"));
    expect(entries).toEqual([]);
    for (const configMap of [merged, created, current]) expect(configMap.metadata).toMatchObject({ name: "aws-auth", namespace: "kube-system" });
    expect(created.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "outposts-eks" });
    expect(merged.force).toBe(true);
    // Created only when the lookup found none (or ours); merged into in every run.
    expect(created.count).toMatch(/^\$\{local\.aws-auth_create_\w+ \? 1 : 0\}$/);
    expect(merged.count).toBeUndefined();
    expect(created.data.mapRoles).toBe(merged.data.mapRoles);
    const owned = Object.entries(stack.locals).find(([name]) => name.startsWith("aws-auth_owned-roles"))![1];
    expect(owned).toEqual([
      // Without the role's path: aws-auth's rolearn cannot hold one (EKS UG, aws-auth ConfigMap).
      { rolearn: expect.stringMatching(/^\$\{replace\(aws_iam_role\.node-role_\w+\.arn, "\/:role\/\.\*\/\/", ":role\/"\)\}$/), username: "system:node:{{EC2PrivateDNSName}}", groups: ["system:bootstrappers", "system:nodes"] },
    ]);
    expect(stack.provider.kubernetes[0]).toMatchObject({
      host: "${data.terraform_remote_state.control-plane.outputs.cluster_endpoint}",
      cluster_ca_certificate: "${base64decode(data.terraform_remote_state.control-plane.outputs.cluster_certificate_authority_data)}",
      token: expect.stringMatching(/^\$\{data\.aws_eks_cluster_auth\.[\w-]+\.token\}$/),
    });
  });
});

describe("workers name resolution while disconnected", () => {
  it.each(INSTANCE_STORE_EXAMPLES)("gives the kubelet of %s a resolv.conf of name servers only, written before nodeadm runs", async (example) => {
    const stack = await exampleWorkers(example);
    for (const group of BLUEPRINTS.get(example)!.nodeGroups) {
      const { parts } = decodeUserData(stack, group.name);
      const nodeConfig = parseYaml(parts.find((part) => part.contentType === "application/node.eks.aws")!.body);
      // EKS UG, instance-store local clusters and network disconnects: spec.kubelet.config.resolvConf.
      expect(nodeConfig.spec.kubelet.config).toEqual({ resolvConf: "/etc/eks/kubelet-resolv.conf" });
      const script = parts.findIndex((part) => part.body.includes("> '/etc/eks/kubelet-resolv.conf'"));
      // The VPC resolver alone: the VPC CIDR's base + 2 (the guide's example: nameserver 10.0.0.2).
      const base = BLUEPRINTS.get(example)!.network.vpc.cidr.split("/")[0].split(".").map(Number);
      expect(parts[script].body).toContain(`echo 'nameserver ${base[0]}.${base[1]}.${base[2]}.${base[3] + 2}' > '/etc/eks/kubelet-resolv.conf'`);
      expect(script).toBeLessThan(parts.findIndex((part) => part.contentType === "application/node.eks.aws"));
    }
  });

  const NODE_FORWARDING_EXAMPLES = EKS_EXAMPLES.filter((example) => BLUEPRINTS.get(example)!.dns.forwarding === "nodes" && BLUEPRINTS.get(example)!.dns.onPremDomains.length > 0);

  it("has an example whose nodes forward on-premises domains themselves", () => {
    expect(NODE_FORWARDING_EXAMPLES.length).toBeGreaterThan(0);
  });

  it.each(NODE_FORWARDING_EXAMPLES)("routes %s's on-premises domains to the site's servers from every node, before anything pulls", async (example) => {
    const blueprint = BLUEPRINTS.get(example)!;
    const stack = await exampleWorkers(example);
    for (const group of blueprint.nodeGroups) {
      const { parts } = decodeUserData(stack, group.name);
      const routes = parts.findIndex((part) => part.body.includes("/etc/systemd/resolved.conf.d/outposts-eks-on-premises.conf"));
      expect(parts[routes].body).toContain(`DNS=${[...new Set(blueprint.dns.onPremDomains.flatMap((entry) => entry.servers))].join(" ")}`);
      expect(parts[routes].body).toContain(`Domains=${blueprint.dns.onPremDomains.map((entry) => `~${entry.domain}`).join(" ")}`);
      expect(parts[routes].body).toContain("systemctl restart systemd-resolved");
      expect(routes).toBeLessThan(parts.findIndex((part) => part.contentType === "application/node.eks.aws"));
      // Pods keep the VPC resolver as their upstream.
      const nodeConfig = parseYaml(parts.find((part) => part.contentType === "application/node.eks.aws")!.body);
      expect(nodeConfig.spec.kubelet.config).toEqual({ resolvConf: "/etc/eks/kubelet-resolv.conf" });
    }
  });

  it.each(EXTENDED_EXAMPLES.filter((example) => BLUEPRINTS.get(example)!.dns.onPremDomains.length === 0))("leaves name resolution alone on %s", async (example) => {
    const stack = await exampleWorkers(example);
    for (const group of BLUEPRINTS.get(example)!.nodeGroups) {
      expect(decodeUserData(stack, group.name).text).not.toContain("kubelet-resolv.conf");
      expect(decodeUserData(stack, group.name).text).not.toContain("resolved.conf.d");
    }
  });
});

describe("workers NTH permissions", () => {
  it.each(ACCESS_ENTRY_EXAMPLES)("grants NTH exactly its actions through IRSA on %s (extended or instance-store)", async (example) => {
    const stack = await exampleWorkers(example);
    const documents = byPath(dataSourcesOf(stack, "aws_iam_policy_document"));
    const actions = documents["node-termination-handler-role/permissions"].statement.flatMap((s: Json) => s.actions);
    expect(actions.sort()).toEqual([...NODE_TERMINATION_HANDLER_ACTIONS].sort());
    const trust = documents["node-termination-handler-role/trust"].statement[0];
    expect(trust.principals).toEqual([{ type: "Federated", identifiers: ["${data.terraform_remote_state.control-plane.outputs.oidc_provider_arn}"] }]);
    expect(trust.condition[0]).toEqual({
      test: "StringEquals",
      variable: "${data.terraform_remote_state.control-plane.outputs.oidc_provider_url}:sub",
      values: ["system:serviceaccount:kube-system:aws-node-termination-handler"],
    });
    expect(stack.output.nth_role_arn.value).toMatch(/^\$\{aws_iam_role\.node-termination-handler-role_/);
  });

  it.each(LOCAL_EBS_EXAMPLES)("grants NTH exactly its actions through the node role on the EBS-backed local cluster %s", async (example) => {
    const stack = await exampleWorkers(example);
    const documents = byPath(dataSourcesOf(stack, "aws_iam_policy_document"));
    const actions = documents["node-role/node-termination-handler-document"].statement.flatMap((s: Json) => s.actions);
    expect(actions.sort()).toEqual([...NODE_TERMINATION_HANDLER_ACTIONS].sort());
    expect(stack.output.nth_role_arn.value).toBe("");
  });
});

describe("workers options", () => {
  it("boots a Graviton type with an arm64 AMI when the blueprint names no architecture, checked at plan time", async () => {
    const stack = await workersOf(exampleWith("extended-servers-lni.yaml", (raw) => (raw.nodeGroups[0].instanceType = "c6gd.2xlarge")));
    const parameter = only(dataSourcesOf(stack, "aws_ssm_parameter"));
    expect(parameter.name).toContain("/amazon-linux-2023/arm64/");
    const typeInfo = only(dataSourcesOf(stack, "aws_ec2_instance_type"));
    expect(typeInfo.instance_type).toBe("c6gd.2xlarge");
    const template = only(resourcesOf(stack, "aws_launch_template"));
    expect(template.lifecycle.precondition).toContainEqual({
      condition: `\${contains(data.aws_ec2_instance_type.${typeInfo["//"].metadata.uniqueId}.supported_architectures, "arm64")}`,
      error_message: expect.stringContaining("does not run arm64 AMIs"),
    });
  });

  it("checks an explicit AMI's architecture against the instance type's at plan time", async () => {
    const stack = await workersOf(exampleWith("local-cluster.yaml", (raw) => (raw.nodeGroups[0].ami = { id: "ami-0123456789abcdef0" })));
    const ami = only(dataSourcesOf(stack, "aws_ami"));
    const template = only(resourcesOf(stack, "aws_launch_template"));
    expect(template.lifecycle.precondition).toContainEqual({
      condition: `\${(data.aws_ami.${ami["//"].metadata.uniqueId}.architecture == "x86_64")}`,
      error_message: expect.stringContaining("is not x86_64"),
    });
  });

  it("adds spare nodes to min, desired and max", async () => {
    const stack = await workersOf(exampleWith("local-cluster.yaml", (raw) => (raw.nodeGroups[0].spareNodes = 2)));
    expect(only(resourcesOf(stack, "aws_autoscaling_group"))).toMatchObject({ min_size: 5, desired_capacity: 5, max_size: 8 });
  });

  it("addresses an LNI statically from a list, claiming a free address", async () => {
    const stack = await workersOf(
      exampleWith("extended-servers-lni.yaml", (raw) => {
        raw.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.10.21/24", "192.168.10.22/24"], gateway: "192.168.10.1", routes: ["192.168.0.0/16"] };
      }),
    );
    const { parts } = decodeUserData(stack, "server-1-workers");
    expect(parts[0].body).toContain("for candidate in 192.168.10.21/24 192.168.10.22/24; do");
    expect(parts[0].body).toContain('arping -D -q -c 2 -I "$DEVICE" "${candidate%/*}" || continue');
    expect(parts[0].body).toContain('ip address del "$candidate" dev "$DEVICE"');
    expect(parts[0].body).toContain("printf '\\n[Route]\\nDestination=192.168.0.0/16\\nGateway=192.168.10.1\\n' >> /etc/systemd/network/60-outposts-lni.network");
    // Nodes may tag their LNI, and nothing else.
    const tagging = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["node-role/tag-local-network-interface-document"];
    expect(tagging.statement[0]).toMatchObject({ actions: ["ec2:CreateTags"], resources: ["arn:aws:ec2:*:*:network-interface/*"] });
    expect(tagging.statement[0].condition[0]).toEqual({
      test: "ArnLike",
      variable: "ec2:Subnet",
      values: ['arn:aws:ec2:*:*:subnet/${data.terraform_remote_state.network.outputs.outpost_subnet_ids["server-1"]}'],
    });
  });

  it("joins AL2 nodes with bootstrap.sh, with the Outpost flags on local clusters", async () => {
    const stack = await workersOf(
      exampleWith("local-cluster.yaml", (raw) => {
        raw.kubernetesVersion = "1.32";
        // AL2 runs no systemd-resolved: the site's domains would be forwarded from the VPC instead.
        delete raw.dns;
        raw.nodeGroups[0].ami = { family: "al2" };
      }),
    );
    const { parts } = decodeUserData(stack, "rack-1-workers");
    expect(parts).toHaveLength(1);
    expect(parts[0].body).toContain("/etc/eks/bootstrap.sh '<cluster_name>'");
    expect(parts[0].body).toContain("--enable-local-outpost true");
    expect(parts[0].body).toContain("--cluster-id '<cluster_id>'");
    expect(parts[0].body).toContain("--dns-cluster-ip '<cidrhost(");
    expect((Object.values(dataSourcesOf(stack, "aws_ssm_parameter"))[0] as Json).name).toBe("/aws/service/eks/optimized-ami/1.32/amazon-linux-2/recommended/image_id");
  });

  it("creates no node placement group when asked", async () => {
    const stack = await workersOf(exampleWith("extended-racks.yaml", (raw) => (raw.workers = { placementSpreadLevel: "none" })));
    expect(resourcesOf(stack, "aws_placement_group")).toEqual({});
    for (const asg of Object.values(resourcesOf(stack, "aws_autoscaling_group")) as Json[]) expect(asg.placement_group).toBeUndefined();
  });

  it("uses an explicit AMI, restricted egress, rack-level spread and extra node policies when asked", async () => {
    const stack = await workersOf(
      exampleWith("extended-racks.yaml", (raw) => {
        raw.nodeGroups[0].ami = { id: "ami-0123456789abcdef0" };
        raw.workers = { egressCidrs: ["10.0.0.0/16"], placementSpreadLevel: "rack", extraNodePolicyArns: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"] };
      }),
    );
    expect(byPath(resourcesOf(stack, "aws_launch_template"))["node-group-rack-a-general/launch-template"].image_id).toBe("ami-0123456789abcdef0");
    expect((Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")) as Json[]).map((r) => r.cidr_ipv4)).toEqual(["10.0.0.0/16"]);
    expect((Object.values(resourcesOf(stack, "aws_placement_group")) as Json[]).every((p) => p.spread_level === "rack")).toBe(true);
    expect((Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")) as Json[]).map((a) => a.policy_arn)).toContain(
      "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    );
  });
});
