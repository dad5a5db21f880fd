/**
 * The event pattern of the ASG terminate rule, as a pure function: the construct uses it, and the
 * config rules measure it against EventBridge's limit before anything is built.
 */

/**
 * The longest event pattern EventBridge accepts by default (EventBridge quotas, "Event pattern size",
 * adjustable to 4096); the AWS provider refuses a longer one at plan time whatever the quota.
 */
export const EVENT_PATTERN_MAX_LENGTH = 2048;

/** The pattern that sends the terminate lifecycle actions of these Auto Scaling groups to the queue. */
export function asgTerminatePattern(autoScalingGroupNames: readonly string[]): Record<string, unknown> {
  return {
    source: ["aws.autoscaling"],
    "detail-type": ["EC2 Instance-terminate Lifecycle Action"],
    detail: { AutoScalingGroupName: [...autoScalingGroupNames] },
  };
}
