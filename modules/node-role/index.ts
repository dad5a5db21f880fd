/**
 * The IAM role and instance profile of self-managed nodes: the four managed policies every EKS
 * node needs, any extras, and inline policies for what the blueprint's nodes do themselves.
 */
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { iamRoleArguments, IamRoleOptions, tagResources } from "../shared/resource-options";

/** Managed policies of an EKS node (EKS User Guide, "Amazon EKS node IAM role"), plus SSM access. */
export const NODE_MANAGED_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
] as const;

/** The CNI's policy, which the role leaves out when the VPC CNI has its own role. */
export const NODE_CNI_POLICY = "AmazonEKS_CNI_Policy";

export interface NodeRoleProps {
  readonly roleName: string;
  /**
   * Attach AmazonEKS_CNI_Policy. Leave it out where aws-node has its own role (IRSA), so pods that
   * reach the instance profile cannot manage network interfaces (EKS User Guide, "Amazon EKS node
   * IAM role": the policy can go to the CNI's service account instead).
   * @default true
   */
  readonly cniPolicy?: boolean;
  /**
   * More policy ARNs to attach.
   * @default none
   */
  readonly extraPolicyArns?: readonly string[];
  /**
   * Inline policies by name, as IAM policy statements.
   * @default none
   */
  readonly inlinePolicies?: Readonly<Record<string, DataAwsIamPolicyDocumentStatement[]>>;
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

export class NodeRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly instanceProfileArn: string;
  readonly instanceProfileName: string;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      assumeRolePolicy: trust.json,
      description: "EKS node role (outposts-eks)",
      ...iamRoleArguments(props.iamRoleOptions),
    });
    const partition = new DataAwsPartition(this, "partition");
    for (const policy of NODE_MANAGED_POLICIES) {
      if (policy === NODE_CNI_POLICY && props.cniPolicy === false) continue;
      new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: `arn:${partition.partition}:iam::aws:policy/${policy}` });
    }
    (props.extraPolicyArns ?? []).forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `extra-${i}`, { role: this.role.name, policyArn });
    });
    for (const [name, statements] of Object.entries(props.inlinePolicies ?? {})) {
      this.addInlinePolicy(name, statements);
    }
    const profile = new IamInstanceProfile(this, "instance-profile", { name: props.roleName, role: this.role.name });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.instanceProfileArn = profile.arn;
    this.instanceProfileName = profile.name;
  }

  /** Adds an inline policy to the role (for example, what an add-on needs without IRSA). */
  addInlinePolicy(name: string, statements: DataAwsIamPolicyDocumentStatement[]): void {
    const document = new DataAwsIamPolicyDocument(this, `${name}-document`, { statement: statements });
    new IamRolePolicy(this, name, { name, role: this.role.name, policy: document.json });
  }
}
