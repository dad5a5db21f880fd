/**
 * The AWS Load Balancer Controller on an Outposts cluster, and one ALB ingress class per rack.
 *
 * An ALB on an Outpost takes exactly one Outpost subnet, and one ALB cannot span two Outposts
 * (seed 002), so the chart's own catch-all `alb` IngressClass is off: each rack gets an IngressClass
 * whose IngressClassParams pins its subnet. IngressClassParams is a CRD that the chart installs, and
 * `kubernetes_manifest` needs CRDs at plan time; a second Helm release (charts/outpost-ingress-classes,
 * shipped as a cdktf asset) creates the classes after the controller is ready, so a fresh cluster
 * plans and applies in one deploy.
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/load-balancer-controller", ["@cdktf/provider-helm"]);
import { Release } from "@cdktf/provider-helm/lib/release";
import { AssetType, TerraformAsset, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { nodeSelectorValues } from "../shared/node-selector";
import { stringify } from "yaml";
import { Addon, addonRelease, AddonSpec } from "../shared/addon";
import { packageFile } from "../shared/package-files";
import { catalogueImagesOf, ImageRef, imageValues } from "../shared/image-catalogue";
import { spreadAcross } from "../shared/topology";
import { grantWorkloadPermissions, WorkloadIdentity } from "../shared/workload-identity";
import { loadBalancerControllerStatements } from "./iam-policy";
import { IamRoleOptions, tagResources } from "../shared/resource-options";
import { OWNED_VALUES } from "../shared/owned-values";

export * from "./iam-policy";

export const LOAD_BALANCER_CONTROLLER_CHART = {
  name: "aws-load-balancer-controller",
  repository: "https://aws.github.io/eks-charts",
  version: "3.5.0",
} as const;
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

export const LOAD_BALANCER_CONTROLLER_ADDON: AddonSpec = {
  name: LOAD_BALANCER_CONTROLLER_CHART.name,
  chart: LOAD_BALANCER_CONTROLLER_CHART,
  namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
  serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  images: catalogueImagesOf("aws-load-balancer-controller"),
  ownedValues: OWNED_VALUES["aws-load-balancer-controller"],
};

/** The ingress-classes chart, shipped with this project. */
export const INGRESS_CLASSES_CHART_DIR = packageFile("charts/outpost-ingress-classes");

export interface RackIngressClass {
  /** The Outpost's name; the class is `alb-<outpost>`. */
  readonly outpost: string;
  readonly subnetId: string;
}

export interface LoadBalancerControllerProps {
  readonly clusterName: string;
  readonly region: string;
  /** The Region's partition (aws, aws-us-gov, aws-cn), for the ARNs in the controller's policy. */
  readonly partition: string;
  readonly vpcId: string;
  /** How the controller gets AWS credentials: its own IRSA role, or the node role (local clusters). */
  readonly identity: WorkloadIdentity;
  /** Name of the IRSA role (irsa identity only). */
  readonly roleName: string;
  /** One ingress class per rack. */
  readonly racks: readonly RackIngressClass[];
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
   * Image references by catalogue name (`controller`).
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
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Permissions boundary and path of every IAM role the construct creates.
   * @default - no boundary, path "/"
   */
  readonly iamRoleOptions?: IamRoleOptions;
}

export class LoadBalancerController extends Construct implements Addon {
  readonly spec = LOAD_BALANCER_CONTROLLER_ADDON;
  readonly release: Release;
  readonly ingressClasses: Release;
  /** The chart values this construct sets. */
  readonly values: Record<string, unknown>;
  /** IngressClass name by Outpost. */
  readonly ingressClassNames: Readonly<Record<string, string>>;
  /** The IRSA role ARN; empty when the node role carries the policy. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const permissions = grantWorkloadPermissions(
      this,
      { irsaRole: "role", nodeRolePolicy: "node-role-policy" },
      {
        identity: props.identity,
        serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
        roleName: props.roleName,
        nodeRolePolicyName: LOAD_BALANCER_CONTROLLER_ADDON.name,
        statements: loadBalancerControllerStatements(props.partition),
        iamRoleOptions: props.iamRoleOptions,
      },
    );
    this.roleArn = permissions.roleArn;

    this.values = {
      ...imageValues("aws-load-balancer-controller", props.images),
      clusterName: props.clusterName,
      region: props.region,
      vpcId: props.vpcId,
      replicaCount: props.replicas ?? 2,
      serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name, annotations: permissions.serviceAccountAnnotations },
      // Outposts and isolated clusters: no Shield or WAF.
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
      // The catch-all class would let one ALB span several Outposts; each rack gets its own instead.
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      topologySpreadConstraints: [spreadAcross(props.outpostTopologyKey, { "app.kubernetes.io/name": LOAD_BALANCER_CONTROLLER_CHART.name })],
      ...nodeSelectorValues(props.controllerNodeSelector),
    };
    // Wait for the webhook to serve before the ingress classes are created.
    this.release = addonRelease(this, "release", this.spec, { values: this.values, extraValues: props.extraValues, version: props.chartVersion, wait: true, provider: props.helmProvider });

    const chart = new TerraformAsset(this, "ingress-classes-chart", { path: INGRESS_CLASSES_CHART_DIR, type: AssetType.DIRECTORY });
    const classes = props.racks.map((rack) => ({ name: `alb-${rack.outpost}`, outpost: rack.outpost, subnetId: rack.subnetId }));
    this.ingressClassNames = Object.fromEntries(classes.map((c) => [c.outpost, c.name]));
    this.ingressClasses = new Release(this, "ingress-classes", {
      name: "outpost-ingress-classes",
      chart: `./${chart.path}`,
      namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      values: [stringify({ classes })],
      dependsOn: [this.release],
      provider: props.helmProvider,
    });
  }

  get installed(): Release[] {
    return [this.ingressClasses];
  }
}
