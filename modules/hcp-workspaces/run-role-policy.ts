/**
 * The default permissions of the HCP Terraform run role: what the four stacks create and read, and
 * nothing else, as a pure function of the names the stacks give (it reads only its arguments).
 *
 * Scoping, per service, follows what IAM can scope (Service Authorization Reference, "Actions,
 * resources, and condition keys" of each service):
 * - EC2 and VPC resources (VPC, subnets, routes, gateways, endpoints, security groups, launch
 *   templates, placement groups, local-gateway associations, flow logs): ec2:* in the Region only
 *   (aws:RequestedRegion; IAM User Guide, "AWS global condition context keys"). Their IDs are not
 *   known before creation, and an adopted VPC carries none of the blueprint's tags.
 * - EKS: the cluster, its access entries, add-ons and node groups, by ARN.
 * - IAM: roles and instance profiles named <name>-* under the blueprint's IAM path, created only
 *   with its permissions boundary when there is one (iam:PermissionsBoundary; IAM User Guide,
 *   "Permissions boundaries for IAM entities", delegating responsibility), AWS managed policies
 *   and the blueprint's own attached only (iam:PolicyARN), passed only to the services that assume them (iam:PassedToService), the
 *   cluster's OIDC provider, and the service-linked roles EKS and Auto Scaling create at first use.
 * - CloudWatch Logs, alarms, SQS, SNS, EventBridge, Auto Scaling, KMS aliases: by the names the
 *   stacks give (all start with <name>-, or /aws/eks/<name>/, /aws/vpc/flow-logs/<name>).
 * - KMS keys (IDs unknown before creation), ECR pull-through cache rules, and the Describe and List
 *   calls that take no resource: in the Region only.
 * - ECR: repositories under the given prefixes.
 * - SSM: reads of the public parameters that name EKS-optimized and Bottlerocket AMIs.
 * - Outposts: reads.
 * State lives in HCP Terraform (the workspaces stack exists only for backend type cloud): no S3 or
 * DynamoDB state permissions.
 *
 * Explicit denies (IAM User Guide, "Policy evaluation logic": an explicit deny wins): changes to the
 * run role itself (it may read itself); `ec2:GetPasswordData` (a Windows instance's administrator password, which `ec2:*` would
 * include); and, with a boundary, every role change without it, removing it, and editing the
 * boundary policy (IAM User Guide, "Permissions boundaries for IAM entities", the delegated
 * administrator example: the `iam:PermissionsBoundary` key on CreateRole, PutRolePolicy,
 * AttachRolePolicy and PutRolePermissionsBoundary; not on the removals, see ROLE_PERMISSION_ACTIONS).
 */
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface HcpRunRoleScope {
  /** The blueprint name: the cluster's name and the prefix of every name the stacks give. */
  readonly name: string;
  /** The Region the stacks deploy to. */
  readonly region: string;
  /** The Region's partition: aws, aws-us-gov or aws-cn. */
  readonly partition: string;
  /**
   * The account the stacks deploy to.
   * @default - the account of the workspaces stack's AWS credentials (aws_caller_identity)
   */
  readonly account?: string;
  /**
   * IAM path of every role the stacks create, starting and ending with `/`.
   * @default "/"
   */
  readonly iamPath?: string;
  /**
   * The permissions boundary every role the stacks create carries: the run role may create roles
   * only with it, and may not remove it.
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /**
   * Create the permissions boundary under this name (at `iamPath`), with `runRoleBoundaryStatements`,
   * and hold the run role to it; ignored when `permissionsBoundary` names one.
   * @default - no boundary created
   */
  readonly boundaryPolicyName?: string;
  /** ECR repository prefixes the stacks create repositories under (private repositories, pull-through cache). */
  readonly repositoryPrefixes: readonly string[];
  /**
   * Every managed policy the stacks attach to their roles (the AWS managed ones the cluster, node and
   * add-on roles take, and the blueprint's extra node policies): the only ones the run role may attach,
   * so it cannot give a role it creates AdministratorAccess.
   * @default - none
   */
  readonly attachablePolicyArns?: readonly string[];
}

/**
 * Every IAM action that changes a role (the write, permissions-management and tagging actions the
 * Service Authorization Reference lists on the `role` resource type, and PassRole): denied on the run
 * role itself, whose reads stay allowed.
 */
export const RUN_ROLE_SELF_CHANGES = [
  "iam:Create*",
  "iam:Put*",
  "iam:Attach*",
  "iam:Detach*",
  "iam:Delete*",
  "iam:Update*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:PassRole",
] as const;

/** The services the run role may pass the stacks' roles to: EKS (cluster role, add-on roles), EC2 (node instance profile), flow logs. */
export const RUN_ROLE_PASSED_TO_SERVICES = ["eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com"] as const;

/**
 * The service-linked roles the stacks' first resources make AWS create: EKS clusters, EKS local
 * clusters on Outposts, Auto Scaling groups (EKS User Guide, "Using service-linked roles for Amazon
 * EKS"; Amazon EC2 Auto Scaling User Guide, "Service-linked roles").
 */
export const RUN_ROLE_SERVICE_LINKED_ROLES = ["eks.amazonaws.com", "outposts.eks-local.amazonaws.com", "autoscaling.amazonaws.com"] as const;

/**
 * The run role's default statements for the scope; `account` is the scope's account or its token,
 * `runRoleArn` the run role's own ARN: its name may match the stacks' <name>-* roles, and a role that
 * could change its own policies would hold every permission.
 */
export function runRoleStatements(scope: HcpRunRoleScope, account: string, runRoleArn: string): DataAwsIamPolicyDocumentStatement[] {
  const { name, region, partition } = scope;
  const path = scope.iamPath ?? "/";
  const arn = (service: string, resource: string, inRegion = true) => `arn:${partition}:${service}:${inRegion ? region : ""}:${account}:${resource}`;
  const inRegion = [{ test: "StringEquals", variable: "aws:RequestedRegion", values: [region] }];
  const roles = [arn("iam", `role${path}${name}-*`, false)];
  const instanceProfiles = [...new Set([arn("iam", `instance-profile${path}${name}-*`, false), arn("iam", `instance-profile/${name}-*`, false)])];
  const boundary = scope.permissionsBoundary;

  const statements: DataAwsIamPolicyDocumentStatement[] = [
    // An explicit deny wins over every allow below (IAM User Guide, "Policy evaluation logic").
    // Changes only: the run role reads itself (RolesManage's reads). `data.aws_iam_session_context`
    // (the control-plane stack's caller entry) calls iam:GetRole on the caller's role to find its path
    // (hashicorp/terraform-provider-aws internal/service/iam/session_context_data_source.go).
    { sid: "NotItself", effect: "Deny", actions: [...RUN_ROLE_SELF_CHANGES], resources: [runRoleArn] },
    { sid: "NoWindowsPasswords", effect: "Deny", actions: ["ec2:GetPasswordData"], resources: ["*"] },
    {
      // A deny on every role rather than a condition on RolesManage's allow: the same rule without
      // repeating the roles' ARN (IAM's 10,240 characters with a 512-character path).
      sid: "OnlyKnownPolicies",
      effect: "Deny",
      actions: ["iam:AttachRolePolicy"],
      resources: ["*"],
      condition: [{ test: "ArnNotEquals", variable: "iam:PolicyARN", values: [...new Set(scope.attachablePolicyArns ?? [])] }],
    },
    // The run role writes the stacks' roles' trust policies: one naming the run role would let it
    // become that role with no allow of its own (IAM User Guide, "Policy evaluation logic": within an
    // account, a resource-based policy naming the principal suffices; an explicit deny still wins).
    // It never needs to assume them. `*` before the name: under any path.
    { sid: "NotIntoItsRoles", effect: "Deny", actions: ["sts:AssumeRole"], resources: [arn("iam", `role/*${name}-*`, false)] },
    ...(scope.permissionsBoundary ? boundaryDenies(scope.permissionsBoundary) : []),
    { sid: "Ec2InRegion", effect: "Allow", actions: ["ec2:*"], resources: ["*"], condition: inRegion },
    {
      sid: "ReadsInRegion",
      effect: "Allow",
      actions: [
        "autoscaling:Describe*",
        "cloudwatch:DescribeAlarms",
        "ecr:DescribePullThroughCacheRules",
        "eks:DescribeAddonVersions",
        "eks:DescribeClusterVersions",
        "eks:ListClusters",
        "events:ListRules",
        "kms:ListAliases",
        "logs:DescribeLogGroups",
        "outposts:Get*",
        "outposts:List*",
        "sns:ListTopics",
        "sqs:ListQueues",
      ],
      resources: ["*"],
      condition: inRegion,
    },
    { sid: "CallerIdentity", effect: "Allow", actions: ["sts:GetCallerIdentity"], resources: ["*"] },
    {
      sid: "EksCluster",
      effect: "Allow",
      actions: ["eks:*"],
      resources: [
        arn("eks", `cluster/${name}`),
        arn("eks", `access-entry/${name}/*`),
        arn("eks", `addon/${name}/*`),
        arn("eks", `nodegroup/${name}/*`),
      ],
    },
    {
      sid: "RolesManage",
      effect: "Allow",
      // Wildcards within these roles only (and within the actions on roles: List* here are
      // ListRolePolicies, ListAttachedRolePolicies, ListInstanceProfilesForRole, ListRoleTags).
      actions: [
        // With a boundary, the denies above (RolesOnlyWithTheBoundary) hold role creation and additions to roles that carry it;
        // removals (DeleteRolePolicy, DetachRolePolicy) stay allowed on roles without it yet (upgrades).
        "iam:CreateRole",
        "iam:PutRolePermissionsBoundary",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        // OnlyKnownPolicies holds attachments to the managed policies the stacks attach.
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:GetRole*",
        "iam:List*",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateRole*",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        // Without a boundary there is none to keep.
        ...(boundary ? [] : ["iam:DeleteRolePermissionsBoundary"]),
      ],
      // And the run role, which NotItself leaves the reads of.
      resources: [...roles, runRoleArn],
    },
    {
      sid: "PassRolesToTheirServices",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: roles,
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: [...RUN_ROLE_PASSED_TO_SERVICES] }],
    },
    {
      sid: "InstanceProfiles",
      effect: "Allow",
      // Create, delete, get, tag, add and remove the role: every action on these instance profiles.
      actions: ["iam:*InstanceProfile*"],
      resources: instanceProfiles,
    },
    {
      // The cluster's IRSA issuer: oidc.eks.<region>.amazonaws.com (.cn in China).
      sid: "ClusterOidcProvider",
      effect: "Allow",
      actions: ["iam:*OpenIDConnectProvider*"],
      resources: [arn("iam", `oidc-provider/oidc.eks.${region}.*`, false)],
    },
    {
      sid: "ServiceLinkedRoles",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [arn("iam", "role/aws-service-role/*", false)],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: [...RUN_ROLE_SERVICE_LINKED_ROLES] }],
    },
    {
      sid: "KmsKeysInRegion",
      effect: "Allow",
      actions: [
        "kms:CreateKey",
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:PutKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:EnableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ListResourceTags",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:CreateGrant",
        "kms:RetireGrant",
        "kms:ListGrants",
        "kms:ScheduleKeyDeletion",
      ],
      resources: ["*"],
      condition: inRegion,
    },
    {
      sid: "KmsAliases",
      effect: "Allow",
      actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      resources: [arn("kms", `alias/eks/${name}`), arn("kms", `alias/${name}-*`), arn("kms", "key/*")],
    },
    {
      sid: "LogGroups",
      effect: "Allow",
      // *Tag*: TagResource, UntagResource, ListTagsForResource and their LogGroup forms.
      actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:*RetentionPolicy", "logs:*KmsKey", "logs:*Tag*"],
      resources: [arn("logs", `log-group:/aws/eks/${name}/*`), arn("logs", `log-group:/aws/vpc/flow-logs/${name}*`)],
    },
    {
      // Flow logs to an S3 bucket are a log delivery (VPC User Guide, "Publish flow logs to Amazon S3").
      sid: "FlowLogDelivery",
      effect: "Allow",
      actions: ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
      resources: ["*"],
      condition: inRegion,
    },
    {
      sid: "Alarms",
      effect: "Allow",
      actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:*Tag*"],
      resources: [arn("cloudwatch", `alarm:${name}-*`)],
    },
    {
      sid: "Queue",
      effect: "Allow",
      actions: [
        "sqs:CreateQueue",
        "sqs:DeleteQueue",
        "sqs:GetQueueAttributes",
        "sqs:SetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:TagQueue",
        "sqs:UntagQueue",
        "sqs:ListQueueTags",
      ],
      resources: [arn("sqs", `${name}-*`)],
    },
    {
      sid: "Topic",
      effect: "Allow",
      actions: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:*Tag*",
        // monitoring.notify's aws_sns_topic_subscription: Subscribe, Unsubscribe, Get and
        // SetSubscriptionAttributes, ListSubscriptionsByTopic, ConfirmSubscription; Subscribe on the
        // topic, the others on the subscription, whose ARN is the topic's and :<id>: <name>-* matches both.
        "sns:*Subscri*",
      ],
      resources: [arn("sns", `${name}-*`)],
    },
    {
      sid: "Rules",
      effect: "Allow",
      actions: [
        "events:PutRule",
        "events:DeleteRule",
        "events:DescribeRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:ListTargetsByRule",
        "events:*Tag*",
      ],
      resources: [arn("events", `rule/${name}-*`)],
    },
    {
      sid: "AutoScalingGroups",
      effect: "Allow",
      actions: ["autoscaling:*"],
      resources: [arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${name}-*`)],
    },
    {
      sid: "Repositories",
      effect: "Allow",
      actions: [
        "ecr:CreateRepository",
        "ecr:DeleteRepository",
        "ecr:DescribeRepositories",
        "ecr:DescribeImages",
        "ecr:ListImages",
        "ecr:PutImageTagMutability",
        "ecr:PutImageScanningConfiguration",
        "ecr:*Tag*",
      ],
      resources: [...new Set(scope.repositoryPrefixes)].map((prefix) => arn("ecr", `repository/${prefix}/*`)),
    },
    {
      // CreateVpcEndpoint with private DNS associates the VPC with the endpoint service's AWS-owned
      // hosted zone (Service Authorization Reference, ec2:CreateVpcEndpoint dependent actions); the
      // dns section's private zones and Resolver forwarding are the stacks' own.
      sid: "PrivateDnsAndResolver",
      effect: "Allow",
      // *HostedZone*: creating, reading and deleting zones, associating VPCs with them.
      actions: ["route53:*HostedZone*", "route53:*TagsForResource", "route53:GetChange"],
      // Route 53 is global, and the zones behind endpoint services are AWS's: no Region or resource to scope by.
      resources: ["*"],
    },
    { sid: "ResolverInRegion", effect: "Allow", actions: ["route53resolver:*"], resources: ["*"], condition: inRegion },
    {
      sid: "PullThroughCacheRules",
      effect: "Allow",
      actions: ["ecr:CreatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule"],
      resources: ["*"],
      condition: inRegion,
    },
    {
      sid: "AmiParameters",
      effect: "Allow",
      actions: ["ssm:GetParameter", "ssm:GetParameters"],
      // AWS public parameters have no account in their ARN.
      resources: [`arn:${partition}:ssm:${region}::parameter/aws/service/eks/*`, `arn:${partition}:ssm:${region}::parameter/aws/service/bottlerocket/*`],
    },
  ];
  return statements;
}

/**
 * The actions that add to a role's permissions, denied on roles without the boundary. Not
 * DetachRolePolicy and DeleteRolePolicy, which the IAM User Guide's example also conditions: removing
 * a permission escalates nothing, and an upgrade detaches AmazonEKS_CNI_Policy from a deployed node
 * role before that role gets the boundary (same apply, no order between the two).
 */
export const ROLE_PERMISSION_ACTIONS = ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"] as const;

/** Denies that keep the run role inside the boundary: no role without it, no removing it, no editing it. */
function boundaryDenies(boundaryArn: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "RolesOnlyWithTheBoundary",
      effect: "Deny",
      actions: [...ROLE_PERMISSION_ACTIONS],
      resources: ["*"],
      condition: [{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [boundaryArn] }],
    },
    { sid: "KeepTheBoundary", effect: "Deny", actions: ["iam:DeleteRolePermissionsBoundary"], resources: ["*"] },
    {
      sid: "BoundaryUnchanged",
      effect: "Deny",
      // *PolicyVersion: Create, Delete, SetDefault (and the reads Get, List).
      actions: ["iam:*PolicyVersion*", "iam:DeletePolicy"],
      resources: [boundaryArn],
    },
  ];
}

/**
 * The services the stacks' roles use (cluster, nodes, VPC CNI, EBS CSI driver, Load Balancer
 * Controller, Node Termination Handler, flow logs) whole, through AWS managed policies and our own:
 * none of them holds secrets or runs commands. EKS, KMS, SSM and Secrets Manager, which do, are
 * scoped by `runRoleBoundaryStatements`. IAM is not among them beyond the reads and the
 * service-linked roles the Load Balancer Controller and EKS need, so no such role can change IAM.
 */
export const RUN_ROLE_BOUNDARY_SERVICES = [
  "acm",
  "autoscaling",
  "cloudwatch",
  "cognito-idp",
  "ec2",
  "ec2messages",
  "ecr",
  "eks-auth",
  "elasticloadbalancing",
  "logs",
  "outposts",
  "route53",
  "shield",
  "sqs",
  "ssmmessages",
  "tag",
  "waf-regional",
  "wafv2",
] as const;

/**
 * What AmazonSSMManagedInstanceCore (nodes) and AmazonEKSLocalOutpostClusterPolicy (local clusters'
 * control-plane instances) grant in SSM: the agent's own calls (AWS Managed Policy Reference, both
 * policies). Not SendCommand or StartSession, which run commands on other instances.
 */
export const RUN_ROLE_BOUNDARY_SSM_ACTIONS = [
  "ssm:DescribeAssociation",
  "ssm:DescribeDocument",
  "ssm:DescribeDocumentParameters",
  "ssm:DescribeInstanceProperties",
  "ssm:GetDeployablePatchSnapshotForInstance",
  "ssm:GetDocument",
  "ssm:GetManifest",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:ListAssociations",
  "ssm:ListInstanceAssociations",
  "ssm:PutComplianceItems",
  "ssm:PutConfigurePackageResult",
  "ssm:PutInventory",
  "ssm:RegisterManagedInstance",
  "ssm:UpdateAssociationStatus",
  "ssm:UpdateInstanceAssociationStatus",
  "ssm:UpdateInstanceInformation",
] as const;

/**
 * The boundary the blueprint creates, for the blueprint `name` in `partition`: the stacks' services,
 * EKS on the blueprint's cluster only, KMS use without key administration, the SSM agent's calls, the
 * local cluster's own secrets, a few IAM reads, no Windows passwords. AWS intersects every policy of
 * a bounded role, AWS managed ones included, with it (IAM User Guide, "Permissions boundaries for IAM
 * entities"), so each scoped statement keeps what the managed policies the stacks attach need.
 * No Region condition: Route 53 calls (EKS's private zone association) go to a global endpoint, whose
 * aws:RequestedRegion is not the stacks' Region.
 */
export function runRoleBoundaryStatements(scope: Pick<HcpRunRoleScope, "name" | "partition">): DataAwsIamPolicyDocumentStatement[] {
  const { name, partition } = scope;
  return [
    {
      sid: "StackServices",
      effect: "Allow",
      actions: [...RUN_ROLE_BOUNDARY_SERVICES.map((service) => `${service}:*`), "ecr-public:GetAuthorizationToken"],
      resources: ["*"],
    },
    {
      // AmazonEKSWorkerNodePolicy's eks:DescribeCluster; no access entries or add-ons of other clusters.
      sid: "EksThisCluster",
      effect: "Allow",
      actions: ["eks:*"],
      resources: ["cluster/", "addon/", "access-entry/", "nodegroup/"].map((type) => `arn:${partition}:eks:*:*:${type}${name}${type === "cluster/" ? "" : "/*"}`),
    },
    {
      // Encrypted EBS volumes (EBS CSI driver, nodes) and EKS secrets encryption (AmazonEKSClusterPolicy's
      // CreateGrant, DescribeKey): the key policies decide which keys.
      sid: "KmsUse",
      effect: "Allow",
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      resources: ["*"],
    },
    { sid: "SsmAgent", effect: "Allow", actions: [...RUN_ROLE_BOUNDARY_SSM_ACTIONS], resources: ["*"] },
    {
      // AmazonEKSLocalOutpostClusterPolicy: the local cluster's bootstrap secrets only.
      sid: "LocalClusterSecrets",
      effect: "Allow",
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:DeleteSecret"],
      resources: [`arn:${partition}:secretsmanager:*:*:secret:eks-local.cluster.x-k8s.io/*`],
    },
    {
      // EKS and the Load Balancer Controller create their service-linked roles at first use and read
      // server certificates (the controller's policy); IAM is global, so no Region condition.
      sid: "IamReadsAndServiceLinkedRoles",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole", "iam:GetServerCertificate", "iam:ListServerCertificates", "iam:GetRole", "iam:ListInstanceProfiles*"],
      resources: ["*"],
    },
    { sid: "NoWindowsPasswords", effect: "Deny", actions: ["ec2:GetPasswordData"], resources: ["*"] },
  ];
}
