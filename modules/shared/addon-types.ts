/**
 * The add-on shapes (modules/shared/addon.ts) as types alone: they import no optional peer, so the
 * package root can export them and its declarations compile with the required peers only
 * (`skipLibCheck: false`).
 */
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { CatalogueImage } from "./image-catalogue";
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
