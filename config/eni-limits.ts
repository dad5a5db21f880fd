/**
 * How many network interfaces an instance type takes and how many IPv4 addresses each holds, for the
 * instance families Outposts offer (racks: c5, m5, r5 and their d variants, g4dn, i3en, and the 6th
 * and 7th generation Intel families; servers: c6gd, c6id). With the VPC CNI's defaults a node that
 * runs its most pods holds every address of every interface it may attach, all from its subnet.
 *
 * Source: aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go (ENILimit, IPv4Limit) at commit
 * b52188387f2e2f10bf289ace929d6a63b176a4fa, generated from the EC2 API's DescribeInstanceTypes.
 * The 7th generation metal sizes (metal-24xl, metal-48xl: 15 x 50) as the field review of issue 31
 * read them in the same file. A type not listed is counted at one address per node (its primary) and
 * named in a synth warning (config/rules/subnet-capacity.ts): a larger answer would be a guess.
 */

/** [families, "size:ENIs x IPv4 per ENI ..."]: families that share one table of sizes. */
const FAMILY_LIMITS: ReadonlyArray<readonly [...string[], string]> = [
  ["c5", "c5d", "large:3x10 xlarge:4x15 2xlarge:4x15 4xlarge:8x30 9xlarge:8x30 12xlarge:8x30 18xlarge:15x50 24xlarge:15x50 metal:15x50"],
  ["m5", "m5d", "r5", "r5d", "large:3x10 xlarge:4x15 2xlarge:4x15 4xlarge:8x30 8xlarge:8x30 12xlarge:8x30 16xlarge:15x50 24xlarge:15x50 metal:15x50"],
  ["g4dn", "xlarge:3x10 2xlarge:3x10 4xlarge:3x10 8xlarge:4x15 12xlarge:8x30 16xlarge:4x15 metal:15x50"],
  ["i3en", "large:3x10 xlarge:4x15 2xlarge:4x15 3xlarge:4x15 6xlarge:8x30 12xlarge:8x30 24xlarge:15x50 metal:15x50"],
  ["c6gd", "medium:2x4 large:3x10 xlarge:4x15 2xlarge:4x15 4xlarge:8x30 8xlarge:8x30 12xlarge:8x30 16xlarge:15x50 metal:15x50"],
  ["c6id", "m6id", "r6id", "c6i", "m6i", "r6i", "large:3x10 xlarge:4x15 2xlarge:4x15 4xlarge:8x30 8xlarge:8x30 12xlarge:8x30 16xlarge:15x50 24xlarge:15x50 32xlarge:15x50 metal:15x50"],
  ["c7i", "large:3x10 xlarge:4x15 2xlarge:4x15 4xlarge:8x30 8xlarge:8x30 12xlarge:8x30 16xlarge:15x50 24xlarge:15x50 32xlarge:15x50 48xlarge:15x50 metal-24xl:15x50 metal-48xl:15x50"],
  ["m7i", "r7i", "large:3x10 xlarge:4x15 2xlarge:4x15 4xlarge:8x30 8xlarge:8x30 12xlarge:8x30 16xlarge:15x50 24xlarge:15x50 48xlarge:15x50 metal-24xl:15x50 metal-48xl:15x50"],
  ["c6in", "large:3x10 xlarge:4x15 2xlarge:4x15 4xlarge:8x30 8xlarge:8x30 12xlarge:8x30 16xlarge:15x50 24xlarge:15x50 32xlarge:8x50 metal:8x50"],
];

export interface InterfaceLimits {
  readonly interfaces: number;
  readonly ipv4PerInterface: number;
}

const LIMITS: ReadonlyMap<string, InterfaceLimits> = new Map(
  FAMILY_LIMITS.flatMap((row) => {
    const families = row.slice(0, -1);
    const sizes = row[row.length - 1].split(" ").map((entry) => {
      const [size, limits] = entry.split(":");
      const [interfaces, ipv4PerInterface] = limits.split("x").map(Number);
      return [size, { interfaces, ipv4PerInterface }] as const;
    });
    return families.flatMap((family) => sizes.map(([size, limits]) => [`${family}.${size}`, limits] as const));
  }),
);

/** The interface limits of an instance type, or undefined when the table does not know it. */
export function interfaceLimitsOf(instanceType: string): InterfaceLimits | undefined {
  return LIMITS.get(instanceType);
}

/** The most subnet addresses one node of the type can hold: every address of every interface. */
export function maxAddressesPerNode(instanceType: string): number | undefined {
  const limits = interfaceLimitsOf(instanceType);
  return limits === undefined ? undefined : limits.interfaces * limits.ipv4PerInterface;
}
