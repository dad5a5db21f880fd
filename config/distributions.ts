/**
 * Network-only blueprints for OpenShift and HyperShift on Outposts (issue 23): the tags their cloud
 * providers read, the MTU they must use, and the names HyperShift expects. docs/openshift-and-hypershift.md
 * gives the sources.
 */
import type { Blueprint, Outpost } from "./schema";

export type Distribution = Blueprint["distribution"];

/** MTU between an Outpost and its Region (AWS Outposts user guide; ../docs/outposts-facts.md). */
export const OUTPOST_REGION_MTU = 1300;
/** OVN-Kubernetes' Geneve overhead, which the cluster network MTU leaves room for (OpenShift, "Changing the MTU for the cluster network"). */
export const OVN_KUBERNETES_OVERHEAD = 100;
/** The cluster network MTU of an OpenShift cluster with workers on an Outpost: 1300 - 100. */
export const OPENSHIFT_CLUSTER_NETWORK_MTU = OUTPOST_REGION_MTU - OVN_KUBERNETES_OVERHEAD;
/** The root volume type the Outposts offer for nodes (seed 000: gp2; gp3 is not on Outposts). */
export const OUTPOST_ROOT_VOLUME_TYPE = "gp2";

/** HyperShift's second private zone: <name>.hypershift.local (openshift/hypershift cmd/infra/aws/create.go, hypershiftLocalZoneName). */
export const HYPERSHIFT_LOCAL_ZONE_SUFFIX = "hypershift.local";

export function isNetworkOnly(blueprint: Pick<Blueprint, "distribution">): boolean {
  return blueprint.distribution !== "eks";
}

/**
 * Tags of an Outpost subnet for OpenShift: `kubernetes.io/cluster/unmanaged` keeps the cloud controller
 * manager from putting Service load balancers (NLB, CLB) in it, which Outposts do not run (OpenShift 4.15+,
 * "Extending an AWS VPC cluster into an AWS Outpost"). Racks run ALBs: they keep the ELB role tags, and
 * an Ingress names the Outpost subnet explicitly.
 */
export function openshiftOutpostSubnetTags(outpost: Outpost): Record<string, string> {
  const tags: Record<string, string> = { "kubernetes.io/cluster/unmanaged": "true" };
  if (outpost.formFactor === "rack") {
    tags["kubernetes.io/role/internal-elb"] = "1";
    if (outpost.coip) tags["kubernetes.io/role/elb"] = "1";
  }
  return tags;
}

/** ELB role tags of the regional subnets, where the API NLBs and the default ingress go. */
export const REGIONAL_PRIVATE_SUBNET_TAGS = { "kubernetes.io/role/internal-elb": "1" } as const;
export const REGIONAL_PUBLIC_SUBNET_TAGS = { "kubernetes.io/role/elb": "1" } as const;

/** What HyperShift names the hosted cluster's resources after. */
export interface HypershiftNames {
  readonly infraId: string;
  readonly baseDomain: string;
  readonly baseDomainPrefix: string;
  /** <prefix>.<baseDomain>, as HyperShift's ZoneName. */
  readonly privateZoneName: string;
  /** <name>.hypershift.local. */
  readonly localZoneName: string;
}

/**
 * hypershift's word for "no prefix": `--base-domain-prefix none` makes the zone the base domain itself
 * (openshift/hypershift cmd/infra/aws/create.go `ZoneName`, and cmd/cluster/aws/create.go, which turns
 * the infra JSON's "none" into an empty `spec.dns.baseDomainPrefix`; commit 3ee9615567acffaf3e3ee25c2ca2942d650565cf).
 */
export const HYPERSHIFT_NO_PREFIX = "none";

export function hypershiftNames(blueprint: Pick<Blueprint, "name" | "hypershift">): HypershiftNames {
  const settings = blueprint.hypershift;
  if (!settings) throw new Error(`${blueprint.name}: distribution hypershift needs the hypershift section (the rules require it)`);
  const prefix = settings.baseDomainPrefix ?? blueprint.name;
  return {
    infraId: settings.infraId ?? blueprint.name,
    baseDomain: settings.baseDomain,
    // Passed on as written: hypershift itself reads "none" from the infra JSON.
    baseDomainPrefix: prefix,
    privateZoneName: prefix === HYPERSHIFT_NO_PREFIX ? settings.baseDomain : `${prefix}.${settings.baseDomain}`,
    localZoneName: `${blueprint.name}.${HYPERSHIFT_LOCAL_ZONE_SUFFIX}`,
  };
}

/**
 * The value of HyperShift's `kubernetes.io/cluster/<infraID>` tag on what the network stack creates.
 * Not `owned`: `hypershift destroy cluster aws` always runs its infrastructure destroy, which finds
 * VPCs, internet gateways, DHCP options, Elastic IPs, instances, endpoint services and RAM shares by
 * `tag:kubernetes.io/cluster/<infraID>` = `owned` (`ec2Filters`, `DestroyVPCShare`) and then deletes
 * every subnet, route table, NAT gateway, endpoint, security group and private zone of a matched VPC
 * (openshift/hypershift cmd/infra/aws/destroy.go `DestroyVPCs`, route53.go `DestroyPrivateZones`,
 * commit 3ee9615567acffaf3e3ee25c2ca2942d650565cf): Terraform's network would disappear under it.
 * `shared` keeps the key, which is all the AWS cloud provider's discovery reads: `hasClusterTag` matches
 * the key `kubernetes.io/cluster/<clusterID>` whatever its value (kubernetes legacy-cloud-providers
 * aws/tags.go, kubernetes/cloud-provider-aws pkg/providers/v1/tags.go). `create cluster aws --infra-json`
 * reads IDs from the JSON and looks nothing up by tag.
 */
export const HYPERSHIFT_CLUSTER_TAG_VALUE = "shared";

/** A tag that an installer's destroy deletes resources by. */
export interface DestroyTagMatch {
  /** Which destroy matches it. */
  readonly tool: string;
  /** The tag keys it matches. */
  readonly key: RegExp;
  /** The value it matches; undefined for any value. */
  readonly value?: string;
  /** Where the destroy code says so. */
  readonly source: string;
}

/**
 * Every tag the two installers' destroy paths delete by. The blueprint must never write one of them:
 * what carries it is deleted by `hypershift destroy cluster aws` or `openshift-install destroy cluster`
 * while Terraform still holds it in state.
 */
export const INSTALLER_DESTROY_TAG_MATCHES: readonly DestroyTagMatch[] = [
  {
    tool: "hypershift destroy cluster aws",
    key: /^kubernetes\.io\/cluster\/.+$/,
    value: "owned",
    source: "openshift/hypershift cmd/infra/aws/destroy.go ec2Filters (clusterTagValue \"owned\", create.go)",
  },
  {
    tool: "openshift-install destroy cluster",
    key: /^kubernetes\.io\/cluster\/.+$/,
    value: "owned",
    source: "openshift/installer pkg/asset/cluster/aws/aws.go Metadata (Identifier filters), pkg/destroy/aws",
  },
  {
    tool: "openshift-install destroy cluster",
    key: /^openshiftClusterID$/,
    source: "openshift/installer pkg/asset/cluster/aws/aws.go Metadata (Identifier filters), pkg/destroy/aws",
  },
  {
    // The Cluster API era installer (4.16+) tags what CAPA creates so, and lists it as a third identifier.
    tool: "openshift-install destroy cluster",
    key: /^sigs\.k8s\.io\/cluster-api-provider-aws\/cluster\/.+$/,
    value: "owned",
    source: "openshift/installer pkg/asset/cluster/aws/aws.go Metadata (third Identifier filter: sigs.k8s.io/cluster-api-provider-aws/cluster/<infraID>: owned), pkg/destroy/aws",
  },
];

/** The destroy matches a tag falls under: empty when no installer's destroy would delete what carries it. */
export function installerDestroyMatches(key: string, value: string): DestroyTagMatch[] {
  return INSTALLER_DESTROY_TAG_MATCHES.filter((match) => match.key.test(key) && (match.value === undefined || match.value === value));
}
