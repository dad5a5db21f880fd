import { Blueprint, clusterArchitectureOf } from "../../config";
import { CONTROL_PLANE_LOG_TYPES, INSTANCE_STORE_MIN_AWS_PROVIDER } from "../../modules/eks-control-plane";
import { awsProviderConstraint } from "../../modules/shared/newer-provider-arguments";
import { CONTROL_PLANE_OUTPUTS } from "../../stacks";
import { findTerraformToolchain, terraformEvaluate } from "../helpers/terraform";
import { byPath, dataSourcesOf, EKS_EXAMPLES, exampleWith, loadExample, only, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;


async function controlPlaneOf(blueprint: Blueprint): Promise<{ stack: Json; network: Json }> {
  const synth = await synthBlueprint(blueprint);
  try {
    return { stack: synth.json("control-plane"), network: synth.json("network") };
  } finally {
    synth.dispose();
  }
}

const BLUEPRINTS = new Map(EKS_EXAMPLES.map((example) => [example, loadExample(example)]));
const CONTROL_PLANE_STACKS = new Map<string, Promise<{ stack: Json; network: Json }>>();

/** The example's control-plane and network stacks, synthesized once for the whole file. */
function exampleControlPlane(example: string): Promise<{ stack: Json; network: Json }> {
  if (!CONTROL_PLANE_STACKS.has(example)) CONTROL_PLANE_STACKS.set(example, controlPlaneOf(BLUEPRINTS.get(example)!));
  return CONTROL_PLANE_STACKS.get(example)!;
}

/** One example's blueprint, its synthesized stacks and its cluster. */
async function exampleCase(example: string) {
  const { stack, network } = await exampleControlPlane(example);
  return { blueprint: BLUEPRINTS.get(example)!, stack, network, cluster: only(resourcesOf(stack, "aws_eks_cluster")) };
}

const examplesWhere = (matches: (blueprint: Blueprint) => boolean) => EKS_EXAMPLES.filter((example) => matches(BLUEPRINTS.get(example)!));
const EXTENDED_EXAMPLES = examplesWhere((blueprint) => blueprint.variant === "extended");
const architectureOf = (blueprint: Blueprint) => clusterArchitectureOf(blueprint.variant, blueprint.controlPlane.local?.instanceStore);
const LOCAL_EXAMPLES = examplesWhere((blueprint) => blueprint.variant === "local");
const LOCAL_EBS_EXAMPLES = examplesWhere((blueprint) => architectureOf(blueprint) === "local-ebs");
const INSTANCE_STORE_EXAMPLES = examplesWhere((blueprint) => architectureOf(blueprint) === "local-instance-store");
/** What the EKS User Guide asks of each architecture, written out here rather than read from config. */
const EXPECTED_AUTHENTICATION_MODE = { extended: "API_AND_CONFIG_MAP", "local-ebs": "CONFIG_MAP", "local-instance-store": "API_AND_CONFIG_MAP" } as const;
const LOCAL_BACKEND_EXAMPLES = examplesWhere((blueprint) => blueprint.backend.type === "local");
const S3_BACKEND_EXAMPLES = examplesWhere((blueprint) => blueprint.backend.type === "s3");
const ACCESS_ENTRY_EXAMPLES = [...EXTENDED_EXAMPLES, ...INSTANCE_STORE_EXAMPLES];
const ADMIN_EXAMPLES = ACCESS_ENTRY_EXAMPLES.filter((example) => BLUEPRINTS.get(example)!.controlPlane.adminPrincipalArns.length > 0);
const NO_ADMIN_EXAMPLES = ACCESS_ENTRY_EXAMPLES.filter((example) => !ADMIN_EXAMPLES.includes(example));

/** EKS assumes the cluster role only for this cluster (EKS User Guide, cross-service confused deputy prevention). */
function expectTrustScopedToCluster(trust: Json, clusterName: string): void {
  expect(trust.statement[0].condition.map((c: Json) => [c.test, c.variable])).toEqual([
    ["StringEquals", "aws:SourceAccount"],
    ["ArnLike", "aws:SourceArn"],
  ]);
  expect(trust.statement[0].condition[1].values).toEqual([expect.stringMatching(new RegExp(`:eks:.+:cluster/${clusterName}$`))]);
}

/** KMS keys other than the control-plane log group's. */
function secretsKeys(stack: Json): Json[] {
  return Object.entries(byPath(resourcesOf(stack, "aws_kms_key")))
    .filter(([path]) => path !== "cluster/log-group-key")
    .map(([, key]) => key as Json);
}

/** The cluster role's managed-policy attachments (the vpc-cni role has its own). */
function clusterRoleAttachments(stack: Json): Json[] {
  return Object.entries(byPath(resourcesOf(stack, "aws_iam_role_policy_attachment")))
    .filter(([path]) => path.startsWith("cluster/"))
    .map(([, attachment]) => attachment as Json);
}

/** Access entries and associations for named principals: all but the caller's, which has a count. */
function explicitEntries(stack: Json, type: string): Json[] {
  return (Object.values(resourcesOf(stack, type)) as Json[]).filter((block) => block.count === undefined);
}

describe("control-plane case tables", () => {
  it.each([
    ["extended examples", EXTENDED_EXAMPLES],
    ["local examples", LOCAL_EXAMPLES],
    ["EBS-backed local examples", LOCAL_EBS_EXAMPLES],
    ["instance-store local examples", INSTANCE_STORE_EXAMPLES],
    ["examples with a local backend", LOCAL_BACKEND_EXAMPLES],
    ["examples with an S3 backend", S3_BACKEND_EXAMPLES],
    ["examples with access entries and named admins", ADMIN_EXAMPLES],
  ] as Array<[string, unknown[]]>)("has %s among the examples", (_, cases) => {
    expect(cases.length).toBeGreaterThan(0);
  });
});

describe.each(EKS_EXAMPLES)("control-plane stack of %s", (example) => {
  const blueprint = BLUEPRINTS.get(example)!;
  let stack: Json;
  let network: Json;
  let cluster: Json;

  beforeAll(async () => {
    ({ stack, network, cluster } = await exampleCase(example));
  });

  it("reads the network through remote state, never a cdktf cross-stack reference", () => {
    // Never a cdktf cross-stack reference: no generated cross-stack outputs in the network stack.
    expect(Object.keys(network.output).filter((name) => name.startsWith("cross-stack"))).toEqual([]);
    expect(JSON.stringify(stack)).not.toContain("aws_vpc.");
  });

  it("names, versions and logs the cluster, with deletion protection on", () => {
    expect(cluster).toMatchObject({
      name: blueprint.name,
      version: blueprint.kubernetesVersion,
      enabled_cluster_log_types: [...CONTROL_PLANE_LOG_TYPES],
      deletion_protection: true,
    });
    const logGroup = only(resourcesOf(stack, "aws_cloudwatch_log_group"));
    expect(logGroup).toEqual(expect.objectContaining({ name: `/aws/eks/${blueprint.name}/cluster`, retention_in_days: blueprint.controlPlane.logRetentionDays }));
    expect(cluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]));
  });

  it("publishes every output of the contract under its fixed name", () => {
    expect(Object.keys(stack.output).sort()).toEqual(Object.values(CONTROL_PLANE_OUTPUTS).map((o) => o.name).sort());
    expect(stack.output.authentication_mode.value).toBe(EXPECTED_AUTHENTICATION_MODE[architectureOf(blueprint)!]);
    // The version EKS runs, read off the cluster: the nodes' upgrade guard compares with it.
    expect(stack.output.kubernetes_version.value).toMatch(/^\$\{aws_eks_cluster\.[\w-]+\.version\}$/);
    expect(stack.output.cluster_id.value).toMatch(/^\$\{aws_eks_cluster\.[\w-]+\.cluster_id\}$/);
    expect(stack.output.cluster_certificate_authority_data.value).toMatch(/certificate_authority\[0\]\.data\}$/);
    expect(stack.output.service_ipv4_cidr.value).toMatch(/^\$\{one\(aws_eks_cluster\.[^.]+\.kubernetes_network_config\[\*\]\.service_ipv4_cidr\)\}$/);
  });
});

describe("control-plane remote state", () => {
  it.each(LOCAL_BACKEND_EXAMPLES)("reads the network through a local terraform_remote_state that matches the network stack's backend: %s", async (example) => {
    const { network, stack } = await exampleCase(example);
    const remote = stack.data.terraform_remote_state.network;
    const backend = network.terraform.backend;
    expect(remote).toEqual({ backend: "local", config: { path: backend.local.path } });
  });

  it.each(S3_BACKEND_EXAMPLES)("reads the network through an S3 terraform_remote_state that matches the network stack's backend: %s", async (example) => {
    const { network, stack } = await exampleCase(example);
    const remote = stack.data.terraform_remote_state.network;
    const backend = network.terraform.backend;
    expect(remote.backend).toBe("s3");
    expect(remote.config).toMatchObject({ bucket: backend.s3.bucket, key: backend.s3.key, region: backend.s3.region });
  });
});

describe("control-plane of extended clusters", () => {
  it.each(EXTENDED_EXAMPLES)("private endpoint on every regional subnet: %s", async (example) => {
    const { blueprint, cluster } = await exampleCase(example);
    expect(cluster.vpc_config).toEqual({
      endpoint_private_access: true,
      endpoint_public_access: false,
      // Picked by AZ from the network's map output, never by position in a list.
      subnet_ids: blueprint.network.regionalSubnets.map((subnet) => `\${data.terraform_remote_state.network.outputs.regional_subnet_ids_by_az["${subnet.availabilityZone}"]}`),
    });
  });

  it.each(EXTENDED_EXAMPLES)("API_AND_CONFIG_MAP, secrets encrypted with a rotating KMS key, cluster role for eks.amazonaws.com: %s", async (example) => {
    const { cluster, stack } = await exampleCase(example);
    expect(cluster.access_config).toEqual({ authentication_mode: "API_AND_CONFIG_MAP", bootstrap_cluster_creator_admin_permissions: false });
    const key = secretsKeys(stack)[0];
    expect(secretsKeys(stack)).toHaveLength(1);
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/) } });
    const trust = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["cluster/cluster-role-trust"];
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["eks.amazonaws.com"] }]);
    expectTrustScopedToCluster(trust, BLUEPRINTS.get(example)!.name);
    const attachment = clusterRoleAttachments(stack)[0];
    expect(clusterRoleAttachments(stack)).toHaveLength(1);
    expect(attachment.policy_arn).toMatch(/:iam::aws:policy\/AmazonEKSClusterPolicy$/);
  });

  it.each(EXTENDED_EXAMPLES)("an IAM OIDC provider for IRSA, published with its URL: %s", async (example) => {
    const { stack } = await exampleCase(example);
    const oidc = only(resourcesOf(stack, "aws_iam_openid_connect_provider"));
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(oidc.url).toMatch(/identity\[0\]\.oidc\[0\]\.issuer\}$/);
    expect(stack.output.oidc_provider_arn.value).toMatch(/^\$\{aws_iam_openid_connect_provider\./);
    expect(stack.output.oidc_provider_url.value).toMatch(/^\$\{replace\(/);
  });

  it.each(EXTENDED_EXAMPLES)("the Outpost subnets reach the API on 443, by CIDR: %s", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    const rules = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")) as Json[];
    expect(rules).toHaveLength(blueprint.outposts.length);
    for (const outpost of blueprint.outposts) {
      const rule = rules.find((r) => r["//"].metadata.path.endsWith(`api-from-outpost-${outpost.name}`))!;
      expect(rule).toMatchObject({
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: `\${data.terraform_remote_state.network.outputs.outpost_subnet_cidrs["${outpost.name}"]}`,
      });
      expect(rule.security_group_id).toMatch(/vpc_config\[0\]\.cluster_security_group_id\}$/);
      expect(rule.referenced_security_group_id).toBeUndefined();
    }
  });

  it.each(EXTENDED_EXAMPLES)("access entries with the cluster-admin policy for each admin principal: %s", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    const entries = explicitEntries(stack, "aws_eks_access_entry");
    const associations = explicitEntries(stack, "aws_eks_access_policy_association");
    expect(entries.map((e) => e.principal_arn).sort()).toEqual([...blueprint.controlPlane.adminPrincipalArns].sort());
    expect(associations).toHaveLength(entries.length);
    for (const association of associations) {
      expect(association).toMatchObject({ access_scope: { type: "cluster" } });
      expect(association.policy_arn).toMatch(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/);
    }
  });

  it.each(EXTENDED_EXAMPLES)("a plan-time check that no cluster subnet lies on an Outpost, and none on its AZ: %s", async (example) => {
    const { cluster, stack } = await exampleCase(example);
    const subnets = Object.values(dataSourcesOf(stack, "aws_subnet")) as Json[];
    expect(subnets).toHaveLength(cluster.vpc_config.subnet_ids.length);
    expect(subnets.map((s) => s.id)).toEqual(cluster.vpc_config.subnet_ids);
    for (const subnet of subnets) {
      expect(subnet.lifecycle.postcondition).toEqual([
        {
          condition: '${(coalesce(self.outpost_arn, "regional") == "regional")}',
          error_message: expect.stringContaining("lies on an Outpost; an extended cluster's subnets must be regional"),
        },
      ]);
    }
    // Regional subnets in an Outpost's parent AZ are fine (EKS User Guide; seed 002): no AZ check.
    expect(cluster.lifecycle?.precondition).toBeUndefined();
  });

  it.each(EXTENDED_EXAMPLES)("has no local-cluster settings: %s", async (example) => {
    const { cluster, stack } = await exampleCase(example);
    expect(cluster.outpost_config).toBeUndefined();
    expect(resourcesOf(stack, "aws_placement_group")).toEqual({});
  });
});

describe("control-plane of local clusters", () => {
  it.each(LOCAL_EBS_EXAMPLES)("outpost_config on the one rack, with a spread placement group: %s", async (example) => {
    const { blueprint, cluster, stack } = await exampleCase(example);
    const rack = blueprint.outposts[0];
    const placement = only(resourcesOf(stack, "aws_placement_group"));
    expect(placement).toEqual(expect.objectContaining({ strategy: "spread", spread_level: "host", name: `${blueprint.name}-control-plane` }));
    expect(cluster.outpost_config).toEqual({
      control_plane_instance_type: blueprint.controlPlane.local!.controlPlaneInstanceType,
      outpost_arns: [`\${data.terraform_remote_state.network.outputs.outpost_arns["${rack.name}"]}`],
      control_plane_placement: { group_name: expect.stringMatching(/^\$\{aws_placement_group\.[\w-]+\.name\}$/) },
    });
  });

  it.each(LOCAL_EBS_EXAMPLES)("CONFIG_MAP with the creator as admin, private endpoint on the Outpost subnet only: %s", async (example) => {
    const { blueprint, cluster } = await exampleCase(example);
    const rack = blueprint.outposts[0];
    expect(cluster.access_config).toEqual({ authentication_mode: "CONFIG_MAP", bootstrap_cluster_creator_admin_permissions: true });
    expect(cluster.vpc_config).toEqual({
      endpoint_private_access: true,
      endpoint_public_access: false,
      subnet_ids: [`\${data.terraform_remote_state.network.outputs.outpost_subnet_ids["${rack.name}"]}`],
    });
  });

  it.each(LOCAL_EXAMPLES)("the Outpost subnet and the VPC reach the API on 443 through the cluster security group: %s", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    const rules = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")) as Json[];
    expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual(
      [`\${data.terraform_remote_state.network.outputs.outpost_subnet_cidrs["${blueprint.outposts[0].name}"]}`, "${data.terraform_remote_state.network.outputs.vpc_cidr}"].sort(),
    );
    for (const rule of rules) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443 });
      expect(rule.security_group_id).toMatch(/vpc_config\[0\]\.cluster_security_group_id\}$/);
    }
  });

  it.each(LOCAL_EBS_EXAMPLES)("cluster role trusted by ec2.amazonaws.com with AmazonEKSLocalOutpostClusterPolicy: %s", async (example) => {
    const { stack } = await exampleCase(example);
    const trust = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["cluster/cluster-role-trust"];
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["ec2.amazonaws.com"] }]);
    const attachment = clusterRoleAttachments(stack)[0];
    expect(clusterRoleAttachments(stack)).toHaveLength(1);
    expect(attachment.policy_arn).toMatch(/:iam::aws:policy\/AmazonEKSLocalOutpostClusterPolicy$/);
  });

  it.each(LOCAL_EXAMPLES)("has no secrets envelope encryption, which neither local architecture offers: %s", async (example) => {
    const { cluster, stack } = await exampleCase(example);
    expect(cluster.encryption_config).toBeUndefined();
    expect(secretsKeys(stack)).toEqual([]);
  });

  it.each(LOCAL_EBS_EXAMPLES)("has no OIDC provider, no access entries and no managed add-ons: %s", async (example) => {
    const { stack } = await exampleCase(example);
    expect(resourcesOf(stack, "aws_iam_openid_connect_provider")).toEqual({});
    expect(resourcesOf(stack, "aws_eks_access_entry")).toEqual({});
    expect(resourcesOf(stack, "aws_eks_addon")).toEqual({});
    expect(stack.output.oidc_provider_arn.value).toBe("");
    expect(stack.output.oidc_provider_url.value).toBe("");
  });

  it.each(LOCAL_EXAMPLES)("plan-time checks that the Outpost is a rack offering the control-plane type: %s", async (example) => {
    const { blueprint, cluster, stack } = await exampleCase(example);
    const [rack, offered] = cluster.lifecycle.precondition;
    expect(rack.condition).toMatch(/data\.aws_outposts_outpost\.[\w-]+\.supported_hardware_type == "RACK"/);
    expect(offered.condition).toMatch(
      new RegExp(`^\\$\\{contains\\(tolist\\(data\\.aws_outposts_outpost_instance_types\\.[\\w-]+\\.instance_types\\), "${blueprint.controlPlane.local!.controlPlaneInstanceType}"\\)\\}$`),
    );
    expect(offered.error_message).toContain("does not offer");
    expect(only(dataSourcesOf(stack, "aws_outposts_outpost_instance_types")).arn).toContain("outpost_arns");
  });

  it.each(LOCAL_EBS_EXAMPLES)("no vCPU or memory check on EBS-backed clusters, whose capacity page names sizes only: %s", async (example) => {
    const { stack } = await exampleCase(example);
    expect(dataSourcesOf(stack, "aws_ec2_instance_type")).toEqual({});
    expect(stack.check).toBeUndefined();
  });
});

const terraform = findTerraformToolchain();

/** The caller entry's count as Terraform would evaluate it, for a caller whose role is `issuer`. */
function callerEntryCount(stack: Json, issuer: string): string {
  const expression = String(callerEntry(stack).entry.count)
    .replace(/^\$\{([\s\S]*)\}$/, "$1")
    .replace(/data\.aws_iam_session_context\.[\w-]+\.issuer_arn/g, "var.issuer");
  return terraformEvaluate(terraform.toolchain!.binary, expression, { issuer });
}

/** The caller's entry and association: the blocks with a count. */
function callerEntry(stack: Json): { entry: Json; association: Json } {
  const counted = (type: string) => (Object.values(resourcesOf(stack, type)) as Json[]).filter((block) => block.count !== undefined);
  const [entry, ...moreEntries] = counted("aws_eks_access_entry");
  const [association, ...moreAssociations] = counted("aws_eks_access_policy_association");
  expect([moreEntries, moreAssociations]).toEqual([[], []]);
  return { entry, association };
}

describe("the caller's admin access entry", () => {
  it.each(ACCESS_ENTRY_EXAMPLES)("names the session's issuer, counted by whether it is an explicit admin: %s", async (example) => {
    const { stack } = await exampleCase(example);
    const { entry, association } = callerEntry(stack);
    expect(entry.principal_arn).toMatch(/^\$\{data\.aws_iam_session_context\.[\w-]+\.issuer_arn\}$/);
    expect(entry.type).toBe("STANDARD");
    expect(association).toMatchObject({ principal_arn: entry.principal_arn, count: entry.count, access_scope: { type: "cluster" } });
    expect(association.policy_arn).toMatch(/:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/);
    expect(only(dataSourcesOf(stack, "aws_iam_session_context")).arn).toMatch(/^\$\{data\.aws_caller_identity\.[\w-]+\.arn\}$/);
  });

  // terraform console evaluates the count the stack hands to Terraform, for a caller that is one of
  // the admins (no entry: it has one already) and one that is not (an entry).
  const withTerraform = terraform.toolchain ? it.each : it.skip.each;
  if (!terraform.toolchain) console.warn(`caller entry count not evaluated: ${terraform.reason}`);
  withTerraform(ADMIN_EXAMPLES)("terraform counts no entry for an admin caller and one for any other: %s", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    for (const admin of blueprint.controlPlane.adminPrincipalArns) expect(callerEntryCount(stack, admin)).toBe("0");
    // IAM names are case-insensitive: the same role written in another case is still an admin.
    const [first] = blueprint.controlPlane.adminPrincipalArns;
    const otherCase = first.replace(/[a-z]+$/, (name) => name.toUpperCase());
    expect(otherCase).not.toBe(first);
    expect(callerEntryCount(stack, otherCase)).toBe("0");
    // The issuer carries the role's path; an admin named without it is another principal to Terraform.
    expect(first).toContain(":role/");
    expect(callerEntryCount(stack, first.replace(/:role\//, ":role/platform/"))).toBe("1");
    expect(callerEntryCount(stack, "arn:aws:iam::111122223333:role/deployer")).toBe("1");
  });

  withTerraform(NO_ADMIN_EXAMPLES)("terraform counts one entry for the caller where no admin is named: %s", async (example) => {
    const { stack } = await exampleCase(example);
    expect(callerEntryCount(stack, "arn:aws:iam::111122223333:role/platform-admin")).toBe("1");
  });

  it("callerAdminAccess false: no caller entry, and EKS's own creator entry stays off", async () => {
    const { stack } = await controlPlaneOf(exampleWith(EXTENDED_EXAMPLES[0], (raw) => (raw.controlPlane = { ...raw.controlPlane, callerAdminAccess: false })));
    expect(dataSourcesOf(stack, "aws_iam_session_context")).toEqual({});
    expect(explicitEntries(stack, "aws_eks_access_entry")).toHaveLength(Object.keys(resourcesOf(stack, "aws_eks_access_entry")).length);
    expect(only(resourcesOf(stack, "aws_eks_cluster")).access_config.bootstrap_cluster_creator_admin_permissions).toBe(false);
  });

  it.each(LOCAL_EBS_EXAMPLES)("EBS-backed local clusters: EKS's creator entry (CONFIG_MAP requires it), no caller entry: %s", async (example) => {
    const { cluster, stack } = await exampleCase(example);
    expect(cluster.access_config.bootstrap_cluster_creator_admin_permissions).toBe(true);
    expect(dataSourcesOf(stack, "aws_iam_session_context")).toEqual({});
  });

  it.each([...ACCESS_ENTRY_EXAMPLES, ...LOCAL_EBS_EXAMPLES])("an existing cluster is not replaced over the creator setting: %s", async (example) => {
    const { cluster } = await exampleCase(example);
    expect(cluster.lifecycle.ignore_changes).toContain("access_config[0].bootstrap_cluster_creator_admin_permissions");
  });
});

describe("log groups encrypted with a key of their own", () => {
  it.each(EKS_EXAMPLES)("the control-plane log group's key admits CloudWatch Logs of the Region for that log group only: %s", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    const logGroup = only(resourcesOf(stack, "aws_cloudwatch_log_group"));
    const keys = byPath(resourcesOf(stack, "aws_kms_key"));
    expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    expect(keys["cluster/log-group-key"].enable_key_rotation).toBe(true);
    const policy = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["cluster/log-group-key-policy"];
    const logs = policy.statement.find((st: Json) => st.sid === "LogsUseForThisLogGroup");
    expect(logs.principals).toEqual([{ type: "Service", identifiers: [`logs.${blueprint.region}.amazonaws.com`] }]);
    expect(logs.condition).toEqual([
      { test: "ArnEquals", variable: "kms:EncryptionContext:aws:logs:arn", values: [expect.stringMatching(new RegExp(`:logs:${blueprint.region}:.+:log-group:/aws/eks/${blueprint.name}/cluster$`))] },
    ]);
  });
});

describe("the VPC CNI's own role, before any node joins", () => {
  it.each(ACCESS_ENTRY_EXAMPLES)("vpc-cni as a managed add-on whose IRSA role trusts kube-system/aws-node and carries AmazonEKS_CNI_Policy: %s", async (example) => {
    const { stack } = await exampleCase(example);
    const addon = only(resourcesOf(stack, "aws_eks_addon"));
    expect(addon.addon_name).toBe("vpc-cni");
    const role = byPath(resourcesOf(stack, "aws_iam_role"))["vpc-cni-role/role"];
    expect(addon.service_account_role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
    expect(addon.service_account_role_arn).toContain(Object.keys(resourcesOf(stack, "aws_iam_role")).find((id) => resourcesOf(stack, "aws_iam_role")[id] === role));
    const trust = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["vpc-cni-role/trust"];
    expect(trust.statement[0].condition).toContainEqual(expect.objectContaining({ values: ["system:serviceaccount:kube-system:aws-node"] }));
    expect(trust.statement[0].principals[0].identifiers).toEqual([expect.stringMatching(/aws_iam_openid_connect_provider\./)]);
    const attachments = Object.entries(byPath(resourcesOf(stack, "aws_iam_role_policy_attachment"))).filter(([path]) => path.startsWith("vpc-cni-role/"));
    expect(attachments.map(([, attachment]) => (attachment as Json).policy_arn)).toEqual([expect.stringMatching(/:iam::aws:policy\/AmazonEKS_CNI_Policy$/)]);
  });

  it.each(LOCAL_EBS_EXAMPLES)("none on EBS-backed local clusters (no IRSA, no managed add-ons): %s", async (example) => {
    const { stack } = await exampleCase(example);
    expect(resourcesOf(stack, "aws_eks_addon")).toEqual({});
  });
});

describe("control-plane of instance-store local clusters", () => {
  it.each(INSTANCE_STORE_EXAMPLES)("cluster role trusted by eks.amazonaws.com with AmazonEKSClusterPolicy and AmazonEKSServicePolicy: %s", async (example) => {
    const { stack } = await exampleCase(example);
    const trust = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["cluster/cluster-role-trust"];
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["eks.amazonaws.com"] }]);
    expectTrustScopedToCluster(trust, BLUEPRINTS.get(example)!.name);
    const policies = clusterRoleAttachments(stack).map((a) => a.policy_arn.replace(/^.*:policy\//, "")).sort();
    expect(policies).toEqual(["AmazonEKSClusterPolicy", "AmazonEKSServicePolicy"]);
  });

  it.each(INSTANCE_STORE_EXAMPLES)("API_AND_CONFIG_MAP with access entries for the admins, and an OIDC provider for IRSA: %s", async (example) => {
    const { blueprint, cluster, stack } = await exampleCase(example);
    expect(cluster.access_config).toEqual({ authentication_mode: "API_AND_CONFIG_MAP", bootstrap_cluster_creator_admin_permissions: false });
    const entries = explicitEntries(stack, "aws_eks_access_entry");
    expect(entries.map((e) => e.principal_arn).sort()).toEqual([...blueprint.controlPlane.adminPrincipalArns].sort());
    expect(entries.length).toBeGreaterThan(0);
    expect(only(resourcesOf(stack, "aws_iam_openid_connect_provider")).client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(stack.output.oidc_provider_arn.value).toMatch(/^\$\{aws_iam_openid_connect_provider\./);
  });

  it.each(INSTANCE_STORE_EXAMPLES)("a private endpoint on the Outpost subnet, etcd beside the control plane, a raised provider constraint: %s", async (example) => {
    const { blueprint, cluster, stack } = await exampleCase(example);
    const rack = blueprint.outposts[0];
    expect(cluster.vpc_config).toEqual({
      endpoint_private_access: true,
      endpoint_public_access: false,
      subnet_ids: [`\${data.terraform_remote_state.network.outputs.outpost_subnet_ids["${rack.name}"]}`],
    });
    expect(cluster.outpost_config.etcd_instance_type).toBe(blueprint.controlPlane.local!.instanceStore!.etcdInstanceType);
    expect(stack.terraform.required_providers.aws.version).toBe(awsProviderConstraint(INSTANCE_STORE_MIN_AWS_PROVIDER));
  });

  it.each(INSTANCE_STORE_EXAMPLES)("plan-time checks: the rack's zone ID outside use1-az3, usw1-az2 and cac1-az3: %s", async (example) => {
    const { blueprint, cluster, stack } = await exampleCase(example);
    const zone = only(dataSourcesOf(stack, "aws_availability_zone"));
    expect(zone.name).toBe(blueprint.outposts[0].availabilityZone);
    expect(cluster.lifecycle.precondition).toContainEqual({
      condition: `\${!contains(["use1-az3", "usw1-az2", "cac1-az3"], data.aws_availability_zone.${zone["//"].metadata.uniqueId}.zone_id)}`,
      error_message: expect.stringContaining("zone ID"),
    });
    // The create page's own example runs m5.large: no instance-storage check on the types.
    expect(JSON.stringify(cluster.lifecycle)).not.toContain("instance_storage_supported");
  });

  it.each(INSTANCE_STORE_EXAMPLES)("warns in every plan when a type offers less than the sizing guideline, without failing it: %s", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    const types = byPath(dataSourcesOf(stack, "aws_ec2_instance_type"));
    expect(types["cluster/control-plane-instance-type"].instance_type).toBe(blueprint.controlPlane.local!.controlPlaneInstanceType);
    expect(types["cluster/etcd-instance-type"].instance_type).toBe(blueprint.controlPlane.local!.instanceStore!.etcdInstanceType);
    const nodes = blueprint.nodeGroups.reduce((sum, group) => sum + group.maxSize + group.spareNodes, 0);
    // The guide's tables: API server up to 20 nodes 2 vCPU / 8 GiB; etcd up to 50 nodes 2 / 8.
    expect(nodes).toBeLessThanOrEqual(20);
    const checks = Object.values(stack.check) as Json[];
    expect(checks).toHaveLength(1);
    const ref = (path: string) => `data.aws_ec2_instance_type.${types[path]["//"].metadata.uniqueId}`;
    expect(checks[0].assert).toEqual([
      {
        condition: `\${((${ref("cluster/control-plane-instance-type")}.default_vcpus >= 2) && (${ref("cluster/control-plane-instance-type")}.memory_size >= 8192))}`,
        error_message: expect.stringContaining("sizing guideline"),
      },
      {
        condition: `\${((${ref("cluster/etcd-instance-type")}.default_vcpus >= 2) && (${ref("cluster/etcd-instance-type")}.memory_size >= 8192))}`,
        error_message: expect.stringContaining("sizing guideline"),
      },
    ]);
  });

  it.each(INSTANCE_STORE_EXAMPLES)("no secrets encryption key, and of the managed add-ons only vpc-cni in the control-plane stack: %s", async (example) => {
    const { stack } = await exampleCase(example);
    expect(secretsKeys(stack)).toEqual([]);
    expect((Object.values(resourcesOf(stack, "aws_eks_addon")) as Json[]).map((addon) => addon.addon_name)).toEqual(["vpc-cni"]);
  });

  it("adds a public endpoint beside the private one when asked, with explicit CIDRs", async () => {
    const blueprint = exampleWith("local-instance-store.yaml", (raw) => {
      raw.controlPlane.endpointPublicAccess = true;
      raw.controlPlane.publicAccessCidrs = ["203.0.113.0/24"];
    });
    const cluster = only(resourcesOf((await controlPlaneOf(blueprint)).stack, "aws_eks_cluster"));
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
  });

  it.each(LOCAL_EBS_EXAMPLES)("constrains the aws provider to 6.x from the bindings' release on, as a team would: %s", async (example) => {
    const { stack } = await exampleCase(example);
    expect(stack.terraform.required_providers.aws.version).toBe("~> 6.25");
  });
});

describe("control-plane options", () => {
  it("makes the public endpoint opt-in with explicit CIDRs", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.controlPlane.endpointPublicAccess = true;
      raw.controlPlane.publicAccessCidrs = ["203.0.113.0/24"];
    });
    const { stack } = await controlPlaneOf(blueprint);
    expect(only(resourcesOf(stack, "aws_eks_cluster")).vpc_config).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    });
  });

  it("turns deletion protection off only when asked, and passes the service CIDR", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.controlPlane.deletionProtection = false;
      raw.controlPlane.serviceIpv4Cidr = "172.20.0.0/16";
    });
    const cluster = only(resourcesOf((await controlPlaneOf(blueprint)).stack, "aws_eks_cluster"));
    expect(cluster.deletion_protection).toBe(false);
    expect(cluster.kubernetes_network_config).toEqual({ service_ipv4_cidr: "172.20.0.0/16", ip_family: "ipv4" });
  });

  it("spreads a local control plane across racks when the Outpost has 3 or more", async () => {
    const blueprint = exampleWith("local-cluster.yaml", (raw) => (raw.controlPlane.local.rackCount = 3));
    expect(only(resourcesOf((await controlPlaneOf(blueprint)).stack, "aws_placement_group")).spread_level).toBe("rack");
  });

  it("gives an extended cluster the regional subnets in its racks' AZs (seed 002's layout)", async () => {
    const blueprint = loadExample("extended-racks.yaml");
    const outpostZones = blueprint.outposts.map((outpost) => outpost.availabilityZone);
    expect(blueprint.network.regionalSubnets.map((subnet) => subnet.availabilityZone)).toEqual(outpostZones);
    const cluster = only(resourcesOf((await controlPlaneOf(blueprint)).stack, "aws_eks_cluster"));
    expect(cluster.vpc_config.subnet_ids).toEqual(
      outpostZones.map((zone) => `\${data.terraform_remote_state.network.outputs.regional_subnet_ids_by_az["${zone}"]}`),
    );
  });

  it("instance-store local clusters: the newer outpost_config arguments through the typed escape hatch, and a raised provider constraint", async () => {
    const blueprint = exampleWith("local-cluster.yaml", (raw) => {
      raw.controlPlane.local.instanceStore = { etcdInstanceType: "r5d.large" };
    });
    const { stack } = await controlPlaneOf(blueprint);
    const cluster = only(resourcesOf(stack, "aws_eks_cluster"));
    expect(cluster.outpost_config).toEqual({
      control_plane_instance_type: "m5d.large",
      outpost_arns: [expect.any(String)],
      etcd_instance_type: "r5d.large",
      etcd_placement: { spread_level: "host" },
      control_plane_placement: { spread_level: "host" },
    });
    expect(resourcesOf(stack, "aws_placement_group")).toEqual({});
    expect(stack.terraform.required_providers.aws.version).toBe(awsProviderConstraint(INSTANCE_STORE_MIN_AWS_PROVIDER));
    expect(INSTANCE_STORE_MIN_AWS_PROVIDER).toBe("6.51.0");
    // Both instance types are checked against the Outpost at plan time.
    expect(cluster.lifecycle.precondition.filter((c: Json) => c.condition.includes("instance_types"))).toHaveLength(2);
  });
});
