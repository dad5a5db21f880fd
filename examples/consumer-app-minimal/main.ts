/**
 * A platform team's own cdktf app with the required peers only (cdktf, constructs,
 * @cdktf/provider-aws): the package root loads no optional provider, so an Outposts rack's subnet
 * in the team's own VPC needs nothing else.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { fixCdktfHclRendering, OutpostSubnet } from "outposts-eks";

class EdgeStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-west-2" });
    const vpc = new Vpc(this, "vpc", { cidrBlock: "10.50.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    new OutpostSubnet(this, "rack-a", {
      name: "platform-rack-a",
      vpcId: vpc.id,
      outpostArn: "arn:aws:outposts:us-west-2:111122223333:outpost/op-0a1b2c3d4e5f60718",
      formFactor: "rack",
      availabilityZone: "us-west-2a",
      cidr: "10.50.3.0/24",
    });
  }
}

fixCdktfHclRendering();
const app = new App();
new EdgeStack(app, "edge");
app.synth();
