/**
 * Settings that work only beside another (issue 31): given without their companion they change
 * nothing, silently. One place lists them; config/rules/companions.ts reports each given alone.
 * docs/decisions.md lists every setting of this class in config/schema.ts and where each is checked.
 */
import type { IssuePath, Raw } from "./rules/context";
import { asObject } from "./rules/context";

export interface CompanionSetting {
  /** The setting, as written in the blueprint. */
  readonly path: IssuePath;
  /** Whether the blueprint as written sets it (a default never counts). */
  readonly given: (input: Raw) => boolean;
  /** Whether its companion holds, on the blueprint with defaults applied. */
  readonly companionHolds: (root: Raw) => boolean;
  /** What the companion is, for the answer. */
  readonly needs: string;
}

const dnsOf = (raw: Raw) => asObject(raw.dns);

export const COMPANION_SETTINGS: readonly CompanionSetting[] = [
  {
    path: ["dns", "serversReachableFromRegion"],
    given: (input) => dnsOf(input).serversReachableFromRegion === true,
    companionHolds: (root) => dnsOf(root).forwarding === "resolverEndpoint",
    needs: "dns.forwarding: resolverEndpoint (only a Resolver endpoint in the Region uses that route)",
  },
  {
    path: ["dns", "serversAnswerAwsNames"],
    given: (input) => dnsOf(input).serversAnswerAwsNames === true,
    companionHolds: (root) => dnsOf(root).forwarding === "dhcpOptions",
    needs: "dns.forwarding: dhcpOptions (only then are the servers the VPC's name servers)",
  },
];
