/**
 * The AWS Node Termination Handler in queue mode: it reads the workers' SQS queue and drains a node
 * before its ASG terminates it, then completes the lifecycle hook. It only drains instances that
 * carry the managed tag.
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/node-termination-handler", ["@cdktf/provider-helm"]);
import { Release } from "@cdktf/provider-helm/lib/release";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { nodeSelectorValues } from "../shared/node-selector";
import { Addon, addonRelease, AddonSpec } from "../shared/addon";
import { catalogueImagesOf, ImageRef, imageValues } from "../shared/image-catalogue";
import { spreadAcross } from "../shared/topology";
import { NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT } from "./service-account";
import { OWNED_VALUES } from "../shared/owned-values";

export * from "./service-account";

export const NODE_TERMINATION_HANDLER_CHART = {
  name: "aws-node-termination-handler",
  repository: "https://aws.github.io/eks-charts",
  version: "0.27.6",
} as const;


export const NODE_TERMINATION_HANDLER_ADDON: AddonSpec = {
  name: NODE_TERMINATION_HANDLER_CHART.name,
  chart: NODE_TERMINATION_HANDLER_CHART,
  namespace: NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT.namespace,
  serviceAccount: NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT,
  images: catalogueImagesOf("aws-node-termination-handler"),
  ownedValues: OWNED_VALUES["aws-node-termination-handler"],
};

export interface NodeTerminationHandlerProps {
  readonly region: string;
  readonly queueUrl: string;
  /** The tag the workers put on every managed instance. */
  readonly managedTag: string;
  /**
   * IRSA role (extended clusters); omit to use the node instance profile.
   * @default - the node instance profile (local clusters)
   */
  readonly roleArn?: string;
  /**
   * Replicas, spread across Outposts.
   * @default 2
   */
  readonly replicas?: number;
  /** Node label whose values tell Outposts apart, for spreading replicas. */
  readonly outpostTopologyKey: string;
  /**
   * Node labels the controller's pods must match: where its credentials come from the node role,
   * only the nodes whose hop limit lets pods reach the instance profile.
   * @default - any node
   */
  readonly controllerNodeSelector?: Readonly<Record<string, string>>;
  /**
   * Image references by catalogue name (`handler`).
   * @default the upstream image of the catalogue
   */
  readonly images?: Readonly<Record<string, ImageRef>>;
  /**
   * Chart version.
   * @default the pinned version, whose images the image catalogue lists (pass `images` for another)
   */
  readonly chartVersion?: string;
  /**
   * Chart values merged over the construct's own; the paths in the add-on's `ownedValues` are refused.
   * @default - none
   */
  readonly extraValues?: Record<string, unknown>;
  /**
   * The helm provider to use (ClusterAccess builds one).
   * @default - the stack's default helm provider
   */
  readonly helmProvider?: TerraformProvider;
}

export class NodeTerminationHandler extends Construct implements Addon {
  readonly spec = NODE_TERMINATION_HANDLER_ADDON;
  readonly release: Release;
  readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: NodeTerminationHandlerProps) {
    super(scope, id);
    this.values = {
      ...imageValues("aws-node-termination-handler", props.images),
      awsRegion: props.region,
      enableSqsTerminationDraining: true,
      queueURL: props.queueUrl,
      checkTagBeforeDraining: true,
      managedTag: props.managedTag,
      replicas: props.replicas ?? 2,
      serviceAccount: { create: true, name: NODE_TERMINATION_HANDLER_SERVICE_ACCOUNT.name, annotations: props.roleArn ? { "eks.amazonaws.com/role-arn": props.roleArn } : {} },
      topologySpreadConstraints: [spreadAcross(props.outpostTopologyKey, { "app.kubernetes.io/name": NODE_TERMINATION_HANDLER_CHART.name })],
      ...nodeSelectorValues(props.controllerNodeSelector),
    };
    this.release = addonRelease(this, "release", this.spec, { values: this.values, extraValues: props.extraValues, version: props.chartVersion, provider: props.helmProvider });
  }

  get installed(): Release[] {
    return [this.release];
  }
}
