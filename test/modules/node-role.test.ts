/**
 * NodeRole: the node IAM role trusted by EC2, the four managed policies, extras, inline policies,
 * and the instance profile.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { NODE_MANAGED_POLICIES, NodeRole, NodeRoleProps } from "../../modules/node-role";

function synth(props: NodeRoleProps, after?: (role: NodeRole) => void): { synthesized: string; json: any; roleName: string; partition: string } {
  const synthesized = Testing.synthScope((scope) => {
    const role = new NodeRole(scope, "nodes", props);
    after?.(role);
  });
  const json = JSON.parse(synthesized);
  return {
    synthesized,
    json,
    roleName: `\${aws_iam_role.${Object.keys(json.resource.aws_iam_role)[0]}.name}`,
    partition: `\${data.aws_partition.${Object.keys(json.data.aws_partition)[0]}.partition}`,
  };
}

const attachments = (json: any): any[] => Object.values(json.resource.aws_iam_role_policy_attachment);

describe("NodeRole with defaults", () => {
  const { synthesized, json, roleName, partition } = synth({ roleName: "edge-nodes" });

  it("creates the role, trusted by ec2.amazonaws.com", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "edge-nodes", description: "EKS node role (outposts-eks)" });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    const trustId = Object.keys(json.data.aws_iam_policy_document)[0];
    expect(synthesized).toHaveResourceWithProperties(IamRole, { assume_role_policy: `\${data.aws_iam_policy_document.${trustId}.json}` });
  });

  it("attaches the four managed node policies, in the partition", () => {
    expect([...NODE_MANAGED_POLICIES]).toEqual([
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonSSMManagedInstanceCore",
    ]);
    for (const policy of NODE_MANAGED_POLICIES) {
      expect(synthesized).toHaveResourceWithProperties(IamRolePolicyAttachment, {
        role: roleName,
        policy_arn: `arn:${partition}:iam::aws:policy/${policy}`,
      });
    }
    expect(attachments(json)).toHaveLength(4);
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
  });

  it("creates an instance profile of the same name for the role", () => {
    expect(synthesized).toHaveResourceWithProperties(IamInstanceProfile, { name: "edge-nodes", role: roleName });
  });
});

describe("NodeRole extras", () => {
  it("attaches extra policies and adds inline policies from props and from addInlinePolicy", () => {
    const { synthesized, json, roleName } = synth(
      {
        roleName: "edge-nodes",
        extraPolicyArns: ["arn:aws:iam::111122223333:policy/extra-a", "arn:aws:iam::111122223333:policy/extra-b"],
        inlinePolicies: { "lni-tagging": [{ effect: "Allow", actions: ["ec2:CreateTags"], resources: ["*"] }] },
      },
      (role) => role.addInlinePolicy("ebs-csi", [{ effect: "Allow", actions: ["ec2:AttachVolume"], resources: ["*"] }]),
    );
    for (const arn of ["arn:aws:iam::111122223333:policy/extra-a", "arn:aws:iam::111122223333:policy/extra-b"]) {
      expect(synthesized).toHaveResourceWithProperties(IamRolePolicyAttachment, { role: roleName, policy_arn: arn });
    }
    expect(attachments(json)).toHaveLength(6);

    const documents = json.data.aws_iam_policy_document;
    const policies = Object.values(json.resource.aws_iam_role_policy) as any[];
    expect(policies.map((policy) => policy.name).sort()).toEqual(["ebs-csi", "lni-tagging"]);
    for (const policy of policies) {
      expect(policy.role).toBe(roleName);
      const documentId = policy.policy.replace(/^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/, "$1");
      const [statement] = documents[documentId].statement;
      expect(statement.actions).toEqual([policy.name === "ebs-csi" ? "ec2:AttachVolume" : "ec2:CreateTags"]);
    }
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicy, { name: "lni-tagging", role: roleName });
  });
});
