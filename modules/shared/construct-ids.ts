/**
 * Construct IDs that constructs derive from names a blueprint gives (domains, zone names). They live
 * here, beside the constructs, so config/identities.ts derives the very same IDs and reports two
 * names that would become one construct before anything is built (issue 31).
 */

/** A domain as part of a construct ID: dots become "--", anything else outside [A-Za-z0-9-] "-". */
export function domainConstructKey(domain: string): string {
  return domain.replace(/\./g, "--").replace(/[^A-Za-z0-9-]/g, "-");
}

/** VpcDns: the construct ID of a private hosted zone it creates, or of the association of an existing one. */
export function privateZoneConstructId(zoneName: string, existing: boolean): string {
  return `zone-${domainConstructKey(zoneName)}${existing ? "-association" : ""}`;
}

/** VpcDns: the construct IDs of a forwarded domain's Resolver rule and its association. */
export function forwardingRuleConstructIds(domain: string): { rule: string; association: string } {
  const rule = `forward-${domainConstructKey(domain)}`;
  return { rule, association: `${rule}-association` };
}
