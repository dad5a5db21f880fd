/**
 * How a node group's instances are replaced (Auto Scaling instance refresh), and which preferences
 * AWS refuses, in one place for the rules and the workers stack.
 *
 * What AWS does (EC2 Auto Scaling User Guide, "Use an instance refresh to update instances", read
 * 2026-12-02; API Reference, RefreshPreferences):
 * - MinHealthyPercentage 0-100, of the desired capacity, the kept capacity rounded up; MaxHealthy
 *   100-200; MaxHealthy needs MinHealthy, and the two may differ by at most 100. Unset, Min is 90
 *   and Max 100, or the group's instance maintenance policy.
 * - "Launch the new instances first before terminating the old ones if the minimum healthy
 *   percentage is set to 100 percent", and Min = Max = 100 "changes the behavior ... to launch
 *   before terminating". So Min 100 needs a free slot for every replacement, which a full Outpost
 *   does not have: the refresh waits for capacity and fails after an hour.
 * - Below 100, the refresh terminates first: with Max 100 it may drop to the kept capacity, and
 *   launches the replacements into the freed slots.
 * So the default replaces one node at a time, terminating it first: Min is the largest percentage
 * that still keeps all but one node, Max 100 (given, so no maintenance policy changes it). A surge
 * (`maxSurge`) launches first, Min 100 and Max above it.
 */

export const MIN_HEALTHY_RANGE = { min: 0, max: 100 } as const;
export const MAX_HEALTHY_RANGE = { min: 100, max: 200 } as const;
/** The most MaxHealthyPercentage may exceed MinHealthyPercentage by. */
export const HEALTHY_PERCENTAGE_MAX_SPREAD = 100;

export interface RolloutInput {
  /** The desired count the refresh works on (spare nodes included). */
  readonly desired: number;
  readonly minHealthyPercentage?: number;
  readonly maxSurge: number;
  readonly instanceWarmupSeconds: number;
}

export interface RolloutPreferences {
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly instanceWarmupSeconds: number;
  /** Whether each replacement is launched before the node it replaces terminates (needs free slots). */
  readonly launchesFirst: boolean;
  /** Nodes beyond the desired count while the refresh runs. */
  readonly extraNodes: number;
}

/** The largest MinHealthyPercentage that keeps all but one of `desired` nodes (capacity rounded up): one at a time. */
export function oneAtATimeMinHealthy(desired: number): number {
  return desired <= 1 ? 0 : Math.floor((100 * (desired - 1)) / desired);
}

/** The refresh preferences of a node group. */
export function rolloutPreferencesOf(input: RolloutInput): RolloutPreferences {
  const desired = Math.max(input.desired, 1);
  if (input.maxSurge > 0) {
    const maxHealthyPercentage = Math.min(MAX_HEALTHY_RANGE.max, 100 + Math.ceil((100 * input.maxSurge) / desired));
    return {
      minHealthyPercentage: input.minHealthyPercentage ?? 100,
      maxHealthyPercentage,
      instanceWarmupSeconds: input.instanceWarmupSeconds,
      launchesFirst: true,
      // The percentage is rounded up, so AWS may allow a fraction of a node more; the surge is what the user asked for.
      extraNodes: input.maxSurge,
    };
  }
  const minHealthyPercentage = input.minHealthyPercentage ?? oneAtATimeMinHealthy(desired);
  // Min 100 with Max 100 launches first, one node beyond the desired count (the user guide above).
  const launchesFirst = minHealthyPercentage === 100;
  return { minHealthyPercentage, maxHealthyPercentage: 100, instanceWarmupSeconds: input.instanceWarmupSeconds, launchesFirst, extraNodes: launchesFirst ? 1 : 0 };
}

/** What AWS refuses in a pair of healthy percentages, or undefined. */
export function healthyPercentagesProblem(minHealthy: number, maxHealthy: number): string | undefined {
  if (maxHealthy - minHealthy > HEALTHY_PERCENTAGE_MAX_SPREAD) {
    return (
      `gives a minimum healthy percentage of ${minHealthy} with the surge's maximum of ${maxHealthy}; ` +
      `AWS refuses a difference above ${HEALTHY_PERCENTAGE_MAX_SPREAD} (RefreshPreferences): raise minHealthyPercentage to ${maxHealthy - HEALTHY_PERCENTAGE_MAX_SPREAD} or more, or lower maxSurge`
    );
  }
  return undefined;
}
