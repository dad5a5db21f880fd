/**
 * `outposts-eks capacity`: per Outpost, the nodes each node group can reach (maxSize + spareNodes),
 * what a rolling refresh adds (its surge), the local control plane's instances, and the total
 * against the Outpost's declared `nodeSlots`.
 */
import { Blueprint, localControlPlaneInstances, nodeGroupSizes } from "../config";

export interface OutpostCapacity {
  readonly outpost: string;
  readonly groups: ReadonlyArray<{ readonly name: string; readonly atMax: number; readonly spare: number; readonly surge: number }>;
  /** Node-group instances at max, summed. */
  readonly nodesAtMax: number;
  /** The largest extra a single group's refresh launches (groups roll one at a time). */
  readonly refreshSurge: number;
  readonly controlPlaneInstances: number;
  /** At max, during a refresh, with the control plane. */
  readonly peak: number;
  readonly nodeSlots?: number;
}

export function capacityReport(blueprint: Blueprint): OutpostCapacity[] {
  return blueprint.outposts.map((outpost, i) => {
    const groups = blueprint.nodeGroups
      .filter((group) => group.outpost === outpost.name)
      .map((group) => ({ name: group.name, atMax: nodeGroupSizes(group).max, spare: group.spareNodes, surge: group.rollout.maxSurge }));
    const nodesAtMax = groups.reduce((sum, group) => sum + group.atMax, 0);
    const refreshSurge = Math.max(0, ...groups.map((group) => group.surge));
    // A local cluster's control plane runs on its one rack (the first and only Outpost).
    const controlPlaneInstances = i === 0 ? localControlPlaneInstances(blueprint) : 0;
    return { outpost: outpost.name, groups, nodesAtMax, refreshSurge, controlPlaneInstances, peak: nodesAtMax + refreshSurge + controlPlaneInstances, nodeSlots: outpost.nodeSlots };
  });
}

export function capacityLines(report: readonly OutpostCapacity[]): string[] {
  return report.flatMap((outpost) => [
    `${outpost.outpost}: ${outpost.peak} instances at peak` + (outpost.nodeSlots === undefined ? " (nodeSlots not declared)" : ` of ${outpost.nodeSlots} slots, ${outpost.nodeSlots - outpost.peak} free`),
    ...outpost.groups.map((group) => `  ${group.name}: ${group.atMax} at max (${group.spare} spare)${group.surge ? `, +${group.surge} during a refresh` : ", refreshed one node at a time"}`),
    ...(outpost.controlPlaneInstances ? [`  local control plane: ${outpost.controlPlaneInstances} instances`] : []),
    `  = ${outpost.nodesAtMax} nodes at max + ${outpost.refreshSurge} surge + ${outpost.controlPlaneInstances} control plane`,
  ]);
}
