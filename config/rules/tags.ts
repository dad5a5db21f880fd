/** Tag rules: AWS's limits, counting the tags the blueprint adds itself (EC2 and IAM, "Tag restrictions"). */
import { AWS_RESERVED_TAG_PREFIX, BLUEPRINT_TAG_PREFIX } from "../reserved";
import { installerDestroyMatches } from "../distributions";
import { asObject, asString, RuleContext } from "./context";

/** Tags per resource that AWS accepts. */
export const AWS_MAX_TAGS = 50;
/**
 * The most tags the blueprint adds to one resource itself: outposts-eks:blueprint on every resource,
 * and on an Outpost subnet Name, kubernetes.io/cluster/<name> and two ELB role tags.
 */
export const BLUEPRINT_TAGS_PER_RESOURCE = 5;

/**
 * What tag keys and values may hold on every service the blueprint tags (IAM is the strictest:
 * IAM User Guide, "Tagging IAM resources"; EC2 User Guide, "Tag restrictions").
 */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARACTERS = "letters, digits, spaces and _ . : / = + - @ only";

export function tagRules(context: RuleContext): void {
  const tags = asObject(context.root.tags);
  const keys = Object.keys(tags);
  const room = AWS_MAX_TAGS - BLUEPRINT_TAGS_PER_RESOURCE;
  if (keys.length > room) {
    context.add(["tags"], `has ${keys.length} tags; AWS allows ${AWS_MAX_TAGS} per resource and the blueprint adds up to ${BLUEPRINT_TAGS_PER_RESOURCE} itself, so give at most ${room}`);
  }
  for (const key of keys) {
    if (AWS_RESERVED_TAG_PREFIX.test(key)) context.add(["tags", key], "starts with aws:, a prefix AWS reserves for its own tags");
    else if (key.startsWith(BLUEPRINT_TAG_PREFIX)) {
      context.add(["tags", key], `starts with ${BLUEPRINT_TAG_PREFIX}, the prefix of the tags the blueprint writes on every resource itself (${BLUEPRINT_TAG_PREFIX}blueprint); use another prefix`);
    }
    else if (key.length > 128) context.add(["tags", key], `is ${key.length} characters; a tag key has at most 128`);
    else if (key.length === 0) context.add(["tags", key], "is an empty tag key; a tag key has 1 to 128 characters");
    else if (!TAG_TEXT.test(key)) context.add(["tags", key], `is not a tag key AWS accepts: ${TAG_CHARACTERS}`);
    const value = tags[key];
    const destroyedBy = typeof value === "string" && asString(context.root.distribution) !== "eks" ? installerDestroyMatches(key, value) : [];
    if (destroyedBy.length > 0) {
      context.add(
        ["tags", key],
        `is a tag ${[...new Set(destroyedBy.map((match) => match.tool))].join(" and ")} deletes resources by (${destroyedBy[0].source}); ` +
          "on every resource of the network stack it would let the installer's destroy delete what Terraform owns: use another key, or the value shared",
      );
    }
    if (typeof value === "string" && value.length > 256) context.add(["tags", key], `has a value of ${value.length} characters; a tag value has at most 256`);
    else if (typeof value === "string" && !TAG_TEXT.test(value)) context.add(["tags", key], `has a value AWS does not accept: ${TAG_CHARACTERS}`);
  }
}
