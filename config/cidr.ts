/**
 * Minimal IPv4 CIDR arithmetic for offline config validation.
 * Only what the rules need: parse, canonical form, containment and overlap.
 */
export interface Ipv4Cidr {
  /** The CIDR as written. */
  readonly text: string;
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0-32. */
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join(".");
}

/** Why a string is not a canonical IPv4 CIDR, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return "is not an IPv4 CIDR; expected a.b.c.d/n, for example 10.0.0.0/16";
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (match.slice(1, 6).some((part) => part.length > 1 && part.startsWith("0"))) {
    return `has a leading zero; write it as ${octets.join(".")}/${prefix} (leading zeros read as octal in some tools)`;
  }
  if (octets.some((octet) => octet > 255)) return "has an octet above 255";
  if (prefix > 32) return "has a prefix length above 32";
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const network = (address & mask(prefix)) >>> 0;
  if (network !== address) {
    return `has host bits set; the network address is ${formatAddress(network)}/${prefix}`;
  }
  return undefined;
}

/** Parses a canonical IPv4 CIDR; undefined when it is not one. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  if (cidrProblem(text) !== undefined) return undefined;
  const match = CIDR_PATTERN.exec(text)!;
  const octets = match.slice(1, 5).map(Number);
  const network = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { text, network, prefix: Number(match[5]) };
}

/** True when every address of `inner` lies inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && ((inner.network & mask(outer.prefix)) >>> 0) === outer.network;
}

/** Whether `text` is one IPv4 address (a /32 in canonical form). */
export function isIpv4Address(text: string): boolean {
  return parseCidr(`${text}/32`) !== undefined;
}

/** Whether an IPv4 address lies in one of the CIDRs (texts that are no CIDR are skipped). */
export function addressInAnyCidr(address: string, cidrs: readonly string[]): boolean {
  const host = parseCidr(`${address}/32`);
  return host !== undefined && cidrs.some((text) => {
    const cidr = parseCidr(text);
    return cidr !== undefined && cidrContains(cidr, host);
  });
}

/** True when the two ranges share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** The address `offset` places after `address` (a.b.c.d), such as a subnet's base plus one for its router. */
export function addressPlus(address: string, offset: number): string {
  const value = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0) + offset;
  return formatAddress(value >>> 0);
}

/** The network of an address with a prefix length (192.168.20.21/24 gives 192.168.20.0/24); the text itself when it is not one. */
export function networkOf(addressWithPrefix: string): string {
  return networkOfAddress(addressWithPrefix)?.text ?? addressWithPrefix;
}

/** A prefix length as a dotted netmask (24 gives 255.255.255.0), as DHCP servers take it. */
export function netmaskOf(prefix: number): string {
  return formatAddress(mask(prefix));
}

/** An IPv4 address as an unsigned 32-bit integer; undefined when it is not one. */
function addressNumber(address: string): number | undefined {
  const host = parseCidr(`${address}/32`);
  return host?.network;
}

/**
 * The addresses AWS keeps in every subnet: the first four and the last (Amazon VPC User Guide,
 * "Subnet CIDR blocks": network address, VPC router, Amazon DNS, future use, network broadcast).
 * No instance, endpoint or server can hold one.
 */
export const SUBNET_RESERVED_ADDRESSES: ReadonlyArray<{ readonly offset: number; readonly role: string }> = [
  { offset: 0, role: "the network address" },
  { offset: 1, role: "the VPC router" },
  { offset: 2, role: "the Amazon DNS server" },
  { offset: 3, role: "kept by AWS for future use" },
  { offset: -1, role: "the broadcast address" },
];

/** How many addresses of a subnet instances and interfaces can use: its size less the five AWS keeps. */
export function usableSubnetAddresses(cidr: Ipv4Cidr): number {
  return Math.max(0, 2 ** (32 - cidr.prefix) - SUBNET_RESERVED_ADDRESSES.length);
}

/** The role of an address AWS keeps in the subnet, or undefined when the address is usable or outside it. */
export function subnetReservedRole(address: string, cidr: Ipv4Cidr): string | undefined {
  const value = addressNumber(address);
  if (value === undefined || !addressInAnyCidr(address, [cidr.text])) return undefined;
  const size = 2 ** (32 - cidr.prefix);
  const offset = value - cidr.network;
  return SUBNET_RESERVED_ADDRESSES.find((reserved) => (reserved.offset >= 0 ? reserved.offset : size + reserved.offset) === offset)?.role;
}

/** The network of an address written with its prefix (192.168.10.21/24 → 192.168.10.0/24); undefined when it is not one. */
export function networkOfAddress(addressWithPrefix: string): Ipv4Cidr | undefined {
  const [address, prefixText] = addressWithPrefix.split("/");
  const value = addressNumber(address ?? "");
  const prefix = Number(prefixText);
  if (value === undefined || !/^\d{1,2}$/.test(prefixText ?? "") || prefix > 32) return undefined;
  const network = (value & mask(prefix)) >>> 0;
  return { text: `${formatAddress(network)}/${prefix}`, network, prefix };
}
