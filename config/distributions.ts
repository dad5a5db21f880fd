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

export function hypershiftNames(blueprint: Pick<Blueprint, "name" | "hypershift">): HypershiftNames {
  const settings = blueprint.hypershift;
  if (!settings) throw new Error(`${blueprint.name}: distribution hypershift needs the hypershift section (the rules require it)`);
  const prefix = settings.baseDomainPrefix ?? blueprint.name;
  return {
    infraId: settings.infraId ?? blueprint.name,
    baseDomain: settings.baseDomain,
    baseDomainPrefix: prefix,
    privateZoneName: `${prefix}.${settings.baseDomain}`,
    localZoneName: `${blueprint.name}.${HYPERSHIFT_LOCAL_ZONE_SUFFIX}`,
  };
}
