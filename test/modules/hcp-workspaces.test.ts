/**
 * The HCP Terraform run role's default permissions (runRoleStatements): scoped to the names the
 * stacks give, within IAM's inline-policy size, and the account taken from the caller when not given.
 */
import { Testing } from "cdktf";
import { HcpWorkspaces, HcpWorkspacesProps, ROLE_PERMISSION_ACTIONS, RUN_ROLE_BOUNDARY_SERVICES, RUN_ROLE_SELF_CHANGES, runRoleBoundaryStatements, runRoleStatements } from "../../modules/hcp-workspaces";
import { decide } from "../helpers/iam-evaluate";
import { expandAction } from "../helpers/iam-reference";

const scope = { name: "edge", region: "us-west-2", partition: "aws", repositoryPrefixes: ["edge", "ecr-public"] };
const runRole = "arn:aws:iam::111122223333:role/edge-hcp-terraform-runs";

/** The statements as IAM stores them: Sid, Effect, Action, Resource, Condition by operator and key. */
function iamDocument(statements: ReturnType<typeof runRoleStatements>): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({
      Sid: statement.sid,
      Effect: statement.effect,
      Action: statement.actions,
      Resource: statement.resources,
      Condition: (statement.condition as any[] | undefined)?.reduce(
        (conditions: Record<string, Record<string, string[]>>, c: any) => ({ ...conditions, [c.test]: { ...conditions[c.test], [c.variable]: c.values } }),
        {},
      ),
    })),
  });
}

const synth = (p: HcpWorkspacesProps) => JSON.parse(Testing.synthScope((s) => void new HcpWorkspaces(s, "hcp", p)));

describe("runRoleStatements", () => {
  it("fits IAM's 10,240-character limit of a role's inline policies with the longest names the config allows", () => {
    const longest = runRoleStatements(
      {
        name: "n".repeat(35),
        region: "ap-southeast-5",
        partition: "aws-us-gov",
        iamPath: `/${"p".repeat(510)}/`,
        permissionsBoundary: `arn:aws-us-gov:iam::111122223333:policy/${"b".repeat(100)}`,
        repositoryPrefixes: ["r".repeat(30), "c".repeat(30)],
        attachablePolicyArns: [`arn:aws-us-gov:iam::111122223333:policy/${"x".repeat(100)}`],
      },
      "111122223333",
      `arn:aws-us-gov:iam::111122223333:role/${"n".repeat(35)}-hcp-terraform-runs`,
    );
    // IAM does not count whitespace; JSON.stringify writes none.
    expect(iamDocument(longest).length).toBeLessThan(10240);
    // The boundary is a managed policy: 6,144 characters (IAM User Guide, "IAM and AWS STS quotas").
    expect(iamDocument(runRoleBoundaryStatements({ name: "n".repeat(35), partition: "aws-us-gov" })).length).toBeLessThan(6144);
  });

  it("names the account and partition given in every ARN, the blueprint's names in every scoped resource", () => {
    const statements = runRoleStatements({ ...scope, partition: "aws-cn", region: "cn-north-1" }, "444455556666", "arn:aws-cn:iam::444455556666:role/edge-hcp-terraform-runs");
    const arns = statements.flatMap((statement) => statement.resources ?? []).filter((resource) => resource !== "*");
    expect(arns.every((resource) => resource.startsWith("arn:aws-cn:"))).toBe(true);
    const ownArns = arns.filter((resource) => !resource.includes(":ssm:") && !resource.includes("role/aws-service-role/") && !resource.includes("oidc-provider/") && !resource.endsWith(":key/*"));
    expect(ownArns.every((resource) => resource.includes(":444455556666:") && /edge|ecr-public/.test(resource))).toBe(true);
    expect(ownArns.length).toBeGreaterThan(15);
  });

  it("keeps the permissions boundary: without one the run role may remove a boundary, with one it may not", () => {
    const manage = (statements: ReturnType<typeof runRoleStatements>) => statements.find((statement) => statement.sid === "RolesManage")!.actions;
    expect(manage(runRoleStatements(scope, "111122223333", runRole))).toContain("iam:DeleteRolePermissionsBoundary");
    expect(manage(runRoleStatements({ ...scope, permissionsBoundary: "arn:aws:iam::111122223333:policy/b" }, "111122223333", runRole))).not.toContain(
      "iam:DeleteRolePermissionsBoundary",
    );
  });
});

describe("the run role on itself, as IAM decides", () => {
  const ownArn = "arn:aws:iam::111122223333:role/edge-hcp-terraform-runs";
  // Every IAM action on the role resource type, from the Service Authorization Reference.
  const onRoles = expandAction("iam:*")!.filter((action) => (action.resourceTypes as Array<{ name: string }>).some((type) => type.name === "role"));
  const reads = onRoles.filter((action) => /^(Read|List)$/.test((action as any).accessLevel));
  const changes = onRoles.filter((action) => !reads.includes(action));

  it.each([
    ["without a boundary", undefined],
    ["with a boundary", "arn:aws:iam::111122223333:policy/b"],
  ])("%s: may GetRole itself (data.aws_iam_session_context), may change nothing of itself", (_, permissionsBoundary) => {
    const statements = runRoleStatements({ ...scope, permissionsBoundary }, "111122223333", ownArn);
    expect(decide(statements, { action: "iam:GetRole", resource: ownArn })).toBe("allow");
    expect(reads.length).toBeGreaterThan(3);
    expect(changes.length).toBeGreaterThan(10);
    const notDenied = changes.map((action) => `iam:${action.name}`).filter((action) => decide(statements, { action, resource: ownArn }) !== "explicit-deny");
    expect(notDenied).toEqual([]);
    expect(decide(statements, { action: "iam:PassRole", resource: ownArn, context: { "iam:PassedToService": "eks.amazonaws.com" } })).toBe("explicit-deny");
    // The stacks' own roles keep their rights.
    expect(decide(statements, { action: "iam:PutRolePolicy", resource: "arn:aws:iam::111122223333:role/edge-cluster", context: permissionsBoundary ? { "iam:PermissionsBoundary": permissionsBoundary } : {} })).toBe("allow");
  });
});

describe("the run role's ceiling", () => {
  const boundaryArn = "arn:aws:iam::111122223333:policy/b";
  const bySid = (statements: ReturnType<typeof runRoleStatements>) => Object.fromEntries(statements.map((statement) => [statement.sid, statement]));

  it("denies Windows passwords, with or without a boundary", () => {
    for (const permissionsBoundary of [undefined, boundaryArn]) {
      expect(bySid(runRoleStatements({ ...scope, permissionsBoundary }, "111122223333", runRole)).NoWindowsPasswords).toEqual({
        sid: "NoWindowsPasswords",
        effect: "Deny",
        actions: ["ec2:GetPasswordData"],
        resources: ["*"],
      });
    }
  });

  it("with a boundary: no role change without it, no removing it, no editing it", () => {
    const statements = bySid(runRoleStatements({ ...scope, permissionsBoundary: boundaryArn }, "111122223333", runRole));
    expect(statements.RolesOnlyWithTheBoundary).toEqual({
      sid: "RolesOnlyWithTheBoundary",
      effect: "Deny",
      actions: [...ROLE_PERMISSION_ACTIONS],
      resources: ["*"],
      condition: [{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [boundaryArn] }],
    });
    expect(ROLE_PERMISSION_ACTIONS).toEqual(["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]);
    expect(statements.KeepTheBoundary).toMatchObject({ effect: "Deny", actions: ["iam:DeleteRolePermissionsBoundary"], resources: ["*"] });
    expect(statements.BoundaryUnchanged).toMatchObject({ effect: "Deny", actions: ["iam:*PolicyVersion*", "iam:DeletePolicy"], resources: [boundaryArn] });
    const without = bySid(runRoleStatements(scope, "111122223333", runRole));
    expect([without.RolesOnlyWithTheBoundary, without.KeepTheBoundary, without.BoundaryUnchanged]).toEqual([undefined, undefined, undefined]);
  });

  it("as IAM decides: attaches the stacks' managed policies to its roles, no other policy to any role", () => {
    const statements = runRoleStatements({ ...scope, attachablePolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] }, "111122223333", runRole);
    const attach = (resource: string, policy: string) => decide(statements, { action: "iam:AttachRolePolicy", resource, context: { "iam:PolicyARN": policy } });
    expect(attach("arn:aws:iam::111122223333:role/edge-nodes", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy")).toBe("allow");
    expect(attach("arn:aws:iam::111122223333:role/edge-nodes", "arn:aws:iam::aws:policy/AdministratorAccess")).toBe("explicit-deny");
    expect(attach("arn:aws:iam::111122223333:role/other", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy")).toBe("implicit-deny");
  });

  it("as IAM decides: may detach and delete inline policies of a role without the boundary (upgrades), not add to it", () => {
    const statements = runRoleStatements({ ...scope, permissionsBoundary: boundaryArn, attachablePolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] }, "111122223333", runRole);
    const nodeRole = "arn:aws:iam::111122223333:role/edge-nodes";
    const cni = { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" };
    // A deployed node role has no boundary yet when the upgrade detaches AmazonEKS_CNI_Policy.
    expect(decide(statements, { action: "iam:DetachRolePolicy", resource: nodeRole, context: cni })).toBe("allow");
    expect(decide(statements, { action: "iam:DeleteRolePolicy", resource: nodeRole })).toBe("allow");
    expect(decide(statements, { action: "iam:AttachRolePolicy", resource: nodeRole, context: cni })).toBe("explicit-deny");
    expect(decide(statements, { action: "iam:PutRolePolicy", resource: nodeRole })).toBe("explicit-deny");
    const bounded = { "iam:PermissionsBoundary": boundaryArn };
    expect(decide(statements, { action: "iam:AttachRolePolicy", resource: nodeRole, context: { ...cni, ...bounded } })).toBe("allow");
    expect(decide(statements, { action: "iam:AttachRolePolicy", resource: nodeRole, context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess", ...bounded } })).toBe(
      "explicit-deny",
    );
  });

  it("as IAM decides: may not assume the roles it creates, under any path, with or without a boundary", () => {
    for (const [permissionsBoundary, iamPath] of [[undefined, undefined], [boundaryArn, "/platform/"]]) {
      const statements = runRoleStatements({ ...scope, permissionsBoundary, iamPath }, "111122223333", runRole);
      for (const role of ["arn:aws:iam::111122223333:role/edge-ebs-csi", "arn:aws:iam::111122223333:role/platform/edge-ebs-csi"]) {
        expect(decide(statements, { action: "sts:AssumeRole", resource: role })).toBe("explicit-deny");
      }
    }
  });

  it("the boundary it creates allows the stacks' services and no IAM change beyond service-linked roles", () => {
    const statements = bySid(runRoleBoundaryStatements(scope));
    expect(statements.StackServices.actions).toEqual([...RUN_ROLE_BOUNDARY_SERVICES.map((service) => `${service}:*`), "ecr-public:GetAuthorizationToken"]);
    expect(RUN_ROLE_BOUNDARY_SERVICES).not.toEqual(expect.arrayContaining(["eks"]));
    for (const service of ["iam", "eks", "kms", "ssm", "secretsmanager", "sts"]) expect(statements.StackServices.actions).not.toContain(`${service}:*`);
    expect(statements.IamReadsAndServiceLinkedRoles.actions.filter((action: string) => !/^iam:(Get|List)/.test(action))).toEqual(["iam:CreateServiceLinkedRole"]);
    expect(statements.NoWindowsPasswords.effect).toBe("Deny");
  });

  describe("the boundary as IAM decides (it intersects every policy of a bounded role, AWS managed ones included)", () => {
    const boundary = runRoleBoundaryStatements(scope);
    const at = (service: string, resource: string) => `arn:aws:${service}:us-west-2:111122223333:${resource}`;
    const instance = at("ec2", "instance/i-0123456789abcdef0");
    // What the managed policies the stacks attach grant in the scoped services (AWS Managed Policy
    // Reference: AmazonEKSLocalOutpostClusterPolicy v4, AmazonSSMManagedInstanceCore,
    // AmazonEKSWorkerNodePolicy, AmazonEKSClusterPolicy), on a resource of this blueprint.
    const needed: Array<[string, string]> = [
      ["secretsmanager:GetSecretValue", at("secretsmanager", "secret:eks-local.cluster.x-k8s.io/edge/abc-AbCdEf")],
      ["secretsmanager:DeleteSecret", at("secretsmanager", "secret:eks-local.cluster.x-k8s.io/edge/abc-AbCdEf")],
      ...[
        "DescribeInstanceProperties",
        "DescribeDocumentParameters",
        "ListInstanceAssociations",
        "RegisterManagedInstance",
        "UpdateInstanceInformation",
        "UpdateInstanceAssociationStatus",
        "PutComplianceItems",
        "PutInventory",
        "DescribeAssociation",
        "GetDeployablePatchSnapshotForInstance",
        "GetDocument",
        "DescribeDocument",
        "GetManifest",
        "GetParameter",
        "GetParameters",
        "ListAssociations",
        "PutConfigurePackageResult",
        "UpdateAssociationStatus",
      ].map((a): [string, string] => [`ssm:${a}`, instance]),
      ...["CreateControlChannel", "OpenDataChannel"].map((a): [string, string] => [`ssmmessages:${a}`, "*"]),
      ...["GetMessages", "SendReply"].map((a): [string, string] => [`ec2messages:${a}`, "*"]),
      ["ecr-public:GetAuthorizationToken", "*"],
      ["ecr:GetAuthorizationToken", "*"],
      ["eks:DescribeCluster", at("eks", "cluster/edge")],
      ["eks-auth:AssumeRoleForPodIdentity", at("eks", "cluster/edge")],
      ["kms:CreateGrant", at("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab")],
      ["kms:DescribeKey", at("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab")],
      ["logs:PutLogEvents", at("logs", "log-group:/aws/eks/edge/cluster:log-stream:x")],
    ];

    it("keeps what the attached managed policies need", () => {
      expect(needed.filter(([action, resource]) => decide(boundary, { action, resource }) !== "allow")).toEqual([]);
    });

    it("cuts running commands, other secrets, other clusters' access entries and key administration", () => {
      const cut: Array<[string, string]> = [
        ["ssm:SendCommand", instance],
        ["ssm:StartSession", instance],
        ["secretsmanager:GetSecretValue", at("secretsmanager", "secret:prod/db-password-AbCdEf")],
        ["eks:CreateAccessEntry", at("eks", "cluster/other")],
        ["eks:AssociateAccessPolicy", at("eks", "access-entry/other/role/111122223333/admin/0123")],
        ["kms:PutKeyPolicy", at("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab")],
        ["kms:ScheduleKeyDeletion", at("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab")],
        ["iam:PutRolePolicy", "arn:aws:iam::111122223333:role/edge-nodes"],
        ["sts:AssumeRole", "arn:aws:iam::111122223333:role/edge-nodes"],
      ];
      expect(cut.map(([action, resource]) => [action, decide(boundary, { action, resource })])).toEqual(cut.map(([action]) => [action, "implicit-deny"]));
    });
  });

  it("HcpWorkspaces creates the boundary under boundaryPolicyName and holds the run role to it", () => {
    const json = synth({
      organization: "edge-org",
      hostname: "app.terraform.io",
      projectName: "edge-platform",
      workspaces: [{ stack: "network", name: "edge-network", executionMode: "remote", reads: [] }],
      awsRunRole: { roleName: "edge-hcp-terraform-runs", permissions: { ...scope, iamPath: "/platform/", boundaryPolicyName: "edge-hcp-terraform-boundary" } },
    });
    const [policyId, policy] = Object.entries(json.resource.aws_iam_policy)[0] as [string, any];
    expect(policy).toMatchObject({ name: "edge-hcp-terraform-boundary", path: "/platform/" });
    const [document] = Object.values(json.data.aws_iam_policy_document).filter((d: any) => d.statement.some((st: any) => st.sid === "EksCluster")) as any[];
    const deny = document.statement.find((st: any) => st.sid === "RolesOnlyWithTheBoundary");
    expect(deny.condition[0].values).toEqual([`\${aws_iam_policy.${policyId}.arn}`]);
  });
});

describe("HcpWorkspaces: the run role's policy", () => {
  const props: HcpWorkspacesProps = {
    organization: "edge-org",
    hostname: "app.terraform.io",
    projectName: "edge-platform",
    workspaces: [{ stack: "network", name: "edge-network", executionMode: "remote", reads: [] }],
    awsRunRole: { roleName: "edge-hcp-terraform-runs", permissions: scope },
  };

  it("reads the account from the caller when the scope names none, and names the given one otherwise", () => {
    const json = synth(props);
    const identity = Object.keys(json.data.aws_caller_identity);
    expect(identity).toHaveLength(1);
    const [document] = Object.values(json.data.aws_iam_policy_document).filter((d: any) => d.statement.some((st: any) => st.sid === "EksCluster")) as any[];
    expect(document.statement.find((st: any) => st.sid === "EksCluster").resources[0]).toBe(`arn:aws:eks:us-west-2:\${data.aws_caller_identity.${identity[0]}.account_id}:cluster/edge`);
    const given = synth({ ...props, awsRunRole: { ...props.awsRunRole, permissions: { ...scope, account: "111122223333" } } });
    expect(given.data.aws_caller_identity).toBeUndefined();
    expect(JSON.stringify(given.data.aws_iam_policy_document)).toContain("arn:aws:eks:us-west-2:111122223333:cluster/edge");
  });

  it("denies the run role every change to itself, though its name matches the stacks' <name>-* roles", () => {
    const json = synth(props);
    const roleId = Object.keys(json.resource.aws_iam_role)[0];
    const [document] = Object.values(json.data.aws_iam_policy_document).filter((d: any) => d.statement.some((st: any) => st.sid === "EksCluster")) as any[];
    expect(document.statement[0]).toEqual({ sid: "NotItself", effect: "Deny", actions: [...RUN_ROLE_SELF_CHANGES], resources: [`\${aws_iam_role.${roleId}.arn}`] });
    expect(document.statement.find((st: any) => st.sid === "RolesManage").resources).toEqual([expect.stringMatching(/:role\/edge-\*$/), `\${aws_iam_role.${roleId}.arn}`]);
  });

  it("without a scope or policies the role gets no permissions, as before", () => {
    const json = synth({ ...props, awsRunRole: { roleName: "edge-hcp-terraform-runs" } });
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
    expect(Object.keys(json.resource.aws_iam_role)).toHaveLength(1);
  });
});
