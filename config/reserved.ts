/**
 * Values that AWS, Kubernetes or Terraform reserve, and forms that nothing can satisfy, in the fields
 * the blueprint passes on: the one place that knows them, read by the rules (config/rules) and, where
 * a construct derives a name, by the construct. Each set names its documented source.
 */

/**
 * General purpose bucket names (S3 User Guide, "General purpose bucket naming rules"): 3-63
 * lowercase letters, digits, '.' and '-', a letter or digit at both ends, no '..', not an IP
 * address, and none of the prefixes and suffixes S3 reserves for its own names.
 */
export const S3_BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
export const S3_BUCKET_RESERVED_SUFFIXES = [
  ["-s3alias", "access point aliases"],
  ["--ol-s3", "Object Lambda access point aliases"],
  [".mrap", "Multi-Region Access Points"],
  ["--x-s3", "directory buckets"],
  ["--table-s3", "table buckets"],
] as const;

/** What is wrong with a general purpose bucket name, or undefined. */
export function s3BucketNameProblem(bucket: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    return "is not an S3 bucket name: 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit (S3 User Guide, bucket naming rules)";
  }
  const prefix = S3_BUCKET_RESERVED_PREFIXES.find((reserved) => bucket.startsWith(reserved));
  if (prefix) return `starts with '${prefix}', a prefix S3 reserves: no general purpose bucket has it (S3 User Guide, bucket naming rules)`;
  const suffix = S3_BUCKET_RESERVED_SUFFIXES.find(([reserved]) => bucket.endsWith(reserved));
  if (suffix) return `ends with '${suffix[0]}', a suffix S3 reserves for ${suffix[1]}: no general purpose bucket has it (S3 User Guide, bucket naming rules)`;
  return undefined;
}

/**
 * The S3 backend's `key` is `<keyPrefix>/<stack>.tfstate`, and Terraform refuses a key that is empty,
 * starts or ends with '/' or holds '//' (hashicorp/terraform, internal/backend/remote-state/s3:
 * validateStringS3Path, validateStringDoesNotContain("//")). A trailing '/' of the prefix is dropped.
 */
export function s3StateKeyPrefixProblem(keyPrefix: string): string | undefined {
  const trimmed = keyPrefix.replace(/\/+$/, "");
  if (trimmed === "") return "leaves the state key '/<stack>.tfstate', which starts with '/': Terraform's S3 backend refuses it; give a prefix such as outposts-eks";
  if (trimmed.startsWith("/")) return `starts with '/', and Terraform's S3 backend refuses a key that does; give it without: ${trimmed.replace(/^\/+/, "") || "outposts-eks"}`;
  if (trimmed.includes("//")) return "holds '//', which Terraform's S3 backend refuses in a key; separate the parts with one '/'";
  return undefined;
}

/**
 * Kubernetes reserves the `system:` prefix of user and group names for its own components
 * (Kubernetes, "Using RBAC Authorization", referring to subjects): a certificate's user named so
 * would pass for one of them.
 */
export const KUBERNETES_RESERVED_USER_PREFIX = "system:";

/**
 * Taints the node controller and the cloud controller manager set and clear themselves from the
 * node's conditions (Kubernetes, "Taints and Tolerations", taint based evictions): a node that
 * registers with one loses it, or is treated as not ready.
 */
export const KUBERNETES_CONTROLLER_TAINTS = [
  "node.kubernetes.io/not-ready",
  "node.kubernetes.io/unreachable",
  "node.kubernetes.io/memory-pressure",
  "node.kubernetes.io/disk-pressure",
  "node.kubernetes.io/pid-pressure",
  "node.kubernetes.io/network-unavailable",
  "node.kubernetes.io/unschedulable",
  "node.cloudprovider.kubernetes.io/uninitialized",
] as const;

/**
 * Tag keys AWS reserves: the `aws:` prefix, in any case (EC2 User Guide and IAM User Guide, "Tag
 * restrictions"). The blueprint's own prefix, `outposts-eks:`, carries what it writes on every
 * resource (config/names.ts, commonTags): a user tag there would overwrite it.
 */
export const AWS_RESERVED_TAG_PREFIX = /^aws:/i;
export const BLUEPRINT_TAG_PREFIX = "outposts-eks:";
