/**
 * Every IAM policy statement every stack of every example writes, checked against AWS's Service
 * Authorization Reference (test/helpers/iam-reference.ts): actions exist, wildcards match, condition
 * keys exist for their service or are global, and no Allow scopes a `*`-only action to resources.
 */
import { loadExample, EXAMPLES, synthBlueprint } from "../helpers/synth";
import { policyStatements, statementProblems } from "../helpers/iam-reference";
import { runRoleBoundaryStatements, runRoleStatements } from "../../modules/hcp-workspaces";

describe("IAM policies against the Service Authorization Reference", () => {
  it.each(EXAMPLES)("every statement of every stack passes: %s", async (example) => {
    const synth = await synthBlueprint(loadExample(example));
    const problems: string[] = [];
    let checked = 0;
    try {
      for (const stack of synth.stackNames) {
        for (const { document, statement } of policyStatements(synth.json(stack))) {
          checked++;
          for (const problem of await statementProblems(statement)) problems.push(`${example} ${stack} ${document} ${statement.sid ?? "(no sid)"}: ${problem}`);
        }
      }
    } finally {
      synth.dispose();
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(5);
  });

  // No example has HCP workspaces: the run role's policy and the boundary it creates, checked directly.
  it("the HCP run role's policy, with and without a boundary, and the boundary the blueprint creates", async () => {
    const scope = { name: "edge", region: "us-west-2", partition: "aws", repositoryPrefixes: ["edge"], attachablePolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] };
    const runRole = "arn:aws:iam::111122223333:role/edge-hcp-terraform-runs";
    const statements = [
      ...runRoleStatements(scope, "111122223333", runRole),
      ...runRoleStatements({ ...scope, permissionsBoundary: "arn:aws:iam::111122223333:policy/edge-boundary" }, "111122223333", runRole),
      ...runRoleBoundaryStatements(scope),
    ];
    const problems: string[] = [];
    for (const statement of statements) for (const problem of await statementProblems(statement as never)) problems.push(`${statement.sid}: ${problem}`);
    expect(problems).toEqual([]);
    expect(statements.length).toBeGreaterThan(20);
  });

  it("fails on an unknown action, a wildcard that matches nothing, and an unknown service", async () => {
    expect(await statementProblems({ actions: ["logs:DescribeLogGroupz"], resources: ["*"] })).toEqual(["action logs:DescribeLogGroupz: no such action"]);
    expect(await statementProblems({ actions: ["logs:Zz*"], resources: ["*"] })).toEqual(["action logs:Zz*: the wildcard matches no action"]);
    expect(await statementProblems({ actions: ["nosuchservice:Get"], resources: ["*"] })).toEqual([
      "action nosuchservice:Get: the Service Authorization Reference has no service 'nosuchservice'",
    ]);
  });

  it("fails on an unknown condition key, and on a service key beside another service's actions", async () => {
    const condition = (variable: string) => [{ test: "StringEquals", variable, values: ["x"] }];
    expect(await statementProblems({ actions: ["sqs:SendMessage"], resources: ["*"], condition: condition("aws:SourceArnn") })).toEqual([
      "condition key aws:SourceArnn: not in the Service Authorization Reference",
    ]);
    expect(await statementProblems({ actions: ["sqs:SendMessage"], resources: ["*"], condition: condition("iam:PassedToService") })).toEqual([
      "condition key iam:PassedToService: a key of iam, but the statement's actions are of sqs",
    ]);
    // Global keys, service keys with their service, and key patterns the reference lists are known.
    expect(await statementProblems({ actions: ["kms:Decrypt"], resources: ["*"], condition: condition("kms:EncryptionContext:aws:sns:topicArn") })).toEqual([]);
    expect(await statementProblems({ actions: ["iam:PassRole"], resources: ["*"], condition: [...condition("iam:PassedToService"), ...condition("aws:SourceAccount")] })).toEqual([]);
  });

  it("fails on an Allow that scopes an action AWS authorizes only on * to a resource, not on a Deny or on *", async () => {
    const scoped = { actions: ["logs:DescribeLogGroups"], resources: ["arn:aws:logs:us-west-2:111122223333:log-group:/aws/vpc/flow-logs/x:*"] };
    expect(await statementProblems(scoped)).toEqual([
      `action logs:DescribeLogGroups: AWS authorizes it only on "*", so an Allow scoped to ${JSON.stringify(scoped.resources)} grants nothing`,
    ]);
    expect(await statementProblems({ ...scoped, effect: "Deny" })).toEqual([]);
    expect(await statementProblems({ ...scoped, resources: ["*"] })).toEqual([]);
    // A wildcard is reported only when every action it matches is *-only: iam:List* includes ListRolePolicies, which takes a role.
    expect(await statementProblems({ actions: ["iam:List*"], resources: ["arn:aws:iam::111122223333:role/x-*"] })).toEqual([]);
  });
});
