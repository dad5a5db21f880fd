/**
 * The HCP Terraform run role's synthesized policy, as IAM decides each call the provider makes for the
 * resources and data sources the other stacks create (test/helpers/iam-evaluate.ts). No example runs on
 * HCP Terraform: the fixture is the extended-racks example with a cloud backend, its workspaces and
 * monitoring.notify subscriptions.
 */
import { decide, IamRequest } from "../helpers/iam-evaluate";
import { PolicyStatement } from "../helpers/iam-reference";
import { byPath, dataSourcesOf, exampleWith, resourcesOf, SynthResult, synthBlueprint } from "../helpers/synth";

type Raw = Record<string, any>;

const ACCOUNT = "111122223333";

/**
 * The calls terraform-provider-aws makes per resource or data source type, over its life (create,
 * read, update, delete): the types this test follows, each with the ARNs it acts on.
 */
const PROVIDER_CALLS: Record<string, (arns: { self: string; runRole: string }) => Array<[action: string, resource: string]>> = {
  aws_sns_topic: ({ self }) =>
    ["CreateTopic", "GetTopicAttributes", "SetTopicAttributes", "TagResource", "UntagResource", "ListTagsForResource", "DeleteTopic"].map((a) => [`sns:${a}`, self]),
  // Subscribe on the topic; the rest on the subscription (the topic's ARN and :<id>).
  aws_sns_topic_subscription: ({ self }) => [
    ["sns:Subscribe", self],
    ...["GetSubscriptionAttributes", "SetSubscriptionAttributes", "Unsubscribe"].map((a): [string, string] => [`sns:${a}`, `${self}:0f1e2d3c-aaaa-bbbb-cccc-123456789012`]),
  ],
  aws_cloudwatch_metric_alarm: ({ self }) => ["PutMetricAlarm", "DeleteAlarms", "ListTagsForResource", "TagResource"].map((a) => [`cloudwatch:${a}`, self]),
  // hashicorp/terraform-provider-aws internal/service/iam/session_context_data_source.go: GetRole on the caller's role.
  "data.aws_iam_session_context": ({ runRole }) => [["iam:GetRole", runRole]],
};

describe("the HCP run role allows what the stacks' resources need (extended racks on HCP Terraform, notify on)", () => {
  let synth: SynthResult;
  let statements: PolicyStatement[];
  let region: string;
  let name: string;
  let runRole: string;

  beforeAll(async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.backend = { type: "cloud", organization: "edge-org", workspacePrefix: "edge", project: "edge-platform", workspaces: { agentPoolId: "apool-AbCdEfGh12345678" } };
      raw.monitoring = { ...raw.monitoring, notify: { emails: ["oncall@example.com"], httpsEndpoints: ["https://pager.example.com/sns"] } };
    });
    region = blueprint.region;
    name = blueprint.name;
    synth = await synthBlueprint(blueprint);
    const workspaces = synth.json("workspaces");
    const [runRoleResource] = Object.values(resourcesOf(workspaces, "aws_iam_role")) as Raw[];
    runRole = `arn:aws:iam::${ACCOUNT}:role${runRoleResource.path ?? "/"}${runRoleResource.name}`;
    const document = byPath(dataSourcesOf(workspaces, "aws_iam_policy_document"))["hcp/run-role-permissions-document"];
    // Tokens IAM would see resolved: the account, the run role's ARN, the boundary's ARN.
    statements = JSON.parse(
      JSON.stringify(document.statement)
        .replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, ACCOUNT)
        .replace(/\$\{aws_iam_role\.[\w-]+\.arn\}/g, runRole)
        .replace(/\$\{aws_iam_policy\.[\w-]+\.arn\}/g, `arn:aws:iam::${ACCOUNT}:policy/${name}-hcp-terraform-boundary`),
    );
  });
  afterAll(() => synth?.dispose());

  /** Every call of every followed type in the four stacks, with IAM's decision. */
  function decisions(): Array<{ stack: string; address: string; request: IamRequest; decision: string }> {
    const out: Array<{ stack: string; address: string; request: IamRequest; decision: string }> = [];
    for (const stack of synth.stackNames.filter((s) => s !== "workspaces")) {
      const json = synth.json(stack);
      const topics: Record<string, string> = Object.fromEntries(
        Object.entries(resourcesOf(json, "aws_sns_topic")).map(([id, topic]: [string, any]) => [id, `arn:aws:sns:${region}:${ACCOUNT}:${topic.name}`]),
      );
      const selves: Array<[string, string]> = [
        ...Object.entries(topics).map(([id, arn]): [string, string] => [`aws_sns_topic.${id}`, arn]),
        ...Object.entries(resourcesOf(json, "aws_sns_topic_subscription")).map(([id, s]: [string, any]): [string, string] => [
          `aws_sns_topic_subscription.${id}`,
          topics[/^\$\{aws_sns_topic\.([\w-]+)\.arn\}$/.exec(s.topic_arn)?.[1] ?? ""] ?? s.topic_arn,
        ]),
        ...Object.entries(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map(([id, a]: [string, any]): [string, string] => [
          `aws_cloudwatch_metric_alarm.${id}`,
          `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${a.alarm_name}`,
        ]),
        ...Object.keys(dataSourcesOf(json, "aws_iam_session_context")).map((id): [string, string] => [`data.aws_iam_session_context.${id}`, runRole]),
      ];
      for (const [address, self] of selves) {
        const type = address.replace(/\.[^.]+$/, "");
        for (const [action, resource] of PROVIDER_CALLS[type]({ self, runRole })) {
          const request = { action, resource };
          out.push({ stack, address, request, decision: decide(statements, request) });
        }
      }
    }
    return out;
  }

  it("every call is allowed", () => {
    const all = decisions();
    // The fixture has each followed type: two subscriptions, a topic, an alarm, the caller's entry lookup.
    const types = new Set(all.map((d) => d.address.replace(/\.[^.]+$/, "")));
    expect([...types].sort()).toEqual(Object.keys(PROVIDER_CALLS).sort());
    expect(all.filter((d) => d.address.startsWith("aws_sns_topic_subscription.")).length).toBe(2 * 4);
    expect(all.filter((d) => d.decision !== "allow").map((d) => `${d.stack} ${d.address} ${d.request.action} ${d.request.resource}: ${d.decision}`)).toEqual([]);
  });
});
