/**
 * Per-stack Terraform state and the matching reader of a producer's outputs.
 *
 * Every stack of a blueprint gets its own state: `<stateDirectory>/<stack>.tfstate` locally,
 * `<keyPrefix>/<stack>.tfstate` in S3, or the workspace `<workspacePrefix>-<stack>` in HCP Terraform.
 * `readRemoteState` builds the data source that reads exactly that state's outputs, so a consumer
 * works the same whether its producer was deployed by this app, another repository, or another
 * workspace: `terraform_remote_state` for every backend, or `tfe_outputs` (outputs only, never the
 * whole state) for HCP Terraform.
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/state-backend", ["@cdktf/provider-tfe"]);
import { cloudWorkspaceName } from "../shared/workspace-name";
import { DataTfeOutputs } from "@cdktf/provider-tfe/lib/data-tfe-outputs";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  NamedRemoteWorkspace,
  IResolvable,
  S3Backend,
  TerraformRemoteState,
  TerraformStack,
  Token,
} from "cdktf";
import { Construct } from "constructs";

export interface LocalStateBackend {
  readonly type: "local";
  /** Directory of the state files, relative to the project root (where cdktf.json lives). */
  readonly stateDirectory: string;
}

export interface S3StateBackend {
  readonly type: "s3";
  readonly bucket: string;
  /** Each stack's state is `<keyPrefix>/<stack>.tfstate`. */
  readonly keyPrefix: string;
  readonly region: string;
  /** Server-side encryption of the state object. */
  readonly encrypt: boolean;
  /** KMS key for SSE-KMS; SSE-S3 when omitted. */
  readonly kmsKeyId?: string;
  /** S3-native locking (Terraform >= 1.10); not a field of cdktf 0.21's S3Backend. */
  readonly useLockfile: boolean;
  /** Legacy DynamoDB lock table. */
  readonly dynamodbTable?: string;
  /** Named profile of the AWS shared config for the state bucket. */
  readonly profile?: string;
  /** A role to assume for the state bucket (the backend's `assume_role` block). */
  readonly assumeRole?: { readonly roleArn: string; readonly sessionName?: string; readonly externalId?: string };
}

export interface CloudStateBackend {
  readonly type: "cloud";
  readonly organization: string;
  readonly hostname: string;
  /** Each stack runs in the workspace `<workspacePrefix>-<stack>`. */
  readonly workspacePrefix: string;
  /**
   * The HCP Terraform project of the workspaces; the `cloud` block creates them there.
   * @default the organization's default project
   */
  readonly project?: string;
  /**
   * How consumers read a producer's outputs.
   * @default `tfe_outputs`: outputs only, which HashiCorp recommends; `terraform_remote_state` needs access to the producer's whole state
   */
  readonly readOutputsWith?: "tfe_outputs" | "terraform_remote_state";
}

export type StateBackend = LocalStateBackend | S3StateBackend | CloudStateBackend;

/** Terraform's `required_version` of every stack, unless the backend config gives one. */
export const DEFAULT_REQUIRED_TERRAFORM_VERSION = ">= 1.11";

/** How a cloud backend's consumers read outputs: `tfe_outputs` unless asked otherwise. */
export function cloudOutputReader(backend: CloudStateBackend): "tfe_outputs" | "terraform_remote_state" {
  return backend.readOutputsWith ?? "tfe_outputs";
}

/**
 * Terraform runs each stack from `cdktf.out/stacks/<stack>/`, three levels below the project root,
 * and resolves a relative local path from there. A relative path keeps synthesized output free of
 * machine-specific absolute paths.
 */
const PROJECT_ROOT_FROM_STACK_DIR = "../../..";

export function localStatePath(backend: LocalStateBackend, stackName: string): string {
  const directory = backend.stateDirectory.replace(/\/+$/, "");
  return `${PROJECT_ROOT_FROM_STACK_DIR}/${directory}/${stackName}.tfstate`;
}

export function s3StateKey(backend: S3StateBackend, stackName: string): string {
  return `${backend.keyPrefix.replace(/\/+$/, "")}/${stackName}.tfstate`;
}

export { cloudWorkspaceName };

/** Configures the stack's own backend. Call once per stack, before synthesis. */
export function applyStateBackend(stack: TerraformStack, backend: StateBackend, stackName: string): void {
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: localStatePath(backend, stackName) });
      return;
    case "s3": {
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: s3StateKey(backend, stackName),
        region: backend.region,
        encrypt: backend.encrypt,
        kmsKeyId: backend.kmsKeyId,
        dynamodbTable: backend.dynamodbTable,
        ...s3Credentials(backend),
      });
      if (backend.useLockfile) stack.addOverride("terraform.backend.s3.use_lockfile", true);
      return;
    }
    case "cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(cloudWorkspaceName(backend, stackName), backend.project),
      });
      return;
  }
}

/** The S3 backend's credentials, shared by the backend block and terraform_remote_state. */
function s3Credentials(backend: S3StateBackend): { profile?: string; assumeRole?: { roleArn: string; sessionName?: string; externalId?: string } } {
  const { profile, assumeRole } = backend;
  return {
    ...(profile === undefined ? {} : { profile }),
    ...(assumeRole === undefined ? {} : { assumeRole: { ...assumeRole } }),
  };
}

/** One published output to read: its name, and whether its producer marks it sensitive. */
export interface OutputRef {
  readonly name: string;
  readonly sensitive?: boolean;
}

/**
 * A producer stack's outputs as tokens, whichever data source reads them. An output given by name
 * alone is taken as not sensitive.
 */
export interface StackOutputsReader {
  /** The data source behind the reader. */
  readonly source: "terraform_remote_state" | "tfe_outputs";
  get(output: string | OutputRef): IResolvable;
  getString(output: string | OutputRef): string;
  getList(output: string | OutputRef): string[];
}

const refOf = (output: string | OutputRef): OutputRef => (typeof output === "string" ? { name: output } : output);

function remoteStateReader(state: TerraformRemoteState): StackOutputsReader {
  return {
    source: "terraform_remote_state",
    get: (output) => state.get(refOf(output).name),
    getString: (output) => state.getString(refOf(output).name),
    getList: (output) => state.getList(refOf(output).name),
  };
}

/**
 * tfe_outputs marks its whole `values` map sensitive and also exposes `nonsensitive_values`, the
 * outputs the producer does not mark sensitive (hashicorp/tfe docs, data source tfe_outputs). A
 * non-sensitive output is read from `nonsensitive_values`, so that it stays usable in for_each,
 * count and plan output; a sensitive one from `values`, so it stays sensitive in the consumer.
 */
function tfeOutputsReader(outputs: DataTfeOutputs): StackOutputsReader {
  const get = (output: string | OutputRef): IResolvable => {
    const ref = refOf(output);
    return outputs.interpolationForAttribute(`${ref.sensitive ? "values" : "nonsensitive_values"}.${ref.name}`);
  };
  return {
    source: "tfe_outputs",
    get,
    getString: (output) => Token.asString(get(output)),
    getList: (output) => Token.asList(get(output)),
  };
}

/** The stack's tfe provider for this hostname, created once per stack. */
export function tfeProviderFor(scope: Construct, hostname: string): TfeProvider {
  const stack = TerraformStack.of(scope);
  const id = `tfe-${hostname.replace(/[^A-Za-z0-9]/g, "-")}`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof TfeProvider) return existing;
  // The token comes from the environment: TFE_TOKEN, or the credentials `terraform login` stored.
  return new TfeProvider(stack, id, { hostname });
}

/**
 * The outputs of the state `applyStateBackend` gave `stackName`: a `terraform_remote_state`, or for
 * a cloud backend a `tfe_outputs` unless `readOutputsWith` asks for `terraform_remote_state`.
 */
export function readRemoteState(scope: Construct, id: string, backend: StateBackend, stackName: string): StackOutputsReader {
  switch (backend.type) {
    case "local":
      return remoteStateReader(new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(backend, stackName) }));
    case "s3":
      return remoteStateReader(
        new DataTerraformRemoteStateS3(scope, id, {
          bucket: backend.bucket,
          key: s3StateKey(backend, stackName),
          region: backend.region,
          encrypt: backend.encrypt,
          kmsKeyId: backend.kmsKeyId,
          ...s3Credentials(backend),
        }),
      );
    case "cloud":
      if (cloudOutputReader(backend) === "tfe_outputs") {
        return tfeOutputsReader(
          new DataTfeOutputs(scope, id, {
            organization: backend.organization,
            workspace: cloudWorkspaceName(backend, stackName),
            provider: tfeProviderFor(scope, backend.hostname),
          }),
        );
      }
      // HCP Terraform state read whole, through the `remote` backend type of terraform_remote_state.
      return remoteStateReader(
        new DataTerraformRemoteState(scope, id, {
          hostname: backend.hostname,
          organization: backend.organization,
          workspaces: new NamedRemoteWorkspace(cloudWorkspaceName(backend, stackName)),
        }),
      );
  }
}
