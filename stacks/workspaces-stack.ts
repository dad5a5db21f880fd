/**
 * The optional bootstrap stack `workspaces`, for `backend: {type: cloud, workspaces: {...}}`: the HCP
 * Terraform project and the four workspaces the other stacks run in, with their execution modes,
 * working directories, state sharing and AWS dynamic credentials. It is deployed first, by an
 * operator, with local state or an existing workspace: the workspaces it creates cannot hold it.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { attachedManagedPolicyArns, Blueprint, CloudBackend as CloudBackendConfig, commonTags, executionModeOf, iamRoleNames, imageRepositoryPrefix, managedPermissionsBoundary, partitionOf } from "../config";
import { HcpWorkspaces, HcpWorkspaceSpec } from "../modules/hcp-workspaces";
import { AWS_PROVIDER_BASELINE, requireAwsProviderVersion } from "../modules/shared/newer-provider-arguments";
import { cloudWorkspaceName, localStatePath } from "../modules/state-backend";
import { requiredVersion, siteStackName, STACK_NAMES, STACK_READS } from "./blueprint-stack";

export const WORKSPACES_STACK_NAME = "workspaces";

/** The workspaces stack's local state, beside where a local backend would keep the others'. */
export const WORKSPACES_STATE_DIRECTORY = "terraform-state";

/** Where VCS-driven runs of a stack start: its synthesized directory, committed (docs/hcp-terraform.md). */
export function vcsWorkingDirectory(stack: string): string {
  return `cdktf.out/stacks/${stack}`;
}

/**
 * The four workspaces as the blueprint configures them; the network's alone for a network-only
 * blueprint (issue 23). For a fleet's site (`site`, with `backend` the site's, config `siteBackend`),
 * keyed and named by the site's stacks: `store-042-network`.
 */
export function workspaceSpecs(blueprint: Blueprint, backend: CloudBackendConfig, site?: string): HcpWorkspaceSpec[] {
  const vcs = backend.workspaces?.runs === "vcs";
  const stacks = blueprint.distribution === "eks" ? STACK_NAMES : STACK_NAMES.filter((stack) => stack === "network");
  return stacks.map((stack) => ({
    stack: siteStackName(stack, site),
    name: cloudWorkspaceName(backend, stack),
    executionMode: executionModeOf(blueprint, stack),
    workingDirectory: vcs ? vcsWorkingDirectory(siteStackName(stack, site)) : undefined,
    reads: STACK_READS[stack].map((read) => siteStackName(read, site)),
    description: `outposts-eks ${blueprint.name}: the ${stack} stack`,
  }));
}

/** One site of a fleet for the fleet's workspaces stack: its name and its blueprint with the site's backend. */
export interface WorkspacesSite {
  readonly site: string;
  readonly blueprint: Blueprint;
}

export class WorkspacesStack extends TerraformStack {
  readonly hcp: HcpWorkspaces;

  /**
   * @param blueprint the blueprint whose backend gives the organization, project and settings; for a
   *   fleet, its first site with `backend.workspaces` (the fleet rules make them agree)
   * @param sites a fleet's sites: one project with every site's workspaces (docs/fleets.md)
   */
  constructor(scope: Construct, readonly blueprint: Blueprint, sites?: readonly WorkspacesSite[]) {
    super(scope, WORKSPACES_STACK_NAME);
    const backend = blueprint.backend;
    if (backend.type !== "cloud" || !backend.workspaces || !backend.project) {
      throw new Error("WorkspacesStack: needs backend type cloud with a project and backend.workspaces (the config rules require both)");
    }
    const settings = backend.workspaces;
    if (settings.stateWorkspace) {
      new CloudBackend(this, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(settings.stateWorkspace),
      });
    } else {
      new LocalBackend(this, { path: localStatePath({ type: "local", stateDirectory: WORKSPACES_STATE_DIRECTORY }, WORKSPACES_STACK_NAME) });
    }
    // The operator's token: TFE_TOKEN, or what `terraform login` stored for the hostname.
    new TfeProvider(this, "tfe", { hostname: backend.hostname, organization: backend.organization });

    const credentials = settings.awsCredentials;
    const createsRole = credentials.enabled && credentials.roleArn === undefined;
    if (createsRole) {
      new AwsProvider(this, "aws", { region: blueprint.region, defaultTags: [{ tags: commonTags(blueprint.name, blueprint.tags) }] });
      requireAwsProviderVersion(this, AWS_PROVIDER_BASELINE);
    }
    const partition = partitionOf(blueprint.region);
    this.hcp = new HcpWorkspaces(this, "hcp", {
      organization: backend.organization,
      hostname: backend.hostname,
      projectName: backend.project,
      workspaces: sites
        ? sites.flatMap(({ site, blueprint: siteBlueprint }) =>
            siteBlueprint.backend.type === "cloud" ? workspaceSpecs(siteBlueprint, siteBlueprint.backend, site) : [],
          )
        : workspaceSpecs(blueprint, backend),
      agentPoolId: settings.agentPoolId,
      vcsRepo: settings.runs === "vcs" ? settings.vcsRepo : undefined,
      awsRunRole: credentials.enabled
        ? {
            existingRoleArn: credentials.roleArn,
            roleName: iamRoleNames(blueprint.name).hcpTerraformRuns,
            oidcProviderArn: credentials.oidcProviderArn,
            // The user's policies replace the default, which allows only what the stacks create.
            policyArns: credentials.policyArns,
            permissions: {
              name: blueprint.name,
              region: blueprint.region,
              partition,
              iamPath: blueprint.iam.path,
              permissionsBoundary: blueprint.iam.permissionsBoundary,
              // The blueprint's own boundary, which every other stack's roles carry (config decides both).
              boundaryPolicyName: managedPermissionsBoundary(blueprint)?.name,
              repositoryPrefixes: [imageRepositoryPrefix(blueprint), blueprint.addons.images.pullThroughCache.prefix],
              attachablePolicyArns: attachedManagedPolicyArns(blueprint, partition),
            },
          }
        : undefined,
    });

    new TerraformOutput(this, "project-id", { value: this.hcp.project.id, description: "ID of the HCP Terraform project." }).overrideLogicalId("project_id");
    new TerraformOutput(this, "workspace-ids", {
      value: Object.fromEntries(Object.entries(this.hcp.workspaces).map(([stack, workspace]) => [stack, workspace.id])),
      description: "Workspace ID by stack.",
    }).overrideLogicalId("workspace_ids");
    if (this.hcp.runRoleArn !== undefined) {
      new TerraformOutput(this, "run-role-arn", { value: this.hcp.runRoleArn, description: "The IAM role every run assumes." }).overrideLogicalId("run_role_arn");
    }
  }

  override toTerraform(): Record<string, unknown> {
    return requiredVersion.json(super.toTerraform(), this.requiredVersion);
  }

  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const rendered = super.toHclTerraform() as { hcl: string; metadata: Record<string, unknown> };
    return { ...rendered, hcl: requiredVersion.hcl(rendered.hcl, this.requiredVersion) };
  }

  private get requiredVersion(): string {
    return this.blueprint.backend.requiredVersion;
  }
}
