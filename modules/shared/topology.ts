/**
 * A topology spread constraint that spreads a workload's replicas across the values of a node label
 * (the blueprint labels nodes with their Outpost), preferring balance without blocking scheduling
 * when an Outpost is full or gone.
 */
export function spreadAcross(topologyKey: string, matchLabels: Record<string, string>): Record<string, unknown> {
  return { maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels } };
}
