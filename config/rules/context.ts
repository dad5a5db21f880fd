/**
 * What every rule section shares: the normalized input (schema defaults applied, nothing rejected),
 * tolerant accessors for it, CIDR checks that report in place, and the problem list.
 */
import { cidrProblem, Ipv4Cidr, parseCidr } from "../cidr";
import { withSchemaDefaults } from "../normalize";
import { ClusterArchitectureFacts, clusterArchitectureOfInput } from "../cluster-architecture";
import { blueprintSchema } from "../schema";

export type IssuePath = ReadonlyArray<string | number>;

/** One problem in a blueprint file: where it is and what would be valid. */
export interface RuleIssue {
  readonly path: IssuePath;
  readonly message: string;
  /**
   * Shown instead of the path, with no value, for a problem between two places such as
   * `outposts[server-1] ↔ outposts[rack-a]`.
   */
  readonly label?: string;
}

// The input is untrusted even with defaults applied: every accessor tolerates any shape, and a
// rule skips a value of the wrong type, which the schema reports.
export type Raw = Record<string, unknown>;
export const asObject = (value: unknown): Raw => (value && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : {});
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** VPC and subnet CIDR blocks must be between /16 and /28 (Amazon VPC User Guide, "VPC CIDR blocks"). */
export const VPC_PREFIX_RANGE = { min: 16, max: 28 };

/** The CIDR if it is a canonical one of VPC size; undefined otherwise (reported by the network rules). */
function vpcSizedCidr(value: unknown): Ipv4Cidr | undefined {
  const text = asString(value);
  const parsed = text === undefined ? undefined : parseCidr(text);
  return parsed && parsed.prefix >= VPC_PREFIX_RANGE.min && parsed.prefix <= VPC_PREFIX_RANGE.max ? parsed : undefined;
}

export class RuleContext {
  readonly issues: RuleIssue[] = [];
  readonly root: Raw;
  /** The input as written, before defaults: for rules that must tell an omitted field from a default one. */
  readonly input: Raw;
  readonly region?: string;
  readonly variant?: string;
  readonly network: Raw;
  readonly existingVpc: boolean;
  readonly egress?: string;
  readonly regionalSubnets: Raw[];
  readonly publicSubnets: Raw[];
  readonly outposts: Raw[];
  readonly nodeGroups: Raw[];
  readonly controlPlane: Raw;
  readonly workers: Raw;
  readonly addons: Raw;
  readonly backend: Raw;
  /** The VPC CIDR when it is valid; the network rules report it otherwise. */
  readonly vpcCidr?: Ipv4Cidr;

  /** The facts of the blueprint's cluster architecture; undefined while the variant is invalid. */
  get architecture(): ClusterArchitectureFacts | undefined {
    return clusterArchitectureOfInput(this.variant, asObject(this.controlPlane.local).instanceStore);
  }

  constructor(input: unknown) {
    this.input = asObject(input);
    this.root = asObject(withSchemaDefaults(blueprintSchema, input));
    this.region = asString(this.root.region);
    this.variant = asString(this.root.variant);
    this.network = asObject(this.root.network);
    this.existingVpc = asString(asObject(this.network.vpc).id) !== undefined;
    this.egress = asString(this.network.egress);
    this.regionalSubnets = asArray(this.network.regionalSubnets).map(asObject);
    this.publicSubnets = asArray(this.network.publicSubnets).map(asObject);
    this.outposts = asArray(this.root.outposts).map(asObject);
    this.nodeGroups = asArray(this.root.nodeGroups).map(asObject);
    this.controlPlane = asObject(this.root.controlPlane);
    this.workers = asObject(this.root.workers);
    this.addons = asObject(this.root.addons);
    this.backend = asObject(this.root.backend);
    this.vpcCidr = vpcSizedCidr(asObject(this.network.vpc).cidr);
  }

  add(path: IssuePath, message: string, label?: string): void {
    this.issues.push(label === undefined ? { path, message } : { path, message, label });
  }

  /** Reports a CIDR that is not canonical IPv4; returns it parsed when it is. */
  checkCidr(path: IssuePath, value: unknown): Ipv4Cidr | undefined {
    const text = asString(value);
    if (text === undefined) return undefined; // the schema reports a missing or non-string CIDR
    const problem = cidrProblem(text);
    if (problem) {
      this.add(path, problem);
      return undefined;
    }
    return parseCidr(text);
  }

  /** As checkCidr, and reports a prefix outside what AWS allows for VPCs and subnets. */
  checkVpcSizedCidr(path: IssuePath, value: unknown): Ipv4Cidr | undefined {
    const parsed = this.checkCidr(path, value);
    if (parsed && (parsed.prefix < VPC_PREFIX_RANGE.min || parsed.prefix > VPC_PREFIX_RANGE.max)) {
      this.add(path, `has prefix /${parsed.prefix}; AWS allows /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max} for VPCs and subnets`);
      return undefined;
    }
    return parsed;
  }

  /** Reports every value that repeats an earlier one. */
  checkUnique(values: Array<string | undefined>, path: (i: number) => IssuePath, what: string): void {
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (value === undefined) return;
      if (seen.has(value)) this.add(path(i), `repeats ${what} '${value}'; each must be unique`);
      seen.add(value);
    });
  }

  /** The Outpost a node group or other reference names, if declared. */
  outpostNamed(name: unknown): Raw | undefined {
    if (typeof name !== "string") return undefined;
    // A map, built once: a lookup per node group must not scan every Outpost (linear time overall).
    this.outpostsByName ??= new Map([...this.outposts].reverse().flatMap((outpost) => (typeof outpost.name === "string" ? [[outpost.name, outpost] as const] : [])));
    return this.outpostsByName.get(name);
  }

  private outpostsByName?: Map<string, Raw>;
}

/** One section's rules: reads the context, reports through it. */
export type RuleSection = (context: RuleContext) => void;
