/**
 * Disconnect monitoring (seed 004): one CloudWatch alarm per Outpost on its service link, sent to an
 * SNS topic. Outposts publish `ConnectedStatus` in the `AWS/Outposts` namespace with the `OutpostId`
 * dimension: 1 while the service link is up; its average falls below 1 when the link is impaired
 * (Outposts User Guide, "CloudWatch metrics for Outposts racks"). While the link is down the metric
 * may stop arriving, so missing data counts as breaching.
 *
 * No CloudWatch metric reports a local cluster's control-plane health; `aws eks describe-cluster`
 * gives `cluster.health` (docs/upgrades.md shows how to read it).
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { tagResources } from "../shared/resource-options";

export const CONNECTED_STATUS_METRIC = { namespace: "AWS/Outposts", metricName: "ConnectedStatus", dimension: "OutpostId" } as const;

export interface DisconnectAlarmsProps {
  /** Prefix of the alarm and topic names. */
  readonly name: string;
  /** Outpost IDs (op-...) by a stable key, such as the Outpost's name. */
  readonly outpostIds: Readonly<Record<string, string>>;
  /**
   * Send the alarms to this existing SNS topic, left as it is: if it is encrypted, its KMS key must be
   * customer managed and let cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*
   * (README).
   * @default - a new topic, encrypted with a new customer-managed key that CloudWatch may use
   */
  readonly topicArn?: string;
  /**
   * Who hears of the alarms: subscriptions to the topic, and more topics the alarms also publish to.
   * @default - nobody: the topic has no subscription
   */
  readonly notify?: AlarmRecipients;
  /**
   * Minutes of an impaired or silent service link before the alarm fires.
   * @default 5
   */
  readonly evaluationMinutes?: number;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Who hears of the alarms. */
export interface AlarmRecipients {
  /**
   * Email addresses subscribed to the topic; each confirms the subscription from the message SNS sends.
   * @default none
   */
  readonly emails?: readonly string[];
  /**
   * HTTPS endpoints subscribed to the topic; each confirms by visiting the SubscribeURL SNS posts.
   * @default none
   */
  readonly httpsEndpoints?: readonly string[];
  /**
   * Existing SNS topics the alarms publish to as well, such as the topic a chat integration (Amazon Q
   * Developer in chat applications) subscribes to. Their policies (and keys) must admit
   * cloudwatch.amazonaws.com.
   * @default none
   */
  readonly topicArns?: readonly string[];
}

/** The name of the alarm of an Outpost, by its key. */
export function disconnectAlarmName(name: string, key: string): string {
  return `${name}-${key}-service-link`;
}

export class DisconnectAlarms extends Construct {
  /** Where the alarms go. */
  readonly topicArn: string;
  /** The created topic's KMS key; undefined with `topicArn`. */
  readonly topicKeyArn?: string;
  /** Alarm name by key. */
  readonly alarmNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: DisconnectAlarmsProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const created = props.topicArn === undefined ? this.createTopic(props) : undefined;
    this.topicArn = props.topicArn ?? created!.topicArn;
    this.topicKeyArn = created?.keyArn;
    const minutes = props.evaluationMinutes ?? 5;
    const names: Record<string, string> = {};
    const actions = [this.topicArn, ...(props.notify?.topicArns ?? [])];
    for (const [key, outpostId] of Object.entries(props.outpostIds)) {
      const alarm = new CloudwatchMetricAlarm(this, `disconnected-${key}`, {
        alarmName: disconnectAlarmName(props.name, key),
        alarmDescription: `Outpost ${outpostId} (${key}) has no healthy service link to the Region: EKS API calls, image pulls and node launches fail until it returns (seed 004).`,
        namespace: CONNECTED_STATUS_METRIC.namespace,
        metricName: CONNECTED_STATUS_METRIC.metricName,
        dimensions: { [CONNECTED_STATUS_METRIC.dimension]: outpostId },
        statistic: "Average",
        period: 60,
        evaluationPeriods: minutes,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        alarmActions: actions,
        okActions: actions,
      });
      names[key] = alarm.alarmName;
    }
    this.alarmNames = names;
    // SNS sends each a confirmation; it receives nothing until confirmed (SNS Developer Guide, "Subscribing to a topic").
    (props.notify?.emails ?? []).forEach((endpoint, i) => new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topicArn, protocol: "email", endpoint }));
    (props.notify?.httpsEndpoints ?? []).forEach(
      (endpoint, i) => new SnsTopicSubscription(this, `https-${i}`, { topicArn: this.topicArn, protocol: "https", endpoint }),
    );
  }

  /**
   * The alarms' topic. CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key
   * alias/aws/sns, whose policy cannot grant CloudWatch the key (SNS Developer Guide, "Key management",
   * enable compatibility between event sources from AWS services and encrypted topics; AWS re:Post
   * Knowledge Center, "cloudwatch-configure-alarm-sns"): the topic gets a customer-managed key, with
   * rotation, that the account administers and CloudWatch uses only on behalf of these alarms
   * (aws:SourceAccount, aws:SourceArn: IAM User Guide, "The confused deputy problem").
   */
  private createTopic(props: DisconnectAlarmsProps): { topicArn: string; keyArn: string } {
    const account = new DataAwsCallerIdentity(this, "account");
    const partition = new DataAwsPartition(this, "partition");
    // Built from the names, not the alarms' arn attributes: the key and topic come before the alarms.
    // The Region is a wildcard (IAM User Guide, "The confused deputy problem": wildcards for the parts
    // of aws:SourceArn not known); the account and the alarm names pin the source.
    const alarmArns = Object.keys(props.outpostIds).map(
      (key) => `arn:${partition.partition}:cloudwatch:*:${account.accountId}:alarm:${disconnectAlarmName(props.name, key)}`,
    );
    const onBehalfOfTheAlarms = [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [account.accountId] },
      { test: "ArnLike", variable: "aws:SourceArn", values: alarmArns },
    ];
    const topicName = `${props.name}-outpost-disconnects`;
    const topicArnPattern = `arn:${partition.partition}:sns:*:${account.accountId}:${topicName}`;
    const keyPolicy = new DataAwsIamPolicyDocument(this, "topic-key-policy", {
      statement: [
        {
          // The default key policy's statement: the account, through IAM, administers and uses the key
          // (KMS Developer Guide, "Default key policy").
          sid: "AccountAdministers",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${partition.partition}:iam::${account.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          // For this topic only: SNS encrypts each message under the encryption context
          // aws:sns:topicArn (SNS Developer Guide, "Key management" and "Encryption at rest"), which
          // the key policy can require; AWS does not show CloudWatch passing aws:SourceArn to KMS, so
          // the alarm ARNs stay on the topic policy. The ARN's account pins the account.
          sid: "CloudWatchAlarmsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          condition: [{ test: "StringLike", variable: "kms:EncryptionContext:aws:sns:topicArn", values: [topicArnPattern] }],
        },
      ],
    });
    const key = new KmsKey(this, "topic-key", {
      description: `SNS topic ${topicName}: Outpost service-link alarms`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
    });
    new KmsAlias(this, "topic-key-alias", { name: `alias/${topicName}`, targetKeyId: key.keyId });
    const topic = new SnsTopic(this, "topic", { name: topicName, kmsMasterKeyId: key.arn });
    // CloudWatch publishes as its service principal (AWS re:Post Knowledge Center,
    // "cloudwatch-receive-sns-for-alarm-trigger"), only for these alarms.
    const topicPolicy = new DataAwsIamPolicyDocument(this, "topic-policy-document", {
      statement: [
        {
          sid: "CloudWatchAlarmsPublish",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [topic.arn],
          condition: onBehalfOfTheAlarms,
        },
      ],
    });
    new SnsTopicPolicy(this, "topic-policy", { arn: topic.arn, policy: topicPolicy.json });
    return { topicArn: topic.arn, keyArn: key.arn };
  }
}
