/**
 * Names and identities that can collide (issue 31): every construct ID and AWS name that the
 * blueprint derives from names it was given, computed before any construct is built, each with the
 * field it comes from. Two fields that derive one identity in one namespace would become one resource
 * (cdktf stops with "There is already a Construct with name ...") or be refused by AWS at apply; the
 * identity rule reports both fields instead.
 *
 * The construct IDs come from the same functions the constructs use (modules/shared/construct-ids.ts).
 */
import { forwardingRuleConstructIds, privateZoneConstructId } from "../modules/shared/construct-ids";
import { hypershiftNames } from "./distributions";
import { asArray, asObject, asString, IssuePath, Raw } from "./rules/context";

/** Where an identity must be unique, and what the collision would do there. */
export interface IdentityNamespace {
  readonly what: string;
  readonly consequence: string;
}

export const IDENTITY_NAMESPACES = {
  vpcDnsConstruct: {
    what: "construct ID of the network stack's DNS (modules/vpc-dns)",
    consequence: "two resources would share one construct and synthesis would stop",
  },
  privateZoneOnVpc: {
    what: "private hosted zone name on the VPC",
    // Route 53 API Reference, AssociateVPCWithHostedZone and CreateHostedZone: ConflictingDomainExists.
    consequence: "Route 53 refuses a second private zone of one name on a VPC (ConflictingDomainExists)",
  },
} as const satisfies Record<string, IdentityNamespace>;

export interface DerivedIdentity {
  readonly namespace: IdentityNamespace;
  readonly value: string;
  /** The field the identity is derived from. */
  readonly path: IssuePath;
  /** The field's value, as shown in the answer. */
  readonly from: string;
}

/** Two fields that derive one identity in one namespace; `first` comes first in the file. */
export interface IdentityCollision {
  readonly first: DerivedIdentity;
  readonly second: DerivedIdentity;
}

/** The private zones the network stack puts on the VPC: the blueprint's, then HyperShift's two. */
export function privateZones(root: Raw): Array<{ name: string; existing: boolean; path: IssuePath }> {
  const dns = asObject(root.dns);
  const zones = asArray(dns.privateHostedZones).flatMap((value, i) => {
    const zone = asObject(value);
    const name = asString(zone.name);
    return name === undefined ? [] : [{ name, existing: asString(zone.zoneId) !== undefined, path: ["dns", "privateHostedZones", i, "name"] as IssuePath }];
  });
  const hypershift = asObject(root.hypershift);
  const name = asString(root.name);
  const baseDomain = asString(hypershift.baseDomain);
  if (root.distribution === "hypershift" && name !== undefined && baseDomain !== undefined) {
    const prefix = asString(hypershift.baseDomainPrefix);
    const names = hypershiftNames({ name, hypershift: { baseDomain, baseDomainPrefix: prefix, infraId: undefined } });
    const prefixPath: IssuePath = prefix === undefined ? ["name"] : ["hypershift", "baseDomainPrefix"];
    zones.push({ name: names.privateZoneName, existing: false, path: prefix === undefined ? ["hypershift", "baseDomain"] : prefixPath });
    zones.push({ name: names.localZoneName, existing: false, path: ["name"] });
  }
  return zones;
}

/** Every identity the blueprint derives that can collide, in file order. */
export function derivedIdentities(root: Raw): DerivedIdentity[] {
  const identities: DerivedIdentity[] = [];
  for (const zone of privateZones(root)) {
    identities.push({ namespace: IDENTITY_NAMESPACES.vpcDnsConstruct, value: privateZoneConstructId(zone.name, zone.existing), path: zone.path, from: zone.name });
    identities.push({ namespace: IDENTITY_NAMESPACES.privateZoneOnVpc, value: zone.name, path: zone.path, from: zone.name });
  }
  const dns = asObject(root.dns);
  if ((asString(dns.forwarding) ?? "nodes") === "resolverEndpoint") {
    asArray(dns.onPremDomains).forEach((value, i) => {
      const domain = asString(asObject(value).domain);
      if (domain === undefined) return;
      const ids = forwardingRuleConstructIds(domain);
      for (const id of [ids.rule, ids.association]) {
        identities.push({ namespace: IDENTITY_NAMESPACES.vpcDnsConstruct, value: id, path: ["dns", "onPremDomains", i, "domain"], from: domain });
      }
    });
  }
  return identities;
}

/** Each pair of distinct fields that derive one identity in one namespace, reported once per pair. */
export function identityCollisions(identities: readonly DerivedIdentity[]): IdentityCollision[] {
  const firstByKey = new Map<string, DerivedIdentity>();
  const reported = new Set<string>();
  const collisions: IdentityCollision[] = [];
  for (const identity of identities) {
    const key = `${identity.namespace.what}\u0000${identity.value}`;
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, identity);
      continue;
    }
    const pair = `${first.path.join(".")}\u0000${identity.path.join(".")}`;
    if (first.path.join(".") === identity.path.join(".") || reported.has(pair)) continue;
    reported.add(pair);
    collisions.push({ first, second: identity });
  }
  return collisions;
}
