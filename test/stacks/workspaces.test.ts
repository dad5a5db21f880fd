/**
 * HCP Terraform: the optional `workspaces` bootstrap stack (project, workspaces, execution modes,
 * working directories, state sharing, AWS dynamic credentials) per backend config, and the four
 * stacks reading each other through tfe_outputs with output names from the producers' contracts.
 */
import { readFileSync, rmSync } from "fs";
import * as path from "path";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { Blueprint } from "../../config";
import { remoteStateConsumers } from "../../modules/hcp-workspaces";
import {
  ADDONS_OUTPUTS,
  CONTROL_PLANE_OUTPUTS,
  NETWORK_OUTPUTS,
  OutputSpec,
  readAddonsOutputs,
  STACK_NAMES,
  STACK_READS,
  StackName,
  BLUEPRINT_APP_CONTEXT,
  WORKERS_OUTPUTS,
  WorkspacesStack,
  workspaceSpecs,
} from "../../stacks";
import { findTerraformToolchain, validateWithTerraform } from "../helpers/terraform";
import { byPath, dataSourcesOf, exampleWith, loadExample, resourcesOf, SynthResult, synthBlueprint } from "../helpers/synth";

type Raw = Record<string, any>;

const CONTRACTS: Record<StackName, Record<string, OutputSpec>> = {
  network: NETWORK_OUTPUTS,
  "control-plane": CONTROL_PLANE_OUTPUTS,
  workers: WORKERS_OUTPUTS,
  addons: ADDONS_OUTPUTS,
};

/** A cloud backend; `workspaces: null` leaves the workspaces stack out. */
function cloud(extra: Raw = {}, workspaces: Raw | null = { agentPoolId: "apool-AbCdEfGh12345678" }): (raw: Raw) => void {
  return (raw) => {
    raw.backend = { type: "cloud", organization: "edge-org", workspacePrefix: "edge", project: "edge-platform", ...extra };
    if (workspaces) raw.backend.workspaces = workspaces;
  };
}

const localCluster = (extra?: Raw, workspaces?: Raw | null) => exampleWith("local-cluster.yaml", cloud(extra, workspaces));

/** `withStacks` when a test reads the constructed stacks, which a cached synthesis does not keep. */
async function synthesized(blueprint: Blueprint, withStacks = false): Promise<SynthResult> {
  return synthBlueprint(blueprint, { fresh: withStacks });
}

/** The workspaces stack's resources of a type, by construct path below `hcp/`. */
function hcpResources(json: Raw, type: string): Record<string, any> {
  return Object.fromEntries(Object.entries(byPath(resourcesOf(json, type))).map(([key, value]) => [key.replace(/^hcp\//, ""), value]));
}

/** The run role's trust statement. */
function trustOf(json: Raw): any {
  return hcpData(json, "aws_iam_policy_document")["run-role-trust"].statement[0];
}

/** The workspaces stack's data sources of a type, by construct path below `hcp/`. */
function hcpData(json: Raw, type: string): Record<string, any> {
  return Object.fromEntries(Object.entries(byPath(dataSourcesOf(json, type))).map(([key, value]) => [key.replace(/^hcp\//, ""), value]));
}

/** `${tfe_workspace.<id>.id}` of a stack's workspace, by stack. */
function workspaceRefs(json: Raw): Record<string, string> {
  const workspaces = resourcesOf(json, "tfe_workspace");
  return Object.fromEntries(
    Object.entries(workspaces).map(([id, workspace]: [string, any]) => [workspace.name.replace(/^edge-/, ""), `\${tfe_workspace.${id}.id}`]),
  );
}

/** The local cluster on HCP Terraform, synthesized once for the two suites that read its stacks. */
let localClusterSynth: Promise<SynthResult> | undefined;
const localClusterStacks = () => (localClusterSynth ??= synthesized(localCluster(), true));
afterAll(async () => (await localClusterSynth)?.dispose());

describe("the workspaces stack: a local cluster, CLI runs, agents, a created run role", () => {
  let synth: SynthResult;
  let json: Raw;
  beforeAll(async () => {
    synth = await localClusterStacks();
    json = synth.json("workspaces");
  });

  it("is a fifth stack, deployed alone: the four keep their dependencies", () => {
    expect(synth.stackNames).toEqual(["addons", "control-plane", "network", "workers", "workspaces"]);
    expect(synth.stacks!.network.dependencies).toEqual([]);
    expect(synth.stacks!.workspaces?.dependencies).toEqual([]);
  });

  it("keeps its own state locally, requires the Terraform version, and configures tfe for the organization", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform-state/workspaces.tfstate" } });
    expect(json.terraform.required_version).toBe(">= 1.11");
    expect(json.provider.tfe).toEqual([{ hostname: "app.terraform.io", organization: "edge-org" }]);
    expect(json.provider.aws[0].region).toBe(synth.stacks!.network.blueprint.region);
  });

  it("creates the project and the four workspaces <prefix>-<stack> in it, no run queued at creation", () => {
    const project = Object.values(resourcesOf(json, "tfe_project"));
    expect(project).toEqual([expect.objectContaining({ name: "edge-platform", organization: "edge-org" })]);
    const projectId = `\${tfe_project.${Object.keys(resourcesOf(json, "tfe_project"))[0]}.id}`;
    const workspaces = Object.values(resourcesOf(json, "tfe_workspace")) as any[];
    expect(workspaces.map((w) => w.name).sort()).toEqual(["edge-addons", "edge-control-plane", "edge-network", "edge-workers"]);
    for (const workspace of workspaces) {
      expect(workspace).toMatchObject({ organization: "edge-org", project_id: projectId, queue_all_runs: false });
      expect(workspace.working_directory).toBeUndefined();
      expect(workspace.vcs_repo).toBeUndefined();
    }
  });

  it("runs workers (aws-auth) and addons on agents, the rest remote, through tfe_workspace_settings", () => {
    const settings = hcpResources(json, "tfe_workspace_settings");
    const refs = workspaceRefs(json);
    const mode = (stack: string) => ({ execution_mode: settings[`settings-${stack}`].execution_mode, agent_pool_id: settings[`settings-${stack}`].agent_pool_id });
    expect(mode("network")).toEqual({ execution_mode: "remote", agent_pool_id: undefined });
    expect(mode("control-plane")).toEqual({ execution_mode: "remote", agent_pool_id: undefined });
    expect(mode("workers")).toEqual({ execution_mode: "agent", agent_pool_id: "apool-AbCdEfGh12345678" });
    expect(mode("addons")).toEqual({ execution_mode: "agent", agent_pool_id: "apool-AbCdEfGh12345678" });
    for (const stack of STACK_NAMES) expect(settings[`settings-${stack}`].workspace_id).toBe(refs[stack]);
    // The workspace resource's own (deprecated) arguments for these stay unset.
    for (const workspace of Object.values(resourcesOf(json, "tfe_workspace")) as any[]) {
      expect(workspace).not.toHaveProperty("execution_mode");
      expect(workspace).not.toHaveProperty("remote_state_consumer_ids");
    }
  });

  it("shares each state with exactly the workspaces that read it, and with nobody else", () => {
    const settings = hcpResources(json, "tfe_workspace_settings");
    const refs = workspaceRefs(json);
    const consumers = (stack: string) => settings[`settings-${stack}`].remote_state_consumer_ids;
    expect(consumers("network")).toEqual([refs["control-plane"], refs.workers, refs.addons]);
    expect(consumers("control-plane")).toEqual([refs.workers, refs.addons]);
    expect(consumers("workers")).toEqual([refs.addons]);
    expect(consumers("addons")).toEqual([]);
    for (const stack of STACK_NAMES) expect(settings[`settings-${stack}`].global_remote_state).toBe(false);
    const pairs = Object.values(settings).reduce((count: number, s: any) => count + s.remote_state_consumer_ids.length, 0);
    expect(pairs).toBe(6);
  });

  it("gives every workspace the AWS dynamic-credential variables for one run role", () => {
    const variables = Object.values(resourcesOf(json, "tfe_variable")) as any[];
    const role = Object.keys(resourcesOf(json, "aws_iam_role"))[0];
    const refs = workspaceRefs(json);
    for (const stack of STACK_NAMES) {
      const own = variables.filter((v) => v.workspace_id === refs[stack]);
      expect(own.map((v) => [v.key, v.value, v.category]).sort()).toEqual([
        ["TFC_AWS_PROVIDER_AUTH", "true", "env"],
        ["TFC_AWS_RUN_ROLE_ARN", `\${aws_iam_role.${role}.arn}`, "env"],
      ]);
    }
  });

  it("creates the OIDC provider and a run role trusted by these workspaces' runs only", () => {
    const provider = Object.values(resourcesOf(json, "aws_iam_openid_connect_provider")) as any[];
    expect(provider).toEqual([expect.objectContaining({ url: "https://app.terraform.io", client_id_list: ["aws.workload.identity"] })]);
    const role = Object.values(resourcesOf(json, "aws_iam_role")) as any[];
    expect(role).toHaveLength(1);
    expect(role[0].name).toBe("edge-local-hcp-terraform-runs".replace("edge-local", synth.stacks!.network.blueprint.name));
    const trust = trustOf(json);
    const providerId = Object.keys(resourcesOf(json, "aws_iam_openid_connect_provider"))[0];
    expect(trust.principals).toEqual([{ type: "Federated", identifiers: [`\${aws_iam_openid_connect_provider.${providerId}.arn}`] }]);
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "app.terraform.io:aud", values: ["aws.workload.identity"] },
      {
        test: "StringLike",
        variable: "app.terraform.io:sub",
        values: STACK_NAMES.map((stack) => `organization:edge-org:project:edge-platform:workspace:edge-${stack}:run_phase:*`),
      },
    ]);
  });

  it("gives the run role, by default, an inline policy scoped to what the stacks create, and no managed policy", () => {
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).toEqual({});
    expect(JSON.stringify(json)).not.toContain("AdministratorAccess");
    const roleId = Object.keys(resourcesOf(json, "aws_iam_role"))[0];
    const documentId = Object.keys(dataSourcesOf(json, "aws_iam_policy_document")).find((id) => id.includes("run-role-permissions-document"));
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy"))).toEqual([
      expect.objectContaining({ role: `\${aws_iam_role.${roleId}.name}`, policy: `\${data.aws_iam_policy_document.${documentId}.json}` }),
    ]);
    const blueprint = synth.stacks!.network.blueprint;
    const statements = hcpData(json, "aws_iam_policy_document")["run-role-permissions-document"].statement as any[];
    const account = `\${data.aws_caller_identity.${Object.keys(dataSourcesOf(json, "aws_caller_identity"))[0]}.account_id}`;
    const bySid = Object.fromEntries(statements.map((statement) => [statement.sid, statement]));
    // No action on everything: "*" resources only with the Region condition, or for sts:GetCallerIdentity.
    expect(statements.flatMap((statement) => statement.actions)).not.toContain("*");
    // Denies may name everything: they only take away.
    const unscoped = statements.filter((statement) => statement.effect === "Allow" && statement.resources.includes("*"));
    // Route 53 is global and endpoint services' zones are AWS's: its statement is the one documented exception.
    const exempt = ["CallerIdentity", "PrivateDnsAndResolver"];
    expect(unscoped.filter((statement) => !exempt.includes(statement.sid)).every((statement) => statement.condition?.[0]?.variable === "aws:RequestedRegion")).toBe(true);
    expect(unscoped.filter((statement) => statement.condition === undefined).map((statement) => statement.actions)).toEqual([
      ["sts:GetCallerIdentity"],
      ["route53:*HostedZone*", "route53:*TagsForResource", "route53:GetChange"],
    ]);
    expect(new Set(unscoped.map((statement) => statement.condition?.[0]?.values?.[0]).filter(Boolean))).toEqual(new Set([blueprint.region]));
    expect(bySid.EksCluster.resources).toEqual(
      [`cluster/${blueprint.name}`, `access-entry/${blueprint.name}/*`, `addon/${blueprint.name}/*`, `nodegroup/${blueprint.name}/*`].map(
        (resource) => `arn:aws:eks:${blueprint.region}:${account}:${resource}`,
      ),
    );
    const roles = [`arn:aws:iam::${account}:role/${blueprint.name}-*`];
    expect(bySid.PassRolesToTheirServices.resources).toEqual(roles);
    // And the run role itself, whose changes NotItself denies.
    expect(bySid.RolesManage.resources).toEqual([...roles, `\${aws_iam_role.${roleId}.arn}`]);
    expect(bySid.PassRolesToTheirServices.condition).toEqual([
      { test: "StringEquals", variable: "iam:PassedToService", values: ["eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com"] },
    ]);
    // Exactly the managed policies the stacks attach: never AdministratorAccess.
    expect(bySid.OnlyKnownPolicies).toMatchObject({ effect: "Deny", actions: ["iam:AttachRolePolicy"], resources: ["*"] });
    expect(bySid.OnlyKnownPolicies.condition).toEqual([
      { test: "ArnNotEquals", variable: "iam:PolicyARN", values: expect.arrayContaining(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]) },
    ]);
    expect(JSON.stringify(bySid.OnlyKnownPolicies)).not.toContain("AdministratorAccess");
    expect(bySid.Repositories.resources).toEqual([
      `arn:aws:ecr:${blueprint.region}:${account}:repository/${blueprint.addons.images.repositoryPrefix ?? blueprint.name}/*`,
      `arn:aws:ecr:${blueprint.region}:${account}:repository/${blueprint.addons.images.pullThroughCache.prefix}/*`,
    ]);
    for (const sid of ["Queue", "Topic"]) expect(bySid[sid].resources[0]).toMatch(new RegExp(`:${blueprint.name}-\\*$`));
  });

  it("publishes the project, the workspace IDs and the run role", () => {
    expect(Object.keys(json.output).sort()).toEqual(["project_id", "run_role_arn", "workspace_ids"]);
  });
});

describe("the workspaces stack per backend config", () => {
  /** Only the workspaces stack is constructed: it reads the blueprint alone, not the other stacks. */
  async function workspacesJson(blueprint: Blueprint): Promise<Raw> {
    const app = Testing.app({ context: { ...BLUEPRINT_APP_CONTEXT } });
    const outdir = Testing.fullSynth(new WorkspacesStack(app, blueprint));
    try {
      return JSON.parse(readFileSync(path.join(outdir, "stacks", "workspaces", "cdk.tf.json"), "utf8"));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  const modes = (json: Raw) =>
    Object.fromEntries(Object.entries(hcpResources(json, "tfe_workspace_settings")).map(([key, s]: [string, any]) => [key.replace("settings-", ""), s.execution_mode]));

  it("extended cluster, private endpoint: only addons runs on agents (nodes join through access entries)", async () => {
    const json = await workspacesJson(exampleWith("extended-racks.yaml", cloud()));
    expect(modes(json)).toEqual({ network: "remote", "control-plane": "remote", workers: "remote", addons: "agent" });
  });

  it("extended cluster, public endpoint: every workspace runs remote, no agent pool", async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      cloud({}, {})(raw);
      raw.controlPlane = { ...raw.controlPlane, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] };
    });
    const json = await workspacesJson(blueprint);
    expect(modes(json)).toEqual({ network: "remote", "control-plane": "remote", workers: "remote", addons: "remote" });
    expect(Object.values(hcpResources(json, "tfe_workspace_settings")).every((s: any) => s.agent_pool_id === undefined)).toBe(true);
  });

  it("local execution for the private-endpoint stacks: no agents, and no AWS variables where the operator's credentials apply", async () => {
    const json = await workspacesJson(localCluster({}, { privateEndpointExecution: "local" }));
    expect(modes(json)).toEqual({ network: "remote", "control-plane": "remote", workers: "local", addons: "local" });
    const refs = workspaceRefs(json);
    const variables = Object.values(resourcesOf(json, "tfe_variable")) as any[];
    expect(new Set(variables.map((v) => v.workspace_id))).toEqual(new Set([refs.network, refs["control-plane"]]));
    const trust = trustOf(json);
    expect(trust.condition[1].values).toEqual(["network", "control-plane"].map((s) => `organization:edge-org:project:edge-platform:workspace:edge-${s}:run_phase:*`));
  });

  it("VCS runs: each workspace follows the repository from cdktf.out/stacks/<stack>", async () => {
    const vcsRepo = { identifier: "edge/infra", branch: "main", githubAppInstallationId: "ghain-AbCd1234" };
    const json = await workspacesJson(localCluster({}, { agentPoolId: "apool-AbCdEfGh12345678", runs: "vcs", vcsRepo }));
    for (const workspace of Object.values(resourcesOf(json, "tfe_workspace")) as any[]) {
      const stack = workspace.name.replace(/^edge-/, "");
      expect(workspace.working_directory).toBe(`cdktf.out/stacks/${stack}`);
      expect(workspace.vcs_repo).toEqual({ identifier: "edge/infra", branch: "main", github_app_installation_id: "ghain-AbCd1234" });
    }
  });

  it("an existing run role: nothing created in AWS, no AWS provider, the variables name that role", async () => {
    const roleArn = "arn:aws:iam::111122223333:role/hcp-terraform-runs";
    const json = await workspacesJson(localCluster({}, { agentPoolId: "apool-AbCdEfGh12345678", awsCredentials: { roleArn } }));
    expect(json.provider.aws).toBeUndefined();
    expect(Object.keys(json.resource).filter((type) => type.startsWith("aws_"))).toEqual([]);
    const roles = (Object.values(resourcesOf(json, "tfe_variable")) as any[]).filter((v) => v.key === "TFC_AWS_RUN_ROLE_ARN");
    expect(roles).toHaveLength(4);
    expect(new Set(roles.map((v) => v.value))).toEqual(new Set([roleArn]));
  });

  it("an existing OIDC provider: the role is created and trusts it, no second provider", async () => {
    const oidcProviderArn = "arn:aws:iam::111122223333:oidc-provider/app.terraform.io";
    const json = await workspacesJson(localCluster({}, { agentPoolId: "apool-AbCdEfGh12345678", awsCredentials: { oidcProviderArn } }));
    expect(resourcesOf(json, "aws_iam_openid_connect_provider")).toEqual({});
    const trust = trustOf(json);
    expect(trust.principals[0].identifiers).toEqual([oidcProviderArn]);
  });

  it("policyArns replace the default inline policy", async () => {
    const policyArns = ["arn:aws:iam::111122223333:policy/platform-deployer"];
    const json = await workspacesJson(localCluster({}, { agentPoolId: "apool-AbCdEfGh12345678", awsCredentials: { policyArns } }));
    expect((Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")) as any[]).map((a) => a.policy_arn)).toEqual(policyArns);
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
    expect(hcpData(json, "aws_iam_policy_document")["run-role-permissions-document"]).toBeUndefined();
  });

  it("a permissions boundary and an IAM path: roles under the path, created and given policies only with the boundary", async () => {
    const boundary = "arn:aws:iam::111122223333:policy/platform-boundary";
    const blueprint = exampleWith("local-cluster.yaml", (raw) => {
      cloud()(raw);
      raw.iam = { permissionsBoundary: boundary, path: "/platform/" };
      raw.workers = { ...raw.workers, extraNodePolicyArns: ["arn:aws:iam::111122223333:policy/node-extra"] };
    });
    const json = await workspacesJson(blueprint);
    const bySid = Object.fromEntries((hcpData(json, "aws_iam_policy_document")["run-role-permissions-document"].statement as any[]).map((st) => [st.sid, st]));
    expect(bySid.RolesManage.actions).toContain("iam:CreateRole");
    // The explicit deny holds every role change to roles that carry the given boundary; no boundary is created.
    expect(bySid.RolesOnlyWithTheBoundary.condition).toEqual([{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [boundary] }]);
    expect(resourcesOf(json, "aws_iam_policy")).toEqual({});
    expect(bySid.OnlyKnownPolicies.condition).toEqual([
      { test: "ArnNotEquals", variable: "iam:PolicyARN", values: expect.arrayContaining(["arn:aws:iam::aws:policy/AmazonEKSLocalOutpostClusterPolicy", "arn:aws:iam::111122223333:policy/node-extra"]) },
    ]);
    expect(bySid.RolesManage.actions).not.toContain("iam:DeleteRolePermissionsBoundary");
    expect(bySid.RolesManage.resources[0]).toMatch(new RegExp(`:role/platform/${blueprint.name}-\\*$`));
    expect(bySid.InstanceProfiles.resources.map((arn: string) => arn.replace(/^.*:instance-profile/, ""))).toEqual([`/platform/${blueprint.name}-*`, `/${blueprint.name}-*`]);
  });

  it("no boundary given: the workspaces stack creates one, and every other stack's roles carry it", async () => {
    const blueprint = localCluster();
    expect(blueprint.iam.permissionsBoundary).toBeUndefined();
    const json = await workspacesJson(blueprint);
    const [policyId, policy] = Object.entries(resourcesOf(json, "aws_iam_policy"))[0] as [string, Raw];
    expect(policy.name).toBe(`${blueprint.name}-hcp-terraform-boundary`);
    const bySid = Object.fromEntries((hcpData(json, "aws_iam_policy_document")["run-role-permissions-document"].statement as any[]).map((st) => [st.sid, st]));
    expect(bySid.RolesOnlyWithTheBoundary.condition[0].values).toEqual([`\${aws_iam_policy.${policyId}.arn}`]);
    const synth = await synthBlueprint(blueprint);
    try {
      for (const stack of synth.stackNames.filter((name) => name !== "workspaces")) {
        for (const role of Object.values(resourcesOf(synth.json(stack), "aws_iam_role")) as Raw[]) {
          expect([stack, role.permissions_boundary]).toEqual([
            stack,
            expect.stringMatching(new RegExp(`^arn:aws:iam::\\$\\{data\\.aws_caller_identity\\.[\\w-]+\\.account_id\\}:policy/${blueprint.name}-hcp-terraform-boundary$`)),
          ]);
        }
      }
    } finally {
      synth.dispose();
    }
    // With its own run role, or its own policies, the blueprint creates no boundary.
    expect(resourcesOf(await workspacesJson(localCluster({}, { agentPoolId: "apool-AbCdEfGh12345678", awsCredentials: { policyArns: ["arn:aws:iam::111122223333:policy/p"] } })), "aws_iam_policy")).toEqual({});
  });

  it("dynamic credentials off: no variables, nothing in AWS", async () => {
    const json = await workspacesJson(localCluster({}, { agentPoolId: "apool-AbCdEfGh12345678", awsCredentials: { enabled: false } }));
    expect(resourcesOf(json, "tfe_variable")).toEqual({});
    expect(json.provider.aws).toBeUndefined();
    expect(json.output.run_role_arn).toBeUndefined();
  });

  it("an existing workspace for its own state, a Terraform Enterprise hostname in the trust policy", async () => {
    const json = await workspacesJson(
      localCluster({ hostname: "tfe.example.com", requiredVersion: ">= 1.11, < 2.0" }, { agentPoolId: "apool-AbCdEfGh12345678", stateWorkspace: "edge-bootstrap" }),
    );
    expect(json.terraform.cloud).toEqual({ hostname: "tfe.example.com", organization: "edge-org", workspaces: { name: "edge-bootstrap" } });
    expect(json.terraform.backend).toBeUndefined();
    expect(json.terraform.required_version).toBe(">= 1.11, < 2.0");
    const provider = Object.values(resourcesOf(json, "aws_iam_openid_connect_provider")) as any[];
    expect(provider[0].url).toBe("https://tfe.example.com");
    const trust = trustOf(json);
    expect(trust.condition.map((c: any) => c.variable)).toEqual(["tfe.example.com:aud", "tfe.example.com:sub"]);
  });

  it("is not built without backend.workspaces, nor for the other backends", async () => {
    for (const blueprint of [localCluster({}, null), loadExample("extended-racks.yaml"), loadExample("existing-vpc.yaml")]) {
      // The stacks' files, cached for the examples: a workspaces stack would be a fifth directory.
      const synth = await synthesized(blueprint);
      try {
        expect(synth.stackNames).toEqual(["addons", "control-plane", "network", "workers"]);
      } finally {
        synth.dispose();
      }
    }
  });
});

describe("consumers read their producers through tfe_outputs", () => {
  let synth: SynthResult;
  beforeAll(async () => {
    synth = await localClusterStacks();
  });

  it("reads exactly the stacks STACK_READS names (which the workspaces stack shares), one tfe_outputs each", () => {
    for (const stack of STACK_NAMES) {
      const json = synth.json(stack);
      expect(json.data?.terraform_remote_state).toBeUndefined();
      const outputs = json.data?.tfe_outputs ?? {};
      expect(Object.keys(outputs).sort()).toEqual([...STACK_READS[stack]].sort());
      for (const [producer, source] of Object.entries(outputs) as Array<[string, any]>) {
        expect(source).toMatchObject({ organization: "edge-org", workspace: `edge-${producer}`, provider: "tfe" });
      }
      if (STACK_READS[stack].length > 0) expect(json.provider.tfe).toEqual([{ hostname: "app.terraform.io" }]);
      else expect(json.provider.tfe).toBeUndefined();
      expect(json.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "edge-org", workspaces: { name: `edge-${stack}`, project: "edge-platform" } });
    }
    // The sharing the workspaces stack sets up is the inverse of the same table.
    expect(remoteStateConsumers(workspaceSpecs(synth.stacks!.network.blueprint, synth.stacks!.network.blueprint.backend as any))).toEqual({
      network: ["control-plane", "workers", "addons"],
      "control-plane": ["workers", "addons"],
      workers: ["addons"],
      addons: [],
    });
  });

  it("names only outputs the producers publish under their contracts, none of them sensitive, from nonsensitive_values", () => {
    for (const stack of STACK_NAMES) {
      const text = synth.file(stack);
      const references = [...text.matchAll(/data\.tfe_outputs\.([\w-]+)\.(values|nonsensitive_values)\.(\w+)/g)];
      const producers = new Set(references.map((match) => match[1]));
      expect([...producers].sort()).toEqual([...STACK_READS[stack]].sort());
      for (const [, producer, attribute, name] of references) {
        const spec = Object.values(CONTRACTS[producer as StackName]).find((candidate) => candidate.name === name);
        expect({ stack, producer, name, inContract: spec !== undefined }).toEqual({ stack, producer, name, inContract: true });
        expect(Object.keys(synth.json(producer).output)).toContain(name);
        expect({ name, attribute }).toEqual({ name, attribute: spec?.sensitive ? "values" : "nonsensitive_values" });
      }
    }
  });

  it("every stack requires the configured Terraform version", () => {
    for (const stack of STACK_NAMES) expect(synth.json(stack).terraform.required_version).toBe(">= 1.11");
  });

  it("terraform_remote_state when the config asks for it", async () => {
    const other = await synthesized(localCluster({ readOutputsWith: "terraform_remote_state" }));
    try {
      const addons = other.json("addons");
      expect(addons.data.tfe_outputs).toBeUndefined();
      expect(Object.keys(addons.data.terraform_remote_state).sort()).toEqual(["control-plane", "network", "workers"]);
      expect(addons.data.terraform_remote_state.network).toMatchObject({ backend: "remote", config: { workspaces: { name: "edge-network" } } });
    } finally {
      other.dispose();
    }
  });
});

describe("sensitive outputs stay sensitive", () => {
  it("the producer marks break_glass_kubeconfig sensitive, and a reader takes it from tfe_outputs' values", async () => {
    const synth = await synthesized(localCluster());
    try {
      expect(synth.json("addons").output.break_glass_kubeconfig.sensitive).toBe(true);
      const sensitive = Object.values(ADDONS_OUTPUTS).filter((spec: OutputSpec) => spec.sensitive);
      expect(sensitive.map((spec) => spec.name)).toEqual(["break_glass_kubeconfig"]);
      for (const spec of Object.values(ADDONS_OUTPUTS) as OutputSpec[]) {
        expect({ name: spec.name, sensitive: synth.json("addons").output[spec.name].sensitive ?? false }).toEqual({ name: spec.name, sensitive: spec.sensitive ?? false });
      }
    } finally {
      synth.dispose();
    }
    const stack = new TerraformStack(Testing.app(), "platform");
    const addons = readAddonsOutputs(stack, "addons", localCluster().backend);
    new TerraformOutput(stack, "kubeconfig", { value: addons.breakGlassKubeconfig, sensitive: true });
    new TerraformOutput(stack, "expiry", { value: addons.breakGlassCertificateExpiry });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.kubeconfig.value).toBe("${data.tfe_outputs.addons.values.break_glass_kubeconfig}");
    expect(json.output.expiry.value).toBe("${data.tfe_outputs.addons.nonsensitive_values.break_glass_certificate_expiry}");
  });
});

const lookup = findTerraformToolchain();
const tfeReason = lookup.toolchain
  ? lookup.toolchain.providers.has("hashicorp/tfe")
    ? undefined
    : `hashicorp/tfe is not in the provider mirror ${lookup.toolchain.mirror} (it holds ${[...lookup.toolchain.providers].join(", ")})`
  : lookup.reason;
if (tfeReason) console.warn(`terraform validate of the workspaces stack skipped: ${tfeReason}`);
const withTfe = tfeReason ? describe.skip : describe;

withTfe("terraform validate of the workspaces stack", () => {
  it("validates the workspaces stack, JSON and HCL, with no error or warning", async () => {
    const blueprint = localCluster();
    const json = await synthBlueprint(blueprint);
    const hcl = await synthBlueprint(blueprint, { hcl: true });
    try {
      const reports = validateWithTerraform(lookup.toolchain!, [
        { label: "workspaces.json", format: "json", content: json.file("workspaces"), json: json.json("workspaces"), keepProviderBlocks: true },
        { label: "workspaces.hcl", format: "hcl", content: hcl.file("workspaces"), json: json.json("workspaces") },
      ]);
      for (const report of reports) expect({ label: report.label, skipped: report.skipped, errors: report.errors, warnings: report.warnings }).toEqual({ label: report.label, errors: [], warnings: [] });
    } finally {
      json.dispose();
      hcl.dispose();
    }
  }, 180_000);
});

describe("the workspaces stack of a network-only blueprint (issue 23)", () => {
  it("creates the network's workspace alone, run remote: no stack reaches a Kubernetes API", async () => {
    const synth = await synthesized(exampleWith("openshift-outposts.yaml", cloud({}, {})));
    try {
      expect(synth.stackNames).toEqual(["network", "workspaces"]);
      const workspaces = Object.values(resourcesOf(synth.json("workspaces"), "tfe_workspace")) as any[];
      expect(workspaces.map((w) => [w.name, w.execution_mode ?? "remote"])).toEqual([["edge-network", "remote"]]);
    } finally {
      synth.dispose();
    }
  });

  it("reports an agent pool as unused", () => {
    expect(() => exampleWith("hypershift-outposts.yaml", cloud())).toThrow(/agentPoolId.*is unused: a network-only blueprint has no stack that reaches a Kubernetes API/s);
  });
});
