/**
 * The cluster's core add-ons and VPC CNI tuning.
 *
 * Extended clusters run vpc-cni, coredns and kube-proxy as EKS managed add-ons, each pinned to the
 * version `data.aws_eks_addon_version` resolves for the cluster's Kubernetes version, with the CNI
 * settings and CoreDNS's spread across Outposts in `configuration_values`. On local clusters EKS
 * installs those itself and managed add-ons do not exist, so the CNI settings are written into the
 * aws-node DaemonSet's environment through the Kubernetes provider.
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/eks-core-addons", ["@cdktf/provider-helm", "@cdktf/provider-kubernetes"]);
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { Env } from "@cdktf/provider-kubernetes/lib/env";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { Addon, AddonSpec } from "../shared/addon";
import { spreadAcross } from "../shared/topology";
import { tagResources } from "../shared/resource-options";

export interface CniSettings {
  /** WARM_ENI_TARGET. */
  readonly warmEniTarget?: number;
  /** WARM_IP_TARGET: free IPs each node keeps, so pods start while disconnected (seed 004). */
  readonly warmIpTarget?: number;
  /** MINIMUM_IP_TARGET. */
  readonly minimumIpTarget?: number;
  /** AWS_VPC_ENI_MTU: 1300 suits traffic between an Outpost and the Region. */
  readonly mtu?: number;
}

/** The CNI settings as aws-node environment variables; unset settings are left out. */
export function cniEnvironment(settings: CniSettings): Record<string, string> {
  const env: Record<string, string> = {};
  if (settings.warmEniTarget !== undefined) env.WARM_ENI_TARGET = String(settings.warmEniTarget);
  if (settings.warmIpTarget !== undefined) env.WARM_IP_TARGET = String(settings.warmIpTarget);
  if (settings.minimumIpTarget !== undefined) env.MINIMUM_IP_TARGET = String(settings.minimumIpTarget);
  if (settings.mtu !== undefined) env.AWS_VPC_ENI_MTU = String(settings.mtu);
  return env;
}

export const MANAGED_CORE_ADDONS = ["vpc-cni", "coredns", "kube-proxy"] as const;

/** The core add-ons: EKS publishes their images; they are no Helm chart of ours. */
export const CORE_ADDONS: AddonSpec = { name: "eks-core-addons", namespace: "kube-system", images: [], ownedValues: [] };

/** One EKS managed add-on at the newest version EKS offers for the cluster's Kubernetes version. */
function managedAddon(
  scope: Construct,
  name: string,
  props: { clusterName: string; kubernetesVersion: string; configuration?: unknown; serviceAccountRoleArn?: string },
): EksAddon {
  const version = new DataAwsEksAddonVersion(scope, `${name}-version`, { addonName: name, kubernetesVersion: props.kubernetesVersion, mostRecent: true });
  return new EksAddon(scope, name, {
    clusterName: props.clusterName,
    addonName: name,
    addonVersion: version.version,
    configurationValues: props.configuration === undefined ? undefined : JSON.stringify(props.configuration),
    serviceAccountRoleArn: props.serviceAccountRoleArn,
    // EKS installed these as self-managed components; the managed add-on takes them over.
    resolveConflictsOnCreate: "OVERWRITE",
    resolveConflictsOnUpdate: "OVERWRITE",
  });
}

/** The VPC CNI's configuration values: its settings as aws-node's environment, or none. */
function cniConfiguration(cni: CniSettings): unknown {
  const env = cniEnvironment(cni);
  return Object.keys(env).length > 0 ? { env } : undefined;
}

/** The VPC CNI's service account, which its own role trusts. */
export const VPC_CNI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-node" } as const;

export interface VpcCniAddonProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly cni: CniSettings;
  /**
   * The IAM role aws-node assumes (IRSA, trusted for kube-system/aws-node, with
   * AmazonEKS_CNI_Policy), so the CNI's permissions leave the node role.
   * @default - none: aws-node uses the node role
   */
  readonly serviceAccountRoleArn?: string;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The vpc-cni managed add-on on its own, for a stack that must have it, with its role, before any
 * node joins (the control-plane stack): nodes whose role lacks the CNI policy get pod IPs only from
 * an aws-node that already has its own credentials.
 */
export class VpcCniAddon extends Construct {
  readonly addon: EksAddon;
  readonly values: unknown;

  constructor(scope: Construct, id: string, props: VpcCniAddonProps) {
    super(scope, id);
    tagResources(this, props.tags);
    this.values = cniConfiguration(props.cni);
    this.addon = managedAddon(this, "vpc-cni", { ...props, configuration: this.values });
  }
}

export interface ManagedCoreAddonsProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly cni: CniSettings;
  /**
   * Whether this construct installs vpc-cni; false where a `VpcCniAddon` does (before the nodes).
   * @default true
   */
  readonly vpcCni?: boolean;
  readonly coreDnsReplicas: number;
  /** Node label whose values tell Outposts apart. */
  readonly outpostTopologyKey: string;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** vpc-cni, coredns and kube-proxy as EKS managed add-ons (extended clusters). */
export class ManagedCoreAddons extends Construct implements Addon {
  readonly spec = CORE_ADDONS;
  /** Each add-on's configuration_values, by add-on name. */
  readonly values: Record<string, unknown>;
  /** The add-ons it installs, by name (vpc-cni absent with `vpcCni: false`). */
  readonly addons: Readonly<Partial<Record<(typeof MANAGED_CORE_ADDONS)[number], EksAddon>>>;

  constructor(scope: Construct, id: string, props: ManagedCoreAddonsProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const configuration: Record<string, unknown> = {
      "vpc-cni": cniConfiguration(props.cni),
      coredns: {
        replicaCount: props.coreDnsReplicas,
        topologySpreadConstraints: [spreadAcross(props.outpostTopologyKey, { "k8s-app": "kube-dns" })],
      },
      "kube-proxy": undefined,
    };
    const addons: Partial<Record<(typeof MANAGED_CORE_ADDONS)[number], EksAddon>> = {};
    for (const name of MANAGED_CORE_ADDONS) {
      if (name === "vpc-cni" && props.vpcCni === false) continue;
      addons[name] = managedAddon(this, name, { clusterName: props.clusterName, kubernetesVersion: props.kubernetesVersion, configuration: configuration[name] });
    }
    if (props.vpcCni === false) delete configuration["vpc-cni"];
    this.addons = addons;
    this.values = configuration;
  }

  get installed(): EksAddon[] {
    return Object.values(this.addons).filter((addon): addon is EksAddon => addon !== undefined);
  }
}

export interface CniEnvironmentPatchProps {
  readonly cni: CniSettings;
  /**
   * The kubernetes provider to use (ClusterAccess builds one).
   * @default - the stack's default kubernetes provider
   */
  readonly kubernetesProvider?: TerraformProvider;
}

/** Writes CNI settings into the aws-node DaemonSet EKS installed (local clusters). */
export class CniEnvironmentPatch extends Construct implements Addon {
  readonly spec = CORE_ADDONS;
  readonly env: Record<string, string>;
  readonly installed: Env[] = [];

  constructor(scope: Construct, id: string, props: CniEnvironmentPatchProps) {
    super(scope, id);
    this.env = cniEnvironment(props.cni);
    if (Object.keys(this.env).length === 0) return;
    this.installed.push(new Env(this, "aws-node-env", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "aws-node", namespace: "kube-system" },
      container: "aws-node",
      env: Object.entries(this.env).map(([name, value]) => ({ name, value })),
      force: true,
      provider: props.kubernetesProvider,
    }));
  }

  get values(): Record<string, unknown> {
    return { env: this.env };
  }
}
