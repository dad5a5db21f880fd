/**
 * Backend rules: a local state directory stays relative and inside the project; S3-native locking
 * gets a Terraform that has it (ARNs: config/rules/arns.ts); the HCP Terraform
 * workspaces stack has what it needs (a project, an agent pool for the agent runs, a repository only
 * for VCS runs, one way to authenticate it).
 */
import { apiEndpointPrivate, stacksUsingKubernetesApi } from "../derived";
import { distributionOf } from "./distribution";
import { asObject, asString, RuleContext } from "./context";
import { s3BucketNameProblem, s3StateKeyPrefixProblem } from "../reserved";
import { compareVersions, constraintSatisfiable, parseVersion, Version } from "../version-constraints";

/** The version from which S3-native locking (`use_lockfile`) is generally available (Terraform 1.11 changelog). */
export const USE_LOCKFILE_GA_VERSION = [1, 11, 0] as const;

/**
 * The version from which Terraform reads `removed` blocks (Terraform 1.7 changelog; Terraform
 * language, "removed block"), which the stacks write where a resource moved to another state.
 */
export const REMOVED_BLOCK_VERSION = [1, 7, 0] as const;

/**
 * The lowest version a constraint admits, from its `>=`, `>`, `~>` and `=` terms; undefined when
 * nothing bounds it from below. `> x` is taken as `>= x` (close enough to decide "below 1.11").
 */
export function lowestAdmittedVersion(constraint: string): Version | undefined {
  let lowest: Version | undefined;
  for (const term of constraint.split(",")) {
    const match = /^\s*(=|!=|>=|<=|>|<|~>)?\s*([0-9][0-9A-Za-z.-]*)\s*$/.exec(term);
    if (!match) continue;
    const operator = match[1] ?? "=";
    if (!["=", ">=", ">", "~>"].includes(operator)) continue;
    const version = parseVersion(match[2]);
    if (!lowest || compareVersions(version, lowest) > 0) lowest = version;
  }
  return lowest;
}

export function backendRules(context: RuleContext): void {
  const { backend } = context;
  const type = asString(backend.type);
  const stateDirectory = asString(backend.stateDirectory);
  if (type === "local" && stateDirectory !== undefined) {
    if (stateDirectory.startsWith("~")) {
      context.add(["backend", "stateDirectory"], "starts with ~, which Terraform does not expand; give a path relative to the project root, such as terraform-state");
    } else if (stateDirectory.startsWith("/") || /^[A-Za-z]:/.test(stateDirectory)) {
      context.add(["backend", "stateDirectory"], "is absolute; give a path relative to the project root, such as terraform-state");
    } else if (stateDirectory.split(/[\\/]/).includes("..") || stateDirectory.trim() === "") {
      context.add(["backend", "stateDirectory"], "must be a non-empty path inside the project, without '..'");
    }
  }
  const bucket = asString(backend.bucket);
  if (type === "s3" && bucket !== undefined) {
    if (/^s3:\/\//.test(bucket) || bucket.includes("/")) {
      context.add(["backend", "bucket"], `is a URL or a path; give the bucket name only, such as ${bucket.replace(/^s3:\/\//, "").split("/")[0] || "my-state-bucket"} (keys go in keyPrefix)`);
    } else {
      const problem = s3BucketNameProblem(bucket);
      if (problem) context.add(["backend", "bucket"], problem);
    }
  }
  const keyPrefix = asString(backend.keyPrefix);
  if (type === "s3" && keyPrefix !== undefined) {
    const problem = s3StateKeyPrefixProblem(keyPrefix);
    if (problem) context.add(["backend", "keyPrefix"], problem);
  }
  // Every backend's stacks carry required_version: a constraint nothing satisfies fails every terraform init.
  const requiredVersion = asString(backend.requiredVersion);
  if (requiredVersion !== undefined && !constraintSatisfiable(requiredVersion)) {
    context.add(["backend", "requiredVersion"], "admits no Terraform version at all (its terms exclude each other), so every terraform init fails; give a constraint such as \">= 1.11\" or \">= 1.11, < 2.0\"");
  }
  if (type === "s3") s3Rules(context);
  if (type === "cloud") cloudRules(context);
  // With S3-native locking, s3Rules already asks for more (1.11).
  if (requiredVersion !== undefined && constraintSatisfiable(requiredVersion) && !(type === "s3" && backend.useLockfile === true)) {
    const lowest = lowestAdmittedVersion(requiredVersion);
    if (!lowest || compareVersions(lowest, REMOVED_BLOCK_VERSION) < 0) {
      context.add(
        ["backend", "requiredVersion"],
        `admits Terraform ${lowest ? lowest.join(".") : "of any version"}, but the stacks' removed blocks need >= 1.7 (earlier versions reject them); ` +
          "raise it, such as \">= 1.11\"",
      );
    }
  }
}

function s3Rules(context: RuleContext): void {
  const { backend } = context;
  // Terraform's S3 backend sends SSEKMSKeyId only when encrypt is on (internal/backend/remote-state/s3,
  // RemoteClient.Put): with encrypt false the key would be ignored without a word.
  if (asString(backend.kmsKeyId) !== undefined && backend.encrypt === false) {
    context.add(["backend", "kmsKeyId"], "needs encrypt: true; Terraform's S3 backend uses the key only for encrypted state, and would ignore it");
  }
  const requiredVersion = asString(backend.requiredVersion);
  if (backend.useLockfile === true && requiredVersion !== undefined) {
    const lowest = lowestAdmittedVersion(requiredVersion);
    if (!lowest || compareVersions(lowest, USE_LOCKFILE_GA_VERSION) < 0) {
      context.add(
        ["backend", "requiredVersion"],
        `admits Terraform ${lowest ? lowest.join(".") : "of any version"}, but useLockfile needs >= 1.11 (S3-native locking is experimental in 1.10, absent before); ` +
          "raise it, or set useLockfile: false with a dynamodbTable",
      );
    }
  }
}

function cloudRules(context: RuleContext): void {
  const { backend } = context;
  if (backend.workspaces === undefined) return;
  const workspaces = asObject(backend.workspaces);
  const path = (...rest: string[]) => ["backend", "workspaces", ...rest];
  if (backend.project === undefined) {
    context.add(["backend", "project"], "is required with backend.workspaces: the workspaces stack creates the project, and the run role's trust policy names it");
  }

  // Agents for the workspaces that must reach a private API endpoint, and only for them.
  const variant = context.variant === "local" ? "local" : "extended";
  const local = variant === "local" ? { instanceStore: asObject(context.controlPlane.local).instanceStore } : undefined;
  const shape = { variant, controlPlane: { local, endpointPublicAccess: context.controlPlane.endpointPublicAccess === true } };
  const endpointPrivate = apiEndpointPrivate(shape);
  // A network-only blueprint (distribution openshift or hypershift) has no stack that reaches a Kubernetes API.
  const networkOnly = distributionOf(context) !== "eks";
  const agentStacks = !networkOnly && endpointPrivate && workspaces.privateEndpointExecution === "agent" ? stacksUsingKubernetesApi(shape) : [];
  if (agentStacks.length > 0 && workspaces.agentPoolId === undefined) {
    context.add(
      path("agentPoolId"),
      `is required: ${agentStacks.join(" and ")} must reach the private API endpoint, which HCP-hosted runners cannot; ` +
        "give the pool of your self-hosted agents, or set privateEndpointExecution: local",
    );
  } else if (agentStacks.length === 0 && workspaces.agentPoolId !== undefined) {
    context.add(
      path("agentPoolId"),
      networkOnly
        ? "is unused: a network-only blueprint has no stack that reaches a Kubernetes API, so every workspace runs remote"
        : endpointPrivate
        ? "is unused: privateEndpointExecution is local, so no workspace runs on agents"
        : "is unused: the API endpoint is public, so every workspace runs remote",
    );
  }

  // A repository only for VCS runs, connected one way.
  const vcsRepo = workspaces.vcsRepo === undefined ? undefined : asObject(workspaces.vcsRepo);
  if (vcsRepo && workspaces.runs !== "vcs") context.add(path("vcsRepo"), "is only valid with runs: vcs");
  if (vcsRepo && (vcsRepo.oauthTokenId === undefined) === (vcsRepo.githubAppInstallationId === undefined)) {
    context.add(path("vcsRepo"), "needs exactly one of oauthTokenId and githubAppInstallationId");
  }

  // An existing run role, or a created one with its provider and policies: not both.
  const credentials = asObject(workspaces.awsCredentials);
  const createdRoleFields = ["oidcProviderArn", "policyArns"].filter((field) => credentials[field] !== undefined);
  if (credentials.enabled === false) {
    for (const field of [...(credentials.roleArn === undefined ? [] : ["roleArn"]), ...createdRoleFields]) {
      context.add(path("awsCredentials", field), "is only valid with enabled: true (dynamic provider credentials)");
    }
  } else if (credentials.roleArn !== undefined) {
    for (const field of createdRoleFields) {
      context.add(path("awsCredentials", field), "is only valid for the role the workspaces stack creates; with roleArn nothing is created in AWS");
    }
  }
  const hostname = asString(backend.hostname);
  const providerArn = asString(credentials.oidcProviderArn);
  if (hostname !== undefined && providerArn !== undefined && !providerArn.endsWith(`:oidc-provider/${hostname}`)) {
    context.add(path("awsCredentials", "oidcProviderArn"), `is not the provider for ${hostname}: its ARN must end with oidc-provider/${hostname}`);
  }
}
