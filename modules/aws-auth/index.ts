/**
 * Role mappings in the aws-auth ConfigMap, for clusters whose nodes join through it (EBS-backed
 * local clusters, CONFIG_MAP authentication).
 *
 * The ConfigMap may be missing: the EKS User Guide (self-managed nodes on Outposts) tells users to
 * apply the stock one when `kubectl describe configmap aws-auth` says NotFound. So the construct
 * reads it first (`data.kubernetes_config_map_v1`, which answers an absent ConfigMap with no data,
 * not an error) and then:
 * - **creates** it when it is absent (`kubernetes_config_map_v1`, labelled as ours, its data
 *   ignored after creation), and keeps that resource on later runs, when it carries our label;
 * - **merges** `mapRoles` into it in every run (`kubernetes_config_map_v1_data`, server-side apply
 *   with force), whoever created it.
 * `mapRoles` is this construct's entries followed by every entry already there whose `rolearn` is
 * not one of ours: entries added by hand or by other tools stay, ours are replaced by their current
 * form. Only `mapRoles` is written; `mapUsers` and `mapAccounts` are left alone, also in a
 * ConfigMap this construct created.
 */
import { requireOptionalPeers } from "../shared/optional-peers";
// First, before any import of an optional peer: a missing peer is named with its install command.
requireOptionalPeers("modules/aws-auth", ["@cdktf/provider-kubernetes"]);
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { ConfigMapV1Data } from "@cdktf/provider-kubernetes/lib/config-map-v1-data";
import { DataKubernetesConfigMapV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-config-map-v1";
import { Fn, TerraformLocal, TerraformProvider, Token } from "cdktf";
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

/**
 * A role ARN as aws-auth takes it: without the role's path. The EKS User Guide (aws-auth ConfigMap):
 * the `rolearn` "can't include a path", so arn:aws:iam::111122223333:role/eks/nodes is written as
 * arn:aws:iam::111122223333:role/nodes. Works on a Terraform reference too.
 */
export function roleArnWithoutPath(roleArn: string): string {
  // Terraform's replace() takes "/.../" as an RE2 pattern, slashes inside unescaped (HCL has no \/ escape).
  if (Token.isUnresolved(roleArn)) return Fn.replace(roleArn, "/:role/.*//", ":role/");
  return roleArn.replace(/:role\/.*\//, ":role/");
}

/** The mapping that lets self-managed nodes join. */
export function nodeRoleMapping(roleArn: string): RoleMapping {
  return { roleArn, username: "system:node:{{EC2PrivateDNSName}}", groups: ["system:bootstrappers", "system:nodes"] };
}

export class AwsAuth extends Construct {
  /** The ConfigMap as found before this run. */
  readonly current: DataKubernetesConfigMapV1;
  /** The ConfigMap, created when it was absent (count 1) or left to its owner (count 0). */
  readonly createdConfigMap: ConfigMapV1;
  /** `mapRoles`, merged into the ConfigMap in every run. */
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
      props.roles.map((role) => ({ rolearn: roleArnWithoutPath(role.roleArn), username: role.username, groups: [...role.groups] })),
    );
    const ours = `local.${owned.friendlyUniqueId}`;
    // An absent ConfigMap reads back with an empty uid; any other outcome of the lookup is "present".
    const present = `try(length(${current}.metadata[0].uid), 0) > 0`;
    const ourLabel = `try(${current}.metadata[0].labels["${AWS_AUTH_OWNER_LABEL.key}"], "") == "${AWS_AUTH_OWNER_LABEL.value}"`;
    const create = new TerraformLocal(this, "create", `\${!(${present}) || ${ourLabel}}`);
    const others = `[for role in try(yamldecode(${current}.data["mapRoles"]), []) : role if !contains(${ours}[*].rolearn, try(role.rolearn, ""))]`;
    this.mapRoles = new TerraformLocal(this, "map-roles", `\${yamlencode(concat(${ours}, ${others}))}`).asString;
    const createRef = `local.${create.friendlyUniqueId}`;

    // Created with the stock content, then left alone: the merge below writes mapRoles, and
    // keys others add (mapUsers, mapAccounts) are no drift to undo.
    this.createdConfigMap = new ConfigMapV1(this, "created", {
      count: Token.asNumber(`\${${createRef} ? 1 : 0}`),
      metadata: { ...AWS_AUTH, labels: { [AWS_AUTH_OWNER_LABEL.key]: AWS_AUTH_OWNER_LABEL.value } },
      data: { mapRoles: this.mapRoles },
      lifecycle: { ignoreChanges: ["data"] },
      provider,
    });
    // The deployed merge resource keeps its construct ID ("config-map") and has no count.
    this.configMap = new ConfigMapV1Data(this, "config-map", {
      metadata: { ...AWS_AUTH },
      data: { mapRoles: this.mapRoles },
      // Server-side apply takes over mapRoles from whoever wrote it last; its entries are kept above.
      force: true,
      dependsOn: [this.createdConfigMap],
      provider,
    });
  }
}
