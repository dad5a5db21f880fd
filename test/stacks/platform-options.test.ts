/**
 * What platform teams set on everything: a permissions boundary and path on every IAM role, an
 * existing KMS key, extra security groups for nodes, extra chart values, and construct tags.
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { NodeSecurityGroup } from "../../modules/node-security-group";
import { addonRelease } from "../../modules/shared/addon";
import { LOAD_BALANCER_CONTROLLER_ADDON } from "../../modules/load-balancer-controller";
import { exampleWith, resourcesOf, synthBlueprint } from "../helpers/synth";

type Json = Record<string, any>;

const BOUNDARY = "arn:aws:iam::111122223333:policy/PlatformBoundary";

describe("blueprint-wide platform options", () => {
  let stacks: Record<string, Json>;
  beforeAll(async () => {
    const blueprint = exampleWith("extended-racks.yaml", (raw) => {
      raw.iam = { permissionsBoundary: BOUNDARY, path: "/platform/" };
      raw.controlPlane.secretsKmsKeyArn = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      raw.nodeGroups[0].additionalSecurityGroupIds = ["sg-0123456789abcdef0"];
      raw.addons.loadBalancerController = { values: { resources: { limits: { memory: "512Mi" } } } };
    });
    const synth = await synthBlueprint(blueprint);
    try {
      stacks = Object.fromEntries(synth.stackNames.map((name) => [name, synth.json(name)]));
    } finally {
      synth.dispose();
    }
  });

  it("puts the permissions boundary and path on every IAM role of every stack", () => {
    const roles = Object.values(stacks).flatMap((stack) => Object.values(resourcesOf(stack, "aws_iam_role")) as Json[]);
    expect(roles.length).toBeGreaterThanOrEqual(5);
    for (const role of roles) expect(role).toMatchObject({ permissions_boundary: BOUNDARY, path: "/platform/" });
  });

  it("encrypts secrets with the existing key and creates none", () => {
    const cluster = Object.values(resourcesOf(stacks["control-plane"], "aws_eks_cluster"))[0] as Json;
    expect(cluster.encryption_config.provider.key_arn).toBe("arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    // The one key left is the control-plane log group's.
    expect((Object.values(resourcesOf(stacks["control-plane"], "aws_kms_key")) as Json[]).map((key) => key.description)).toEqual([
      expect.stringMatching(/^CloudWatch Logs log group \/aws\/eks\/.+\/cluster$/),
    ]);
  });

  it("adds the extra security groups to the node group's primary interface", () => {
    const templates = Object.values(resourcesOf(stacks.workers, "aws_launch_template")) as Json[];
    const withExtra = templates.filter((t) => t.network_interfaces[0].security_groups.includes("sg-0123456789abcdef0"));
    expect(withExtra).toHaveLength(1);
    expect(withExtra[0].network_interfaces[0].security_groups[0]).toMatch(/^\$\{aws_security_group\.node-security-group/);
  });

  it("passes extra chart values as a second values document, after the blueprint's own", () => {
    const release = Object.values(resourcesOf(stacks.addons, "helm_release")).find((r: any) => r.name === "aws-load-balancer-controller") as Json;
    expect(release.values).toHaveLength(2);
    expect(parseYaml(release.values[1])).toEqual({ resources: { limits: { memory: "512Mi" } } });
    expect(parseYaml(release.values[0]).image.tag).toBe("v3.5.0");
  });
});

describe("construct options", () => {
  it("tags every resource a construct creates, keeping each resource's own tags", () => {
    const synthesized = Testing.synthScope((scope) => {
      new NodeSecurityGroup(scope, "nodes", { name: "edge", vpcId: "vpc-1", nodeCidrs: { a: "10.0.1.0/24" }, controlPlaneCidrs: {}, tags: { team: "platform", Name: "ignored" } });
    });
    expect(synthesized).toHaveResourceWithProperties(SecurityGroup, { tags: { team: "platform", Name: "edge-nodes" } });
    const rules = Object.values(JSON.parse(synthesized).resource.aws_vpc_security_group_ingress_rule) as Json[];
    for (const rule of rules) expect(rule.tags).toEqual({ team: "platform", Name: "ignored" });
  });

  it("refuses extra values that would replace what an add-on's construct decides", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        addonRelease(scope, "release", LOAD_BALANCER_CONTROLLER_ADDON, { values: {}, extraValues: { serviceAccount: { create: false }, replicaCount: 3 } });
      }),
    ).toThrow(/extraValues may not set serviceAccount, serviceAccount\.create: aws-load-balancer-controller's construct decides them/);
  });
});
