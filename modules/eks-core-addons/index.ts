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

export interface ManagedCoreAddonsProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly cni: CniSettings;
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
  readonly addons: Readonly<Record<(typeof MANAGED_CORE_ADDONS)[number], EksAddon>>;

  constructor(scope: Construct, id: string, props: ManagedCoreAddonsProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const env = cniEnvironment(props.cni);
    const configuration: Record<string, unknown> = {
      "vpc-cni": Object.keys(env).length > 0 ? { env } : undefined,
      coredns: {
        replicaCount: props.coreDnsReplicas,
        topologySpreadConstraints: [spreadAcross(props.outpostTopologyKey, { "k8s-app": "kube-dns" })],
      },
      "kube-proxy": undefined,
    };
    const addons: Partial<Record<(typeof MANAGED_CORE_ADDONS)[number], EksAddon>> = {};
    for (const name of MANAGED_CORE_ADDONS) {
      const version = new DataAwsEksAddonVersion(this, `${name}-version`, {
        addonName: name,
        kubernetesVersion: props.kubernetesVersion,
        mostRecent: true,
      });
      addons[name] = new EksAddon(this, name, {
        clusterName: props.clusterName,
        addonName: name,
        addonVersion: version.version,
        configurationValues: configuration[name] === undefined ? undefined : JSON.stringify(configuration[name]),
        // EKS installed these as self-managed components; the managed add-on takes them over.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      });
    }
    this.addons = addons as Record<(typeof MANAGED_CORE_ADDONS)[number], EksAddon>;
    this.values = configuration;
  }

  get installed(): EksAddon[] {
    return Object.values(this.addons);
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
