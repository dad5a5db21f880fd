import { imagesCommand } from "../../cli/images";
import { exampleWith, loadExample } from "../helpers/synth";

describe("npm run images", () => {
  const racks = loadExample("extended-racks.yaml");

  it("lists every chart image with its origin and reference", () => {
    expect(imagesCommand(racks, "list")).toEqual([
      "aws-load-balancer-controller controller: privateRepository <account>.dkr.ecr.us-west-2.amazonaws.com/edge-racks/eks/aws-load-balancer-controller:v3.5.0",
      "aws-node-termination-handler handler: privateRepository <account>.dkr.ecr.us-west-2.amazonaws.com/edge-racks/aws-ec2/aws-node-termination-handler:v1.25.6",
    ]);
  });

  it.each([
    ["crane", "crane copy public.ecr.aws/aws-ec2/aws-node-termination-handler:v1.25.6 $ACCOUNT.dkr.ecr.us-west-2.amazonaws.com/edge-racks/aws-ec2/aws-node-termination-handler:v1.25.6"],
    ["skopeo", "skopeo copy --all docker://public.ecr.aws/aws-ec2/aws-node-termination-handler:v1.25.6 docker://$ACCOUNT.dkr.ecr.us-west-2.amazonaws.com/edge-racks/aws-ec2/aws-node-termination-handler:v1.25.6"],
    ["docker", "docker push $ACCOUNT.dkr.ecr.us-west-2.amazonaws.com/edge-racks/aws-ec2/aws-node-termination-handler:v1.25.6"],
  ])("copy with %s: logs in to the account's registry, then copies each private image", (tool, command) => {
    const lines = imagesCommand(racks, "copy", tool);
    expect(lines.slice(0, 2)).toEqual(["set -euo pipefail", "ACCOUNT=$(aws sts get-caller-identity --query Account --output text)"]);
    expect(lines[2]).toMatch(new RegExp(`^aws ecr get-login-password --region us-west-2 \\| ${tool} `));
    expect(lines).toContain(command);
  });

  it("warms the cache once per node architecture", () => {
    const cached = exampleWith("extended-racks.yaml", (raw) => {
      raw.addons.images = { source: "pullThroughCache", pullThroughCache: { warmUp: true } };
      raw.nodeGroups[1].ami = { family: "al2023", architecture: "arm64" };
      raw.nodeGroups[1].instanceType = "m6g.xlarge";
    });
    const lines = imagesCommand(cached, "warm");
    expect(lines.filter((line) => line.startsWith("crane pull"))).toEqual([
      "crane pull --platform linux/amd64 $ACCOUNT.dkr.ecr.us-west-2.amazonaws.com/ecr-public/eks/aws-load-balancer-controller:v3.5.0 /dev/null",
      "crane pull --platform linux/arm64 $ACCOUNT.dkr.ecr.us-west-2.amazonaws.com/ecr-public/eks/aws-load-balancer-controller:v3.5.0 /dev/null",
      "crane pull --platform linux/amd64 $ACCOUNT.dkr.ecr.us-west-2.amazonaws.com/ecr-public/aws-ec2/aws-node-termination-handler:v1.25.6 /dev/null",
      "crane pull --platform linux/arm64 $ACCOUNT.dkr.ecr.us-west-2.amazonaws.com/ecr-public/aws-ec2/aws-node-termination-handler:v1.25.6 /dev/null",
    ]);
    expect(imagesCommand(racks, "warm")).toEqual(["# Nothing to warm: the image source is not pullThroughCache."]);
  });

  it("refuses an unknown action or tool", () => {
    expect(() => imagesCommand(racks, "push")).toThrow(/unknown action 'push'; expected list, copy or warm/);
    expect(() => imagesCommand(racks, "copy", "podman")).toThrow(/--tool must be one of: crane, skopeo, docker/);
  });
});
