/**
 * The one shape every add-on has (after cdk-eks-blueprints' ClusterAddOn): what it installs (a Helm
 * chart at a pinned version, or an EKS managed add-on), where, as which service account, with which
 * container images, and the values it sets. The addons stack walks a list of these; each add-on
 * module exports its spec once and builds from it.
 */
import { requireOptionalPeers } from "./optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("addon", ["@cdktf/provider-helm"]);
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { ownedValueConflicts } from "./owned-values";
import type { AddonReleaseProps, AddonSpec } from "./addon-types";

export type { Addon, AddonReleaseProps, AddonSpec, HelmChart } from "./addon-types";

/** The Helm release of an add-on's chart, named after the add-on, in its namespace. */
export function addonRelease(scope: Construct, id: string, spec: AddonSpec, props: AddonReleaseProps): Release {
  if (!spec.chart) throw new Error(`add-on ${spec.name} has no Helm chart`);
  const extra = props.extraValues ?? {};
  const conflicts = ownedValueConflicts(spec.ownedValues, extra);
  if (conflicts.length > 0) {
    throw new Error(`${scope.node.path}: extraValues may not set ${conflicts.join(", ")}: ${spec.name}'s construct decides them (ownedValues)`);
  }
  return new Release(scope, id, {
    name: spec.name,
    repository: spec.chart.repository,
    chart: spec.chart.name,
    version: props.version ?? spec.chart.version,
    namespace: spec.namespace,
    values: [stringify(props.values), ...(Object.keys(extra).length > 0 ? [stringify(extra)] : [])],
    wait: props.wait,
    dependsOn: props.dependsOn,
    provider: props.provider,
  });
}
