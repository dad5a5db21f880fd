/**
 * Which CPU architecture an EC2 instance type runs, and so which AMIs it boots. EC2 refuses a launch
 * whose AMI architecture differs from the instance type's ("The architecture 'arm64' of the specified
 * instance type does not match the architecture 'x86_64' of the specified AMI").
 *
 * The type name says it for the families AWS names (EC2 User Guide, "Amazon EC2 instance type naming
 * conventions"): the letters after the generation number are attributes, and `g` among them first
 * means AWS Graviton (m6g, c6gd, c7gn, r8g, x2gd, im4gn, is4gen, i4g, g5g, hpc7g); `a1` is the first
 * Graviton. Every other attribute is an x86 one (`i` Intel, `a` AMD, `d` local NVMe, `n` network,
 * `e` memory...), and family letters are not attributes: g4dn, g5 and g6 are x86 GPU types. What the
 * name cannot tell is checked at plan time against `data.aws_ec2_instance_type`'s
 * `supported_architectures`.
 *
 * Outposts offer both: the 1U Outposts server runs c6gd (Graviton2), the 2U server c6id (Outposts
 * servers User Guide, "Outposts server specifications").
 */

export type CpuArchitecture = "x86_64" | "arm64";

export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = [
  "x86_64",
  "arm64",
];

/** The families whose name has no attribute letters but are Graviton. */
const GRAVITON_FAMILIES_WITHOUT_SUFFIX = new Set(["a1"]);

/** The architecture an instance type name implies, or undefined when the name is not a type. */
export function instanceTypeArchitecture(
  instanceType: string
): CpuArchitecture | undefined {
  const family = instanceType.split(".")[0];
  if (GRAVITON_FAMILIES_WITHOUT_SUFFIX.has(family)) return "arm64";
  const match = /^([a-z]+)(\d+)([a-z0-9-]*)$/.exec(family);
  if (!match) return undefined;
  return match[3].startsWith("g") ? "arm64" : "x86_64";
}

/** The architecture of a node group's AMI: as written, else the instance type's, else x86_64 (checked at plan time). */
export function amiArchitectureOf(group: {
  readonly instanceType: string;
  readonly ami: { readonly architecture?: CpuArchitecture };
}): CpuArchitecture {
  return (
    group.ami.architecture ??
    instanceTypeArchitecture(group.instanceType) ??
    "x86_64"
  );
}
