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
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import { tagResources } from "../shared/resource-options";

export const CONNECTED_STATUS_METRIC = { namespace: "AWS/Outposts", metricName: "ConnectedStatus", dimension: "OutpostId" } as const;

export interface DisconnectAlarmsProps {
  /** Prefix of the alarm and topic names. */
  readonly name: string;
  /** Outpost IDs (op-...) by a stable key, such as the Outpost's name. */
  readonly outpostIds: Readonly<Record<string, string>>;
  /**
   * Send the alarms to this existing SNS topic.
   * @default - a new topic, encrypted with the AWS-managed SNS key
   */
  readonly topicArn?: string;
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

export class DisconnectAlarms extends Construct {
  /** Where the alarms go. */
  readonly topicArn: string;
  /** Alarm name by key. */
  readonly alarmNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: DisconnectAlarmsProps) {
    super(scope, id);
    tagResources(this, props.tags);
    this.topicArn = props.topicArn ?? new SnsTopic(this, "topic", { name: `${props.name}-outpost-disconnects`, kmsMasterKeyId: "alias/aws/sns" }).arn;
    const minutes = props.evaluationMinutes ?? 5;
    const names: Record<string, string> = {};
    for (const [key, outpostId] of Object.entries(props.outpostIds)) {
      const alarm = new CloudwatchMetricAlarm(this, `disconnected-${key}`, {
        alarmName: `${props.name}-${key}-service-link`,
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
        alarmActions: [this.topicArn],
        okActions: [this.topicArn],
      });
      names[key] = alarm.alarmName;
    }
    this.alarmNames = names;
  }
}
