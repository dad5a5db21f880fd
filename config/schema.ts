/**
 * The blueprint file's shape: one zod schema, which also yields the TypeScript types and the
 * JSON Schema in docs/blueprint.schema.json. Rules that relate several fields (CIDR containment,
 * cross references) live in rules/ and run on the same input in the same pass; every ARN field is
 * checked there by the one ARN model (config/arns.ts), which knows the Region it is used in.
 */
import { z } from "zod";
import { EBS_CSI_CHART_VERSION } from "../modules/ebs-storage/chart";
import { ADJUSTABLE_QUOTAS, QUOTAS, QuotaSpec } from "./quotas";

/** Each adjustable quota the blueprint may declare raised: at least AWS's default, at most its maximum. */
const quotasSchema = z
  .strictObject(
    Object.fromEntries(
      ADJUSTABLE_QUOTAS.map((name) => {
        const spec: QuotaSpec = QUOTAS[name];
        const field = z.int().min(spec.defaultValue, `must be at least ${spec.defaultValue}, AWS's default for ${spec.what}`);
        const bounded = spec.maximum === undefined ? field : field.max(spec.maximum, `must be at most ${spec.maximum}, the maximum of ${spec.what} (${spec.source})`);
        return [name, bounded.optional().describe(`Raised quota of ${spec.what} (default ${spec.defaultValue}${spec.maximum ? `, at most ${spec.maximum}` : ""}).`)];
      }),
    ),
  )
  .prefault({})
  .describe("Quotas raised in Service Quotas beyond AWS's defaults, which the rules then count against (see docs/blueprint.md, Limits).");

/** A DNS-1123 label: lowercase alphanumerics and '-', starting with a letter. */
export const DNS_NAME_PATTERN = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const VPC_ID_PATTERN = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID_PATTERN = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const LGW_ROUTE_TABLE_ID_PATTERN = /^lgw-rtb-[0-9a-f]{17}$/;
export const COIP_POOL_ID_PATTERN = /^ipv4pool-coip-[0-9a-f]{17}$/;
/** One part of an ECR repository name (ECR API, CreateRepository). */
export const ECR_NAME_PART_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** A registry host: DNS labels, an optional port; no scheme and no path. */
export const REGISTRY_HOST_PATTERN = /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;
/** The most Outposts one blueprint declares (docs/blueprint.md, Limits). */
export const MAX_OUTPOSTS = 64;
export const KUBERNETES_VERSION_PATTERN = /^1\.(2[89]|3\d)$/;

const dnsName = () =>
  z
    .string()
    .regex(DNS_NAME_PATTERN, "must be DNS-safe: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit")
    .max(63, "must be at most 63 characters (one DNS label)");

/** A CIDR is checked for form by rules.ts, which can then say exactly what is wrong with it. */
const cidr = z.string().meta({ description: "IPv4 CIDR, network address form, e.g. 10.0.0.0/16", examples: ["10.0.0.0/16"] });

const tags = z.record(z.string(), z.string()).default({});

const LOG_RETENTION_DAYS_VALUES = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

// ---------------------------------------------------------------------------------------------
// Backend
// ---------------------------------------------------------------------------------------------

/**
 * A Terraform version constraint: comma-separated `<operator> <version>` terms, as `required_version`
 * takes them (Terraform language, version constraints).
 */
export const TERRAFORM_VERSION_CONSTRAINT_PATTERN = /^\s*(=|!=|>=|<=|>|<|~>)?\s*\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?\s*(,\s*(=|!=|>=|<=|>|<|~>)?\s*\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?\s*)*$/;
/** An HCP Terraform agent pool ID. */
export const AGENT_POOL_ID_PATTERN = /^apool-[A-Za-z0-9]{16}$/;
/** HCP Terraform project and workspace names: letters, digits, '-' and '_' (project names may also hold spaces). */
export const HCP_PROJECT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _-]{2,39}$/;
/**
 * HCP Terraform workspace names: at most 260 characters; HashiCorp recommends 90 or fewer
 * ("We recommend using 90 characters or less for the name of your workspace",
 * hashicorp/terraform-docs-common website/docs/cloud-docs/workspaces/create.mdx; the limit was raised
 * from 90 to 260 in 2023). Longer than the recommendation is a synth warning (workspaceNameWarning).
 */
export const HCP_WORKSPACE_NAME_MAX = 260;
export const HCP_WORKSPACE_NAME_RECOMMENDED_MAX = 90;
export const HCP_WORKSPACE_NAME_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${HCP_WORKSPACE_NAME_MAX}}$`);
export const HOSTNAME_PATTERN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

const requiredVersion = z
  .string()
  .regex(TERRAFORM_VERSION_CONSTRAINT_PATTERN, "must be a Terraform version constraint such as \">= 1.11\" or \">= 1.11, < 2.0\"")
  .prefault(">= 1.11")
  .describe("Terraform required_version of every stack. Default >= 1.11: S3 use_lockfile is generally available from 1.11.");

export const localBackendSchema = z
  .strictObject({
    type: z.literal("local"),
    stateDirectory: z
      .string()
      .default("terraform-state")
      .describe("Directory for <stack>.tfstate, relative to the project root. Never absolute."),
    requiredVersion,
  })
  .describe("Local state files, one per stack, under a relative directory.");

export const s3BackendSchema = z
  .strictObject({
    type: z.literal("s3"),
    bucket: z.string().min(3).max(63).describe("S3 bucket that holds the state."),
    keyPrefix: z.string().default("outposts-eks").describe("Key prefix; each stack's state is <keyPrefix>/<stack>.tfstate."),
    region: z.string().regex(REGION_PATTERN, "must be an AWS Region name such as us-west-2").describe("Region of the bucket."),
    encrypt: z.boolean().default(true).describe("Server-side encryption of the state object. On by default."),
    kmsKeyId: z.string().optional().describe("KMS key ARN for the state object (SSE-KMS)."),
    useLockfile: z.boolean().default(true).describe("S3-native state locking (experimental in Terraform 1.10, generally available from 1.11)."),
    dynamodbTable: z.string().optional().describe("Legacy DynamoDB lock table, for Terraform < 1.10."),
    profile: z
      .string()
      .regex(/^[A-Za-z0-9_.+=,@-]+$/, "must be a profile name of the AWS shared config: no spaces")
      .optional()
      .describe("Named profile of the AWS shared config for the state bucket (backend and terraform_remote_state alike)."),
    assumeRole: z
      .strictObject({
        roleArn: z.string(),
        sessionName: z
          .string()
          .regex(/^[\w+=,.@-]{2,64}$/, "must be 2-64 characters of letters, digits and +=,.@_-")
          .optional(),
        externalId: z.string().min(2).max(1224).optional(),
      })
      .optional()
      .describe("A role to assume for the state bucket (the backend's assume_role block), from the profile's or the environment's credentials."),
    requiredVersion,
  })
  .describe("One S3 object per stack.");

export const hcpWorkspacesSchema = z
  .strictObject({
    agentPoolId: z
      .string()
      .regex(AGENT_POOL_ID_PATTERN, "must be an HCP Terraform agent pool ID such as apool-AbCdEfGh12345678")
      .optional()
      .describe("Agent pool of the workspaces that must reach the private API endpoint (addons; a local cluster's workers). Required with privateEndpointExecution agent."),
    privateEndpointExecution: z
      .enum(["agent", "local"])
      .default("agent")
      .describe(
        "Execution mode of the workspaces that must reach a private API endpoint: agent (self-hosted agents in the pool) or local " +
          "(runs on the operator's machine, state in HCP Terraform). The other workspaces run remote.",
      ),
    runs: z
      .enum(["cli", "vcs"])
      .default("cli")
      .describe("cli: runs start from `cdktf deploy` or `terraform apply`. vcs: runs start from commits; each workspace's working directory is cdktf.out/stacks/<stack>."),
    vcsRepo: z
      .strictObject({
        identifier: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must be <organization>/<repository>"),
        branch: z.string().min(1).optional().describe("Default: the repository's default branch."),
        oauthTokenId: z.string().regex(/^ot-[A-Za-z0-9]+$/, "must be an OAuth token ID such as ot-AbCd1234").optional(),
        githubAppInstallationId: z.string().regex(/^ghain-[A-Za-z0-9]+$/, "must be a GitHub App installation ID such as ghain-AbCd1234").optional(),
      })
      .optional()
      .describe("runs vcs only: the repository the workspaces follow, through an OAuth client's token or the HCP Terraform GitHub App (exactly one)."),
    awsCredentials: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Dynamic provider credentials: runs assume an IAM role through OIDC (TFC_AWS_PROVIDER_AUTH, TFC_AWS_RUN_ROLE_ARN)."),
        roleArn: z
          .string()
          .optional()
          .describe("An existing run role: nothing is created in AWS. Default: the workspaces stack creates one role for every stack."),
        oidcProviderArn: z
          .string()
          .optional()
          .describe("The account's existing IAM OIDC provider for the hostname (an account holds one per URL). Default: created."),
        policyArns: z
          .array(z.string())
          .min(1)
          .optional()
          .describe(
            "Managed policies of the created run role, replacing the default: an inline policy that allows only what the stacks create " +
              "(ec2:* in the Region, the cluster, roles under iam.path with iam.permissionsBoundary, the blueprint's queue, topic, rules, groups, logs, repositories).",
          ),
      })
      .prefault({})
      .describe("How runs get AWS credentials."),
    stateWorkspace: z
      .string()
      .regex(HCP_WORKSPACE_NAME_PATTERN, "must be a workspace name: letters, digits, '-' and '_'")
      .optional()
      .describe("An existing workspace for the workspaces stack's own state. Default: local state (terraform-state/workspaces.tfstate)."),
  })
  .describe("The optional `workspaces` stack: the project, the four workspaces, their settings, sharing and AWS credentials.");

export const cloudBackendSchema = z
  .strictObject({
    type: z.literal("cloud"),
    organization: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "must be an HCP Terraform organization name: letters, digits, '-' and '_'")
      .describe("HCP Terraform / Terraform Enterprise organization."),
    hostname: z
      .string()
      .regex(HOSTNAME_PATTERN, "must be a host name such as app.terraform.io: no scheme, no path")
      .prefault("app.terraform.io")
      .describe("HCP Terraform or Terraform Enterprise hostname."),
    workspacePrefix: dnsName().describe("Workspaces are named <workspacePrefix>-<stack>."),
    project: z
      .string()
      .regex(HCP_PROJECT_NAME_PATTERN, "must be 3-40 characters: letters, digits, spaces, '-' and '_'")
      .optional()
      .describe("HCP Terraform project of the workspaces. Default: the organization's default project, or the workspace prefix when the workspaces stack creates them."),
    readOutputsWith: z
      .enum(["tfe_outputs", "terraform_remote_state"])
      .default("tfe_outputs")
      .describe("How a stack reads its producers' outputs: tfe_outputs (outputs only; default) or terraform_remote_state (the whole state)."),
    workspaces: hcpWorkspacesSchema.optional().describe("When present, the app adds the `workspaces` stack, deployed first, that creates and configures the workspaces."),
    requiredVersion,
  })
  .describe("HCP Terraform, one workspace per stack.");

export const backendSchema = z
  .discriminatedUnion("type", [localBackendSchema, s3BackendSchema, cloudBackendSchema])
  .prefault({ type: "local" });

// ---------------------------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------------------------

export const regionalSubnetSchema = z.strictObject({
  availabilityZone: z.string().describe("Availability Zone name, e.g. us-west-2a. One regional subnet per AZ."),
  cidr: cidr.describe("The subnet's CIDR, inside the VPC CIDR."),
  id: z
    .string()
    .regex(SUBNET_ID_PATTERN, "must be a subnet ID such as subnet-0123456789abcdef0")
    .optional()
    .describe("ID of an existing subnet. Required with an existing VPC, forbidden with a new one."),
});

export const publicSubnetSchema = z.strictObject({
  availabilityZone: z.string().describe("Availability Zone name."),
  cidr: cidr.describe("The public subnet's CIDR, inside the VPC CIDR."),
});

export const vpcSchema = z.strictObject({
  cidr: cidr.describe("The VPC's primary CIDR. For an existing VPC, its current primary CIDR (checked at plan time)."),
  id: z
    .string()
    .regex(VPC_ID_PATTERN, "must be a VPC ID such as vpc-0123456789abcdef0")
    .optional()
    .describe("Use this existing VPC instead of creating one."),
});

export const endpointsSchema = z.strictObject({
  enabled: z
    .boolean()
    .optional()
    .describe("Create interface endpoints. Defaults to true with egress 'private' and false with 'nat'."),
  existingServices: z
    .array(z.string())
    .default([])
    .describe(
      "Existing VPC only: services whose endpoints the VPC already has (short names, and s3 for the gateway endpoint). " +
        "The blueprint creates the others; creating a second interface endpoint with private DNS fails.",
    ),
  extraServices: z
    .array(z.string().regex(/^[a-z0-9.-]+$/, "must be a service short name such as kms"))
    .default([])
    .describe("More interface endpoint services, by short name (com.amazonaws.<region>.<name>)."),
});

/** A DNS domain name: dot-separated labels of letters, digits and '-', no trailing dot. */
export const DOMAIN_NAME_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const domainName = () => z.string().regex(DOMAIN_NAME_PATTERN, "must be a DNS domain such as corp.example.internal: lowercase labels of letters, digits and '-', no trailing dot");

/** How names resolve beyond the VPC's own resolver (docs/networking.md, How names resolve; config/dns.ts). */
export const dnsSchema = z
  .strictObject({
    onPremDomains: z
      .array(
        z.strictObject({
          domain: domainName().describe("An on-premises domain, such as corp.example.internal; its subdomains go to the same servers."),
          servers: z.array(z.string()).min(1, "needs at least one DNS server").max(6, "takes at most 6 servers (Route 53 Resolver rule targets)").describe("IPv4 addresses of DNS servers that answer the domain."),
        }),
      )
      .default([])
      .describe("On-premises domains the VPC cannot resolve by itself, and the DNS servers that answer them."),
    forwarding: z
      .enum(["nodes", "resolverEndpoint", "dhcpOptions"])
      .default("nodes")
      .describe(
        "nodes: AL2023 nodes send these domains to the servers themselves (systemd-resolved routing domains), over the local gateway or LNI, connected or not. " +
          "resolverEndpoint: a Route 53 Resolver outbound endpoint in the regional subnets and a rule per domain; only where the Region reaches the servers (VPN, Direct Connect). " +
          "dhcpOptions: the servers become the VPC's name servers (new VPC only; they must answer every AWS name too).",
      ),
    serversReachableFromRegion: z
      .boolean()
      .default(false)
      .describe("resolverEndpoint only: the regional subnets route to the servers (VPN, Direct Connect, transit gateway); an Outpost's local gateway does not carry Region traffic."),
    serversAnswerAwsNames: z
      .boolean()
      .default(false)
      .describe("dhcpOptions only: the servers answer every other name the nodes need (AWS endpoints' private DNS, the cluster endpoint), e.g. through a Route 53 Resolver inbound endpoint."),
    outpostResolver: z
      .boolean()
      .default(false)
      .describe("Route 53 Resolver on Outposts runs on the racks (a prerequisite: see docs/networking.md, How names resolve); names then still resolve on the rack while disconnected."),
    privateHostedZones: z
      .array(
        z.strictObject({
          name: domainName().describe("The zone's domain, such as apps.edge.example.internal."),
          zoneId: z
            .string()
            .regex(/^Z[0-9A-Z]{1,32}$/, "must be a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ")
            .optional()
            .describe("An existing private zone to associate with the VPC. Default: a new zone."),
        }),
      )
      .default([])
      .describe("Private hosted zones for workload and ingress names, associated with the VPC (seed 003)."),
  })
  .prefault({})
  .describe("Name resolution beyond the VPC resolver: on-premises domains, Route 53 Resolver on Outposts, private hosted zones.");

export const networkSchema = z.strictObject({
  vpc: vpcSchema,
  regionalSubnets: z.array(regionalSubnetSchema).describe("Private subnets in the Region, in at least two AZs."),
  egress: z
    .enum(["private", "nat"])
    .default("private")
    .describe("private: no internet path, VPC endpoints instead. nat: public subnets, an internet gateway and a NAT gateway."),
  publicSubnets: z.array(publicSubnetSchema).default([]).describe("Public subnets for NAT egress (new VPC with egress 'nat' only)."),
  endpoints: endpointsSchema.prefault({}),
  flowLogs: z
    .strictObject({
      enabled: z.boolean().default(true).describe("VPC flow logs on a VPC the blueprint creates. On by default."),
      destination: z.enum(["cloudwatch", "s3"]).default("cloudwatch").describe("CloudWatch Logs (a log group with retention) or an S3 bucket."),
      retentionDays: z
        .literal([...LOG_RETENTION_DAYS_VALUES])
        .default(90)
        .describe("Retention of the CloudWatch log group, in days."),
      s3BucketArn: z.string().optional().describe("Destination bucket ARN, for destination s3."),
      trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
    })
    .prefault({})
    .describe("Flow logs of a created VPC; an existing VPC keeps its own."),
});

// ---------------------------------------------------------------------------------------------
// Outposts
// ---------------------------------------------------------------------------------------------

export const outpostSubnetSchema = z.strictObject({
  cidr: cidr.describe("The Outpost subnet's CIDR. For an existing subnet, its CIDR (checked at plan time)."),
  id: z
    .string()
    .regex(SUBNET_ID_PATTERN, "must be a subnet ID such as subnet-0123456789abcdef0")
    .optional()
    .describe("Use this existing Outpost subnet instead of creating one."),
  manageRouting: z
    .boolean()
    .default(true)
    .describe(
      "Existing subnet only. true: add the routes the network model needs (on-prem, other racks, S3 gateway) to the subnet's route table " +
        "and associate the VPC with the rack's local gateway route table. false: only check at plan time that each route is there.",
    ),
});

export const coipSchema = z.strictObject({
  poolId: z
    .string()
    .regex(COIP_POOL_ID_PATTERN, "must be a customer-owned IP pool ID such as ipv4pool-coip-0123456789abcdef0")
    .describe("Customer-owned IPv4 pool of the rack's local gateway route table."),
  mapOnLaunch: z
    .boolean()
    .default(false)
    .describe("Give instances launched in the subnet a CoIP address. Off by default: nodes stay private."),
});

const outpostCommon = {
  name: dnsName().describe("Short DNS-safe name, unique in the blueprint."),
  arn: z.string().describe("Outpost ARN: arn:aws:outposts:<region>:<account>:outpost/op-<17 hex>."),
  availabilityZone: z.string().describe("The Outpost's parent Availability Zone (checked at plan time)."),
  subnet: outpostSubnetSchema,
  nodeSlots: z
    .int()
    .min(1)
    .optional()
    .describe("How many nodes of this blueprint the Outpost has room for (its hosts' slots for the node types). Checked against sizes and surges; npx outposts-eks capacity --config <blueprint> reports it."),
};

/** Fields that only one form factor accepts; the error formatter names the right one. */
export const FORM_FACTOR_ONLY_FIELDS: Record<string, "rack" | "server"> = {
  localGatewayRouteTableId: "rack",
  localGatewayRouteTableMode: "rack",
  coip: "rack",
  lniDeviceIndex: "server",
};

export const rackOutpostSchema = z.strictObject({
  ...outpostCommon,
  formFactor: z.literal("rack"),
  localGatewayRouteTableId: z
    .string()
    .regex(LGW_ROUTE_TABLE_ID_PATTERN, "must be a local gateway route table ID such as lgw-rtb-0123456789abcdef0")
    .describe("The rack's local gateway route table; the VPC is associated with it."),
  localGatewayRouteTableMode: z
    .enum(["direct-vpc-routing", "coip"])
    .default("direct-vpc-routing")
    .describe(
      "The mode of that route table, fixed when it was created (aws ec2 describe-local-gateway-route-tables shows it as Mode). " +
        "direct-vpc-routing routes the VPC's private IPs, which traffic between racks needs; coip translates to a CoIP pool.",
    ),
  coip: coipSchema.optional(),
  onPremCidrs: z.array(cidr).default([]).describe("On-premises networks routed to the local gateway."),
});

export const serverOutpostSchema = z.strictObject({
  ...outpostCommon,
  formFactor: z.literal("server"),
  // Only 1 is documented: the Outposts server user guide enables the LNI at device index 1, and the
  // EC2 API (ModifySubnetAttribute EnableLniAtDeviceIndex) rejects 0. By design the LNI does not use
  // the VPC's security groups (Outposts server user guide, "Local network interface"), so nothing
  // here or in the launch template filters its traffic: the site network must.
  lniDeviceIndex: z
    .int()
    .min(1, "must be 1 or more: eth0 can never be the local network interface")
    .max(1, "must be 1: the Outposts server user guide enables the LNI at device index 1, and AWS documents no other value")
    .optional()
    .describe("Enable local network interfaces at this device index (1 = eth1). Omit for no LNI."),
  onPremCidrs: z
    .array(cidr)
    .default([])
    .describe("On-premises networks beyond the LNI's own, such as the site's DNS servers and registry mirror: each node routes them out of the LNI through the site gateway."),
});

export const outpostSchema = z.discriminatedUnion("formFactor", [rackOutpostSchema, serverOutpostSchema]);

// ---------------------------------------------------------------------------------------------
// Control plane, node groups and add-ons: the later layers extend these sections.
// ---------------------------------------------------------------------------------------------

/** Retention values CloudWatch Logs accepts (CloudWatch Logs API, PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = LOG_RETENTION_DAYS_VALUES;

export const localControlPlaneSchema = z.strictObject({
  controlPlaneInstanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m5d.large")
    .describe("Instance type of the 3 control-plane instances; sized by node count; cannot change after creation."),
  rackCount: z
    .int()
    .min(1)
    .prefault(1)
    .describe("Physical racks in the Outpost; decides the default spread level (host for 1-2, rack for 3+)."),
  spreadLevel: z
    .enum(["host", "rack"])
    .optional()
    .describe("Spread level of the control-plane placement group. Default: host for 1-2 racks, rack for 3+."),
  instanceStore: z
    .strictObject({
      etcdInstanceType: z
        .string()
        .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m5d.large")
        .describe("Instance type of the 3 dedicated etcd instances (instance-store local clusters, 2026)."),
    })
    .optional()
    .describe("The 2026 instance-store architecture: 3 control-plane and 3 etcd instances on EC2 instance store."),
});

export const controlPlaneSchema = z.strictObject({
  endpointPublicAccess: z.boolean().default(false).describe("Public API endpoint. Off by default; extended clusters only."),
  publicAccessCidrs: z.array(cidr).default([]).describe("CIDRs allowed to reach a public endpoint; required when it is on."),
  logRetentionDays: z
    .literal([...LOG_RETENTION_DAYS])
    .default(90)
    .describe("Retention of the control-plane log group, in days."),
  deletionProtection: z.boolean().default(true).describe("EKS deletion protection."),
  adminPrincipalArns: z
    .array(z.string())
    .default([])
    .describe("IAM roles or users granted cluster admin through access entries (extended clusters)."),
  // Issue 30: identity and access.
  callerAdminAccess: z
    .boolean()
    .default(true)
    .describe(
      "Where access entries exist: an admin entry for the identity running apply (its role, from the session), unless it is in adminPrincipalArns. " +
        "EKS's own creator entry stays off there. EBS-backed local clusters: EKS makes the creator admin (CONFIG_MAP).",
    ),
  serviceIpv4Cidr: cidr.optional().describe("Kubernetes service CIDR, /12 to /24 inside RFC 1918. Default: chosen by EKS."),
  secretsKmsKeyArn: z
    .string()
    .optional()
    .describe("Extended clusters: an existing KMS key for Kubernetes secrets. Default: a new key with rotation."),
  local: localControlPlaneSchema.optional().describe("Local clusters only: the control plane on the Outpost."),
});

export const AMI_ID_PATTERN = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
/**
 * A Kubernetes label key (a qualified name): an optional DNS-subdomain prefix of at most 253
 * characters and '/', then a name of at most 63 (Kubernetes, "Labels and Selectors", syntax).
 */
export const LABEL_KEY_PATTERN = /^((?=[^/]{1,253}\/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A Kubernetes label value: empty, or at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
export const LABEL_VALUE_PATTERN = /^(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

const labelKey = () =>
  z
    .string()
    .regex(
      LABEL_KEY_PATTERN,
      "must be a Kubernetes label key: an optional DNS-subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    );
const labelValue = () =>
  z
    .string()
    .regex(LABEL_VALUE_PATTERN, "must be a Kubernetes label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

export const taintSchema = z.strictObject({
  key: labelKey().describe("Taint key, with label key syntax."),
  value: labelValue().prefault("").describe("Taint value, with label value syntax; may be empty."),
  effect: z.enum(TAINT_EFFECTS).describe("NoSchedule, PreferNoSchedule or NoExecute."),
});

export const amiSchema = z.strictObject({
  family: z
    .enum(["al2023", "al2", "bottlerocket"])
    .default("al2023")
    .describe(
      "al2023: nodeadm NodeConfig. al2: bootstrap.sh (EKS publishes AL2 AMIs up to Kubernetes 1.32). " +
        "bottlerocket: TOML settings; racks of extended and instance-store local clusters only. See the version table in docs/cluster.md.",
    ),
  architecture: z
    .enum(["x86_64", "arm64"])
    .optional()
    .describe("CPU architecture of the AMI; must be the instance type's. Default: the instance type's (arm64 for Graviton types such as c6gd), checked at plan time."),
  id: z
    .string()
    .regex(AMI_ID_PATTERN, "must be an AMI ID such as ami-0123456789abcdef0")
    .optional()
    .describe("An explicit AMI. Default: the EKS-optimized AMI from its public SSM parameter."),
  release: z
    .string()
    .regex(/^(v\d{8}|\d+\.\d+\.\d+)$/, "must be an AMI release: v20251103 (AL2023, AL2) or 1.49.0 (Bottlerocket)")
    .optional()
    .describe(
      "Pin an EKS-optimized AMI release, resolved through its SSM release path. Default: workers.amiRelease, else 'recommended' " +
        "(the newest release: any plan after AWS publishes one changes the launch template and rolls the nodes).",
    ),
});

export const rootVolumeSchema = z.strictObject({
  sizeGiB: z.int().min(20).max(16384).prefault(50).describe("Root volume size in GiB."),
  type: z.string().default("gp2").describe("EBS volume type. Outposts racks offer gp2 only."),
});

export const lniAddressingSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("dhcp") }).describe("eth1 takes its address from the site network's DHCP server."),
  z
    .strictObject({
      mode: z.literal("static"),
      addresses: z
        .array(z.string())
        .min(1)
        .describe("Site-network addresses with prefix length, e.g. 192.168.10.21/24; each node claims a free one (duplicate address detection)."),
      gateway: z.string().optional().describe("Site-network gateway for the routes below."),
      routes: z.array(z.string()).default([]).describe("Site-network CIDRs routed through eth1."),
    })
    .describe("eth1 takes the first free address of a list."),
]);

export const nodeGroupSchema = z.strictObject({
  name: dnsName().describe("DNS-safe name, unique in the blueprint."),
  outpost: z.string().describe("Name of the Outpost (outposts[].name) the group runs on."),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m5.xlarge"),
  minSize: z.int().min(0).prefault(1),
  maxSize: z.int().min(1).prefault(3),
  desiredSize: z.int().min(0).optional().describe("Defaults to minSize."),
  spareNodes: z
    .int()
    .min(0)
    .prefault(0)
    .describe("Nodes added to min, desired and max, kept running as headroom: an ASG cannot launch while the Outpost is disconnected (seed 004)."),
  ami: amiSchema.prefault({}),
  kubernetesVersion: z
    .string()
    .optional()
    .describe("The nodes' Kubernetes minor version. Default: the cluster's. Never ahead of the control plane, at most 3 minors behind."),
  rollout: z
    .strictObject({
      minHealthyPercentage: z
        .int()
        .min(0)
        .max(100)
        .optional()
        .describe(
          "Instance refresh: capacity kept healthy, % of desired. Default: one node at a time, terminated first (the largest % below 100 that keeps all but one). " +
            "100 launches each replacement first, which needs a free slot (spareNodes or nodeSlots).",
        ),
      maxSurge: z
        .int()
        .min(0)
        .prefault(0)
        .describe("Nodes launched beyond the desired count during a refresh; only where spareNodes or the Outpost's declared nodeSlots cover it."),
      instanceWarmupSeconds: z.int().min(0).max(3600).prefault(300).describe("Seconds a new node gets to join and turn Ready before the next batch."),
    })
    .prefault({})
    .describe("How a new AMI or Kubernetes version rolls through the group (ASG instance refresh)."),
  rootVolume: rootVolumeSchema.optional().describe("Racks only (default 50 GiB gp2, encrypted). Servers have no EBS."),
  metadataHopLimit: z
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "IMDSv2 hop limit. Default: 2 on the groups that run the add-on controllers of an EBS-backed local cluster (they use the instance profile), else 1. " +
        "A higher value lets every pod on the group use the node role (a synth warning says so).",
    ),
  addonControllers: z
    .boolean()
    .optional()
    .describe(
      "EBS-backed local clusters: run the add-on controllers that call AWS (Load Balancer Controller, EBS CSI controller, Node Termination Handler) " +
        "on this group, the only groups whose pods reach the instance profile (hop limit 2). Default: the first node group.",
    ),
  lni: lniAddressingSchema.optional().describe("Servers with LNI only: how eth1 gets its site-network address. Default: dhcp."),
  labels: z
    .record(labelKey(), labelValue())
    .default({})
    .describe("Node labels. Keys in the kubernetes.io and k8s.io namespaces only where the kubelet allows them (see docs/blueprint.md)."),
  taints: z.array(taintSchema).default([]).describe("Taints the nodes register with (kubelet --register-with-taints)."),
  additionalSecurityGroupIds: z
    .array(z.string().regex(/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/, "must be a security group ID such as sg-0123456789abcdef0"))
    .default([])
    .describe("Security groups the nodes join besides the blueprint's own (their rules should be CIDR-based across Outposts)."),
});

export const workersSchema = z.strictObject({
  allowAllNodeTraffic: z
    .boolean()
    .default(true)
    .describe("Allow all traffic between nodes on every Outpost subnet. false leaves DNS, kubelet and webhooks only."),
  egressCidrs: z.array(cidr).default(["0.0.0.0/0"]).describe("Destinations nodes may reach. Default: anywhere."),
  extraNodePolicyArns: z
    .array(z.string())
    .default([])
    .describe("More IAM policies for the node role."),
  amiRelease: z
    .string()
    .regex(/^(v\d{8}|\d+\.\d+\.\d+)$/, "must be an AMI release: v20251103 (AL2023, AL2) or 1.49.0 (Bottlerocket)")
    .optional()
    .describe("The AMI release every node group pins unless it names its own (ami.release). Default: recommended."),
  placementSpreadLevel: z
    .enum(["host", "rack", "none"])
    .default("host")
    .describe(
      "Spread level of each rack's node placement group. A spread group holds at most one node per host (or rack): " +
        "choose none when an Outpost's nodes outnumber its hosts. Servers (one host) never get one.",
    ),
});

export const clusterAuthSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("token") }).describe("A token from data.aws_eks_cluster_auth; works in Terraform Cloud without an aws CLI."),
  z
    .strictObject({ mode: z.literal("exec"), awsProfile: z.string().optional() })
    .describe("aws eks get-token at plan and apply time (needs the aws CLI)."),
  z
    .strictObject({
      mode: z.literal("certificate"),
      clientCertificateFile: z.string().min(1).describe("PEM client certificate, such as the break-glass one, relative to the stack directory."),
      clientKeyFile: z.string().min(1).describe("PEM private key of that certificate."),
    })
    .describe("An x.509 client certificate: reaches a local cluster while IAM is unreachable."),
]);

export const addonsSchema = z.strictObject({
  clusterAuth: clusterAuthSchema.prefault({ mode: "token" }).describe("How the Kubernetes and Helm providers authenticate."),
  loadBalancerController: z
    .strictObject({
      enabled: z.boolean().default(true).describe("Install the AWS Load Balancer Controller (racks only)."),
      replicas: z.int().min(1).max(10).prefault(2),
      values: z.record(z.string(), z.unknown()).default({}).describe("Chart values merged over the blueprint's own (Helm's second values file); values the blueprint decides are refused."),
    })
    .prefault({}),
  nodeTerminationHandler: z
    .strictObject({ enabled: z.boolean().default(true), replicas: z.int().min(1).max(10).prefault(2), values: z.record(z.string(), z.unknown()).default({}).describe("Chart values merged over the blueprint's own (Helm's second values file); values the blueprint decides are refused.") })
    .prefault({}),
  storage: z
    .strictObject({
      enabled: z.boolean().default(true).describe("The EBS CSI driver and a default gp2 StorageClass (racks only)."),
      storageClassName: dnsName()
        .prefault("gp2-encrypted")
        .describe("Name of the default StorageClass. Not gp2: EKS creates a class of that name on clusters created before Kubernetes 1.30."),
      ebsCsiChartVersion: z.string().default(EBS_CSI_CHART_VERSION).describe("aws-ebs-csi-driver chart version, for local clusters."),
      values: z.record(z.string(), z.unknown()).default({}).describe("EBS CSI chart values (local clusters, where the chart is installed) merged over the blueprint's own (Helm's second values file); values the blueprint decides are refused."),
    })
    .prefault({}),
  vpcCni: z
    .strictObject({
      warmEniTarget: z.int().min(0).optional().describe("WARM_ENI_TARGET."),
      warmIpTarget: z.int().min(0).optional().describe("WARM_IP_TARGET: spare IPs per node, ready while disconnected."),
      minimumIpTarget: z.int().min(0).optional().describe("MINIMUM_IP_TARGET."),
      mtu: z.int().min(576).max(9001).optional().describe("AWS_VPC_ENI_MTU; 1300 for traffic between an Outpost and the Region."),
    })
    .prefault({}),
  coreDns: z.strictObject({ replicas: z.int().min(1).max(10).prefault(2) }).prefault({}),
  images: z
    .strictObject({
      source: z
        .enum(["regional", "privateRepositories", "pullThroughCache", "mirror", "upstream"])
        .optional()
        .describe(
          "Where add-on images come from. regional (default): AWS's regional EKS registry where AWS publishes the image; for the rest, " +
            "private ECR repositories under private egress (copied once: npx outposts-eks images copy --config <blueprint>), the upstream registry with NAT egress. " +
            "privateRepositories: every image from private ECR repositories. pullThroughCache: ECR pull-through cache rules " +
            "(NAT egress, or warmUp: true). mirror: a registry you run (mirror.host). upstream: as published (NAT egress only).",
        ),
      repositoryPrefix: z
        .string()
        .regex(ECR_NAME_PART_PATTERN, "must be an ECR repository name part: lowercase letters and digits, separated by . _ or -")
        .max(30)
        .optional()
        .describe("Private repositories are named <repositoryPrefix>/<upstream repository>. Default: the blueprint name."),
      pullThroughCache: z
        .strictObject({
          prefix: z
            .string()
            .regex(ECR_NAME_PART_PATTERN, "must be an ECR repository prefix: lowercase letters and digits, separated by . _ or -")
            .min(2)
            .max(30)
            .prefault("ecr-public")
            .describe("The cache rule's ECR repository prefix for ECR Public."),
          createRule: z.boolean().default(true).describe("Create the cache rule; false when the account already has one with this prefix."),
          warmUp: z
            .boolean()
            .default(false)
            .describe("Without NAT egress: you pull every image once from a host with internet access (npx outposts-eks images warm --config <blueprint>) before the addons stack."),
        })
        .prefault({}),
      mirror: z
        .strictObject({
          host: z.string().describe("The mirror registry's host, with an optional port: registry.example.internal:5000. No scheme, no path."),
          pathPrefix: z
            .string()
            .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, "must be a repository path such as ecr-public or mirrors/aws")
            .optional()
            .describe("Path under which the mirror serves public.ecr.aws, the add-ons' upstream: <host>/<pathPrefix>/<repository>."),
          registries: z
            .array(
              z.strictObject({
                upstream: z.string().describe("A registry host that workloads pull from, such as docker.io or quay.io."),
                pathPrefix: z
                  .string()
                  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, "must be a repository path such as dockerhub")
                  .optional()
                  .describe("Path under which the mirror serves this registry."),
              }),
            )
            .default([])
            .describe("Registries whose pulls nodes send to the mirror (containerd hosts.toml), for workload images."),
        })
        .optional()
        .describe("source 'mirror' only: the registry you run on premises, reachable while the Outpost is disconnected."),
    })
    .prefault({})
    .describe("Container images of the add-ons' charts."),
  breakGlass: z
    .strictObject({
      enabled: z.boolean().optional().describe("x.509 break-glass admin. Default: on for local clusters; local clusters only."),
      userName: z.string().regex(/^[a-z0-9][a-z0-9:.-]*$/, "must be a Kubernetes user name such as outposts-eks-break-glass").prefault("outposts-eks-break-glass"),
      validityDays: z
        .int()
        .min(1)
        .max(365, "must be at most 365: the signer caps a certificate's lifetime at kube-controller-manager's --cluster-signing-duration (1 year by default)")
        .prefault(365)
        .describe("Lifetime of the break-glass client certificate in days. Each plan warns within 30 days of its expiry; see docs/cluster.md to rotate."),
    })
    .prefault({}),
});

// ---------------------------------------------------------------------------------------------
// Blueprint
// ---------------------------------------------------------------------------------------------

export const blueprintSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path to docs/blueprint.schema.json, for editors."),
    name: dnsName().describe("Blueprint and EKS cluster name. DNS-safe; short enough for every derived IAM name."),
    region: z.string().regex(REGION_PATTERN, "must be an AWS Region name such as us-west-2"),
    distribution: z
      .enum(["eks", "openshift", "hypershift"])
      .default("eks")
      .describe(
        "eks: the four stacks of an EKS cluster. openshift and hypershift: the network stack only, for the OpenShift installer (workers on the Outposts, " +
          "control plane in the Region) or for a HyperShift hosted cluster's account (docs/openshift-and-hypershift.md). Their rules skip every EKS section.",
      ),
    variant: z
      .enum(["extended", "local"])
      .describe("extended: control plane in the Region, workers on Outposts. local: control plane on one Outpost rack."),
    kubernetesVersion: z
      .string()
      .regex(KUBERNETES_VERSION_PATTERN, "must be a Kubernetes minor version such as \"1.33\" (quote it in YAML)"),
    tags: tags.describe("Tags added to every AWS resource (provider default_tags)."),
    backend: backendSchema,
    network: networkSchema,
    dns: dnsSchema,
    outposts: z
      .array(outpostSchema)
      .min(1, "at least one Outpost is required")
      .max(
        MAX_OUTPOSTS,
        `has more than ${MAX_OUTPOSTS} Outposts: racks route to each other in a full mesh (n × n routes), which a route table of 50 routes by default cannot hold; split the blueprint`,
      ),
    controlPlane: controlPlaneSchema.prefault({}),
    // An empty default, and the at-least-one check is a rule (rules/distribution.ts), never skipped:
    // zod 4's .default returns [] unparsed, so a .min(1) here would pass it unseen; the rule reads
    // the list with defaults applied and requires one group for distribution eks only.
    nodeGroups: z.array(nodeGroupSchema).default([]).describe("The EKS node groups; at least one with distribution eks, none otherwise."),
    openshift: z
      .strictObject({
        computeInstanceType: z
          .string()
          .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type such as m5.xlarge")
          .describe("An instance type the Outpost offers, for the compute MachineSet on the Outpost (npx outposts-eks openshift-fragments --config <blueprint>)."),
      })
      .optional()
      .describe("distribution openshift only: what the install-config and MachineSet fragments need beyond the network."),
    hypershift: z
      .strictObject({
        baseDomain: domainName().describe("The hosted cluster's base domain; the private zone is <baseDomainPrefix or name>.<baseDomain>."),
        baseDomainPrefix: dnsName().optional().describe("The zone's first label (hypershift --base-domain-prefix). Default: the blueprint name."),
        infraId: dnsName().optional().describe("The infra ID the hosted cluster's resources are tagged with (hypershift --infra-id). Default: the blueprint name."),
      })
      .optional()
      .describe("distribution hypershift only: the hosted cluster's DNS and infra ID (hypershift create infra aws)."),
    workers: workersSchema.prefault({}),
    addons: addonsSchema.prefault({}),
    quotas: quotasSchema,
    monitoring: z
      .strictObject({
        disconnectAlarms: z.boolean().default(true).describe("A CloudWatch alarm per Outpost on its service link (AWS/Outposts ConnectedStatus)."),
        alarmTopicArn: z
          .string()
          .optional()
          .describe(
            "Send the alarms to this existing topic, left as it is: if encrypted, its key must be customer managed and let cloudwatch.amazonaws.com " +
              "use kms:Decrypt and kms:GenerateDataKey*. Default: a topic the network stack creates, with such a key.",
          ),
        evaluationMinutes: z.int().min(1).max(60).prefault(5).describe("Minutes of a missing or impaired service link before the alarm fires."),
        // Issue 30: who hears of the alarms.
        notify: z
          .strictObject({
            emails: z.array(z.email()).default([]).describe("Email addresses subscribed to the alarm topic (each confirms from SNS's message)."),
            httpsEndpoints: z
              .array(z.url({ protocol: /^https$/ }))
              .default([])
              .describe("HTTPS endpoints subscribed to the alarm topic (each confirms SNS's SubscribeURL)."),
            topicArns: z
              .array(z.string().regex(/^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, "must be an SNS topic ARN"))
              .default([])
              .describe("Existing topics the alarms also publish to, such as a chat integration's; their policies must admit cloudwatch.amazonaws.com."),
          })
          .prefault({})
          .describe("Who hears of the alarms. With alarms on and nobody here (and no alarmTopicArn), synth warns."),
      })
      .prefault({})
      .describe("Disconnect monitoring (seed 004)."),
    iam: z
      .strictObject({
        permissionsBoundary: z
          .string()
          .optional()
          .describe("A managed policy that bounds every IAM role the blueprint creates."),
        path: z
          .string()
          .regex(/^\/([\x21-\x7e]+\/)?$/, "must be an IAM path such as /platform/ (starts and ends with /)")
          .max(512)
          .prefault("/")
          .describe("The IAM path of every role the blueprint creates."),
      })
      .prefault({})
      .describe("What every IAM role the blueprint creates carries."),
  })
  .describe("One outposts-eks blueprint: EKS on AWS Outposts.");

/** The blueprint file as written (defaults not yet applied). */
export type BlueprintInput = z.input<typeof blueprintSchema>;
/** The validated blueprint, defaults applied. */
export type Blueprint = z.output<typeof blueprintSchema>;
export type Backend = Blueprint["backend"];
export type CloudBackend = Extract<Backend, { type: "cloud" }>;
export type HcpWorkspacesConfig = NonNullable<CloudBackend["workspaces"]>;
export type Outpost = Blueprint["outposts"][number];
export type RackOutpost = Extract<Outpost, { formFactor: "rack" }>;
export type ServerOutpost = Extract<Outpost, { formFactor: "server" }>;
export type NodeGroup = Blueprint["nodeGroups"][number];
export type ControlPlane = Blueprint["controlPlane"];
export type Workers = Blueprint["workers"];
export type Addons = Blueprint["addons"];
export type LocalControlPlane = NonNullable<ControlPlane["local"]>;
