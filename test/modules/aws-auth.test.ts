/**
 * AwsAuth: kube-system/aws-auth read first, created (kubernetes_config_map_v1, labelled ours) when
 * absent, and merged into in every run (kubernetes_config_map_v1_data, force); mapRoles keeps every
 * entry whose rolearn is not one of ours. The HCL expressions that decide this are evaluated with
 * `terraform console` against a ConfigMap that is absent, ours, or someone else's, where terraform
 * is installed.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { ConfigMapV1Data } from "@cdktf/provider-kubernetes/lib/config-map-v1-data";
import { Testing } from "cdktf";
// The type declarations of the matchers that test/setup.ts registers with Testing.setupJest().
import type {} from "cdktf/lib/testing/adapters/jest";
import { stringify } from "yaml";
import { AWS_AUTH_OWNER_LABEL, AwsAuth, AwsAuthProps, nodeRoleMapping, roleArnWithoutPath } from "../../modules/aws-auth";
import { findTerraformToolchain } from "../helpers/terraform";

const NODE_ROLE = "arn:aws:iam::111122223333:role/edge-node";
const ADMIN_ROLE = "arn:aws:iam::111122223333:role/platform-admin";
const HAND_ADDED = { rolearn: "arn:aws:iam::111122223333:role/ops-readonly", username: "ops", groups: ["ops-viewers"] };

type Json = Record<string, any>;

function synth(props: AwsAuthProps): { synthesized: string; json: Json } {
  const synthesized = Testing.synthScope((scope) => {
    new AwsAuth(scope, "aws-auth", props);
  });
  return { synthesized, json: JSON.parse(synthesized) };
}

const localNamed = (json: Json, prefix: string): [string, any] => Object.entries(json.locals).find(([name]) => name.startsWith(prefix))!;

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
  const { synthesized, json } = synth({ roles });
  const created = Object.values(json.resource.kubernetes_config_map_v1)[0] as Json;
  const merged = Object.values(json.resource.kubernetes_config_map_v1_data)[0] as Json;

  it("reads kube-system/aws-auth before writing it", () => {
    expect(Object.values(json.data.kubernetes_config_map_v1)).toEqual([expect.objectContaining({ metadata: { name: "aws-auth", namespace: "kube-system" } })]);
  });

  it("creates the ConfigMap, labelled as ours, only when the lookup found none or ours, and leaves its data to the merge", () => {
    expect(synthesized).toHaveResourceWithProperties(ConfigMapV1, {
      metadata: { name: "aws-auth", namespace: "kube-system", labels: { [AWS_AUTH_OWNER_LABEL.key]: AWS_AUTH_OWNER_LABEL.value } },
    });
    const [createName] = localNamed(json, "aws-auth_create");
    expect(created.count).toBe(`\${local.${createName} ? 1 : 0}`);
    // Keys others add later (mapUsers, mapAccounts) are no drift this resource would undo.
    expect(created.lifecycle).toEqual({ ignore_changes: ["data"] });
    expect(Object.keys(created.data)).toEqual(["mapRoles"]);
  });

  it("merges mapRoles in every run with server-side apply, after the creation", () => {
    expect(synthesized).toHaveResourceWithProperties(ConfigMapV1Data, { metadata: { name: "aws-auth", namespace: "kube-system" }, force: true });
    expect(merged.count).toBeUndefined();
    expect(merged.depends_on).toEqual([expect.stringMatching(/^kubernetes_config_map_v1\.aws-auth_created_/)]);
    expect(Object.keys(merged.data)).toEqual(["mapRoles"]);
    expect(created.data.mapRoles).toBe(merged.data.mapRoles);
  });

  it("owns its entries with aws-auth's field names, in the order given", () => {
    expect(localNamed(json, "aws-auth_owned-roles")[1]).toEqual([
      { rolearn: NODE_ROLE, username: "system:node:{{EC2PrivateDNSName}}", groups: ["system:bootstrappers", "system:nodes"] },
      { rolearn: ADMIN_ROLE, username: "platform-admin", groups: ["system:masters"] },
    ]);
  });
});

/**
 * The construct's locals with its data source replaced by a stand-in object, evaluated by
 * `terraform console`: what Terraform decides for a ConfigMap found in a given state.
 */
function evaluate(json: Json, found: Json): { create: boolean; mapRoles: unknown[] } {
  const [dataName] = Object.keys(json.data.kubernetes_config_map_v1);
  const reference = `data.kubernetes_config_map_v1.${dataName}`;
  const locals: Record<string, unknown> = { found };
  for (const [name, value] of Object.entries(json.locals)) {
    locals[name] = typeof value === "string" ? value.split(reference).join("local.found") : value;
  }
  const dir = mkdtempSync(path.join(tmpdir(), "aws-auth-"));
  try {
    writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ locals }));
    const [createName] = localNamed(json, "aws-auth_create");
    const [mapRolesName] = localNamed(json, "aws-auth_map-roles");
    const run = spawnSync("terraform", ["console"], {
      cwd: dir,
      input: `jsonencode({ create = local.${createName}, mapRoles = yamldecode(local.${mapRolesName}) })\n`,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
    });
    if (run.status !== 0) throw new Error(`terraform console failed: ${run.stderr}`);
    return JSON.parse(JSON.parse(run.stdout.trim()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const toolchain = findTerraformToolchain();
if (!toolchain.toolchain) console.log(`aws-auth expressions not evaluated: ${toolchain.reason}`);

(toolchain.toolchain ? describe : describe.skip)("AwsAuth, as Terraform evaluates it", () => {
  const { json } = synth({ roles: [nodeRoleMapping(NODE_ROLE)] });
  const ours = { rolearn: NODE_ROLE, username: "system:node:{{EC2PrivateDNSName}}", groups: ["system:bootstrappers", "system:nodes"] };
  // How the kubernetes provider's data source reads back: no uid when the ConfigMap is absent.
  const absent = { metadata: [{ name: "aws-auth", namespace: "kube-system", uid: "", labels: null }], data: null };
  const configMap = (labels: Record<string, string>, mapRoles: unknown[]) => ({
    metadata: [{ name: "aws-auth", namespace: "kube-system", uid: "3f1c9a2e-0000-4000-8000-000000000001", labels }],
    data: { mapRoles: stringify(mapRoles) },
  });

  it("creates aws-auth with the node role when it is absent, whether the lookup leaves uid empty or null", () => {
    expect(evaluate(json, absent)).toEqual({ create: true, mapRoles: [ours] });
    expect(evaluate(json, { metadata: [{ name: "aws-auth", namespace: "kube-system", uid: null }], data: {} })).toEqual({ create: true, mapRoles: [ours] });
  });

  it("keeps owning the aws-auth it created, and keeps entries added to it by hand", () => {
    const found = configMap({ [AWS_AUTH_OWNER_LABEL.key]: AWS_AUTH_OWNER_LABEL.value }, [ours, HAND_ADDED]);
    expect(evaluate(json, found)).toEqual({ create: true, mapRoles: [ours, HAND_ADDED] });
  });

  it("merges into an aws-auth someone else created: their entries stay, a stale entry for our role is replaced", () => {
    const stale = { rolearn: NODE_ROLE, username: "old-name", groups: [] };
    const found = configMap({}, [HAND_ADDED, stale]);
    const decision = evaluate(json, found);
    expect(decision.create).toBe(false);
    expect(decision.mapRoles).toEqual([ours, HAND_ADDED]);
  });

  it("reads a malformed entry without failing the plan, and keeps it", () => {
    const found = configMap({}, [{ username: "no-role-arn" }]);
    expect(evaluate(json, found).mapRoles).toEqual([ours, { username: "no-role-arn" }]);
  });
});

describe("roleArnWithoutPath", () => {
  it("drops the role's path, which aws-auth's rolearn cannot hold (EKS UG, aws-auth ConfigMap)", () => {
    expect(roleArnWithoutPath("arn:aws:iam::111122223333:role/eks/platform/edge-node")).toBe("arn:aws:iam::111122223333:role/edge-node");
    expect(roleArnWithoutPath(NODE_ROLE)).toBe(NODE_ROLE);
  });

  it("writes a Terraform reference through replace() with the same expression", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const role = new IamRole(scope, "node", { assumeRolePolicy: "{}", path: "/eks/" });
        new AwsAuth(scope, "aws-auth", { roles: [nodeRoleMapping(role.arn)] });
      }),
    );
    const [roleId] = Object.keys(json.resource.aws_iam_role);
    expect(localNamed(json, "aws-auth_owned-roles")[1][0].rolearn).toBe(`\${replace(aws_iam_role.${roleId}.arn, "/:role/.*//", ":role/")}`);
  });
});
