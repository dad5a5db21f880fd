/**
 * The escape hatch for arguments newer than the bindings: the JSON synthesis carries them as
 * overrides, and so does the HCL synthesis, blocks as blocks, which cdktf's renderer alone drops.
 */
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { Testing, TerraformStack } from "cdktf";
import { parseHcl } from "../helpers/hcl";
import {
  applyNewerProviderArguments,
  AWS_PROVIDER_BASELINE,
  awsProviderConstraint,
  requireAwsProviderVersion,
} from "../../modules/shared/newer-provider-arguments";

function clusterWith(placement?: { groupName: string }): { stack: TerraformStack; cluster: EksCluster } {
  const stack = new TerraformStack(Testing.app(), "s");
  requireAwsProviderVersion(stack, "6.51.0");
  const cluster = new EksCluster(stack, "c", {
    name: "n",
    roleArn: "r",
    vpcConfig: { subnetIds: ["a"] },
    outpostConfig: { controlPlaneInstanceType: "m5d.large", outpostArns: ["arn"], controlPlanePlacement: placement },
  });
  return { stack, cluster };
}

const ARGUMENTS = {
  "outpost_config.etcd_instance_type": "m5d.large",
  "outpost_config.etcd_placement": { spread_level: "rack" },
  "outpost_config.control_plane_placement": { spread_level: "rack" },
  "upgrade_policy": { support_type: "STANDARD" },
};
const BLOCKS = ["outpost_config.etcd_placement", "outpost_config.control_plane_placement", "upgrade_policy"];

describe("applyNewerProviderArguments", () => {
  it("writes the arguments into the HCL where the JSON has them: attributes, new blocks, and into a typed block", async () => {
    const { stack, cluster } = clusterWith({ groupName: "pg" });
    applyNewerProviderArguments(cluster, { minimumAwsProviderVersion: "6.51.0", arguments: ARGUMENTS, blocks: BLOCKS });
    const json = JSON.parse(Testing.synth(stack)).resource.aws_eks_cluster.c;
    expect(json.outpost_config).toEqual({
      control_plane_instance_type: "m5d.large",
      outpost_arns: ["arn"],
      control_plane_placement: { group_name: "pg", spread_level: "rack" },
      etcd_instance_type: "m5d.large",
      etcd_placement: { spread_level: "rack" },
    });
    const hcl = Testing.synthHcl(stack);
    const parsed = (await parseHcl(hcl, "main.tf")) as any;
    const outpost = parsed.resource.aws_eks_cluster.c[0].outpost_config[0];
    expect(outpost.etcd_instance_type).toBe("m5d.large");
    // hcl2json writes a block as a list of bodies, an attribute's object as an object.
    expect(outpost.etcd_placement).toEqual([{ spread_level: "rack" }]);
    expect(outpost.control_plane_placement).toEqual([{ group_name: "pg", spread_level: "rack" }]);
    expect(parsed.resource.aws_eks_cluster.c[0].upgrade_policy).toEqual([{ support_type: "STANDARD" }]);
    // Nothing beside the typed block's body: the renderer would have ignored it.
    expect(hcl.match(/etcd_instance_type/g)).toHaveLength(1);
  });

  it("renders the same without a typed block of that name", async () => {
    const { stack, cluster } = clusterWith();
    applyNewerProviderArguments(cluster, { minimumAwsProviderVersion: "6.51.0", arguments: ARGUMENTS, blocks: BLOCKS });
    const outpost = ((await parseHcl(Testing.synthHcl(stack), "main.tf")) as any).resource.aws_eks_cluster.c[0].outpost_config[0];
    expect(outpost.control_plane_placement).toEqual([{ spread_level: "rack" }]);
  });

  it("refuses a block that is not among the arguments", () => {
    const { cluster } = clusterWith();
    expect(() => applyNewerProviderArguments(cluster, { minimumAwsProviderVersion: "6.51.0", arguments: {}, blocks: ["x"] })).toThrow(/blocks x are not among the arguments/);
  });
});

describe("the aws provider constraint", () => {
  it("is a team's pessimistic constraint on the floor's major and minor, raised and never lowered", () => {
    expect(awsProviderConstraint("6.51.0")).toBe("~> 6.51");
    expect(awsProviderConstraint(AWS_PROVIDER_BASELINE)).toBe("~> 6.25");
    const stack = new TerraformStack(Testing.app(), "s");
    requireAwsProviderVersion(stack, AWS_PROVIDER_BASELINE);
    requireAwsProviderVersion(stack, "6.51.0");
    requireAwsProviderVersion(stack, AWS_PROVIDER_BASELINE);
    expect(JSON.parse(Testing.synth(stack)).terraform.required_providers.aws.version).toBe("~> 6.51");
  });
});
