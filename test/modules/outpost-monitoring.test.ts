/**
 * DisconnectAlarms: one service-link alarm per Outpost, sent to a topic encrypted with a
 * customer-managed key that CloudWatch may use for these alarms only, or to the user's own topic,
 * left untouched.
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { DisconnectAlarms, DisconnectAlarmsProps } from "../../modules/outpost-monitoring";

const base: DisconnectAlarmsProps = { name: "edge", outpostIds: { "rack-a": "op-0aaaaaaaaaaaaaaaa", "rack-b": "op-0bbbbbbbbbbbbbbbb" } };

function synth(props: DisconnectAlarmsProps): { alarms: DisconnectAlarms; synthesized: string; json: any } {
  let alarms!: DisconnectAlarms;
  const synthesized = Testing.synthScope((scope) => {
    alarms = new DisconnectAlarms(scope, "disconnect-alarms", props);
  });
  return { alarms, synthesized, json: JSON.parse(synthesized) };
}

/** A policy document data source by its construct ID (Testing.synthScope keeps no paths: the logical ID names it). */
function documentAt(json: any, constructId: string): any {
  const matches = Object.entries(json.data.aws_iam_policy_document).filter(([id]) => id.startsWith(`disconnect-alarms_${constructId}_`));
  expect(matches).toHaveLength(1);
  return { id: matches[0][0], document: matches[0][1] };
}

const onlyKey = (blocks: Record<string, unknown> | undefined): string => {
  const keys = Object.keys(blocks ?? {});
  expect(keys).toHaveLength(1);
  return keys[0];
};

describe("DisconnectAlarms: the topic it creates", () => {
  const { alarms, synthesized, json } = synth(base);
  const keyId = onlyKey(json.resource.aws_kms_key);
  const topicId = onlyKey(json.resource.aws_sns_topic);
  const account = `\${data.aws_caller_identity.${onlyKey(json.data.aws_caller_identity)}.account_id}`;
  const partition = `\${data.aws_partition.${onlyKey(json.data.aws_partition)}.partition}`;
  const alarmArns = ["edge-rack-a-service-link", "edge-rack-b-service-link"].map((name) => `arn:${partition}:cloudwatch:*:${account}:alarm:${name}`);
  const onBehalfOfTheAlarms = [
    { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
    { test: "ArnLike", variable: "aws:SourceArn", values: alarmArns },
  ];

  it("encrypts the topic with a customer-managed key with rotation, never alias/aws/sns", () => {
    expect(synthesized).toHaveResourceWithProperties(SnsTopic, { name: "edge-outpost-disconnects", kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` });
    expect(synthesized).not.toContain("alias/aws/sns");
    const { id: policyId } = documentAt(json, "topic-key-policy");
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, policy: `\${data.aws_iam_policy_document.${policyId}.json}` });
    expect(Object.values(json.resource.aws_kms_alias)).toEqual([expect.objectContaining({ name: "alias/edge-outpost-disconnects", target_key_id: `\${aws_kms_key.${keyId}.key_id}` })]);
    expect(alarms.topicKeyArn).toBeDefined();
  });

  it("lets the account administer the key and CloudWatch use it only for this topic (SNS's encryption context)", () => {
    const { document } = documentAt(json, "topic-key-policy");
    expect(document.statement).toEqual([
      {
        sid: "AccountAdministers",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${account}:root`] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      {
        sid: "CloudWatchAlarmsPublish",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        condition: [
          { test: "StringLike", variable: "kms:EncryptionContext:aws:sns:topicArn", values: [`arn:${partition}:sns:*:${account}:edge-outpost-disconnects`] },
        ],
      },
    ]);
  });

  it("lets CloudWatch publish to the topic only on behalf of these alarms", () => {
    const { id, document } = documentAt(json, "topic-policy-document");
    expect(document.statement).toEqual([
      {
        sid: "CloudWatchAlarmsPublish",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["sns:Publish"],
        resources: [`\${aws_sns_topic.${topicId}.arn}`],
        condition: onBehalfOfTheAlarms,
      },
    ]);
    expect(Object.values(json.resource.aws_sns_topic_policy)).toEqual([
      expect.objectContaining({ arn: `\${aws_sns_topic.${topicId}.arn}`, policy: `\${data.aws_iam_policy_document.${id}.json}` }),
    ]);
  });

  it("names in the conditions exactly the alarms it creates, which notify the topic", () => {
    const names = (Object.values(json.resource.aws_cloudwatch_metric_alarm) as any[]).map((alarm) => alarm.alarm_name).sort();
    expect(names).toEqual(["edge-rack-a-service-link", "edge-rack-b-service-link"]);
    expect(Object.keys(alarms.alarmNames).sort()).toEqual(["rack-a", "rack-b"]);
    expect(synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "edge-rack-a-service-link",
      alarm_actions: [`\${aws_sns_topic.${topicId}.arn}`],
      ok_actions: [`\${aws_sns_topic.${topicId}.arn}`],
    });
  });
});

describe("DisconnectAlarms: the user's topic", () => {
  const topicArn = "arn:aws:sns:us-west-2:111122223333:ops-pager";
  const { alarms, json } = synth({ ...base, topicArn });

  it("creates no topic, key or policy, and sends the alarms to the topic given", () => {
    for (const type of ["aws_sns_topic", "aws_sns_topic_policy", "aws_kms_key", "aws_kms_alias"]) expect(json.resource[type]).toBeUndefined();
    expect(json.data).toBeUndefined();
    const alarmsOut = Object.values(json.resource.aws_cloudwatch_metric_alarm) as any[];
    expect(alarmsOut).toHaveLength(2);
    expect(alarmsOut.every((alarm) => alarm.alarm_actions[0] === topicArn && alarm.ok_actions[0] === topicArn)).toBe(true);
    expect(alarms.topicArn).toBe(topicArn);
    expect(alarms.topicKeyArn).toBeUndefined();
  });
});

describe("DisconnectAlarms: who hears of them", () => {
  const chatTopic = "arn:aws:sns:us-west-2:111122223333:chat-ops";
  const { json } = synth({ ...base, notify: { emails: ["oncall@example.com"], httpsEndpoints: ["https://pager.example.com/sns"], topicArns: [chatTopic] } });
  const topicId = Object.keys(json.resource.aws_sns_topic)[0];

  it("subscribes each email and HTTPS endpoint to the topic", () => {
    const subscriptions = (Object.values(json.resource.aws_sns_topic_subscription) as any[]).map((s) => [s.protocol, s.endpoint, s.topic_arn]);
    expect(subscriptions).toEqual([
      ["email", "oncall@example.com", `\${aws_sns_topic.${topicId}.arn}`],
      ["https", "https://pager.example.com/sns", `\${aws_sns_topic.${topicId}.arn}`],
    ]);
  });

  it("publishes to the other topics too, such as a chat integration's", () => {
    for (const alarm of Object.values(json.resource.aws_cloudwatch_metric_alarm) as any[]) {
      expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topicId}.arn}`, chatTopic]);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });

  it("subscribes nobody by default", () => {
    expect(synth(base).json.resource.aws_sns_topic_subscription).toBeUndefined();
  });
});
