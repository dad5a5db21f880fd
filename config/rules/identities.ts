/** Two fields that derive one construct ID or AWS name (config/identities.ts), reported with both paths. */
import { derivedIdentities, identityCollisions } from "../identities";
import { formatPath } from "../load";
import { RuleContext } from "./context";

export function identityRules(context: RuleContext): void {
  for (const { first, second } of identityCollisions(derivedIdentities(context.root))) {
    // Two zones of one name in dns.privateHostedZones are already reported as a repeated zone (dns rules).
    const bothListed = [first, second].every((identity) => identity.path[0] === "dns" && identity.path[1] === "privateHostedZones");
    if (bothListed && first.from === second.from) continue;
    context.add(
      second.path,
      `(${second.from}) derives the ${second.namespace.what} ${second.value}, which ${formatPath(first.path)} (${first.from}) derives too: ` +
        `${second.namespace.consequence}; change one of the two`,
    );
  }
}
