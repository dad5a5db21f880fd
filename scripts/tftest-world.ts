/**
 * The blueprint's world: how AWS answers the stacks' lookups when the account is exactly as the
 * blueprint describes it. The answers are built from the blueprint and the query (the data source's
 * arguments), never from the conditions: a condition that reads the wrong attribute, or compares
 * with the wrong value, then fails the suite's `world` run instead of passing its own echo.
 *
 * What each lookup returns follows the AWS API behind it (EC2 DescribeVpcs/DescribeSubnets/
 * DescribeLocalGatewayRouteTables filtered by ID return the matching items or an empty list;
 * Outposts GetOutpost/GetOutpostInstanceTypes; EC2 DescribeInstanceTypes). Resources a producer
 * stack creates are answered with the configuration it creates them with.
 */
import { Blueprint } from "../config";
import { instanceTypeArchitecture } from "../config/cpu-architectures";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Value = any;

/** A resource a producer stack creates, under the ID its outputs give it in the world. */
export interface CreatedResource {
  readonly type: string;
  readonly config: Record<string, Value>;
}

export interface WorldFacts {
  readonly blueprint: Blueprint;
  readonly region: string;
  readonly account: string;
  /** Resources of the producer stacks by their mocked ID. */
  readonly created: ReadonlyMap<string, CreatedResource>;
}

/** The values a data source of `type`, queried with `args`, returns in the world; undefined when the world does not model it. */
export function worldAnswer(type: string, args: Record<string, Value>, facts: WorldFacts): Record<string, Value> | undefined {
  const answer = ANSWERS[type];
  return answer ? answer(args, facts) : undefined;
}

const filterValues = (args: Record<string, Value>, name: string): string[] | undefined =>
  (args.filter as Array<{ name: string; values: string[] }> | undefined)?.find((f) => f.name === name)?.values;

function outpostByArn(facts: WorldFacts, arn: unknown) {
  return facts.blueprint.outposts.find((outpost) => outpost.arn === arn);
}

interface SubnetFacts {
  id: string;
  vpcId: string;
  cidr: string;
  availabilityZone: string;
  outpostArn: string;
}

/** Every subnet of the world: the blueprint's adopted ones and those a producer stack creates. */
function subnetOf(facts: WorldFacts, id: unknown): SubnetFacts | undefined {
  const { blueprint } = facts;
  const vpcId = blueprint.network.vpc.id ?? [...facts.created.entries()].find(([, r]) => r.type === "aws_vpc")?.[0] ?? "vpc-mock";
  for (const subnet of blueprint.network.regionalSubnets) {
    if (subnet.id && subnet.id === id) return { id, vpcId, cidr: subnet.cidr, availabilityZone: subnet.availabilityZone, outpostArn: "" };
  }
  for (const outpost of blueprint.outposts) {
    const subnet = outpost.subnet as { id?: string; cidr?: string };
    if (subnet.id && subnet.id === id) return { id, vpcId, cidr: subnet.cidr ?? "", availabilityZone: outpost.availabilityZone, outpostArn: outpost.arn };
  }
  const created = typeof id === "string" ? facts.created.get(id) : undefined;
  if (created?.type === "aws_subnet") {
    return {
      id: id as string,
      vpcId,
      cidr: String(created.config.cidr_block ?? ""),
      availabilityZone: String(created.config.availability_zone ?? ""),
      outpostArn: String(created.config.outpost_arn ?? ""),
    };
  }
  return undefined;
}

/** The instance types the blueprint runs on an Outpost: its node groups', a local cluster's control plane and etcd, and an OpenShift installer's compute machines. */
function instanceTypesOn(facts: WorldFacts, arn: unknown): string[] {
  const { blueprint } = facts;
  const outpost = outpostByArn(facts, arn);
  if (!outpost) return [];
  const local = blueprint.controlPlane?.local;
  return [
    ...new Set([
      ...blueprint.nodeGroups.filter((group) => group.outpost === outpost.name).map((group) => group.instanceType),
      ...(blueprint.variant === "local" && local ? [local.controlPlaneInstanceType, ...(local.instanceStore ? [local.instanceStore.etcdInstanceType] : [])] : []),
      ...(blueprint.openshift?.computeInstanceType ? [blueprint.openshift.computeInstanceType] : []),
    ]),
  ].sort();
}

/**
 * vCPUs by size (EC2 instance types: `large` 2, each size step doubles; `9xlarge` 36, `18xlarge` 72).
 * A family's own sizes (metal, Graviton medium, burstable t3) are in its row of OUTPOSTS_FAMILIES.
 */
const SIZE_VCPUS: Record<string, number> = {
  large: 2, xlarge: 4, "2xlarge": 8, "3xlarge": 12, "4xlarge": 16, "6xlarge": 24, "8xlarge": 32, "9xlarge": 36,
  "12xlarge": 48, "16xlarge": 64, "18xlarge": 72, "24xlarge": 96, "32xlarge": 128, "48xlarge": 192,
};

interface FamilyFacts {
  readonly architecture: "x86_64" | "arm64";
  /** Memory per vCPU (c 2 GiB, m 4, r 8, i3en 8, g4dn 4). */
  readonly gibPerVcpu: number;
  /** Sizes whose vCPUs (and, for burstable types, memory) differ from SIZE_VCPUS and gibPerVcpu. */
  readonly sizes?: Readonly<Record<string, { vcpus: number; gib?: number }>>;
}

const METAL_96 = { metal: { vcpus: 96 } };
const METAL_128 = { metal: { vcpus: 128 } };
const GRAVITON2_SIZES = { medium: { vcpus: 1 }, metal: { vcpus: 64 } };

/**
 * The world's own answer to DescribeInstanceTypes for the families Outposts offer (rack: C5/C5d,
 * M5/M5d, R5/R5d, G4dn, I3en; servers: C6id, C6gd; with the 6th-generation M and R siblings), written
 * out rather than derived from `instanceTypeArchitecture()`, which the architecture precondition
 * itself uses: a wrong naming rule then fails the world run instead of agreeing with itself. Sources:
 * AWS Outposts rack features (https://aws.amazon.com/outposts/rack/features/), Outposts servers
 * specifications (https://docs.aws.amazon.com/outposts/latest/server-userguide/specifications.html),
 * EC2 instance type specifications (https://docs.aws.amazon.com/ec2/latest/instancetypes/). t3 is not
 * offered on Outposts; it is here so a blueprint naming it gets a true answer (and the
 * instance-type-offered check then fires as it would on AWS).
 */
export const OUTPOSTS_FAMILIES: Readonly<Record<string, FamilyFacts>> = {
  m5: { architecture: "x86_64", gibPerVcpu: 4, sizes: METAL_96 },
  m5d: { architecture: "x86_64", gibPerVcpu: 4, sizes: METAL_96 },
  c5: { architecture: "x86_64", gibPerVcpu: 2, sizes: METAL_96 },
  c5d: { architecture: "x86_64", gibPerVcpu: 2, sizes: METAL_96 },
  r5: { architecture: "x86_64", gibPerVcpu: 8, sizes: METAL_96 },
  r5d: { architecture: "x86_64", gibPerVcpu: 8, sizes: METAL_96 },
  g4dn: { architecture: "x86_64", gibPerVcpu: 4, sizes: METAL_96 },
  i3en: { architecture: "x86_64", gibPerVcpu: 8, sizes: METAL_96 },
  c6id: { architecture: "x86_64", gibPerVcpu: 2, sizes: METAL_128 },
  m6id: { architecture: "x86_64", gibPerVcpu: 4, sizes: METAL_128 },
  r6id: { architecture: "x86_64", gibPerVcpu: 8, sizes: METAL_128 },
  c6gd: { architecture: "arm64", gibPerVcpu: 2, sizes: GRAVITON2_SIZES },
  m6gd: { architecture: "arm64", gibPerVcpu: 4, sizes: GRAVITON2_SIZES },
  r6gd: { architecture: "arm64", gibPerVcpu: 8, sizes: GRAVITON2_SIZES },
  t3: {
    architecture: "x86_64",
    gibPerVcpu: 4,
    sizes: { nano: { vcpus: 2, gib: 0.5 }, micro: { vcpus: 2, gib: 1 }, small: { vcpus: 2, gib: 2 }, medium: { vcpus: 2, gib: 4 }, large: { vcpus: 2, gib: 8 } },
  },
};

/**
 * DescribeInstanceTypes in the world: the family's row when it has one; for any other family the
 * architecture falls back to the naming rule (which proves the precondition fires, not that the rule is right).
 */
export function instanceTypeFacts(type: string): { supported_architectures: string[]; default_vcpus: number; memory_size: number } {
  const [family, size] = type.split(".");
  const row = OUTPOSTS_FAMILIES[family];
  const bySize = row?.sizes?.[size];
  const vcpus = bySize?.vcpus ?? SIZE_VCPUS[size] ?? 2;
  const gib = bySize?.gib ?? vcpus * (row?.gibPerVcpu ?? GIB_PER_VCPU[family?.[0] ?? "m"] ?? 4);
  return {
    supported_architectures: [row?.architecture ?? instanceTypeArchitecture(type) ?? "x86_64"],
    default_vcpus: vcpus,
    memory_size: gib * 1024,
  };
}

/** GiB per vCPU by family letter for families outside OUTPOSTS_FAMILIES: compute c 2, general m 4, memory r 8. */
const GIB_PER_VCPU: Record<string, number> = { c: 2, m: 4, r: 8 };

/**
 * A zone ID in the Region's naming: us-west-2a -> usw2-az1, us-gov-west-1a -> usgw1-az1,
 * cn-northwest-1a -> cnnw1-az1. Accounts map names to IDs differently; the world picks one.
 */
export function zoneIdOf(zone: string): string {
  const match = /^([a-z]+)(-gov)?-([a-z]+)-(\d+)([a-z])$/.exec(zone);
  if (!match) return "use1-az1";
  const direction = match[3].replace(/^(north|south)(east|west)$/, (_, a, b) => a[0] + b[0]).replace(/^(central|east|west|north|south)$/, (d) => d[0]);
  return `${match[1]}${match[2] ? "g" : ""}${direction}${match[4]}-az${match[5].charCodeAt(0) - 96}`;
}

const ANSWERS: Record<string, (args: Record<string, Value>, facts: WorldFacts) => Record<string, Value>> = {
  // GetOutposts: every Outpost the account owns or is shared in the Region.
  aws_outposts_outposts: (_args, facts) => ({ arns: facts.blueprint.outposts.map((o) => o.arn).sort(), ids: facts.blueprint.outposts.map((o) => o.arn.split("/").pop()).sort() }),
  aws_outposts_outpost: (args, facts) => {
    const outpost = outpostByArn(facts, args.arn);
    return outpost
      ? { availability_zone: outpost.availabilityZone, supported_hardware_type: outpost.formFactor === "server" ? "SERVER" : "RACK", id: outpost.arn.split("/").pop(), name: outpost.name }
      : {};
  },
  aws_outposts_outpost_instance_types: (args, facts) => ({ instance_types: instanceTypesOn(facts, args.arn) }),
  aws_ec2_instance_type: (args) => instanceTypeFacts(String(args.instance_type ?? "")),
  aws_availability_zone: (args) => ({ zone_id: zoneIdOf(String(args.name ?? "")) }),
  // DescribeVpcs / DescribeSubnets / DescribeLocalGatewayRouteTables filtered by ID: the item, or nothing.
  aws_vpcs: (args, facts) => {
    const wanted = filterValues(args, "vpc-id") ?? [];
    return { ids: wanted.filter((id) => id === facts.blueprint.network.vpc.id) };
  },
  aws_vpc: (args, facts) => (args.id === facts.blueprint.network.vpc.id ? { cidr_block: facts.blueprint.network.vpc.cidr, enable_dns_support: true, enable_dns_hostnames: true } : {}),
  aws_subnets: (args, facts) => ({ ids: (filterValues(args, "subnet-id") ?? []).filter((id) => subnetOf(facts, id)) }),
  aws_subnet: (args, facts) => {
    const subnet = subnetOf(facts, args.id);
    return subnet ? { vpc_id: subnet.vpcId, cidr_block: subnet.cidr, availability_zone: subnet.availabilityZone, outpost_arn: subnet.outpostArn } : {};
  },
  aws_ec2_local_gateway_route_tables: (args, facts) => ({
    ids: (filterValues(args, "local-gateway-route-table-id") ?? []).filter((id) => facts.blueprint.outposts.some((o) => o.formFactor === "rack" && o.localGatewayRouteTableId === id)),
  }),
  aws_ec2_local_gateway_route_table: (args, facts) => {
    const outpost = facts.blueprint.outposts.find((o) => o.formFactor === "rack" && o.localGatewayRouteTableId === args.local_gateway_route_table_id);
    return outpost ? { outpost_arn: outpost.arn } : {};
  },
  // The blueprint routes an adopted Outpost subnet through a table associated with it.
  aws_route_tables: (args) => ({ ids: (filterValues(args, "association.subnet-id") ?? []).map((_, i) => `rtb-0a0b0c0d0e0f1011${i}`) }),
  // An Amazon Linux 2023 EKS AMI: one EBS snapshot, the root volume.
  aws_ami: () => ({ block_device_mappings: [{ device_name: "/dev/xvda", ebs: { snapshot_id: "snap-0123456789abcdef0", volume_size: "20" } }], architecture: "x86_64" }),
  aws_ssm_parameter: () => ({ value: "ami-0123456789abcdef0", insecure_value: "ami-0123456789abcdef0" }),
  aws_eks_cluster: () => ({ status: "ACTIVE" }),
};
