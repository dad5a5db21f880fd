/**
 * How an add-on's pods get AWS credentials, and the one function that grants them.
 *
 * - `irsa`: a role of its own, trusted by the cluster's OIDC provider for exactly the add-on's
 *   service account; the chart annotates that service account with the role.
 * - `node-role`: no OIDC provider (EKS local clusters): the permissions go on the node role, and the
 *   pods reach them through the instance profile (IMDS hop limit 2).
 *
 * The service account passed here must be the one the chart runs as: each add-on module exports its
 * service account once and uses it both here and in its chart values.
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { IrsaRole } from "../irsa-role";
import { IamRoleOptions } from "./resource-options";

/** A Kubernetes service account. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export type WorkloadIdentity =
  | {
      readonly kind: "irsa";
      /** ARN of the cluster's IAM OIDC provider. */
      readonly oidcProviderArn: string;
      /** The issuer URL without https://. */
      readonly oidcProviderUrl: string;
    }
  | {
      readonly kind: "node-role";
      /** Name of the node IAM role that carries the permissions. */
      readonly nodeRoleName: string;
    };

export interface WorkloadPermissionsProps {
  readonly identity: WorkloadIdentity;
  readonly serviceAccount: ServiceAccountRef;
  /** Name of the IRSA role (irsa only). */
  readonly roleName: string;
  /** Name of the inline policy on the node role (node-role only). */
  readonly nodeRolePolicyName: string;
  /**
   * Inline permissions.
   * @default none
   */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Managed policies.
   * @default none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Boundary and path of the IRSA role.
   * @default none
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

/**
 * Construct IDs of what `grantWorkloadPermissions` creates, chosen by each caller so that the logical
 * IDs of deployed roles and policies stay as they were.
 */
export interface WorkloadPermissionIds {
  /** The IrsaRole construct (irsa). */
  readonly irsaRole: string;
  /** The node-role policy (node-role); its policy document is `<id>-document`. */
  readonly nodeRolePolicy: string;
}

export interface WorkloadPermissions {
  /** The IRSA role's ARN; empty with the node role. */
  readonly roleArn: string;
  /** Annotations for the add-on's service account. */
  readonly serviceAccountAnnotations: Record<string, string>;
}

export function grantWorkloadPermissions(scope: Construct, ids: WorkloadPermissionIds, props: WorkloadPermissionsProps): WorkloadPermissions {
  const statements = props.statements ?? [];
  const managedPolicyArns = props.managedPolicyArns ?? [];
  if (props.identity.kind === "irsa") {
    const role = new IrsaRole(scope, ids.irsaRole, {
      roleName: props.roleName,
      oidcProviderArn: props.identity.oidcProviderArn,
      oidcProviderUrl: props.identity.oidcProviderUrl,
      namespace: props.serviceAccount.namespace,
      serviceAccount: props.serviceAccount.name,
      statements: statements.length > 0 ? statements : undefined,
      managedPolicyArns: managedPolicyArns.length > 0 ? managedPolicyArns : undefined,
      iamRoleOptions: props.iamRoleOptions,
    });
    return { roleArn: role.roleArn, serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": role.roleArn } };
  }
  const nodeRoleName = props.identity.nodeRoleName;
  if (statements.length > 0) {
    const document = new DataAwsIamPolicyDocument(scope, `${ids.nodeRolePolicy}-document`, { statement: statements });
    new IamRolePolicy(scope, ids.nodeRolePolicy, { name: props.nodeRolePolicyName, role: nodeRoleName, policy: document.json });
  }
  managedPolicyArns.forEach((policyArn, i) => {
    const id = statements.length === 0 && i === 0 ? ids.nodeRolePolicy : `${ids.nodeRolePolicy}-managed-${i}`;
    new IamRolePolicyAttachment(scope, id, { role: nodeRoleName, policyArn });
  });
  return { roleArn: "", serviceAccountAnnotations: {} };
}
