/**
 * An IAM role for a Kubernetes service account (IRSA): trusted only by the cluster's OIDC provider,
 * for exactly one namespace/service-account, with the given permissions.
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { iamRoleArguments, IamRoleOptions, tagResources } from "../shared/resource-options";

export interface IrsaRoleProps {
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The issuer URL without https://. */
  readonly oidcProviderUrl: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /**
   * Inline permissions.
   * @default none
   */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Managed policy ARNs to attach.
   * @default none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary and path of every IAM role the construct creates.
   * @default - no boundary, path "/"
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

export class IrsaRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${props.oidcProviderUrl}:sub`, values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`] },
            { test: "StringEquals", variable: `${props.oidcProviderUrl}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });
    const role = new IamRole(this, "role", { name: props.roleName, assumeRolePolicy: trust.json, ...iamRoleArguments(props.iamRoleOptions) });
    if (props.statements && props.statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, "permissions", { statement: props.statements });
      new IamRolePolicy(this, "policy", { name: props.roleName, role: role.name, policy: policy.json });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: role.name, policyArn }));
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
