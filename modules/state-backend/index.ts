/**
 * Per-stack Terraform state and the matching `terraform_remote_state` reader.
 *
 * Every stack of a blueprint gets its own state: `<stateDirectory>/<stack>.tfstate` locally,
 * `<keyPrefix>/<stack>.tfstate` in S3, or the workspace `<workspacePrefix>-<stack>` in Terraform
 * Cloud. `readRemoteState` builds the data source that reads exactly that state, so a consumer works
 * the same whether its producer was deployed by this app, another repository, or another workspace.
 */
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  NamedRemoteWorkspace,
  S3Backend,
  TerraformRemoteState,
  TerraformStack,
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
}

export interface CloudStateBackend {
  readonly type: "cloud";
  readonly organization: string;
  readonly hostname: string;
  /** Each stack runs in the workspace `<workspacePrefix>-<stack>`. */
  readonly workspacePrefix: string;
}

export type StateBackend = LocalStateBackend | S3StateBackend | CloudStateBackend;

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

export function cloudWorkspaceName(backend: CloudStateBackend, stackName: string): string {
  return `${backend.workspacePrefix}-${stackName}`;
}

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
      });
      if (backend.useLockfile) stack.addOverride("terraform.backend.s3.use_lockfile", true);
      return;
    }
    case "cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(cloudWorkspaceName(backend, stackName)),
      });
      return;
  }
}

/** A `terraform_remote_state` data source that reads the state `applyStateBackend` gave `stackName`. */
export function readRemoteState(scope: Construct, id: string, backend: StateBackend, stackName: string): TerraformRemoteState {
  switch (backend.type) {
    case "local":
      return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(backend, stackName) });
    case "s3":
      return new DataTerraformRemoteStateS3(scope, id, {
        bucket: backend.bucket,
        key: s3StateKey(backend, stackName),
        region: backend.region,
        encrypt: backend.encrypt,
        kmsKeyId: backend.kmsKeyId,
      });
    case "cloud":
      // Terraform Cloud state is read through the `remote` backend type of terraform_remote_state.
      return new DataTerraformRemoteState(scope, id, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedRemoteWorkspace(cloudWorkspaceName(backend, stackName)),
      });
  }
}
