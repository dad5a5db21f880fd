/**
 * Role mappings in the aws-auth ConfigMap, for clusters whose nodes join through it (EBS-backed
 * local clusters, CONFIG_MAP authentication).
 *
 * The ConfigMap may be missing: the EKS User Guide (self-managed nodes on Outposts) tells users to
 * apply the stock one when `kubectl describe configmap aws-auth` says NotFound. So the construct
 * reads it first (`data.kubernetes_config_map_v1`, which answers an absent ConfigMap with no data,
 * not an error) and then:
 * - **creates** it (`kubernetes_config_map_v1`, labelled as ours) when it is absent, and keeps
 *   owning it on later runs, when it carries our label;
 * - **merges** into it (`kubernetes_config_map_v1_data`, server-side apply of `mapRoles`) when
 *   someone else created it.
 * Either way `mapRoles` is this construct's entries followed by every entry already there whose
 * `rolearn` is not one of ours: entries added by hand or by other tools stay, ours are replaced by
 * their current form. Only `mapRoles` is written; `mapUsers` and `mapAccounts` are left alone.
 */
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { ConfigMapV1Data } from "@cdktf/provider-kubernetes/lib/config-map-v1-data";
import { DataKubernetesConfigMapV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-config-map-v1";
import { TerraformLocal, TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";

export interface RoleMapping {
  readonly roleArn: string;
  readonly username: string;
  readonly groups: readonly string[];
}

export interface AwsAuthProps {
  /** The entries this construct owns in `mapRoles`, in order. */
  readonly roles: readonly RoleMapping[];
  /**
   * The Kubernetes provider to write with.
   * @default - the stack's default kubernetes provider
   */
  readonly kubernetesProvider?: TerraformProvider;
}

/** The label that marks an aws-auth ConfigMap this construct created (Kubernetes recommended labels). */
export const AWS_AUTH_OWNER_LABEL = { key: "app.kubernetes.io/managed-by", value: "outposts-eks" } as const;

const AWS_AUTH = { name: "aws-auth", namespace: "kube-system" } as const;

/** The mapping that lets self-managed nodes join. */
export function nodeRoleMapping(roleArn: string): RoleMapping {
  return { roleArn, username: "system:node:{{EC2PrivateDNSName}}", groups: ["system:bootstrappers", "system:nodes"] };
}

export class AwsAuth extends Construct {
  /** The ConfigMap as found before this run. */
  readonly current: DataKubernetesConfigMapV1;
  /** The ConfigMap, created when it was absent (count 1) or left to its owner (count 0). */
  readonly createdConfigMap: ConfigMapV1;
  /** `mapRoles` merged into a ConfigMap someone else created (count 1), or nothing (count 0). */
  readonly configMap: ConfigMapV1Data;
  /** The merged `mapRoles` YAML both write. */
  readonly mapRoles: string;

  constructor(scope: Construct, id: string, props: AwsAuthProps) {
    super(scope, id);
    const provider = props.kubernetesProvider;
    this.current = new DataKubernetesConfigMapV1(this, "current", { metadata: { ...AWS_AUTH }, provider });
    const current = `data.kubernetes_config_map_v1.${this.current.friendlyUniqueId}`;

    const owned = new TerraformLocal(
      this,
      "owned-roles",
      props.roles.map((role) => ({ rolearn: role.roleArn, username: role.username, groups: [...role.groups] })),
    );
    const ours = `local.${owned.friendlyUniqueId}`;
    // An absent ConfigMap reads back with an empty uid; any other outcome of the lookup is "present".
    const present = `try(length(${current}.metadata[0].uid), 0) > 0`;
    const ourLabel = `try(${current}.metadata[0].labels["${AWS_AUTH_OWNER_LABEL.key}"], "") == "${AWS_AUTH_OWNER_LABEL.value}"`;
    const create = new TerraformLocal(this, "create", `\${!(${present}) || ${ourLabel}}`);
    const others = `[for role in try(yamldecode(${current}.data["mapRoles"]), []) : role if !contains(${ours}[*].rolearn, try(role.rolearn, ""))]`;
    this.mapRoles = new TerraformLocal(this, "map-roles", `\${yamlencode(concat(${ours}, ${others}))}`).asString;
    const createRef = `local.${create.friendlyUniqueId}`;

    this.createdConfigMap = new ConfigMapV1(this, "created", {
      count: Token.asNumber(`\${${createRef} ? 1 : 0}`),
      metadata: { ...AWS_AUTH, labels: { [AWS_AUTH_OWNER_LABEL.key]: AWS_AUTH_OWNER_LABEL.value } },
      data: { mapRoles: this.mapRoles },
      provider,
    });
    // The construct ID of the deployed merge resource stays "config-map"; Terraform moves its state
    // to index 0 when count appears.
    this.configMap = new ConfigMapV1Data(this, "config-map", {
      count: Token.asNumber(`\${${createRef} ? 0 : 1}`),
      metadata: { ...AWS_AUTH },
      data: { mapRoles: this.mapRoles },
      // Server-side apply takes over mapRoles from whoever wrote it last; its entries are kept above.
      force: true,
      provider,
    });
  }
}
