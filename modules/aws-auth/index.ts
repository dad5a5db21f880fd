/**
 * Role mappings in the aws-auth ConfigMap, for clusters with CONFIG_MAP authentication (EKS local
 * clusters), written with `kubernetes_config_map_v1_data` so the entries EKS or others keep there
 * stay, and this blueprint's entries are upserted.
 */
import { ConfigMapV1Data } from "@cdktf/provider-kubernetes/lib/config-map-v1-data";
import { Construct } from "constructs";
import { stringify } from "yaml";

export interface RoleMapping {
  readonly roleArn: string;
  readonly username: string;
  readonly groups: readonly string[];
}

export interface AwsAuthProps {
  readonly roles: readonly RoleMapping[];
}

/** The mapping that lets self-managed nodes join. */
export function nodeRoleMapping(roleArn: string): RoleMapping {
  return { roleArn, username: "system:node:{{EC2PrivateDNSName}}", groups: ["system:bootstrappers", "system:nodes"] };
}

export class AwsAuth extends Construct {
  readonly configMap: ConfigMapV1Data;

  constructor(scope: Construct, id: string, props: AwsAuthProps) {
    super(scope, id);
    const mapRoles = stringify(props.roles.map((role) => ({ rolearn: role.roleArn, username: role.username, groups: [...role.groups] })));
    this.configMap = new ConfigMapV1Data(this, "config-map", {
      metadata: { name: "aws-auth", namespace: "kube-system" },
      data: { mapRoles },
      // Take ownership of mapRoles even if EKS created the ConfigMap first.
      force: true,
    });
  }
}
