/**
 * HCP Terraform workspaces for a set of stacks: one project, one workspace per stack, each with its
 * execution mode, working directory, state sharing limited to the workspaces that read it, and the
 * environment variables of AWS dynamic provider credentials. Optionally the AWS side of those
 * credentials: the IAM OIDC provider for the HCP Terraform hostname and one run role trusted only
 * by these workspaces' runs.
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/hcp-workspaces", ["@cdktf/provider-tfe"]);
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { Construct } from "constructs";
import { HcpRunRoleScope, runRoleBoundaryStatements, runRoleStatements } from "./run-role-policy";

export * from "./run-role-policy";

/** The audience HCP Terraform puts in its workload identity tokens for AWS, by default. */
export const AWS_WORKLOAD_IDENTITY_AUDIENCE = "aws.workload.identity";

export type ExecutionMode = "remote" | "agent" | "local";

export interface HcpWorkspaceSpec {
  /** The stack the workspace runs, as a key: `network`. */
  readonly stack: string;
  /** The workspace name. */
  readonly name: string;
  readonly executionMode: ExecutionMode;
  /**
   * Working directory of VCS-driven runs, relative to the repository root.
   * @default none (CLI-driven)
   */
  readonly workingDirectory?: string;
  /** The stacks (keys of this set) whose outputs this one reads: each shares its state with it. */
  readonly reads: readonly string[];
  readonly description?: string;
}

export interface HcpVcsRepo {
  /** `<organization>/<repository>`. */
  readonly identifier: string;
  readonly branch?: string;
  readonly oauthTokenId?: string;
  readonly githubAppInstallationId?: string;
}

export interface HcpAwsRunRole {
  /** An existing run role: nothing is created in AWS. */
  readonly existingRoleArn?: string;
  /** Name of the role to create, when there is no existing one. */
  readonly roleName?: string;
  /**
   * The account's existing IAM OIDC provider for the hostname.
   * @default created
   */
  readonly oidcProviderArn?: string;
  /**
   * Managed policies of the created role, instead of the inline policy `permissions` builds.
   * @default - the inline policy for `permissions`, if given; else none
   */
  readonly policyArns?: readonly string[];
  /**
   * What the stacks create, for the created role's default inline policy (`runRoleStatements`):
   * used when `policyArns` is absent or empty.
   * @default - no inline policy
   */
  readonly permissions?: HcpRunRoleScope;
}

export interface HcpWorkspacesProps {
  readonly organization: string;
  /** HCP Terraform hostname, such as app.terraform.io: the issuer of the run identity tokens. */
  readonly hostname: string;
  /** Name of the project to create. */
  readonly projectName: string;
  readonly workspaces: readonly HcpWorkspaceSpec[];
  /**
   * Agent pool of the workspaces whose execution mode is `agent`.
   * @default - none (required when a workspace runs on agents)
   */
  readonly agentPoolId?: string;
  /**
   * The repository of VCS-driven runs.
   * @default none (CLI-driven runs)
   */
  readonly vcsRepo?: HcpVcsRepo;
  /**
   * AWS dynamic provider credentials.
   * @default none (credentials are the user's to set)
   */
  readonly awsRunRole?: HcpAwsRunRole;
  /**
   * Terraform version of the runs (a version or a constraint).
   * @default HCP Terraform's latest
   */
  readonly terraformVersion?: string;
}

/**
 * The `sub` claim of an HCP Terraform run of a workspace, in any run phase (HCP Terraform docs,
 * dynamic provider credentials, workload identity token).
 */
export function hcpRunSubject(organization: string, project: string, workspace: string): string {
  return `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:*`;
}

/** For each stack, the stacks that read it: the consumers its state is shared with. */
export function remoteStateConsumers(workspaces: readonly HcpWorkspaceSpec[]): Record<string, string[]> {
  const consumers: Record<string, string[]> = Object.fromEntries(workspaces.map((spec) => [spec.stack, []]));
  for (const spec of workspaces) {
    for (const producer of spec.reads) {
      if (!(producer in consumers)) throw new Error(`workspace '${spec.name}' reads '${producer}', which is not one of the workspaces`);
      consumers[producer].push(spec.stack);
    }
  }
  return consumers;
}

export class HcpWorkspaces extends Construct {
  readonly project: Project;
  /** By stack. */
  readonly workspaces: Readonly<Record<string, Workspace>>;
  readonly settings: Readonly<Record<string, WorkspaceSettings>>;
  /** The role every run assumes; undefined without AWS dynamic credentials. */
  readonly runRoleArn?: string;
  readonly oidcProvider?: IamOpenidConnectProvider;
  /** The permissions boundary created for the run role's roles (`permissions.boundaryPolicyName`). */
  readonly boundaryPolicy?: IamPolicy;
  readonly runRole?: IamRole;

  constructor(scope: Construct, id: string, props: HcpWorkspacesProps) {
    super(scope, id);
    const names = props.workspaces.map((spec) => spec.stack);
    if (new Set(names).size !== names.length) throw new Error(`HcpWorkspaces: stacks repeat: ${names.join(", ")}`);
    const agentWorkspaces = props.workspaces.filter((spec) => spec.executionMode === "agent");
    if (agentWorkspaces.length > 0 && !props.agentPoolId) {
      throw new Error(`HcpWorkspaces: ${agentWorkspaces.map((spec) => spec.name).join(", ")} run on agents, but no agentPoolId is given`);
    }
    if (props.vcsRepo && (props.vcsRepo.oauthTokenId === undefined) === (props.vcsRepo.githubAppInstallationId === undefined)) {
      throw new Error("HcpWorkspaces: vcsRepo needs exactly one of oauthTokenId and githubAppInstallationId");
    }
    const consumers = remoteStateConsumers(props.workspaces);

    this.project = new Project(this, "project", { organization: props.organization, name: props.projectName });

    const workspaces: Record<string, Workspace> = {};
    for (const spec of props.workspaces) {
      workspaces[spec.stack] = new Workspace(this, `workspace-${spec.stack}`, {
        organization: props.organization,
        name: spec.name,
        projectId: this.project.id,
        description: spec.description,
        terraformVersion: props.terraformVersion,
        workingDirectory: spec.workingDirectory,
        vcsRepo: props.vcsRepo ? { ...props.vcsRepo } : undefined,
        // No run at creation: a consumer's first run needs its producers applied, so the first runs
        // are queued by hand in deploy order (README). Later VCS runs follow changes under the
        // working directory (file triggers, on by default).
        queueAllRuns: false,
      });
    }
    this.workspaces = workspaces;

    // Execution mode and state sharing through tfe_workspace_settings: the workspace resource's
    // own arguments for them are deprecated in hashicorp/tfe 0.6x+.
    const settings: Record<string, WorkspaceSettings> = {};
    for (const spec of props.workspaces) {
      settings[spec.stack] = new WorkspaceSettings(this, `settings-${spec.stack}`, {
        workspaceId: workspaces[spec.stack].id,
        executionMode: spec.executionMode,
        agentPoolId: spec.executionMode === "agent" ? props.agentPoolId : undefined,
        globalRemoteState: false,
        remoteStateConsumerIds: consumers[spec.stack].map((consumer) => workspaces[consumer].id),
      });
    }
    this.settings = settings;

    const role = props.awsRunRole;
    if (!role) return;
    let runRoleArn = role.existingRoleArn;
    if (runRoleArn === undefined) {
      const issuer = props.hostname;
      let providerArn = role.oidcProviderArn;
      if (providerArn === undefined) {
        this.oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
          url: `https://${issuer}`,
          clientIdList: [AWS_WORKLOAD_IDENTITY_AUDIENCE],
        });
        providerArn = this.oidcProvider.arn;
      }
      // Runs of these workspaces, in this organization and project, in any phase: nothing else.
      const subjects = props.workspaces
        .filter((spec) => spec.executionMode !== "local")
        .map((spec) => hcpRunSubject(props.organization, props.projectName, spec.name));
      const trust = new DataAwsIamPolicyDocument(this, "run-role-trust", {
        statement: [
          {
            effect: "Allow",
            actions: ["sts:AssumeRoleWithWebIdentity"],
            principals: [{ type: "Federated", identifiers: [providerArn] }],
            condition: [
              { test: "StringEquals", variable: `${issuer}:aud`, values: [AWS_WORKLOAD_IDENTITY_AUDIENCE] },
              { test: "StringLike", variable: `${issuer}:sub`, values: subjects },
            ],
          },
        ],
      });
      if (!role.roleName) throw new Error("HcpWorkspaces: awsRunRole needs roleName or existingRoleArn");
      this.runRole = new IamRole(this, "run-role", {
        name: role.roleName,
        description: `HCP Terraform runs of ${props.organization}/${props.projectName}`,
        assumeRolePolicy: trust.json,
      });
      const policyArns = role.policyArns ?? [];
      policyArns.forEach((policyArn, i) => new IamRolePolicyAttachment(this, `run-role-policy-${i}`, { role: this.runRole!.name, policyArn }));
      if (policyArns.length === 0 && role.permissions) {
        const account = role.permissions.account ?? new DataAwsCallerIdentity(this, "account").accountId;
        let scope = role.permissions;
        if (scope.permissionsBoundary === undefined && scope.boundaryPolicyName !== undefined) {
          const boundaryDocument = new DataAwsIamPolicyDocument(this, "run-role-boundary-document", { statement: runRoleBoundaryStatements(scope) });
          this.boundaryPolicy = new IamPolicy(this, "run-role-boundary", {
            name: scope.boundaryPolicyName,
            path: scope.iamPath ?? "/",
            description: "Permissions boundary of every role the HCP Terraform runs create (outposts-eks)",
            policy: boundaryDocument.json,
          });
          scope = { ...scope, permissionsBoundary: this.boundaryPolicy.arn };
        }
        const permissions = new DataAwsIamPolicyDocument(this, "run-role-permissions-document", {
          statement: runRoleStatements(scope, account, this.runRole.arn),
        });
        new IamRolePolicy(this, "run-role-permissions", { name: role.roleName, role: this.runRole.name, policy: permissions.json });
      }
      runRoleArn = this.runRole.arn;
    }
    this.runRoleArn = runRoleArn;

    // Local runs take the operator's credentials: only remote and agent runs get the variables.
    for (const spec of props.workspaces.filter((candidate) => candidate.executionMode !== "local")) {
      const workspaceId = workspaces[spec.stack].id;
      new Variable(this, `aws-auth-${spec.stack}`, {
        workspaceId,
        category: "env",
        key: "TFC_AWS_PROVIDER_AUTH",
        value: "true",
        description: "AWS dynamic provider credentials",
      });
      new Variable(this, `aws-role-${spec.stack}`, {
        workspaceId,
        category: "env",
        key: "TFC_AWS_RUN_ROLE_ARN",
        value: runRoleArn,
        description: "The IAM role every run of this project assumes",
      });
    }
  }
}
