/**
 * IrsaRole: a role only one service account can assume through the cluster's OIDC provider, with
 * inline and managed permissions.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { IrsaRole, IrsaRoleProps } from "../../modules/irsa-role";

const OIDC_ARN = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE0123";
const OIDC_URL = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE0123";

const base: IrsaRoleProps = {
  roleName: "edge-load-balancer-controller",
  oidcProviderArn: OIDC_ARN,
  oidcProviderUrl: OIDC_URL,
  namespace: "kube-system",
  serviceAccount: "aws-load-balancer-controller",
};

function synth(props: IrsaRoleProps): { synthesized: string; json: any; roleName: string } {
  const synthesized = Testing.synthScope((scope) => {
    new IrsaRole(scope, "irsa", props);
  });
  const json = JSON.parse(synthesized);
  return { synthesized, json, roleName: `\${aws_iam_role.${Object.keys(json.resource.aws_iam_role)[0]}.name}` };
}

describe("IrsaRole", () => {
  it("is trusted by the OIDC provider for exactly the service account and the STS audience", () => {
    const { synthesized, json } = synth(base);
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [OIDC_ARN] }],
          condition: [
            { test: "StringEquals", variable: `${OIDC_URL}:sub`, values: ["system:serviceaccount:kube-system:aws-load-balancer-controller"] },
            { test: "StringEquals", variable: `${OIDC_URL}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });
    const trustId = Object.keys(json.data.aws_iam_policy_document)[0];
    expect(synthesized).toHaveResourceWithProperties(IamRole, {
      name: "edge-load-balancer-controller",
      assume_role_policy: `\${data.aws_iam_policy_document.${trustId}.json}`,
    });
  });

  it("has no permissions without statements or managed policies", () => {
    const { json } = synth({ ...base, statements: [] });
    expect(Object.keys(json.data.aws_iam_policy_document)).toHaveLength(1);
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  it("puts the statements in an inline policy named after the role", () => {
    const statements = [{ effect: "Allow", actions: ["elasticloadbalancing:DescribeLoadBalancers"], resources: ["*"] }];
    const { synthesized, json, roleName } = synth({ ...base, statements });
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, { statement: statements });
    const permissionsId = Object.entries(json.data.aws_iam_policy_document).find(([, doc]: [string, any]) => doc.statement[0].actions[0].startsWith("elastic"))![0];
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicy, {
      name: "edge-load-balancer-controller",
      role: roleName,
      policy: `\${data.aws_iam_policy_document.${permissionsId}.json}`,
    });
  });

  it("attaches each managed policy", () => {
    const arns = ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", "arn:aws:iam::111122223333:policy/extra"];
    const { synthesized, json, roleName } = synth({ ...base, managedPolicyArns: arns });
    for (const arn of arns) {
      expect(synthesized).toHaveResourceWithProperties(IamRolePolicyAttachment, { role: roleName, policy_arn: arn });
    }
    expect(Object.keys(json.resource.aws_iam_role_policy_attachment)).toHaveLength(2);
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
  });
});
