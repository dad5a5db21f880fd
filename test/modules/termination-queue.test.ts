/**
 * TerminationQueue: NTH's SSE-SQS queue, the queue policy for its EventBridge rules, the three EventBridge
 * rules and their targets, and the IAM statements NTH needs.
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { NODE_TERMINATION_HANDLER_ACTIONS, TerminationQueue, TerminationQueueProps } from "../../modules/termination-queue";

function synth(props: TerminationQueueProps): { queue: TerminationQueue; synthesized: string; json: any; queueId: string } {
  let queue!: TerminationQueue;
  const synthesized = Testing.synthScope((scope) => {
    queue = new TerminationQueue(scope, "nth", props);
  });
  const json = JSON.parse(synthesized);
  return { queue, synthesized, json, queueId: Object.keys(json.resource.aws_sqs_queue)[0] };
}

const rulesOf = (json: any): any[] => Object.values(json.resource.aws_cloudwatch_event_rule);

describe("TerminationQueue", () => {
  const { queue, synthesized, json, queueId } = synth({ name: "edge-nth", autoScalingGroupNames: ["edge-rack-a", "edge-rack-b"] });

  it("creates an SSE-SQS queue that keeps messages for the lifecycle-hook timeout only", () => {
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, {
      name: "edge-nth",
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 300,
    });
    expect(json.resource.aws_sqs_queue[queueId].kms_master_key_id).toBeUndefined();
  });

  it("lets only EventBridge, on behalf of the three rules, send messages to the queue", () => {
    const ruleArns = Object.keys(json.resource.aws_cloudwatch_event_rule).map((id) => `\${aws_cloudwatch_event_rule.${id}.arn}`);
    expect(ruleArns).toHaveLength(3);
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        {
          sid: "EventsToQueue",
          effect: "Allow",
          actions: ["sqs:SendMessage"],
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
          resources: [`\${aws_sqs_queue.${queueId}.arn}`],
          condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: expect.arrayContaining(ruleArns) }],
        },
      ],
    });
    const [document] = Object.values(json.data.aws_iam_policy_document) as any[];
    expect([...document.statement[0].condition[0].values].sort()).toEqual([...ruleArns].sort());
    const documentId = Object.keys(json.data.aws_iam_policy_document)[0];
    expect(synthesized).toHaveResourceWithProperties(SqsQueuePolicy, {
      queue_url: `\${aws_sqs_queue.${queueId}.url}`,
      policy: `\${data.aws_iam_policy_document.${documentId}.json}`,
    });
  });

  it("creates the three rules NTH drains on, named after the queue", () => {
    expect(rulesOf(json).map((rule) => rule.name).sort()).toEqual(["edge-nth-asg-terminate", "edge-nth-scheduled-change", "edge-nth-state-change"]);
    expect(synthesized).toHaveResourceWithProperties(CloudwatchEventRule, {
      name: "edge-nth-asg-terminate",
      description: "Node Termination Handler: asg terminate",
    });
  });

  it("filters terminate lifecycle actions by the Auto Scaling groups given", () => {
    const rule = rulesOf(json).find((r) => r.name === "edge-nth-asg-terminate");
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.autoscaling"],
      "detail-type": ["EC2 Instance-terminate Lifecycle Action"],
      detail: { AutoScalingGroupName: ["edge-rack-a", "edge-rack-b"] },
    });
  });

  it("matches instance state changes and AWS Health scheduled changes for EC2, with no Spot rules", () => {
    const patterns = Object.fromEntries(rulesOf(json).map((rule) => [rule.name, JSON.parse(rule.event_pattern)]));
    expect(patterns["edge-nth-state-change"]).toEqual({ source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] });
    expect(patterns["edge-nth-scheduled-change"]).toEqual({
      source: ["aws.health"],
      "detail-type": ["AWS Health Event"],
      detail: { service: ["EC2"], eventTypeCategory: ["scheduledChange"] },
    });
    expect(Object.values(patterns).some((pattern) => JSON.stringify(pattern).includes("Spot"))).toBe(false);
  });

  it("targets the queue from every rule", () => {
    const targets = Object.values(json.resource.aws_cloudwatch_event_target) as any[];
    expect(targets).toHaveLength(3);
    const ruleIds = Object.keys(json.resource.aws_cloudwatch_event_rule).sort();
    expect(targets.map((target) => target.rule.replace(/^\$\{aws_cloudwatch_event_rule\.([^.]+)\.name\}$/, "$1")).sort()).toEqual(ruleIds);
    expect(synthesized).toHaveResourceWithProperties(CloudwatchEventTarget, {
      arn: `\${aws_sqs_queue.${queueId}.arn}`,
      target_id: "node-termination-handler",
    });
    expect(targets.every((target) => target.arn === `\${aws_sqs_queue.${queueId}.arn}`)).toBe(true);
  });

  it("exposes NTH's statements: Describe/Complete on *, SQS actions on this queue only", () => {
    const [autoscaling, sqs] = queue.handlerStatements;
    expect(autoscaling.resources).toEqual(["*"]);
    expect(autoscaling.actions).toEqual([
      "autoscaling:CompleteLifecycleAction",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeTags",
      "ec2:DescribeInstances",
    ]);
    expect(sqs.actions).toEqual(["sqs:DeleteMessage", "sqs:ReceiveMessage"]);
    expect(sqs.resources).toHaveLength(1);
    expect([...(autoscaling.actions ?? []), ...(sqs.actions ?? [])].sort()).toEqual([...NODE_TERMINATION_HANDLER_ACTIONS].sort());
    expect(Object.keys(queue.rules).sort()).toEqual(["asg-terminate", "scheduled-change", "state-change"]);
  });
});

describe("TerminationQueue handler statements in a policy document", () => {
  it("scope the SQS actions to this queue's ARN", () => {
    const synthesized = Testing.synthScope((scope) => {
      const queue = new TerminationQueue(scope, "nth", { name: "edge-nth", autoScalingGroupNames: ["edge-rack-a"] });
      new DataAwsIamPolicyDocument(scope, "handler", { statement: queue.handlerStatements });
    });
    const json = JSON.parse(synthesized);
    const queueId = Object.keys(json.resource.aws_sqs_queue)[0];
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        expect.objectContaining({ sid: "Autoscaling", resources: ["*"] }),
        { sid: "Queue", effect: "Allow", actions: ["sqs:DeleteMessage", "sqs:ReceiveMessage"], resources: [`\${aws_sqs_queue.${queueId}.arn}`] },
      ],
    });
  });
});

describe("TerminationQueue rule names", () => {
  it("cuts rule names to EventBridge's 64 characters", () => {
    const name = "n".repeat(60);
    const { json } = synth({ name, autoScalingGroupNames: ["group"] });
    const names = rulesOf(json).map((rule) => rule.name);
    expect(names.every((ruleName: string) => ruleName.length <= 64)).toBe(true);
    expect(names.sort()).toEqual([`${name}-asg`, `${name}-sch`, `${name}-sta`]);
  });
});

describe("TerminationQueue without Auto Scaling groups", () => {
  it("refuses an empty list of group names before building anything, since EventBridge refuses an empty array", () => {
    expect(() => synth({ name: "edge-nth", autoScalingGroupNames: [] })).toThrow(
      /no Auto Scaling group names given; EventBridge refuses an empty array in an event pattern \("Empty arrays are not allowed"\).*give at least one/,
    );
  });

  it("never emits an empty array into any rule's event pattern", () => {
    const { json } = synth({ name: "edge-nth", autoScalingGroupNames: ["edge-rack-a"] });
    const arrays: unknown[][] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) arrays.push(value);
      if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
    };
    rulesOf(json).forEach((rule) => collect(JSON.parse(rule.event_pattern)));
    expect(arrays.length).toBeGreaterThan(0);
    expect(arrays.filter((array) => array.length === 0)).toEqual([]);
  });
});
