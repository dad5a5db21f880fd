/**
 * The event pattern of the ASG terminate rule, as a pure function: the construct uses it, and the
 * config rules measure it against EventBridge's limit before anything is built.
 */

/**
 * The longest event pattern EventBridge accepts by default (EventBridge quotas, "Event pattern size",
 * adjustable to 4096); the AWS provider refuses a longer one at plan time whatever the quota.
 */
export const EVENT_PATTERN_MAX_LENGTH = 2048;

/**
 * The pattern that sends the terminate lifecycle actions of these Auto Scaling groups to the queue.
 * Throws for no group: EventBridge refuses an empty array in a pattern ("Empty arrays are not
 * allowed"), and leaving the filter out would drain nodes of every Auto Scaling group in the account.
 */
export function asgTerminatePattern(autoScalingGroupNames: readonly string[]): Record<string, unknown> {
  if (autoScalingGroupNames.length === 0) {
    throw new Error(
      "asgTerminatePattern: no Auto Scaling group names given; EventBridge refuses an empty array in an event pattern " +
        "(\"Empty arrays are not allowed\"), and a pattern without the filter would match every group in the account: give at least one",
    );
  }
  return {
    source: ["aws.autoscaling"],
    "detail-type": ["EC2 Instance-terminate Lifecycle Action"],
    detail: { AutoScalingGroupName: [...autoScalingGroupNames] },
  };
}
