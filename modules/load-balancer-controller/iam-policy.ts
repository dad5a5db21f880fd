/**
 * The AWS Load Balancer Controller's IAM permissions, least privilege: the actions of the official
 * v3.5.0 policy (kubernetes-sigs/aws-load-balancer-controller, docs/install/iam_policy.json), with its
 * tag-based conditions, so the controller may only change load balancers and security groups it
 * created and tagged `elbv2.k8s.aws/cluster`. test/modules compares the action set with that file.
 */
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
const requestTagPresent = { test: "Null", variable: `aws:RequestTag/${CLUSTER_TAG}`, values: ["false"] };
const requestTagAbsent = { test: "Null", variable: `aws:RequestTag/${CLUSTER_TAG}`, values: ["true"] };
const resourceTagPresent = { test: "Null", variable: `aws:ResourceTag/${CLUSTER_TAG}`, values: ["false"] };

const elb = (...actions: string[]) => actions.map((action) => `elasticloadbalancing:${action}`);
const ec2 = (...actions: string[]) => actions.map((action) => `ec2:${action}`);

const LOAD_BALANCER_AND_TARGET_GROUP_ARNS = (partition: string) => [
  `arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`,
  `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
  `arn:${partition}:elasticloadbalancing:*:*:loadbalancer/app/*/*`,
];

/** The controller's policy statements; `partition` is usually "aws". */
export function loadBalancerControllerStatements(partition: string): DataAwsIamPolicyDocumentStatement[] {
  const securityGroups = `arn:${partition}:ec2:*:*:security-group/*`;
  return [
    {
      sid: "ServiceLinkedRole",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: ["elasticloadbalancing.amazonaws.com"] }],
    },
    {
      sid: "Describe",
      actions: [
        ...ec2(
          "DescribeAccountAttributes",
          "DescribeAddresses",
          "DescribeAvailabilityZones",
          "DescribeInternetGateways",
          "DescribeVpcs",
          "DescribeVpcPeeringConnections",
          "DescribeSubnets",
          "DescribeSecurityGroups",
          "DescribeInstances",
          "DescribeNetworkInterfaces",
          "DescribeTags",
          "GetCoipPoolUsage",
          "DescribeCoipPools",
          "GetSecurityGroupsForVpc",
          "DescribeIpamPools",
          "DescribeRouteTables",
        ),
        ...elb(
          "DescribeLoadBalancers",
          "DescribeLoadBalancerAttributes",
          "DescribeListeners",
          "DescribeListenerCertificates",
          "DescribeSSLPolicies",
          "DescribeRules",
          "DescribeTargetGroups",
          "DescribeTargetGroupAttributes",
          "DescribeTargetHealth",
          "DescribeTags",
          "DescribeTrustStores",
          "DescribeListenerAttributes",
          "DescribeCapacityReservation",
        ),
      ],
      resources: ["*"],
    },
    {
      sid: "CertificatesAndProtection",
      actions: [
        "cognito-idp:DescribeUserPoolClient",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "iam:ListServerCertificates",
        "iam:GetServerCertificate",
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "shield:GetSubscriptionState",
        "shield:DescribeProtection",
        "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      resources: ["*"],
    },
    { sid: "SecurityGroupIngress", actions: ec2("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"), resources: ["*"] },
    { sid: "CreateSecurityGroup", actions: ec2("CreateSecurityGroup"), resources: ["*"] },
    {
      sid: "TagNewSecurityGroup",
      actions: ec2("CreateTags"),
      resources: [securityGroups],
      condition: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSecurityGroup"] }, requestTagPresent],
    },
    {
      sid: "RetagOwnSecurityGroup",
      actions: ec2("CreateTags", "DeleteTags"),
      resources: [securityGroups],
      condition: [requestTagAbsent, resourceTagPresent],
    },
    {
      sid: "ManageOwnSecurityGroup",
      actions: ec2("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "DeleteSecurityGroup"),
      resources: ["*"],
      condition: [resourceTagPresent],
    },
    { sid: "CreateTaggedLoadBalancer", actions: elb("CreateLoadBalancer", "CreateTargetGroup"), resources: ["*"], condition: [requestTagPresent] },
    { sid: "ListenersAndRules", actions: elb("CreateListener", "DeleteListener", "CreateRule", "DeleteRule"), resources: ["*"] },
    {
      sid: "RetagOwnLoadBalancer",
      actions: elb("AddTags", "RemoveTags"),
      resources: LOAD_BALANCER_AND_TARGET_GROUP_ARNS(partition),
      condition: [requestTagAbsent, resourceTagPresent],
    },
    {
      sid: "TagListenersAndRules",
      actions: elb("AddTags", "RemoveTags"),
      resources: [
        `arn:${partition}:elasticloadbalancing:*:*:listener/net/*/*/*`,
        `arn:${partition}:elasticloadbalancing:*:*:listener/app/*/*/*`,
        `arn:${partition}:elasticloadbalancing:*:*:listener-rule/net/*/*/*`,
        `arn:${partition}:elasticloadbalancing:*:*:listener-rule/app/*/*/*`,
      ],
    },
    {
      sid: "ManageOwnLoadBalancer",
      actions: elb(
        "ModifyLoadBalancerAttributes",
        "SetIpAddressType",
        "SetSecurityGroups",
        "SetSubnets",
        "DeleteLoadBalancer",
        "ModifyTargetGroup",
        "ModifyTargetGroupAttributes",
        "DeleteTargetGroup",
        "ModifyListenerAttributes",
        "ModifyCapacityReservation",
        "ModifyIpPools",
      ),
      resources: ["*"],
      condition: [resourceTagPresent],
    },
    {
      sid: "TagOnCreate",
      actions: elb("AddTags"),
      resources: LOAD_BALANCER_AND_TARGET_GROUP_ARNS(partition),
      condition: [{ test: "StringEquals", variable: "elasticloadbalancing:CreateAction", values: ["CreateTargetGroup", "CreateLoadBalancer"] }, requestTagPresent],
    },
    { sid: "Targets", actions: elb("RegisterTargets", "DeregisterTargets"), resources: [`arn:${partition}:elasticloadbalancing:*:*:targetgroup/*/*`] },
    {
      sid: "ListenerSettings",
      actions: elb("SetWebAcl", "ModifyListener", "AddListenerCertificates", "RemoveListenerCertificates", "ModifyRule", "SetRulePriorities"),
      resources: ["*"],
    },
  ].map((statement) => ({ effect: "Allow", ...statement }));
}
