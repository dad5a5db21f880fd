/**
 * AwsAuth: mapRoles upserted in kube-system/aws-auth with kubernetes_config_map_v1_data (force),
 * and nodeRoleMapping, the entry self-managed nodes join with.
 */
import { ConfigMapV1Data } from "@cdktf/provider-kubernetes/lib/config-map-v1-data";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { parse } from "yaml";
import { AwsAuth, AwsAuthProps, nodeRoleMapping } from "../../modules/aws-auth";

const NODE_ROLE = "arn:aws:iam::111122223333:role/edge-node";
const ADMIN_ROLE = "arn:aws:iam::111122223333:role/platform-admin";

function synth(props: AwsAuthProps): { synthesized: string; configMap: any } {
  const synthesized = Testing.synthScope((scope) => {
    new AwsAuth(scope, "aws-auth", props);
  });
  const json = JSON.parse(synthesized);
  return { synthesized, configMap: Object.values(json.resource.kubernetes_config_map_v1_data)[0] };
}

describe("nodeRoleMapping", () => {
  it("maps the node role to the node user name and the bootstrappers and nodes groups", () => {
    expect(nodeRoleMapping(NODE_ROLE)).toEqual({
      roleArn: NODE_ROLE,
      username: "system:node:{{EC2PrivateDNSName}}",
      groups: ["system:bootstrappers", "system:nodes"],
    });
  });
});

describe("AwsAuth", () => {
  const roles = [nodeRoleMapping(NODE_ROLE), { roleArn: ADMIN_ROLE, username: "platform-admin", groups: ["system:masters"] }];
  const { synthesized, configMap } = synth({ roles });

  it("upserts into kube-system/aws-auth, taking ownership of mapRoles", () => {
    expect(synthesized).toHaveResourceWithProperties(ConfigMapV1Data, {
      metadata: { name: "aws-auth", namespace: "kube-system" },
      force: true,
    });
    expect(Object.keys(configMap.data)).toEqual(["mapRoles"]);
  });

  it("writes mapRoles as YAML with aws-auth's field names, in the order given", () => {
    expect(parse(configMap.data.mapRoles)).toEqual([
      { rolearn: NODE_ROLE, username: "system:node:{{EC2PrivateDNSName}}", groups: ["system:bootstrappers", "system:nodes"] },
      { rolearn: ADMIN_ROLE, username: "platform-admin", groups: ["system:masters"] },
    ]);
  });

  it("writes an empty list with no roles", () => {
    const empty = synth({ roles: [] }).configMap;
    expect(parse(empty.data.mapRoles)).toEqual([]);
  });
});
