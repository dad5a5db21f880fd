/**
 * One Outpost's subnet: created on the Outpost (`outpost_arn`) in its parent AZ with its own route
 * table, or an existing Outpost subnet adopted by ID.
 *
 * Plan-time checks compare the blueprint with what AWS reports: the Outpost's AZ and hardware type
 * (`data.aws_outposts_outpost`), and for an adopted subnet its Outpost, AZ and CIDR. Racks may take
 * customer-owned IP settings; servers may enable local network interfaces (LNI) at a device index.
 */
import { DataAwsEc2CoipPool } from "@cdktf/provider-aws/lib/data-aws-ec2-coip-pool";
import { DataAwsEc2CoipPools } from "@cdktf/provider-aws/lib/data-aws-ec2-coip-pools";
import { DataAwsOutpostsOutpost } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost";
import { DataAwsOutpostsOutposts } from "@cdktf/provider-aws/lib/data-aws-outposts-outposts";
import { DataAwsOutpostsOutpostInstanceTypes } from "@cdktf/provider-aws/lib/data-aws-outposts-outpost-instance-types";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Annotations, Fn, Op, TerraformSelf, Token } from "cdktf";
import { Construct } from "constructs";
import { exactlyOne, notFoundMessage } from "../shared/lookups";
import { allOf, selfAttribute } from "../shared/plan-checks";
import { subnetRouteTable } from "../shared/subnet-route-table";

export type OutpostFormFactor = "rack" | "server";

export interface CustomerOwnedIpSettings {
  /** The CoIP pool (ipv4pool-coip-...). It must belong to `localGatewayRouteTableId`. */
  readonly poolId: string;
  /** The rack's local gateway route table, which owns the pool. */
  readonly localGatewayRouteTableId: string;
  /**
   * Give instances launched in the subnet a CoIP address automatically.
   * @default false
   */
  readonly mapOnLaunch?: boolean;
}

export interface OutpostSubnetProps {
  /** Name tag of the subnet and its route table. */
  readonly name: string;
  readonly vpcId: string;
  readonly outpostArn: string;
  readonly formFactor: OutpostFormFactor;
  /** The Outpost's parent AZ, as the blueprint states it; checked against AWS at plan time. */
  readonly availabilityZone: string;
  /** IPv4 CIDR of the subnet. For an adopted subnet, the CIDR it must have. */
  readonly cidr: string;
  /**
   * Adopt this existing Outpost subnet.
   * @default - a new subnet
   */
  readonly existingSubnetId?: string;
  /**
   * For an adopted subnet: expose its route table (found by its explicit association) so that
   * routes can be added to it. false leaves the route table alone, for a plan-time check instead.
   * @default true
   */
  readonly manageAdoptedRouteTable?: boolean;
  /**
   * Servers only: enable local network interfaces at this device index (1 = eth1).
   * @default - no LNI
   */
  readonly lniDeviceIndex?: number;
  /**
   * Racks only: customer-owned IP settings.
   * @default - no customer-owned IPs
   */
  readonly customerOwnedIp?: CustomerOwnedIpSettings;
  /**
   * Send 0.0.0.0/0 from the subnet to this NAT gateway in the Region.
   * @default no default route
   */
  readonly natGatewayId?: string;
  /**
   * Extra tags on the subnet, such as the Kubernetes cluster and ELB role tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Record<string, string>;
  /**
   * Instance types something else launches into the subnet (an installer's machines): the plan
   * fails unless the Outpost offers each (`aws outposts get-outpost-instance-types`).
   * @default - none checked
   */
  readonly requiredInstanceTypes?: readonly string[];
}

export class OutpostSubnet extends Construct {
  readonly subnetId: string;
  /** The subnet's route table: its own, or an adopted subnet's (unless left alone). */
  readonly routeTableId?: string;
  /** True when the subnet was adopted by ID. */
  readonly adopted: boolean;
  readonly cidr: string;
  readonly outpostArn: string;
  readonly formFactor: OutpostFormFactor;
  readonly availabilityZone: string;
  /**
   * The LNI device index when LNI is enabled.
   * @default - no LNI
   */
  readonly lniDeviceIndex?: number;

  constructor(scope: Construct, id: string, props: OutpostSubnetProps) {
    super(scope, id);
    if (props.formFactor === "server" && props.customerOwnedIp) {
      throw new Error(`${this.node.path}: customer-owned IPs exist only on Outposts racks`);
    }
    if (props.formFactor === "rack" && props.lniDeviceIndex !== undefined) {
      throw new Error(`${this.node.path}: local network interfaces exist only on Outposts servers`);
    }
    this.cidr = props.cidr;
    this.outpostArn = props.outpostArn;
    this.formFactor = props.formFactor;
    this.availabilityZone = props.availabilityZone;
    this.lniDeviceIndex = props.lniDeviceIndex;
    this.adopted = props.existingSubnetId !== undefined;

    if (props.requiredInstanceTypes && props.requiredInstanceTypes.length > 0) {
      // Nothing of ours launches these types here, so no launch template's precondition would catch them.
      new DataAwsOutpostsOutpostInstanceTypes(this, "required-instance-types", {
        arn: props.outpostArn,
        lifecycle: {
          postcondition: props.requiredInstanceTypes.map((instanceType) => ({
            condition: Fn.contains(TerraformSelf.getAny("instance_types"), instanceType),
            errorMessage: `Outpost ${props.outpostArn} does not offer ${instanceType}, which the installer launches into its subnet; choose one of aws outposts get-outpost-instance-types.`,
          })),
        },
      });
    }

    // Every Outpost the account owns or is shared, so that an ARN that matches none fails the plan
    // naming it; the singular alone fails with "no Outposts Outpost found matching criteria".
    const known = new DataAwsOutpostsOutposts(this, "outpost-lookup", {
      lifecycle: {
        postcondition: [
          {
            condition: Fn.contains(TerraformSelf.getAny("arns"), props.outpostArn),
            errorMessage:
              `Outpost ${props.outpostArn}, given as outposts[].arn, is not among the Outposts this account owns or is shared in this Region: ` +
              "check the ARN, the blueprint's region, and the account of the credentials.",
          },
        ],
      },
    });
    const outpost = new DataAwsOutpostsOutpost(this, "outpost", { arn: props.outpostArn, dependsOn: [known] });
    const expectedHardware = props.formFactor === "rack" ? "RACK" : "SERVER";
    const outpostChecks = [
      {
        condition: Op.eq(outpost.availabilityZone, props.availabilityZone),
        errorMessage: `Outpost ${props.outpostArn} is not anchored to ${props.availabilityZone}, the availabilityZone the blueprint gives it.`,
      },
      {
        condition: Op.eq(outpost.supportedHardwareType, expectedHardware),
        errorMessage: `Outpost ${props.outpostArn} is not an Outposts ${props.formFactor}, the formFactor the blueprint gives it.`,
      },
    ];

    if (props.existingSubnetId !== undefined) {
      const lookup = new DataAwsSubnets(this, "existing-subnet-lookup", {
        filter: [{ name: "subnet-id", values: [props.existingSubnetId] }],
        lifecycle: exactlyOne(notFoundMessage("Subnet", props.existingSubnetId, `the subnet of Outpost ${props.outpostArn} (outposts[].subnet.id)`)),
      });
      const existing = new DataAwsSubnet(this, "existing-subnet", {
        id: Token.asString(Fn.one(lookup.ids)),
        lifecycle: {
          postcondition: [
            {
              condition: allOf(
                Op.eq(selfAttribute("vpc_id"), props.vpcId),
                Op.eq(selfAttribute("outpost_arn"), props.outpostArn),
                Op.eq(selfAttribute("cidr_block"), props.cidr),
              ),
              errorMessage: `Subnet ${props.existingSubnetId}: expected VPC ${props.vpcId}, Outpost ${props.outpostArn} and CIDR ${props.cidr}, as the blueprint says.`,
            },
            ...outpostChecks,
          ],
        },
      });
      this.subnetId = existing.id;
      if (props.manageAdoptedRouteTable ?? true) {
        // The table explicitly associated with the subnet; on the VPC's main table the plan fails
        // with a message that says what to do (modules/shared/subnet-route-table.ts).
        this.routeTableId = subnetRouteTable(this, "existing-route-table", existing.id, { subnetLabel: props.existingSubnetId }).id;
      }
      return;
    }

    const coip = props.customerOwnedIp;
    if (coip) this.checkCoipPool(coip);
    const mapCoip = coip?.mapOnLaunch === true;

    const subnet = new Subnet(this, "subnet", {
      vpcId: props.vpcId,
      outpostArn: props.outpostArn,
      availabilityZone: props.availabilityZone,
      cidrBlock: props.cidr,
      mapPublicIpOnLaunch: false,
      // EKS local clusters need IP-based hostnames; the same keeps node names stable on every Outpost.
      privateDnsHostnameTypeOnLaunch: "ip-name",
      enableLniAtDeviceIndex: props.lniDeviceIndex,
      // AWS accepts the pool only together with map-on-launch, so both are set or neither.
      customerOwnedIpv4Pool: mapCoip ? coip.poolId : undefined,
      mapCustomerOwnedIpOnLaunch: mapCoip ? true : undefined,
      tags: { Name: props.name, ...props.tags },
      lifecycle: { precondition: outpostChecks },
    });
    const routeTable = new RouteTable(this, "route-table", {
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    new RouteTableAssociation(this, "route-table-association", { subnetId: subnet.id, routeTableId: routeTable.id });
    if (props.natGatewayId !== undefined) {
      new Route(this, "default-route", { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: props.natGatewayId });
    }
    this.subnetId = subnet.id;
    this.routeTableId = routeTable.id;

    if (props.formFactor === "server") {
      Annotations.of(this).addWarning(
        `Outpost ${props.outpostArn} is an Outposts server. The EKS User Guide supports EKS on Outposts racks only; ` +
          "workers on servers (extended cluster) are reported to work in a community example, not supported by AWS.",
      );
    }
  }

  private checkCoipPool(coip: CustomerOwnedIpSettings): void {
    const lookup = new DataAwsEc2CoipPools(this, "coip-pool-lookup", {
      filter: [{ name: "coip-pool.pool-id", values: [coip.poolId] }],
      lifecycle: exactlyOne(notFoundMessage("CoIP pool", coip.poolId, "outposts[].coip.poolId"), "pool_ids"),
    });
    new DataAwsEc2CoipPool(this, "coip-pool", {
      poolId: Token.asString(Fn.one(lookup.poolIds)),
      lifecycle: {
        postcondition: [
          {
            condition: Op.eq(selfAttribute("local_gateway_route_table_id"), coip.localGatewayRouteTableId),
            errorMessage: `CoIP pool ${coip.poolId} does not belong to local gateway route table ${coip.localGatewayRouteTableId}.`,
          },
        ],
      },
    });
  }
}
