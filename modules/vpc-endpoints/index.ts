/**
 * VPC endpoints for a cluster without an internet path: interface endpoints with private DNS in
 * the regional subnets, guarded by a security group that admits HTTPS from the given CIDRs, and an
 * S3 gateway endpoint (ECR image layers are served from S3) on the given route tables.
 *
 * Rules are CIDRs, never security-group references: traffic from an Outpost may cross the
 * customer network, which does not carry security-group identity (seed 002).
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { tagResources } from "../shared/resource-options";

/**
 * Construct IDs of this construct that are not a service's own: a service of the same name would
 * collide with them (the config rules refuse such names; none is an AWS service).
 */
export const VPC_ENDPOINTS_FIXED_IDS = ["security-group", "s3-interface"] as const;
/** Prefix of the IDs of the security group's ingress rules, one per allowed CIDR. */
export const VPC_ENDPOINTS_RULE_ID_PREFIX = "https-from-";

export interface VpcEndpointsProps {
  /** Prefix of names and Name tags. */
  readonly name: string;
  readonly vpcId: string;
  readonly region: string;
  /** Interface endpoint services by short name (`ecr.api` means com.amazonaws.<region>.ecr.api). */
  readonly interfaceServices: readonly string[];
  /** Subnets of the interface endpoints: at most one per Availability Zone. */
  readonly subnetIds: readonly string[];
  /** CIDRs allowed to reach the endpoints on 443. */
  readonly allowedCidrs: readonly string[];
  /**
   * Route tables that get the S3 gateway endpoint.
   * @default no S3 gateway endpoint
   */
  readonly gatewayRouteTableIds?: readonly string[];
  /**
   * The VPC already has an S3 gateway endpoint this construct does not create (an adopted VPC's):
   * an S3 interface endpoint then answers private DNS only for inbound resolver endpoints, as beside
   * the gateway endpoint this construct creates.
   * @default false
   */
  readonly existingS3GatewayEndpoint?: boolean;
  /**
   * Tags for every resource the construct creates, on top of the provider's default tags.
   * @default - none beyond the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class VpcEndpoints extends Construct {
  /** The security group of the interface endpoints. */
  readonly securityGroupId: string;
  /** Endpoint IDs by short service name. */
  readonly endpointIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    tagResources(this, props.tags);
    const securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.name}-vpc-endpoints`,
      description: "HTTPS to the VPC interface endpoints from the VPC and the Outpost subnets",
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-vpc-endpoints` },
    });
    this.securityGroupId = securityGroup.id;
    for (const cidr of new Set(props.allowedCidrs)) {
      new VpcSecurityGroupIngressRule(this, `${VPC_ENDPOINTS_RULE_ID_PREFIX}${cidr.replace(/[./]/g, "-")}`, {
        securityGroupId: securityGroup.id,
        description: `HTTPS from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    }

    const endpointIds: Record<string, string> = {};
    // The gateway endpoint first: an S3 interface endpoint whose private DNS answers only inbound
    // resolver endpoints sends the VPC's own traffic to the gateway endpoint, and AWS refuses the
    // option while the VPC has no S3 gateway endpoint (S3 User Guide, "AWS PrivateLink for Amazon S3",
    // Private DNS; EC2 API Reference, DnsOptionsSpecification.PrivateDnsOnlyForInboundResolverEndpoint:
    // only for services with both endpoint types, VPC traffic to the gateway endpoint).
    let s3Gateway: VpcEndpoint | undefined;
    if (props.gatewayRouteTableIds !== undefined && props.gatewayRouteTableIds.length > 0) {
      s3Gateway = new VpcEndpoint(this, "s3", {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...props.gatewayRouteTableIds],
        tags: { Name: `${props.name}-s3` },
      });
      endpointIds.s3 = s3Gateway.id;
    }
    for (const service of new Set(props.interfaceServices)) {
      // The S3 gateway endpoint keeps the ID "s3"; an S3 interface endpoint beside it answers private
      // DNS only for inbound resolver endpoints, as AWS requires when both exist (PrivateLink guide, S3),
      // and waits for the gateway endpoint, which AWS requires to exist first.
      const s3Interface = service === "s3";
      const besideGateway = s3Interface && (s3Gateway !== undefined || props.existingS3GatewayEndpoint === true);
      const endpoint = new VpcEndpoint(this, s3Interface ? "s3-interface" : service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        dnsOptions: besideGateway ? { privateDnsOnlyForInboundResolverEndpoint: true } : undefined,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [securityGroup.id],
        tags: { Name: `${props.name}-${service}` },
        dependsOn: s3Interface && s3Gateway !== undefined ? [s3Gateway] : undefined,
      });
      endpointIds[s3Interface ? "s3-interface" : service] = endpoint.id;
    }
    this.endpointIds = endpointIds;
  }
}
