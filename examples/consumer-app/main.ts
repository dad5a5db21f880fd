/**
 * A platform team's own cdktf app: its own stack, provider and VPC, with outposts-eks constructs for
 * an Outposts rack's subnet, its local-gateway routing, the nodes' role and security group. It
 * imports from the package root and from module subpaths, as teams do.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { fixCdktfHclRendering, NodeSecurityGroup } from "outposts-eks";
import { LocalGatewayRouting } from "outposts-eks/modules/local-gateway-routing";
import { NodeRole } from "outposts-eks/modules/node-role";
import { OutpostSubnet } from "outposts-eks/modules/outpost-subnet";

class EdgeStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-west-2" });
    const vpc = new Vpc(this, "vpc", { cidrBlock: "10.50.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });

    const rack = new OutpostSubnet(this, "rack-a", {
      name: "platform-rack-a",
      vpcId: vpc.id,
      outpostArn: "arn:aws:outposts:us-west-2:111122223333:outpost/op-0a1b2c3d4e5f60718",
      formFactor: "rack",
      availabilityZone: "us-west-2a",
      cidr: "10.50.3.0/24",
    });
    new LocalGatewayRouting(this, "rack-a-local-gateway", {
      name: "platform-rack-a",
      vpcId: vpc.id,
      outpostArn: "arn:aws:outposts:us-west-2:111122223333:outpost/op-0a1b2c3d4e5f60718",
      localGatewayRouteTableId: "lgw-rtb-0a1b2c3d4e5f60718",
      routeTableId: rack.routeTableId!,
      destinationCidrs: ["192.168.0.0/16"],
    });
    new NodeRole(this, "node-role", { roleName: "platform-edge-node" });
    new NodeSecurityGroup(this, "node-security-group", {
      name: "platform-edge",
      vpcId: vpc.id,
      nodeCidrs: { "rack-a": "10.50.3.0/24" },
      controlPlaneCidrs: {},
    });
  }
}

// Correct HCL from `cdktf synth --hcl`: outposts-eks fixes cdktf 0.21's renderer in memory.
fixCdktfHclRendering();
const app = new App();
new EdgeStack(app, "edge");
app.synth();
