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
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { CatalogueImage } from "./image-catalogue";
import { ownedValueConflicts } from "./owned-values";
import { ServiceAccountRef } from "./workload-identity";

/** A Helm chart at a pinned version. */
export interface HelmChart {
  readonly name: string;
  readonly repository: string;
  readonly version: string;
}

export interface AddonSpec {
  /** Stable name, also the Helm release name. */
  readonly name: string;
  /** The chart; undefined for add-ons that are not Helm releases (EKS managed add-ons, manifests). */
  readonly chart?: HelmChart;
  readonly namespace: string;
  /** The service account its pods run as, when it needs AWS credentials. */
  readonly serviceAccount?: ServiceAccountRef;
  /** Every image its chart runs, from the image catalogue; empty when it is no chart of ours. */
  readonly images: readonly CatalogueImage[];
  /**
   * Chart values the construct decides (dot paths): extra values must not replace them, since IAM
   * trust, the image catalogue or Outpost placement depend on them.
   */
  readonly ownedValues: readonly string[];
}


/** What every add-on construct exposes. */
export interface Addon {
  readonly spec: AddonSpec;
  /** The chart values (or add-on configuration) it sets. */
  readonly values: Record<string, unknown>;
  /** What an add-on installed after this one depends on; empty when it installs nothing. */
  readonly installed: readonly ITerraformDependable[];
}

export interface AddonReleaseProps {
  readonly values: Record<string, unknown>;
  /** Values merged over `values` by Helm (a second values document); owned paths are refused. */
  readonly extraValues?: Record<string, unknown>;
  /** Chart version; default the spec's. */
  readonly version?: string;
  readonly wait?: boolean;
  readonly dependsOn?: ITerraformDependable[];
  readonly provider?: TerraformProvider;
}

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
