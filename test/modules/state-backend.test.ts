/**
 * Each backend kind: the stack's own backend block, and the terraform_remote_state a consumer
 * builds with the reader, which must point at exactly the producer's state.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { applyStateBackend, readRemoteState, StateBackend } from "../../modules/state-backend";
import { readNetworkOutputs } from "../../stacks";

const backends: Record<string, StateBackend> = {
  local: { type: "local", stateDirectory: "terraform-state" },
  s3: {
    type: "s3",
    bucket: "state-bucket",
    keyPrefix: "outposts-eks/prod",
    region: "us-west-2",
    encrypt: true,
    kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    useLockfile: true,
    dynamodbTable: "locks",
  },
  cloud: { type: "cloud", organization: "edge-org", hostname: "app.terraform.io", workspacePrefix: "edge", readOutputsWith: "terraform_remote_state" },
};
const tfeOutputsBackend: StateBackend = { type: "cloud", organization: "edge-org", hostname: "app.terraform.io", workspacePrefix: "edge" };

function synthPair(backend: StateBackend) {
  const app = Testing.app();
  const producer = new TerraformStack(app, "network");
  applyStateBackend(producer, backend, "network");
  const consumer = new TerraformStack(app, "control-plane");
  applyStateBackend(consumer, backend, "control-plane");
  const network = readNetworkOutputs(consumer, "network", { backend, outpostNames: ["rack-a"] });
  new TerraformOutput(consumer, "vpc", { value: network.vpcId });
  new TerraformOutput(consumer, "subnets", { value: network.regionalSubnetIds });
  new TerraformOutput(consumer, "rack-a-subnet", { value: network.outposts["rack-a"].subnetId });
  return { producer: JSON.parse(Testing.synth(producer)), consumer: JSON.parse(Testing.synth(consumer)) };
}

describe("state backends and the remote-state reader", () => {
  it("local: relative state paths, and the reader reads the producer's file", () => {
    const { producer, consumer } = synthPair(backends.local);
    expect(producer.terraform.backend).toEqual({ local: { path: "../../../terraform-state/network.tfstate" } });
    expect(consumer.terraform.backend).toEqual({ local: { path: "../../../terraform-state/control-plane.tfstate" } });
    const remote = consumer.data.terraform_remote_state.network;
    expect(remote).toEqual({ backend: "local", config: { path: producer.terraform.backend.local.path } });
  });

  it("s3: one key per stack, encryption, native locking by override, and the reader reads the producer's key", () => {
    const { producer, consumer } = synthPair(backends.s3);
    expect(producer.terraform.backend.s3).toEqual({
      bucket: "state-bucket",
      key: "outposts-eks/prod/network.tfstate",
      region: "us-west-2",
      encrypt: true,
      kms_key_id: backends.s3.type === "s3" ? backends.s3.kmsKeyId : undefined,
      dynamodb_table: "locks",
      use_lockfile: true,
    });
    expect(consumer.terraform.backend.s3.key).toBe("outposts-eks/prod/control-plane.tfstate");
    const remote = consumer.data.terraform_remote_state.network;
    expect(remote.backend).toBe("s3");
    expect(remote.config).toMatchObject({ bucket: "state-bucket", key: producer.terraform.backend.s3.key, region: "us-west-2", encrypt: true });
  });

  it("s3: no use_lockfile when locking is off", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "network");
    applyStateBackend(stack, { ...(backends.s3 as Extract<StateBackend, { type: "s3" }>), useLockfile: false }, "network");
    expect(JSON.parse(Testing.synth(stack)).terraform.backend.s3.use_lockfile).toBeUndefined();
  });

  it("cloud: one workspace per stack named <prefix>-<stack>, read through the remote backend", () => {
    const { producer, consumer } = synthPair(backends.cloud);
    expect(producer.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "edge-org", workspaces: { name: "edge-network" } });
    expect(consumer.terraform.cloud.workspaces).toEqual({ name: "edge-control-plane" });
    const remote = consumer.data.terraform_remote_state.network;
    expect(remote).toEqual({
      backend: "remote",
      config: { hostname: "app.terraform.io", organization: "edge-org", workspaces: { name: "edge-network" } },
    });
  });

  it.each(Object.keys(backends))("%s (terraform_remote_state): the typed reader yields lists and maps, never hand-joined strings", (kind) => {
    const { consumer } = synthPair(backends[kind]);
    expect(consumer.output.vpc.value).toBe("${data.terraform_remote_state.network.outputs.vpc_id}");
    expect(consumer.output.subnets.value).toBe("${data.terraform_remote_state.network.outputs.regional_subnet_ids}");
    expect(consumer.output["rack-a-subnet"].value).toBe('${data.terraform_remote_state.network.outputs.outpost_subnet_ids["rack-a"]}');
  });

  it("s3: a profile and a role to assume, in the backend and in the reader alike", () => {
    const s3 = backends.s3 as Extract<StateBackend, { type: "s3" }>;
    const { producer, consumer } = synthPair({
      ...s3,
      profile: "state",
      assumeRole: { roleArn: "arn:aws:iam::111122223333:role/terraform-state", sessionName: "outposts-eks" },
    });
    const credentials = { profile: "state", assume_role: { role_arn: "arn:aws:iam::111122223333:role/terraform-state", session_name: "outposts-eks" } };
    expect(producer.terraform.backend.s3).toMatchObject(credentials);
    expect(consumer.data.terraform_remote_state.network.config).toMatchObject(credentials);
  });

  it("cloud: a project puts the workspace there through the cloud block", () => {
    const { producer } = synthPair({ ...tfeOutputsBackend, project: "edge-platform" } as StateBackend);
    expect(producer.terraform.cloud.workspaces).toEqual({ name: "edge-network", project: "edge-platform" });
  });

  it("cloud: tfe_outputs by default, one tfe provider per stack, non-sensitive outputs from nonsensitive_values", () => {
    const { consumer } = synthPair(tfeOutputsBackend);
    expect(consumer.data.terraform_remote_state).toBeUndefined();
    const outputs = consumer.data.tfe_outputs.network;
    expect(outputs).toEqual({ organization: "edge-org", workspace: "edge-network", provider: "tfe" });
    expect(consumer.provider.tfe).toEqual([{ hostname: "app.terraform.io" }]);
    expect(consumer.terraform.required_providers.tfe).toMatchObject({ source: "hashicorp/tfe" });
    expect(consumer.output.vpc.value).toBe("${data.tfe_outputs.network.nonsensitive_values.vpc_id}");
    expect(consumer.output.subnets.value).toBe("${data.tfe_outputs.network.nonsensitive_values.regional_subnet_ids}");
    expect(consumer.output["rack-a-subnet"].value).toBe('${data.tfe_outputs.network.nonsensitive_values.outpost_subnet_ids["rack-a"]}');
  });

  it("cloud: a sensitive output is read from values, which stays sensitive; two readers share one provider", () => {
    const stack = new TerraformStack(Testing.app(), "consumer");
    applyStateBackend(stack, tfeOutputsBackend, "consumer");
    const addons = readRemoteState(stack, "addons", tfeOutputsBackend, "addons");
    readRemoteState(stack, "workers", tfeOutputsBackend, "workers");
    expect(addons.source).toBe("tfe_outputs");
    new TerraformOutput(stack, "kubeconfig", { value: addons.getString({ name: "break_glass_kubeconfig", sensitive: true }), sensitive: true });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.kubeconfig.value).toBe("${data.tfe_outputs.addons.values.break_glass_kubeconfig}");
    expect(json.provider.tfe).toHaveLength(1);
  });

  it("reads a state by stack name alone, so another repository can consume the network stack", () => {
    const stack = new TerraformStack(Testing.app(), "elsewhere");
    const state = readRemoteState(stack, "net", backends.cloud, "network");
    expect(state.getString("vpc_id")).toMatch(/TfToken/);
  });
});
