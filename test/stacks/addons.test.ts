import { readFileSync } from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { Blueprint } from "../../config";
import { loadBalancerControllerStatements } from "../../modules/load-balancer-controller";
import { ADDONS_OUTPUTS } from "../../stacks";
import { factsFromReference, findReferenceDir, referenceFacts } from "../helpers/reference";
import { byPath, dataSourcesOf, EXAMPLES, exampleWith, loadExample, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

const FACTS = referenceFacts();
const REFERENCE_DIR = findReferenceDir();
if (!REFERENCE_DIR) {
  // Printed, never silent: a fresh clone has no shared/reference, and the kept facts stand in for it.
  console.warn("reference freshness check skipped: shared/reference not found beside the project or above it");
}

async function addonsOf(blueprint: Blueprint): Promise<{ stack: Json; annotations: Json[] }> {
  const synth = await synthBlueprint(blueprint);
  try {
    const manifest = JSON.parse(readFileSync(path.join(synth.outdir, "manifest.json"), "utf8"));
    return { stack: synth.json("addons"), annotations: manifest.stacks.addons.annotations };
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

describe.each(EXAMPLES)("addons stack of %s", (example) => {
  let blueprint: Blueprint;
  let stack: Json;
  let annotations: Json[];
  let releases: Json;
  const racks = () => blueprint.outposts.filter((o) => o.formFactor === "rack");

  beforeAll(async () => {
    blueprint = loadExample(example);
    ({ stack, annotations } = await addonsOf(blueprint));
    releases = byPath(resourcesOf(stack, "helm_release"));
  });

  it("configures the Kubernetes and Helm providers with the cluster endpoint, CA and a token", () => {
    const credentials = {
      host: "${data.terraform_remote_state.control-plane.outputs.cluster_endpoint}",
      cluster_ca_certificate: "${base64decode(data.terraform_remote_state.control-plane.outputs.cluster_certificate_authority_data)}",
      token: expect.stringMatching(/^\$\{data\.aws_eks_cluster_auth\.[\w-]+\.token\}$/),
    };
    expect(stack.provider.kubernetes[0]).toEqual(credentials);
    expect(stack.provider.helm[0]).toEqual({ kubernetes: credentials });
    // Local clusters accept only tokens issued for their cluster ID.
    expect(Object.values(dataSourcesOf(stack, "aws_eks_cluster_auth"))[0]).toMatchObject({
      name: `\${data.terraform_remote_state.control-plane.outputs.${blueprint.variant === "local" ? "cluster_id" : "cluster_name"}}`,
    });
  });

  it("reads the control-plane, workers and network outputs through remote state", () => {
    expect(Object.keys(stack.data.terraform_remote_state).sort()).toEqual(["control-plane", "network", "workers"]);
  });

  it("installs the Load Balancer Controller 3.5.0 on racks, with valid chart values", () => {
    const release = releases["load-balancer-controller/release"];
    if (racks().length === 0) {
      expect(release).toBeUndefined();
      expect(annotations).toEqual(expect.arrayContaining([expect.objectContaining({ level: "@cdktf/warn", message: expect.stringContaining("No AWS Load Balancer Controller") })]));
      return;
    }
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

    if (blueprint.variant === "extended") {
      expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.load-balancer-controller_role_/);
      const trust = byPath(dataSourcesOf(stack, "aws_iam_policy_document"))["load-balancer-controller/role/trust"].statement[0];
      expect(trust.condition[0].values).toEqual(["system:serviceaccount:kube-system:aws-load-balancer-controller"]);
    } else {
      expect(values.serviceAccount.annotations).toEqual({});
      const policy = byPath(resourcesOf(stack, "aws_iam_role_policy"))["load-balancer-controller/node-role-policy"];
      expect(policy.role).toBe("${data.terraform_remote_state.workers.outputs.node_role_name}");
    }
  });

  it("gives each rack an IngressClass pinned to its subnet, through a Helm release after the controller", () => {
    const release = releases["load-balancer-controller/ingress-classes"];
    if (racks().length === 0) {
      expect(release).toBeUndefined();
      return;
    }
    expect(release.chart).toMatch(/^\.\/assets\/load-balancer-controller_ingress-classes-chart_\w+\/\w+$/);
    expect(release.depends_on).toEqual([expect.stringMatching(/^helm_release\.load-balancer-controller_release/)]);
    expect(releaseValues(release)).toEqual({
      classes: racks().map((rack) => ({
        name: `alb-${rack.name}`,
        outpost: rack.name,
        subnetId: `\${data.terraform_remote_state.network.outputs.outpost_subnet_ids["${rack.name}"]}`,
      })),
    });
    expect(stack.output.ingress_class_names.value).toEqual(Object.fromEntries(racks().map((rack) => [rack.name, `alb-${rack.name}`])));
  });

  it("makes an encrypted gp2 class the only default StorageClass, with the EBS CSI driver per variant", () => {
    const classes = Object.values(resourcesOf(stack, "kubernetes_storage_class_v1")) as Json[];
    if (racks().length === 0) {
      expect(classes).toEqual([]);
      expect(annotations).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining("No EBS storage") })]));
      return;
    }
    expect(classes).toHaveLength(1);
    expect(classes[0]).toMatchObject({
      metadata: { name: "gp2-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp2", encrypted: "true" },
      volume_binding_mode: "WaitForFirstConsumer",
    });
    const unmarked = Object.values(resourcesOf(stack, "kubernetes_annotations")) as Json[];
    expect(unmarked.every((a) => a.annotations["storageclass.kubernetes.io/is-default-class"] === "false")).toBe(true);
    const addons = byPath(resourcesOf(stack, "aws_eks_addon"));
    if (blueprint.variant === "extended") {
      expect(addons["ebs-storage/driver"]).toMatchObject({
        addon_name: "aws-ebs-csi-driver",
        addon_version: expect.stringMatching(/^\$\{data\.aws_eks_addon_version\.[\w-]+\.version\}$/),
        service_account_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.ebs-storage_driver-role_/),
      });
    } else {
      expect(addons["ebs-storage/driver"]).toBeUndefined();
      expect(releases["ebs-storage/driver"]).toMatchObject({ chart: "aws-ebs-csi-driver", version: "2.53.0" });
      const attachment = byPath(resourcesOf(stack, "aws_iam_role_policy_attachment"))["ebs-storage/node-role-driver-policy"];
      expect(attachment.policy_arn).toMatch(/AmazonEBSCSIDriverPolicy$/);
    }
  });

  it("tunes the VPC CNI the way the variant allows, and spreads CoreDNS across Outposts on extended clusters", () => {
    const expected: Record<string, string> = {};
    const cni = blueprint.addons.vpcCni;
    if (cni.warmEniTarget !== undefined) expected.WARM_ENI_TARGET = String(cni.warmEniTarget);
    if (cni.warmIpTarget !== undefined) expected.WARM_IP_TARGET = String(cni.warmIpTarget);
    if (cni.minimumIpTarget !== undefined) expected.MINIMUM_IP_TARGET = String(cni.minimumIpTarget);
    if (cni.mtu !== undefined) expected.AWS_VPC_ENI_MTU = String(cni.mtu);
    const addons = byPath(resourcesOf(stack, "aws_eks_addon"));
    if (blueprint.variant === "extended") {
      for (const name of ["vpc-cni", "coredns", "kube-proxy"]) {
        expect(addons[`core-addons/${name}`]).toMatchObject({
          addon_name: name,
          addon_version: expect.stringMatching(/^\$\{data\.aws_eks_addon_version\.core-addons_[\w-]+\.version\}$/),
        });
      }
      const cniConfig = addons["core-addons/vpc-cni"].configuration_values;
      if (Object.keys(expected).length > 0) expect(JSON.parse(cniConfig)).toEqual({ env: expected });
      else expect(cniConfig).toBeUndefined();
      const coredns = JSON.parse(addons["core-addons/coredns"].configuration_values);
      expect(coredns.replicaCount).toBe(blueprint.addons.coreDns.replicas);
      expect(coredns.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "outposts-eks.io/outpost", labelSelector: { matchLabels: { "k8s-app": "kube-dns" } } });
      expect(resourcesOf(stack, "kubernetes_env")).toEqual({});
    } else {
      expect(resourcesOf(stack, "aws_eks_addon")).toEqual({});
      const [env] = Object.values(resourcesOf(stack, "kubernetes_env")) as Json[];
      expect(env).toMatchObject({ api_version: "apps/v1", kind: "DaemonSet", container: "aws-node", metadata: { name: "aws-node", namespace: "kube-system" }, force: true });
      expect(Object.fromEntries(env.env.map((e: Json) => [e.name, e.value]))).toEqual(expected);
    }
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
      blueprint.variant === "extended" ? { "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.workers.outputs.nth_role_arn}" } : {},
    );
    expect(unknownValueKeys(values, FACTS.nthValues)).toEqual([]);
  });

  it("gives local clusters a break-glass x.509 admin and a sensitive kubeconfig, and extended clusters none", () => {
    const csrs = Object.values(resourcesOf(stack, "kubernetes_certificate_signing_request_v1")) as Json[];
    const bindings = Object.values(resourcesOf(stack, "kubernetes_cluster_role_binding_v1")) as Json[];
    expect(stack.output.break_glass_kubeconfig.sensitive).toBe(true);
    if (blueprint.variant === "extended") {
      expect(csrs).toEqual([]);
      expect(bindings).toEqual([]);
      expect(resourcesOf(stack, "tls_private_key")).toEqual({});
      expect(stack.output.break_glass_kubeconfig.value).toBe("");
      return;
    }
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

  it("publishes every output of the contract under its fixed name", () => {
    expect(Object.keys(stack.output).sort()).toEqual(Object.values(ADDONS_OUTPUTS).map((o) => o.name).sort());
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
