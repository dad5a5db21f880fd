import { readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { Blueprint, clusterArchitectureOf } from "../../config";
import { loadBalancerControllerStatements } from "../../modules/load-balancer-controller";
import { ADDONS_OUTPUTS, RELEASED_VPC_CNI_ADDON_ADDRESS } from "../../stacks";
import { factsFromReference, findReferenceDir, referenceFacts } from "../helpers/reference";
import { byPath, dataSourcesOf, EKS_EXAMPLES, exampleWith, loadExample, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

const FACTS = referenceFacts();
const REFERENCE_DIR = findReferenceDir();
if (!REFERENCE_DIR) {
  // Printed, never silent: a fresh clone has no shared/reference, and the kept facts stand in for it.
  console.warn("reference freshness check skipped: shared/reference not found beside the project or above it");
}

async function addonsOf(blueprint: Blueprint): Promise<{ stack: Json; annotations: Json[]; controlPlane: Json }> {
  const synth = await synthBlueprint(blueprint);
  try {
    const manifest = JSON.parse(readFileSync(path.join(synth.outdir, "manifest.json"), "utf8"));
    return { stack: synth.json("addons"), annotations: manifest.stacks.addons.annotations, controlPlane: synth.json("control-plane") };
  } finally {
    synth.dispose();
  }
}

/** Every key path set in `values` must exist in the chart's values.yaml; `{}` and `[]` there are free-form. */
export function unknownValueKeys(values: Json, reference: Json, prefix = ""): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const where = prefix ? `${prefix}.${key}` : key;
    if (reference === null || typeof reference !== "object" || !(key in reference)) return [where];
    const expected = reference[key];
    const freeForm = expected === null || Array.isArray(expected) || (typeof expected === "object" && Object.keys(expected).length === 0);
    if (freeForm || value === null || typeof value !== "object" || Array.isArray(value)) return [];
    return unknownValueKeys(value, expected, where);
  });
}

function actionsOf(statements: Array<{ actions?: string[]; Action?: string | string[] }>): string[] {
  return [...new Set(statements.flatMap((s) => s.actions ?? (Array.isArray(s.Action) ? s.Action : [s.Action!])))].sort();
}

const releaseValues = (release: Json): Json => parseYaml(release.values[0]);

const BLUEPRINTS = new Map(EKS_EXAMPLES.map((example) => [example, loadExample(example)]));
const ADDONS_STACKS = new Map<string, Promise<{ stack: Json; annotations: Json[]; controlPlane: Json }>>();

/** The example's addons stack and its annotations, synthesized once for the whole file. */
function exampleAddons(example: string): Promise<{ stack: Json; annotations: Json[]; controlPlane: Json }> {
  if (!ADDONS_STACKS.has(example)) ADDONS_STACKS.set(example, addonsOf(BLUEPRINTS.get(example)!));
  return ADDONS_STACKS.get(example)!;
}

const racksOf = (blueprint: Blueprint) => blueprint.outposts.filter((o) => o.formFactor === "rack");

/** One example's blueprint, its racks, synthesized stack, annotations and Helm releases. */
async function exampleCase(example: string) {
  const blueprint = BLUEPRINTS.get(example)!;
  const { stack, annotations, controlPlane } = await exampleAddons(example);
  return { blueprint, racks: racksOf(blueprint), stack, annotations, controlPlane, releases: byPath(resourcesOf(stack, "helm_release")) };
}

/** The VPC CNI environment the blueprint asks for. */
function cniEnv(blueprint: Blueprint): Record<string, string> {
  const expected: Record<string, string> = {};
  const cni = blueprint.addons.vpcCni;
  if (cni.warmEniTarget !== undefined) expected.WARM_ENI_TARGET = String(cni.warmEniTarget);
  if (cni.warmIpTarget !== undefined) expected.WARM_IP_TARGET = String(cni.warmIpTarget);
  if (cni.minimumIpTarget !== undefined) expected.MINIMUM_IP_TARGET = String(cni.minimumIpTarget);
  if (cni.mtu !== undefined) expected.AWS_VPC_ENI_MTU = String(cni.mtu);
  return expected;
}

const examplesWhere = (matches: (blueprint: Blueprint) => boolean) => EKS_EXAMPLES.filter((example) => matches(BLUEPRINTS.get(example)!));
const RACK_EXAMPLES = examplesWhere((blueprint) => racksOf(blueprint).length > 0);
const NO_RACK_EXAMPLES = examplesWhere((blueprint) => racksOf(blueprint).length === 0);
const EXTENDED_RACK_EXAMPLES = examplesWhere((blueprint) => blueprint.variant === "extended" && racksOf(blueprint).length > 0);
const LOCAL_RACK_EXAMPLES = examplesWhere((blueprint) => blueprint.variant === "local" && racksOf(blueprint).length > 0);
const EXTENDED_EXAMPLES = examplesWhere((blueprint) => blueprint.variant === "extended");
const LOCAL_EXAMPLES = examplesWhere((blueprint) => blueprint.variant === "local");
const architectureOf = (blueprint: Blueprint) => clusterArchitectureOf(blueprint.variant, blueprint.controlPlane.local?.instanceStore);
/** Clusters with an OIDC provider (extended, instance-store local): add-ons get IRSA roles and EKS managed core add-ons. */
const withIrsa = (blueprint: Blueprint) => architectureOf(blueprint) !== "local-ebs";
const IRSA_EXAMPLES = examplesWhere(withIrsa);
const IRSA_RACK_EXAMPLES = examplesWhere((blueprint) => withIrsa(blueprint) && racksOf(blueprint).length > 0);
const LOCAL_EBS_EXAMPLES = examplesWhere((blueprint) => !withIrsa(blueprint));
const LOCAL_EBS_RACK_EXAMPLES = examplesWhere((blueprint) => !withIrsa(blueprint) && racksOf(blueprint).length > 0);
const INSTANCE_STORE_RACK_EXAMPLES = examplesWhere((blueprint) => architectureOf(blueprint) === "local-instance-store" && racksOf(blueprint).length > 0);
const EXTENDED_TUNED_CNI_EXAMPLES = examplesWhere((blueprint) => withIrsa(blueprint) && Object.keys(cniEnv(blueprint)).length > 0);
const EXTENDED_DEFAULT_CNI_EXAMPLES = examplesWhere((blueprint) => withIrsa(blueprint) && Object.keys(cniEnv(blueprint)).length === 0);

describe("the Load Balancer Controller's IAM policy", () => {
  it("grants exactly the actions of the official v3.5.0 policy", () => {
    expect(actionsOf(loadBalancerControllerStatements("aws"))).toEqual(FACTS.lbcPolicyActions);
  });

  it("keeps the official policy's tag conditions on every mutating statement that has one", () => {
    const conditioned = loadBalancerControllerStatements("aws").filter((s) => ((s.condition as unknown[] | undefined) ?? []).length > 0);
    expect(conditioned).toHaveLength(FACTS.lbcConditionedStatements);
  });
});

(REFERENCE_DIR ? describe : describe.skip)("the kept reference facts", () => {
  it("match shared/reference (npm run reference-facts refreshes them)", () => {
    expect(FACTS).toEqual(factsFromReference(REFERENCE_DIR!));
  });
});

describe("addons case tables", () => {
  it.each([
    ["examples with racks", RACK_EXAMPLES],
    ["examples without racks", NO_RACK_EXAMPLES],
    ["extended examples with racks", EXTENDED_RACK_EXAMPLES],
    ["local examples with racks", LOCAL_RACK_EXAMPLES],
    ["extended examples", EXTENDED_EXAMPLES],
    ["local examples", LOCAL_EXAMPLES],
    ["examples with IRSA on racks", IRSA_RACK_EXAMPLES],
    ["EBS-backed local examples with racks", LOCAL_EBS_RACK_EXAMPLES],
    ["instance-store local examples with racks", INSTANCE_STORE_RACK_EXAMPLES],
    ["examples with managed add-ons that tune the VPC CNI", EXTENDED_TUNED_CNI_EXAMPLES],
    ["examples with managed add-ons that leave the VPC CNI alone", EXTENDED_DEFAULT_CNI_EXAMPLES],
  ] as Array<[string, unknown[]]>)("has %s among the examples", (_, cases) => {
    expect(cases.length).toBeGreaterThan(0);
  });
});

describe.each(EKS_EXAMPLES)("addons stack of %s", (example) => {
  const blueprint = BLUEPRINTS.get(example)!;
  let stack: Json;
  let releases: Json;

  beforeAll(async () => {
    ({ stack, releases } = await exampleCase(example));
  });

  it("configures the Kubernetes and Helm providers with the cluster endpoint, CA and a token", () => {
    const credentials = {
      host: "${data.terraform_remote_state.control-plane.outputs.cluster_endpoint}",
      cluster_ca_certificate: "${base64decode(data.terraform_remote_state.control-plane.outputs.cluster_certificate_authority_data)}",
      token: expect.stringMatching(/^\$\{data\.aws_eks_cluster_auth\.[\w-]+\.token\}$/),
    };
    expect(stack.provider.kubernetes[0]).toEqual(credentials);
    expect(stack.provider.helm[0]).toEqual({ kubernetes: credentials });
    // EBS-backed local clusters accept only tokens issued for their cluster ID; instance-store ones
    // only tokens by name (EKS UG: "--cluster-name (not --cluster-id)"), as extended ones.
    expect(Object.values(dataSourcesOf(stack, "aws_eks_cluster_auth"))[0]).toMatchObject({
      name: `\${data.terraform_remote_state.control-plane.outputs.${architectureOf(blueprint) === "local-ebs" ? "cluster_id" : "cluster_name"}}`,
    });
  });

  it("reads the control-plane, workers and network outputs through remote state", () => {
    expect(Object.keys(stack.data.terraform_remote_state).sort()).toEqual(["control-plane", "network", "workers"]);
  });

  it("runs the Node Termination Handler 0.27.6 in queue mode, with valid chart values", () => {
    const release = releases["node-termination-handler/release"];
    expect(release).toMatchObject({ chart: "aws-node-termination-handler", version: "0.27.6", repository: "https://aws.github.io/eks-charts", namespace: "kube-system" });
    const values = releaseValues(release);
    expect(values).toMatchObject({
      enableSqsTerminationDraining: true,
      queueURL: "${data.terraform_remote_state.workers.outputs.nth_queue_url}",
      checkTagBeforeDraining: true,
      managedTag: "aws-node-termination-handler/managed",
      awsRegion: blueprint.region,
    });
    expect(values.serviceAccount.annotations).toEqual(
      withIrsa(blueprint) ? { "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.workers.outputs.nth_role_arn}" } : {},
    );
    expect(unknownValueKeys(values, FACTS.nthValues)).toEqual([]);
  });

  it("marks the break-glass kubeconfig output sensitive", () => {
    expect(stack.output.break_glass_kubeconfig.sensitive).toBe(true);
  });

  it("publishes every output of the contract under its fixed name", () => {
    expect(Object.keys(stack.output).sort()).toEqual(Object.values(ADDONS_OUTPUTS).map((o) => o.name).sort());
  });
});

describe("addons Load Balancer Controller", () => {
  it.each(RACK_EXAMPLES)("installs the Load Balancer Controller 3.5.0 on the racks of %s, with valid chart values", async (example) => {
    const { blueprint, releases } = await exampleCase(example);
    const release = releases["load-balancer-controller/release"];
    expect(release).toMatchObject({
      name: "aws-load-balancer-controller",
      chart: "aws-load-balancer-controller",
      repository: "https://aws.github.io/eks-charts",
      version: "3.5.0",
      namespace: "kube-system",
      wait: true,
    });
    const values = releaseValues(release);
    expect(values).toMatchObject({
      clusterName: "${data.terraform_remote_state.control-plane.outputs.cluster_name}",
      region: blueprint.region,
      vpcId: "${data.terraform_remote_state.network.outputs.vpc_id}",
      replicaCount: 2,
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
      createIngressClassResource: false,
      serviceAccount: { create: true, name: "aws-load-balancer-controller" },
    });
    expect(values.topologySpreadConstraints[0].topologyKey).toBe("outposts-eks.io/outpost");
    expect(unknownValueKeys(values, FACTS.lbcValues)).toEqual([]);
  });

  it.each(NO_RACK_EXAMPLES)("installs no Load Balancer Controller without racks, and warns: %s", async (example) => {
    const { annotations, releases } = await exampleCase(example);
    expect(releases["load-balancer-controller/release"]).toBeUndefined();
    expect(annotations).toEqual(expect.arrayContaining([expect.objectContaining({ level: "@cdktf/warn", message: expect.stringContaining("No AWS Load Balancer Controller") })]));
  });

  it.each(IRSA_RACK_EXAMPLES)("gives the controller an IRSA role on %s (extended or instance-store)", async (example) => {
    const { releases, stack } = await exampleCase(example);
    const values = releaseValues(releases["load-balancer-controller/release"]);
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.load-balancer-controller_role_/);
    const trust = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["load-balancer-controller/role/trust"].statement[0];
    expect(trust.condition[0].values).toEqual(["system:serviceaccount:kube-system:aws-load-balancer-controller"]);
  });

  it.each(LOCAL_EBS_RACK_EXAMPLES)("gives the controller its permissions through the node role, on the controller nodes only, on the EBS-backed local cluster %s", async (example) => {
    const { releases, stack } = await exampleCase(example);
    const values = releaseValues(releases["load-balancer-controller/release"]);
    expect(values.serviceAccount.annotations).toEqual({});
    expect(values.nodeSelector).toEqual({ "outposts-eks.io/addon-controllers": "true" });
    const policy = byPath(resourcesOf(stack, "aws_iam_role_policy"))["load-balancer-controller/node-role-policy"];
    expect(policy.role).toBe("${data.terraform_remote_state.workers.outputs.node_role_name}");
  });

  it.each(RACK_EXAMPLES)("gives each rack an IngressClass pinned to its subnet, through a Helm release after the controller: %s", async (example) => {
    const { racks, releases, stack } = await exampleCase(example);
    const release = releases["load-balancer-controller/ingress-classes"];
    expect(release.chart).toMatch(/^\.\/assets\/load-balancer-controller_ingress-classes-chart_\w+\/\w+$/);
    expect(release.depends_on).toEqual([expect.stringMatching(/^helm_release\.load-balancer-controller_release/)]);
    expect(releaseValues(release)).toEqual({
      classes: racks.map((rack) => ({
        name: `alb-${rack.name}`,
        outpost: rack.name,
        subnetId: `\${data.terraform_remote_state.network.outputs.outpost_subnet_ids["${rack.name}"]}`,
      })),
    });
    expect(stack.output.ingress_class_names.value).toEqual(Object.fromEntries(racks.map((rack) => [rack.name, `alb-${rack.name}`])));
  });

  it.each(NO_RACK_EXAMPLES)("gives no IngressClass without racks: %s", async (example) => {
    const { releases } = await exampleCase(example);
    expect(releases["load-balancer-controller/ingress-classes"]).toBeUndefined();
  });
});

describe("addons storage", () => {
  it.each(RACK_EXAMPLES)("makes an encrypted gp2 class the only default StorageClass on the racks of %s", async (example) => {
    const { stack } = await exampleCase(example);
    const classes = Object.values(resourcesOf(stack, "kubernetes_storage_class_v1")) as Json[];
    expect(classes).toHaveLength(1);
    expect(classes[0]).toMatchObject({
      metadata: { name: "gp2-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp2", encrypted: "true" },
      volume_binding_mode: "WaitForFirstConsumer",
    });
    const unmarked = Object.values(resourcesOf(stack, "kubernetes_annotations")) as Json[];
    expect(unmarked.every((a) => a.annotations["storageclass.kubernetes.io/is-default-class"] === "false")).toBe(true);
  });

  it.each(NO_RACK_EXAMPLES)("makes no StorageClass without racks, and warns: %s", async (example) => {
    const { annotations, stack } = await exampleCase(example);
    const classes = Object.values(resourcesOf(stack, "kubernetes_storage_class_v1")) as Json[];
    expect(classes).toEqual([]);
    expect(annotations).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining("No EBS storage") })]));
  });

  it.each(EXTENDED_RACK_EXAMPLES)("installs the EBS CSI driver as an EKS add-on with an IRSA role on the extended cluster %s", async (example) => {
    const { stack } = await exampleCase(example);
    const addons = byPath(resourcesOf(stack, "aws_eks_addon"));
    expect(addons["ebs-storage/driver"]).toMatchObject({
      addon_name: "aws-ebs-csi-driver",
      addon_version: expect.stringMatching(/^\$\{data\.aws_eks_addon_version\.[\w-]+\.version\}$/),
      service_account_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.ebs-storage_driver-role_/),
    });
  });

  it.each(LOCAL_EBS_RACK_EXAMPLES)("installs the EBS CSI driver by Helm, with the node role's permissions, on the EBS-backed local cluster %s", async (example) => {
    const { releases, stack } = await exampleCase(example);
    const addons = byPath(resourcesOf(stack, "aws_eks_addon"));
    expect(addons["ebs-storage/driver"]).toBeUndefined();
    expect(releases["ebs-storage/driver"]).toMatchObject({ chart: "aws-ebs-csi-driver", version: "2.53.0" });
    const attachment = byPath(resourcesOf(stack, "aws_iam_role_policy_attachment"))["ebs-storage/node-role-driver-policy"];
    expect(attachment.policy_arn).toMatch(/AmazonEBSCSIDriverPolicy$/);
    const values = releaseValues(releases["ebs-storage/driver"]);
    // The controller only where pods reach the instance profile; the node plugin on the host network.
    expect(values.controller.nodeSelector).toEqual({ "outposts-eks.io/addon-controllers": "true" });
    expect(values.node).toEqual({ hostNetwork: true });
  });

  it.each(INSTANCE_STORE_RACK_EXAMPLES)("installs the EBS CSI driver by Helm with an IRSA role, its node plugin on the host network, on %s", async (example) => {
    const { releases, stack } = await exampleCase(example);
    expect(byPath(resourcesOf(stack, "aws_eks_addon"))["ebs-storage/driver"]).toBeUndefined();
    const values = releaseValues(releases["ebs-storage/driver"]);
    expect(values.controller.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.ebs-storage_driver-role_/);
    expect(values.controller.nodeSelector).toBeUndefined();
    expect(values.node).toEqual({ hostNetwork: true });
  });

  it.each(INSTANCE_STORE_RACK_EXAMPLES)("puts no add-on permission on the node role of the instance-store cluster %s", async (example) => {
    const { stack } = await exampleCase(example);
    const onNodeRole = [...Object.values(resourcesOf(stack, "aws_iam_role_policy")), ...Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"))].filter(
      (policy: any) => String(policy.role).includes("node_role_name"),
    );
    expect(onNodeRole).toEqual([]);
  });
});

describe("addons VPC CNI and CoreDNS", () => {
  it.each(IRSA_EXAMPLES)("installs coredns and kube-proxy as EKS add-ons and spreads CoreDNS across Outposts on %s (extended or instance-store)", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    const addons = byPath(resourcesOf(stack, "aws_eks_addon"));
    // vpc-cni is the control-plane stack's, with its own role; this state forgets its 0.2.0 address without deleting it.
    expect(addons["core-addons/vpc-cni"]).toBeUndefined();
    expect(stack.removed).toEqual([{ from: RELEASED_VPC_CNI_ADDON_ADDRESS, lifecycle: { destroy: false } }]);
    for (const name of ["coredns", "kube-proxy"]) {
      expect(addons[`core-addons/${name}`]).toMatchObject({
        addon_name: name,
        addon_version: expect.stringMatching(/^\$\{data\.aws_eks_addon_version\.core-addons_[\w-]+\.version\}$/),
      });
    }
    const coredns = JSON.parse(addons["core-addons/coredns"].configuration_values);
    expect(coredns.replicaCount).toBe(blueprint.addons.coreDns.replicas);
    expect(coredns.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "outposts-eks.io/outpost", labelSelector: { matchLabels: { "k8s-app": "kube-dns" } } });
    expect(resourcesOf(stack, "kubernetes_env")).toEqual({});
  });

  it.each(EXTENDED_TUNED_CNI_EXAMPLES)("tunes the VPC CNI through the add-on's configuration, in the control-plane stack, on %s", async (example) => {
    const { blueprint, controlPlane } = await exampleCase(example);
    const cniConfig = byPath(resourcesOf(controlPlane, "aws_eks_addon"))["vpc-cni/vpc-cni"].configuration_values;
    expect(JSON.parse(cniConfig)).toEqual({ env: cniEnv(blueprint) });
  });

  it.each(EXTENDED_DEFAULT_CNI_EXAMPLES)("leaves the VPC CNI add-on unconfigured when nothing is tuned on %s", async (example) => {
    const { controlPlane } = await exampleCase(example);
    const cniConfig = byPath(resourcesOf(controlPlane, "aws_eks_addon"))["vpc-cni/vpc-cni"].configuration_values;
    expect(cniConfig).toBeUndefined();
  });

  it.each(LOCAL_EBS_EXAMPLES)("tunes the VPC CNI through the aws-node DaemonSet's environment, with no EKS add-ons, on the EBS-backed local cluster %s", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    expect(resourcesOf(stack, "aws_eks_addon")).toEqual({});
    expect(stack.removed).toBeUndefined();
    const [env] = Object.values(resourcesOf(stack, "kubernetes_env")) as Json[];
    expect(env).toMatchObject({ api_version: "apps/v1", kind: "DaemonSet", container: "aws-node", metadata: { name: "aws-node", namespace: "kube-system" }, force: true });
    expect(Object.fromEntries(env.env.map((e: Json) => [e.name, e.value]))).toEqual(cniEnv(blueprint));
  });
});

describe("addons break-glass access", () => {
  it.each(EXTENDED_EXAMPLES)("gives the extended cluster %s no break-glass admin, and an empty kubeconfig", async (example) => {
    const { stack } = await exampleCase(example);
    const csrs = Object.values(resourcesOf(stack, "kubernetes_certificate_signing_request_v1")) as Json[];
    const bindings = Object.values(resourcesOf(stack, "kubernetes_cluster_role_binding_v1")) as Json[];
    expect(csrs).toEqual([]);
    expect(bindings).toEqual([]);
    expect(resourcesOf(stack, "tls_private_key")).toEqual({});
    expect(stack.output.break_glass_kubeconfig.value).toBe("");
  });

  it.each(LOCAL_EXAMPLES)("gives the local cluster %s a break-glass x.509 admin and its kubeconfig", async (example) => {
    const { blueprint, stack } = await exampleCase(example);
    const csrs = Object.values(resourcesOf(stack, "kubernetes_certificate_signing_request_v1")) as Json[];
    const bindings = Object.values(resourcesOf(stack, "kubernetes_cluster_role_binding_v1")) as Json[];
    const user = blueprint.addons.breakGlass.userName;
    const [key] = Object.values(resourcesOf(stack, "tls_private_key")) as Json[];
    expect(key).toMatchObject({ algorithm: "ECDSA", ecdsa_curve: "P256" });
    const [request] = Object.values(resourcesOf(stack, "tls_cert_request")) as Json[];
    expect(request.subject).toEqual([{ common_name: user }]);
    expect(csrs).toEqual([
      expect.objectContaining({
        auto_approve: true,
        spec: expect.objectContaining({ signer_name: "kubernetes.io/kube-apiserver-client", usages: ["client auth"], request: expect.stringMatching(/cert_request_pem\}$/) }),
      }),
    ]);
    expect(bindings[0]).toMatchObject({
      role_ref: { api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subject: [{ kind: "User", name: user, api_group: "rbac.authorization.k8s.io" }],
    });
    const kubeconfig = parseYaml(stack.output.break_glass_kubeconfig.value);
    expect(kubeconfig.users[0].user["client-certificate-data"]).toMatch(/^\$\{base64encode\(kubernetes_certificate_signing_request_v1\.[\w-]+\.certificate\)\}$/);
    expect(kubeconfig.users[0].user["client-key-data"]).toMatch(/^\$\{base64encode\(tls_private_key\.[\w-]+\.private_key_pem\)\}$/);
    expect(kubeconfig.clusters[0].cluster.server).toBe("${data.terraform_remote_state.control-plane.outputs.cluster_endpoint}");
  });
});

describe("addons options", () => {
  it("authenticates with aws eks get-token when asked", async () => {
    const { stack } = await addonsOf(exampleWith("extended-racks.yaml", (raw) => (raw.addons.clusterAuth = { mode: "exec", awsProfile: "edge" })));
    const exec = { api_version: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "${data.terraform_remote_state.control-plane.outputs.cluster_name}", "--region", "us-west-2", "--profile", "edge"] };
    expect(stack.provider.kubernetes[0].exec).toEqual([exec]);
    expect(stack.provider.helm[0].kubernetes.exec).toEqual(exec);
    expect(stack.data.aws_eks_cluster_auth).toBeUndefined();
  });

  it("asks for a token by cluster ID on local clusters", async () => {
    const { stack } = await addonsOf(exampleWith("local-cluster.yaml", (raw) => (raw.addons.clusterAuth = { mode: "exec" })));
    expect(stack.provider.kubernetes[0].exec[0].args).toEqual([
      "eks",
      "get-token",
      "--cluster-id",
      "${data.terraform_remote_state.control-plane.outputs.cluster_id}",
      "--region",
      "us-west-2",
    ]);
  });

  it("authenticates with a client certificate on a disconnected local cluster", async () => {
    const { stack } = await addonsOf(
      exampleWith("local-cluster.yaml", (raw) => (raw.addons.clusterAuth = { mode: "certificate", clientCertificateFile: "break-glass.crt", clientKeyFile: "break-glass.key" })),
    );
    expect(stack.provider.kubernetes[0]).toMatchObject({ client_certificate: '${file("break-glass.crt")}', client_key: '${file("break-glass.key")}' });
    expect(stack.provider.kubernetes[0].token).toBeUndefined();
  });

  it("un-marks EKS's own gp2 class on clusters before 1.30, so only one class is default", async () => {
    // 1.29 is no longer offered for new clusters (config/versions.ts); the stack still handles it.
    const { stack } = await addonsOf({ ...loadExample("extended-racks.yaml"), kubernetesVersion: "1.29" });
    const [annotation] = Object.values(resourcesOf(stack, "kubernetes_annotations")) as Json[];
    expect(annotation).toMatchObject({ kind: "StorageClass", metadata: { name: "gp2" }, annotations: { "storageclass.kubernetes.io/is-default-class": "false" }, force: true });
  });

  it("leaves out what is disabled", async () => {
    const { stack } = await addonsOf(
      exampleWith("extended-racks.yaml", (raw) => {
        raw.addons.loadBalancerController = { enabled: false };
        raw.addons.nodeTerminationHandler = { enabled: false };
        raw.addons.storage = { enabled: false };
      }),
    );
    expect(resourcesOf(stack, "helm_release")).toEqual({});
    expect(resourcesOf(stack, "kubernetes_storage_class_v1")).toEqual({});
  });
});
