/**
 * Node Termination Handler in queue mode: an SQS queue (SSE-SQS; NTH cannot read a queue encrypted
 * with an AWS-managed KMS key), a queue policy that lets only its own EventBridge rules send, and
 * EventBridge rules for the events NTH drains on: ASG terminate lifecycle actions, EC2 instance state changes and AWS Health
 * scheduled changes. There is no Spot on Outposts, so no Spot or rebalance rules.
 *
 * Rules filter only on fields their events carry: the lifecycle action carries
 * AutoScalingGroupName; an instance state change carries only the instance and its state.
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { asgTerminatePattern } from "./patterns";
import { tagResources } from "../shared/resource-options";

/** What NTH in queue mode calls (NTH docs, queue-processor mode IAM). */
export const NODE_TERMINATION_HANDLER_ACTIONS = [
  "autoscaling:CompleteLifecycleAction",
  "autoscaling:DescribeAutoScalingInstances",
  "autoscaling:DescribeTags",
  "ec2:DescribeInstances",
  "sqs:DeleteMessage",
  "sqs:ReceiveMessage",
] as const;

export interface TerminationQueueProps {
  /** Queue name, and the prefix of the rule names (EventBridge allows 64 characters; 17 are added). */
  readonly name: string;
  /** Auto Scaling groups whose terminate lifecycle actions reach the queue; at least one (the constructor throws otherwise). */
  readonly autoScalingGroupNames: readonly string[];
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class TerminationQueue extends Construct {
  readonly queueUrl: string;
  readonly queueArn: string;
  /** IAM statements NTH needs, scoped to this queue where IAM allows. */
  readonly handlerStatements: DataAwsIamPolicyDocumentStatement[];
  readonly rules: Readonly<Record<string, CloudwatchEventRule>>;

  constructor(scope: Construct, id: string, props: TerminationQueueProps) {
    super(scope, id);
    // First, so that no group throws before any resource exists.
    const asgTerminate = asgTerminatePattern(props.autoScalingGroupNames);
    tagResources(this, props.tags);
    const queue = new SqsQueue(this, "queue", {
      name: props.name,
      sqsManagedSseEnabled: true,
      // NTH acts within the 300 s lifecycle-hook timeout; older messages are stale.
      messageRetentionSeconds: 300,
    });
    this.queueUrl = queue.url;
    this.queueArn = queue.arn;

    const patterns: Record<string, Record<string, unknown>> = {
      "asg-terminate": asgTerminate,
      "state-change": {
        source: ["aws.ec2"],
        "detail-type": ["EC2 Instance State-change Notification"],
      },
      "scheduled-change": {
        source: ["aws.health"],
        "detail-type": ["AWS Health Event"],
        detail: { service: ["EC2"], eventTypeCategory: ["scheduledChange"] },
      },
    };
    const rules: Record<string, CloudwatchEventRule> = {};
    for (const [ruleName, pattern] of Object.entries(patterns)) {
      const rule = new CloudwatchEventRule(this, ruleName, {
        name: `${props.name}-${ruleName}`.slice(0, 64),
        description: `Node Termination Handler: ${ruleName.replace(/-/g, " ")}`,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `${ruleName}-target`, { rule: rule.name, arn: queue.arn, targetId: "node-termination-handler" });
      rules[ruleName] = rule;
    }
    this.rules = rules;

    // Only these rules may send, and only as EventBridge: the queue policy of an EventBridge target
    // names the rules in aws:SourceArn (EventBridge User Guide, "Using resource-based policies for
    // Amazon EventBridge", Amazon SQS permissions; IAM User Guide, "The confused deputy problem").
    // No other service sends to this queue, so sqs.amazonaws.com, which NTH's sample policy also
    // lists, is not a principal.
    const policy = new DataAwsIamPolicyDocument(this, "queue-policy-document", {
      statement: [
        {
          sid: "EventsToQueue",
          effect: "Allow",
          actions: ["sqs:SendMessage"],
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          resources: [queue.arn],
          condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: Object.values(rules).map((rule) => rule.arn) }],
        },
      ],
    });
    new SqsQueuePolicy(this, "queue-policy", { queueUrl: queue.url, policy: policy.json });

    this.handlerStatements = [
      {
        sid: "Autoscaling",
        effect: "Allow",
        actions: NODE_TERMINATION_HANDLER_ACTIONS.filter((action) => action.startsWith("autoscaling:") || action.startsWith("ec2:")),
        // These Describe and CompleteLifecycleAction calls take no resource-level scoping.
        resources: ["*"],
      },
      {
        sid: "Queue",
        effect: "Allow",
        actions: NODE_TERMINATION_HANDLER_ACTIONS.filter((action) => action.startsWith("sqs:")),
        resources: [queue.arn],
      },
    ];
  }
}

export * from "./patterns";
