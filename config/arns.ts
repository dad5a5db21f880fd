/**
 * Every ARN field of the blueprint, and what AWS takes in each: one model that the rules read
 * (`arnRules`) and the docs list. An ARN is `arn:<partition>:<service>:<region>:<account>:<resource>`
 * (IAM User Guide, "IAM identifiers"; AWS General Reference, "Amazon Resource Names").
 *
 * Per kind the model knows: the service; whether the ARN names a Region, and whether that Region
 * must be the blueprint's (or the state bucket's); the account part (12 digits, or `aws` for AWS
 * managed policies); the resource type and the service's name limits. Every field's partition must be
 * the partition of the Region it is used in (`aws`, `aws-us-gov`, `aws-cn`: each Region is in one).
 */
import { partitionOf } from "./images";
import { s3BucketNameProblem } from "./reserved";

export const PARTITIONS = ["aws", "aws-us-gov", "aws-cn"] as const;

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The six parts of an ARN, or undefined when the text is not `arn:` followed by five colons. */
export function parseArn(text: string): ParsedArn | undefined {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition, service, region, account] = parts;
  return {
    partition,
    service,
    region,
    account,
    resource: parts.slice(5).join(":"),
  };
}

export type ArnKindName =
  | "outpost"
  | "iamRole"
  | "iamPrincipal"
  | "iamPolicy"
  | "iamOidcProvider"
  | "kmsKey"
  | "snsTopic"
  | "s3Bucket";

interface ArnKind {
  /** "an IAM role ARN", for messages. */
  readonly what: string;
  readonly example: string;
  readonly service: string;
  /** `none`: global (IAM, S3), no Region; `same`: the Region the field is used in. */
  readonly region: "none" | "same";
  /** `account`: 12 digits; `account-or-aws`: also `aws` (AWS managed policies); `none`: empty (S3). */
  readonly account: "account" | "account-or-aws" | "none";
  /** What is wrong with the resource part, or undefined. */
  readonly resource: (resource: string) => string | undefined;
  /** Where AWS says so. */
  readonly source: string;
}

/** IAM names: letters, digits and +=,.@_- (IAM User Guide, "IAM object quotas" and IAM API CreateRole). */
const IAM_NAME = /^[\w+=,.@-]+$/;
/** IAM paths: / alone, or /.../ of printable ASCII, at most 512 characters. */
const IAM_PATH = /^\/([\x21-\x7e]+\/)?$/;

/** `<type>/<path><name>` of IAM: the name within the limit, the path valid. */
function iamResource(
  type: string,
  resource: string,
  nameMax: number
): string | undefined {
  if (!resource.startsWith(`${type}/`)) return undefined;
  const rest = resource.slice(type.length + 1);
  const slash = rest.lastIndexOf("/");
  const name = rest.slice(slash + 1);
  const path = `/${rest.slice(0, slash + 1)}`;
  if (!IAM_NAME.test(name))
    return `names the ${type} '${name}': IAM names hold only letters, digits and +=,.@_-`;
  if (name.length > nameMax)
    return `names a ${type} of ${name.length} characters; IAM allows ${nameMax}`;
  if (path.length > 512 || !IAM_PATH.test(path))
    return `has the path '${path}', which is no IAM path (at most 512 printable characters between slashes)`;
  return "";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_REGION_KEY = /^mrk-[0-9a-f]{32}$/;

export const ARN_KINDS: Readonly<Record<ArnKindName, ArnKind>> = {
  outpost: {
    what: "an Outpost ARN",
    example:
      "arn:aws:outposts:us-west-2:111122223333:outpost/op-0123456789abcdef0",
    service: "outposts",
    region: "same",
    account: "account",
    resource: (resource) =>
      /^outpost\/op-[0-9a-f]{17}$/.test(resource)
        ? undefined
        : "names no Outpost: expected outpost/op-<17 hex digits>",
    source:
      "Outposts API, Outpost (OutpostArn); an Outpost is anchored to one Region",
  },
  iamRole: {
    what: "an IAM role ARN",
    example: "arn:aws:iam::111122223333:role/terraform-runs",
    service: "iam",
    region: "none",
    account: "account",
    resource: (resource) => {
      const problem = iamResource("role", resource, 64);
      return problem === undefined
        ? roleExpected(resource)
        : problem || undefined;
    },
    source:
      "IAM User Guide, IAM identifiers (role ARNs) and IAM quotas (role names up to 64 characters)",
  },
  iamPrincipal: {
    what: "an IAM role or user ARN",
    example: "arn:aws:iam::111122223333:role/platform-admin",
    service: "iam",
    region: "none",
    account: "account",
    resource: (resource) => {
      const asRole = iamResource("role", resource, 64);
      const asUser = iamResource("user", resource, 64);
      if (asRole !== undefined) return asRole || undefined;
      if (asUser !== undefined) return asUser || undefined;
      return "names neither a role nor a user: EKS access entries take role/<name> or user/<name> (EKS API, CreateAccessEntry)";
    },
    source: "EKS API, CreateAccessEntry (principalArn: an IAM role or user)",
  },
  iamPolicy: {
    what: "an IAM policy ARN",
    example: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    service: "iam",
    region: "none",
    account: "account-or-aws",
    resource: (resource) => {
      const problem = iamResource("policy", resource, 128);
      return problem === undefined
        ? "names no managed policy: expected policy/<path><name>"
        : problem || undefined;
    },
    source:
      "IAM User Guide, IAM identifiers (policy ARNs) and quotas (managed policy names up to 128 characters)",
  },
  iamOidcProvider: {
    what: "an IAM OIDC provider ARN",
    example: "arn:aws:iam::111122223333:oidc-provider/app.terraform.io",
    service: "iam",
    region: "none",
    account: "account",
    resource: (resource) =>
      /^oidc-provider\/[A-Za-z0-9.-]+(\/[\w.\/-]*)?$/.test(resource)
        ? undefined
        : "names no OIDC provider: expected oidc-provider/<host>",
    source:
      "IAM API, CreateOpenIDConnectProvider (the ARN ends in the provider's URL without https://)",
  },
  kmsKey: {
    what: "a KMS key or alias ARN",
    example:
      "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    service: "kms",
    region: "same",
    account: "account",
    resource: (resource) => {
      if (resource.startsWith("key/")) {
        const id = resource.slice(4);
        return UUID.test(id) || MULTI_REGION_KEY.test(id)
          ? undefined
          : `names the key '${id}', which is no KMS key ID (a UUID, or mrk- and 32 hex digits)`;
      }
      if (resource.startsWith("alias/")) {
        const name = resource.slice(6);
        if (name.startsWith("aws/"))
          return "names an AWS managed key (alias/aws/...), whose key policy cannot be changed to let this blueprint's roles use it; give a customer managed key";
        return /^[A-Za-z0-9/_-]{1,250}$/.test(name)
          ? undefined
          : "names no KMS alias: letters, digits, /, _ and -, up to 256 characters with alias/";
      }
      return "names neither a key nor an alias: expected key/<key ID> or alias/<name>";
    },
    source:
      "KMS Developer Guide, key identifiers (key ARN, alias ARN); a key is used in its own Region",
  },
  snsTopic: {
    what: "an SNS topic ARN",
    example: "arn:aws:sns:us-west-2:111122223333:outpost-alarms",
    service: "sns",
    region: "same",
    account: "account",
    resource: (resource) => {
      if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(resource))
        return "names no SNS topic: 1-256 letters, digits, _ and - (SNS API, CreateTopic)";
      return resource.endsWith(".fifo")
        ? "names a FIFO topic; CloudWatch alarms publish to standard topics only"
        : undefined;
    },
    source:
      "SNS API, CreateTopic (names); CloudWatch User Guide, alarm actions (a standard topic in the alarm's Region)",
  },
  s3Bucket: {
    what: "an S3 bucket ARN",
    example: "arn:aws:s3:::my-flow-logs",
    service: "s3",
    region: "none",
    account: "none",
    resource: (resource) => {
      const bucket = resource.split("/")[0];
      const problem = s3BucketNameProblem(bucket);
      return problem === undefined ? undefined : `names '${bucket}', which ${problem}`;
    },
    source:
      "S3 User Guide, bucket naming rules; S3 ARNs carry no Region or account",
  },
};

function roleExpected(resource: string): string {
  if (resource.startsWith("user/"))
    return "names an IAM user; a role is needed here (role/<name>)";
  return "names no role: expected role/<path><name>";
}

/** Where in the blueprint an ARN field is, as a path with `*` for every list index. */
export interface ArnField {
  readonly path: readonly string[];
  readonly kind: ArnKindName;
  /** Whose Region the ARN's Region must be: the blueprint's, or the S3 state bucket's (`backend.region`). */
  readonly regionOf: "blueprint" | "backend";
}

/** Every ARN field of the blueprint. */
export const ARN_FIELDS: readonly ArnField[] = [
  { path: ["outposts", "*", "arn"], kind: "outpost", regionOf: "blueprint" },
  { path: ["controlPlane", "adminPrincipalArns", "*"], kind: "iamPrincipal", regionOf: "blueprint" },
  // EKS encryption_config: the key must be in the cluster's Region (EKS API, Provider.keyArn).
  { path: ["controlPlane", "secretsKmsKeyArn"], kind: "kmsKey", regionOf: "blueprint" },
  { path: ["workers", "extraNodePolicyArns", "*"], kind: "iamPolicy", regionOf: "blueprint" },
  { path: ["iam", "permissionsBoundary"], kind: "iamPolicy", regionOf: "blueprint" },
  { path: ["monitoring", "alarmTopicArn"], kind: "snsTopic", regionOf: "blueprint" },
  { path: ["network", "flowLogs", "s3BucketArn"], kind: "s3Bucket", regionOf: "blueprint" },
  // SSE-KMS for the state object: the key must be in the bucket's Region.
  { path: ["backend", "kmsKeyId"], kind: "kmsKey", regionOf: "backend" },
  { path: ["backend", "assumeRole", "roleArn"], kind: "iamRole", regionOf: "backend" },
  { path: ["backend", "workspaces", "awsCredentials", "roleArn"], kind: "iamRole", regionOf: "blueprint" },
  { path: ["backend", "workspaces", "awsCredentials", "oidcProviderArn"], kind: "iamOidcProvider", regionOf: "blueprint" },
  { path: ["backend", "workspaces", "awsCredentials", "policyArns", "*"], kind: "iamPolicy", regionOf: "blueprint" },
];

/**
 * What is wrong with an ARN given for a kind, used in `region` (undefined when unknown): its shape,
 * service, partition, Region, account and resource, the first problem found; undefined when none.
 */
export function arnProblem(
  kindName: ArnKindName,
  text: string,
  region: string | undefined
): string | undefined {
  const kind = ARN_KINDS[kindName];
  const expected = `expected ${kind.what} such as ${kind.example}`;
  const arn = parseArn(text);
  if (!arn) return `is not an ARN; ${expected}`;
  if (!(PARTITIONS as readonly string[]).includes(arn.partition))
    return `has the partition '${
      arn.partition
    }'; AWS partitions are ${PARTITIONS.join(", ")}`;
  if (kindName === "iamRole" || kindName === "iamPrincipal") {
    if (arn.service === "sts" && arn.resource.startsWith("assumed-role/")) {
      const role = arn.resource.split("/")[1] ?? "<name>";
      return `is an STS assumed-role session, not a role; give the role's ARN, arn:${arn.partition}:iam::${arn.account}:role/${role} (with its path, if any)`;
    }
  }
  if (arn.service !== kind.service)
    return `is ${/^[aeiou]/.test(arn.service) ? "an" : "a"} ${
      arn.service
    } ARN; ${expected}`;
  if (region !== undefined) {
    const partition = partitionOf(region);
    if (arn.partition !== partition)
      return `is in partition '${arn.partition}', but Region ${region} is in '${partition}'`;
  }
  if (kind.region === "none" && arn.region !== "")
    return `names the Region '${
      arn.region
    }', but ${kind.service.toUpperCase()} ARNs have none; ${expected}`;
  if (kind.region === "same") {
    if (arn.region === "") return `names no Region; ${expected}`;
    if (region !== undefined && arn.region !== region)
      return `is in Region ${
        arn.region
      }, but it is used in ${region}: ${kind.what.replace(
        / ARN$/,
        ""
      )} works only in its own Region`;
  }
  if (kind.account === "none" && arn.account !== "")
    return `names the account '${arn.account}', but S3 bucket ARNs have none; ${expected}`;
  if (
    kind.account !== "none" &&
    !/^\d{12}$/.test(arn.account) &&
    !(kind.account === "account-or-aws" && arn.account === "aws")
  ) {
    return `has the account '${arn.account}'; account IDs are 12 digits${
      kind.account === "account-or-aws"
        ? " (or aws, for AWS managed policies)"
        : ""
    }`;
  }
  return kind.resource(arn.resource);
}
