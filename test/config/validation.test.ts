/**
 * The bad-input suite: one case per rule. Each case breaks a valid example in one way and expects
 * the error to name the field path, show the value, and say what would be valid.
 */
import { validateBlueprint } from "../../config";
import { withOutposts } from "../helpers/large-blueprints";
import { broken, Case, problemsOf, Raw } from "../helpers/problems";
import { EXAMPLES, rawExample } from "../helpers/synth";


const racks = "extended-racks.yaml";
const server = "extended-servers-lni.yaml";
const local = "local-cluster.yaml";
const existing = "existing-vpc.yaml";
const openshift = "openshift-outposts.yaml";
const hypershift = "hypershift-outposts.yaml";

const cases: Case[] = [
  // --- shape --------------------------------------------------------------------------------
  { rule: "name is required", example: racks, change: (r) => delete r.name, path: "name", message: /is required/ },
  { rule: "unknown fields are rejected", example: racks, change: (r) => (r.netwrok = {}), path: "netwrok", message: /not a field here/ },
  { rule: "variant is extended or local", example: racks, change: (r) => (r.variant = "hybrid"), path: "variant", message: /"extended", "local"/ },
  { rule: "region is a Region name", example: racks, change: (r) => (r.region = "US West"), path: "region", message: /AWS Region name/ },
  { rule: "Kubernetes version is a minor version string", example: racks, change: (r) => (r.kubernetesVersion = 1.3), path: "kubernetesVersion", message: /is the number 1.3, but a string is expected: quote it \("1.3"; YAML reads 1.30 as the number 1.3\)/ },
  { rule: "egress is private or nat", example: racks, change: (r) => (r.network.egress = "public"), path: "network.egress", message: /"private", "nat"/ },
  { rule: "form factor is rack or server", example: racks, change: (r) => (r.outposts[0].formFactor = "tower"), path: "outposts[0].formFactor", message: /must be one of/ },
  { rule: "backend type is known", example: racks, change: (r) => (r.backend = { type: "gcs" }), path: "backend.type", message: /must be one of/ },
  { rule: "S3 backend needs a bucket", example: existing, change: (r) => delete r.backend.bucket, path: "backend.bucket", message: /is required/ },
  { rule: "at least one Outpost", example: racks, change: (r) => ((r.outposts = []), (r.nodeGroups = [])), path: "outposts", message: /at least one Outpost/ },
  // --- names --------------------------------------------------------------------------------
  { rule: "name is DNS-safe", example: racks, change: (r) => (r.name = "Edge_Racks"), path: "name", message: /DNS-safe/ },
  { rule: "Outpost names are DNS-safe", example: racks, change: (r) => (r.outposts[0].name = "Rack A"), path: "outposts[0].name", message: /DNS-safe/ },
  { rule: "node group names are DNS-safe", example: racks, change: (r) => (r.nodeGroups[0].name = "-general"), path: "nodeGroups[0].name", message: /DNS-safe/ },
  {
    rule: "Outpost names are unique",
    example: racks,
    change: (r) => (r.outposts[1].name = "rack-a"),
    path: "outposts[1].name",
    message: /repeats Outpost name 'rack-a'/,
  },
  {
    rule: "node group names are unique",
    example: racks,
    change: (r) => (r.nodeGroups[1].name = "rack-a-general"),
    path: "nodeGroups[1].name",
    message: /repeats node group name/,
  },
  {
    rule: "derived IAM role names fit in 64 characters",
    example: racks,
    change: (r) => (r.name = "a".repeat(40)),
    path: "name",
    message: /IAM role name '.*-aws-load-balancer-controller' would be 69 characters.*at most 35/,
  },
  {
    rule: "names are at most one DNS label",
    example: racks,
    change: (r) => (r.outposts[0].name = "r".repeat(64)),
    path: "outposts[0].name",
    message: /at most 63 characters/,
  },
  // --- CIDRs --------------------------------------------------------------------------------
  { rule: "a CIDR is an IPv4 CIDR", example: racks, change: (r) => (r.network.vpc.cidr = "10.0.0.0"), path: "network.vpc.cidr", message: /not an IPv4 CIDR/ },
  { rule: "a CIDR has octets up to 255", example: racks, change: (r) => (r.outposts[0].subnet.cidr = "10.0.300.0/24"), path: "outposts[0].subnet.cidr", message: /octet above 255/ },
  {
    rule: "a CIDR is in network-address form",
    example: racks,
    change: (r) => (r.network.regionalSubnets[0].cidr = "10.0.1.7/24"),
    path: "network.regionalSubnets[0].cidr",
    message: /host bits set; the network address is 10\.0\.1\.0\/24/,
  },
  { rule: "a VPC CIDR is /16 to /28", example: racks, change: (r) => (r.network.vpc.cidr = "10.0.0.0/8"), path: "network.vpc.cidr", message: /\/16 to \/28/ },
  {
    rule: "subnets lie inside the VPC",
    example: racks,
    change: (r) => (r.outposts[1].subnet.cidr = "10.1.4.0/24"),
    path: "outposts[1].subnet.cidr",
    message: /outside the VPC CIDR 10\.0\.0\.0\/16/,
  },
  {
    rule: "subnets do not overlap",
    example: racks,
    change: (r) => (r.outposts[1].subnet.cidr = "10.0.3.128/25"),
    path: "outposts[1].subnet.cidr",
    message: /overlaps the subnet of Outpost 'rack-a' \(10\.0\.3\.0\/24\)/,
  },
  {
    rule: "on-premises CIDRs lie outside the VPC",
    example: racks,
    change: (r) => (r.outposts[0].onPremCidrs = ["10.0.128.0/17"]),
    path: "outposts[0].onPremCidrs[0]",
    message: /overlaps the VPC CIDR/,
  },
  {
    rule: "public access CIDRs are CIDRs",
    example: racks,
    change: (r) => (r.controlPlane = { publicAccessCidrs: ["203.0.113.0"] }),
    path: "controlPlane.publicAccessCidrs[0]",
    message: /not an IPv4 CIDR/,
  },
  // --- Availability Zones -------------------------------------------------------------------
  {
    rule: "AZs belong to the region",
    example: racks,
    change: (r) => (r.outposts[0].availabilityZone = "us-east-1a"),
    path: "outposts[0].availabilityZone",
    message: /not an Availability Zone of region us-west-2/,
  },
  {
    rule: "regional subnets span at least two AZs",
    example: local,
    change: (r) => (r.network.regionalSubnets = [r.network.regionalSubnets[0]]),
    path: "network.regionalSubnets",
    message: /spans 1 Availability Zone\(s\); give regional private subnets in at least 2/,
  },
  {
    rule: "one regional subnet per AZ",
    example: racks,
    change: (r) => (r.network.regionalSubnets[1].availabilityZone = "us-west-2a"),
    path: "network.regionalSubnets[1].availabilityZone",
    message: /one regional subnet per Availability Zone/,
  },
  // --- Outposts -----------------------------------------------------------------------------
  {
    rule: "Outpost ARN is well-formed",
    example: racks,
    change: (r) => (r.outposts[0].arn = "arn:aws:outposts:us-west-2:111122223333:op-0a1b2c3d4e5f60718"),
    path: "outposts[0].arn",
    message: /names no Outpost: expected outpost\/op-<17 hex digits>/,
  },
  {
    rule: "Outpost ARN is in the configured region",
    example: racks,
    change: (r) => (r.outposts[0].arn = r.outposts[0].arn.replace("us-west-2", "us-east-1")),
    path: "outposts[0].arn",
    message: /is in Region us-east-1, but it is used in us-west-2: an Outpost works only in its own Region/,
  },
  // --- DNS: config/dns.ts --------------------------------------------------------------------
  {
    rule: "dns: a mirror given by a name nothing resolves",
    example: racks,
    change: (r) => (r.addons.images = { source: "mirror", mirror: { host: "registry.site.internal:5000" } }),
    path: "addons.images.mirror.host",
    message: /names registry\.site\.internal, which the VPC resolver cannot answer .*declare its domain in dns\.onPremDomains/,
  },
  {
    rule: "dns: a forwarded domain overlapping the VPC's own names",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "us-west-2.compute.internal", servers: ["192.168.0.53"] }] }),
    path: "dns.onPremDomains[0].domain",
    message: /overlaps compute\.internal, which the VPC answers itself/,
  },
  {
    rule: "dns: a forwarded domain overlapping a private hosted zone",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "example.internal", servers: ["192.168.0.53"] }], privateHostedZones: [{ name: "apps.example.internal" }] }),
    path: "dns.onPremDomains[0].domain",
    message: /overlaps apps\.example\.internal/,
  },
  {
    rule: "dns: a server inside the VPC that no subnet holds",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["10.0.200.53"] }] }),
    path: "dns.onPremDomains[0].servers[0]",
    message: /lies in the VPC \(10\.0\.0\.0\/16\) but in none of the blueprint's subnets/,
  },
  {
    rule: "dns: forwarding to the VPC resolver loops",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["10.0.0.2"] }] }),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is the VPC resolver \(10\.0\.0\.2\): forwarding to it loops/,
  },
  {
    rule: "dns: a server given by name",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["ns1.site.example.internal"] }] }),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is not an IPv4 address/,
  },
  {
    rule: "dns: a Resolver endpoint in the Region, which an Outpost's local gateway does not reach",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["192.168.0.53"] }], forwarding: "resolverEndpoint" }),
    path: "dns.forwarding",
    message: /is resolverEndpoint, whose addresses are in the regional subnets, but dns\.serversReachableFromRegion is not true/,
  },
  {
    rule: "dns: DHCP options replace the VPC resolver for every name",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["192.168.0.53"] }], forwarding: "dhcpOptions" }),
    path: "dns.forwarding",
    message: /is dhcpOptions, which replaces the VPC resolver for every name, but dns\.serversAnswerAwsNames is not true/,
  },
  {
    rule: "dns: nodes forward with systemd-resolved, which only AL2023 runs",
    example: racks,
    change: (r) => {
      r.kubernetesVersion = "1.32";
      r.nodeGroups[0].ami = { family: "al2" };
      r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["192.168.0.53"] }] };
    },
    path: "nodeGroups[0].ami.family",
    message: /is al2, but dns\.forwarding nodes routes the on-premises domains with systemd-resolved/,
  },
  {
    rule: "dns: nodes reach the servers over a rack's local gateway",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["172.31.0.53"] }] }),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is out of reach of node group 'rack-a-general' on Outpost 'rack-a': it lies in none of the rack's outposts\[\]\.onPremCidrs/,
  },
  {
    rule: "dns: a server out of reach of several node groups names every one of them, once",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["172.31.0.53"] }] }),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is out of reach of node group 'rack-a-general' on Outpost 'rack-a': .*; and of node group 'rack-b-general' on Outpost 'rack-b': it lies in none of the rack's outposts\[\]\.onPremCidrs/,
  },
  {
    rule: "dns: nodes on a server reach the servers through the LNI's routes",
    example: "extended-servers-lni.yaml",
    change: (r) => (r.outposts[0].onPremCidrs = ["10.99.0.0/16"]),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is out of reach of node group 'server-1-workers' on Outpost 'server-1': the LNI routes it nowhere: add its network to the server's outposts\[\]\.onPremCidrs/,
  },
  {
    rule: "outposts: a server reaches on-premises networks only through an LNI",
    example: "extended-servers-lni.yaml",
    change: (r) => {
      delete r.outposts[0].lniDeviceIndex;
      r.dns = {};
      r.addons = {};
    },
    path: "outposts[0].onPremCidrs",
    message: /needs a local network interface \(lniDeviceIndex\)/,
  },
  {
    rule: "node groups: a static LNI needs a gateway for the server's onPremCidrs",
    example: "extended-servers-lni.yaml",
    change: (r) => (r.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.20.21/24", "192.168.20.22/24"] }),
    path: "nodeGroups[0].lni.gateway",
    message: /is missing: Outpost 'server-1' routes its onPremCidrs out of the LNI/,
  },
  {
    rule: "dns: nodes send every domain to the same servers",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "a.example.internal", servers: ["192.168.0.53"] }, { domain: "b.example.internal", servers: ["192.168.0.54"] }] }),
    path: "dns.onPremDomains[1].servers",
    message: /differ from dns\.onPremDomains\[0\]'s/,
  },
  {
    rule: "dns: forwarding to the VPC resolver's link-local address loops",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["169.254.169.253"] }] }),
    path: "dns.onPremDomains[0].servers[0]",
    message: /is the VPC resolver \(169\.254\.169\.253\)/,
  },
  {
    rule: "dns: DHCP options on an adopted VPC",
    example: "existing-vpc.yaml",
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["192.168.0.53"] }], forwarding: "dhcpOptions" }),
    path: "dns.forwarding",
    message: /the VPC exists: the blueprint does not replace an adopted VPC's DHCP options/,
  },
  {
    rule: "dns: DHCP options take at most four servers",
    example: racks,
    change: (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["192.168.0.1", "192.168.0.2", "192.168.0.3", "192.168.0.4", "192.168.0.5"] }], forwarding: "dhcpOptions" }),
    path: "dns.onPremDomains",
    message: /name 5 distinct servers; DHCP options take at most 4/,
  },
  // --- ARNs: one model (config/arns.ts) for every ARN field -----------------------------------
  {
    rule: "ARN partition matches the Region's: an Outpost in aws-us-gov for us-west-2",
    example: racks,
    change: (r) => (r.outposts[0].arn = r.outposts[0].arn.replace("arn:aws:", "arn:aws-us-gov:")),
    path: "outposts[0].arn",
    message: /is in partition 'aws-us-gov', but Region us-west-2 is in 'aws'/,
  },
  {
    rule: "ARNs: an admin principal given as an STS assumed-role session",
    example: racks,
    change: (r) => (r.controlPlane.adminPrincipalArns = ["arn:aws:sts::111122223333:assumed-role/platform-admin/jane"]),
    path: "controlPlane.adminPrincipalArns[0]",
    message: /is an STS assumed-role session, not a role; give the role's ARN, arn:aws:iam::111122223333:role\/platform-admin/,
  },
  {
    rule: "ARNs: a role field given a user",
    example: racks,
    change: (r) => (r.backend = { type: "s3", bucket: "my-state", region: "us-west-2", assumeRole: { roleArn: "arn:aws:iam::111122223333:user/terraform" } }),
    path: "backend.assumeRole.roleArn",
    message: /names an IAM user; a role is needed here/,
  },
  {
    rule: "ARNs: an IAM ARN with a Region",
    example: racks,
    change: (r) => (r.workers = { extraNodePolicyArns: ["arn:aws:iam:us-west-2:111122223333:policy/extra"] }),
    path: "workers.extraNodePolicyArns[0]",
    message: /names the Region 'us-west-2', but IAM ARNs have none/,
  },
  {
    rule: "ARNs: a managed policy ARN with a short account",
    example: racks,
    change: (r) => (r.iam = { permissionsBoundary: "arn:aws:iam::1111:policy/boundary" }),
    path: "iam.permissionsBoundary",
    message: /has the account '1111'; account IDs are 12 digits \(or aws, for AWS managed policies\)/,
  },
  {
    rule: "ARNs: an IAM role name over 64 characters",
    example: racks,
    change: (r) => (r.backend = { type: "s3", bucket: "my-state", region: "us-west-2", assumeRole: { roleArn: `arn:aws:iam::111122223333:role/${"r".repeat(65)}` } }),
    path: "backend.assumeRole.roleArn",
    message: /names a role of 65 characters; IAM allows 64/,
  },
  {
    rule: "ARNs: the secrets key in another Region than the cluster",
    example: racks,
    change: (r) => (r.controlPlane.secretsKmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    path: "controlPlane.secretsKmsKeyArn",
    message: /is in Region us-east-1, but it is used in us-west-2: a KMS key or alias works only in its own Region/,
  },
  {
    rule: "ARNs: the secrets key as an AWS managed alias",
    example: racks,
    change: (r) => (r.controlPlane.secretsKmsKeyArn = "arn:aws:kms:us-west-2:111122223333:alias/aws/eks"),
    path: "controlPlane.secretsKmsKeyArn",
    message: /names an AWS managed key \(alias\/aws\/\.\.\.\)/,
  },
  {
    rule: "ARNs: the state key in the bucket's Region, not the blueprint's",
    example: racks,
    change: (r) => (r.backend = { type: "s3", bucket: "my-state", region: "eu-west-1", kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }),
    path: "backend.kmsKeyId",
    message: /is in Region us-west-2, but it is used in eu-west-1/,
  },
  {
    rule: "ARNs: the alarm topic is a standard topic of the blueprint's Region",
    example: racks,
    change: (r) => (r.monitoring = { alarmTopicArn: "arn:aws:sns:us-west-2:111122223333:alarms.fifo" }),
    path: "monitoring.alarmTopicArn",
    message: /names a FIFO topic; CloudWatch alarms publish to standard topics only/,
  },
  {
    rule: "ARNs: an S3 bucket ARN with an account",
    example: racks,
    change: (r) => (r.network.flowLogs = { enabled: true, destination: "s3", s3BucketArn: "arn:aws:s3::111122223333:my-flow-logs" }),
    path: "network.flowLogs.s3BucketArn",
    message: /names the account '111122223333', but S3 bucket ARNs have none/,
  },
  {
    rule: "ARNs: a text that is no ARN",
    example: racks,
    change: (r) => (r.monitoring = { alarmTopicArn: "outpost-alarms" }),
    path: "monitoring.alarmTopicArn",
    message: /is not an ARN; expected an SNS topic ARN such as arn:aws:sns:us-west-2:111122223333:outpost-alarms/,
  },
  {
    rule: "Outpost ARNs are unique",
    example: racks,
    change: (r) => (r.outposts[1].arn = r.outposts[0].arn),
    path: "outposts[1].arn",
    message: /repeats Outpost ARN/,
  },
  {
    rule: "each rack has its own LGW route table",
    example: racks,
    change: (r) => (r.outposts[1].localGatewayRouteTableId = r.outposts[0].localGatewayRouteTableId),
    path: "outposts[1].localGatewayRouteTableId",
    message: /each rack has its own local gateway/,
  },
  {
    rule: "a rack needs its LGW route table",
    example: racks,
    change: (r) => delete r.outposts[0].localGatewayRouteTableId,
    path: "outposts[0].localGatewayRouteTableId",
    message: /is required/,
  },
  {
    rule: "LGW route table IDs are well-formed",
    example: racks,
    change: (r) => (r.outposts[0].localGatewayRouteTableId = "rtb-0123"),
    path: "outposts[0].localGatewayRouteTableId",
    message: /lgw-rtb-0123456789abcdef0/,
  },
  {
    rule: "CoIP pool IDs are well-formed",
    example: racks,
    change: (r) => (r.outposts[0].coip = { poolId: "coip-1" }),
    path: "outposts[0].coip.poolId",
    message: /ipv4pool-coip-/,
  },
  {
    rule: "rack-only fields are rejected on servers",
    example: server,
    change: (r) => (r.outposts[0].localGatewayRouteTableId = "lgw-rtb-0123456789abcdef0"),
    path: "outposts[0].localGatewayRouteTableId",
    message: /only valid for formFactor 'rack'; this Outpost is a server/,
  },
  {
    rule: "CoIP is rejected on servers",
    example: server,
    change: (r) => (r.outposts[0].coip = { poolId: "ipv4pool-coip-0123456789abcdef0" }),
    path: "outposts[0].coip",
    message: /only valid for formFactor 'rack'/,
  },
  {
    rule: "server-only fields are rejected on racks",
    example: racks,
    change: (r) => (r.outposts[0].lniDeviceIndex = 1),
    path: "outposts[0].lniDeviceIndex",
    message: /only valid for formFactor 'server'; this Outpost is a rack/,
  },
  {
    rule: "the LNI is never eth0",
    example: server,
    change: (r) => (r.outposts[0].lniDeviceIndex = 0),
    path: "outposts[0].lniDeviceIndex",
    message: /eth0 can never be the local network interface/,
  },
  // --- variant ------------------------------------------------------------------------------
  {
    rule: "a local cluster has exactly one Outpost",
    example: racks,
    change: (r) => (r.variant = "local"),
    path: "outposts",
    message: /has 2 Outposts; a local cluster runs on exactly one Outpost/,
  },
  {
    rule: "a local cluster's Outpost is a rack",
    example: server,
    change: (r) => (r.variant = "local"),
    path: "outposts[0].formFactor",
    message: /must be 'rack' for a local cluster/,
  },
  {
    rule: "a private local cluster has a regional subnet in the Outpost's parent AZ",
    example: local,
    change: (r) => (r.network.regionalSubnets[0].availabilityZone = "us-west-2c"),
    path: "network.regionalSubnets",
    message: /no subnet in us-west-2a, the Outpost's parent AZ/,
  },
  // --- existing VPC, egress -----------------------------------------------------------------
  {
    rule: "an existing VPC needs existing regional subnet IDs",
    example: existing,
    change: (r) => delete r.network.regionalSubnets[0].id,
    path: "network.regionalSubnets[0].id",
    message: /required with an existing VPC/,
  },
  {
    rule: "a new VPC takes no regional subnet IDs",
    example: racks,
    change: (r) => (r.network.regionalSubnets[0].id = "subnet-0123456789abcdef0"),
    path: "network.regionalSubnets[0].id",
    message: /only valid with an existing VPC/,
  },
  {
    rule: "a new VPC takes no Outpost subnet IDs",
    example: racks,
    change: (r) => (r.outposts[0].subnet.id = "subnet-0123456789abcdef0"),
    path: "outposts[0].subnet.id",
    message: /only valid with an existing VPC/,
  },
  { rule: "VPC IDs are well-formed", example: existing, change: (r) => (r.network.vpc.id = "vpc-xyz"), path: "network.vpc.id", message: /VPC ID such as/ },
  {
    rule: "NAT egress on a new VPC needs public subnets",
    example: server,
    change: (r) => (r.network.publicSubnets = []),
    path: "network.publicSubnets",
    message: /needs at least one public subnet/,
  },
  {
    rule: "private egress has no public subnets",
    example: racks,
    change: (r) => (r.network.publicSubnets = [{ availabilityZone: "us-west-2c", cidr: "10.0.100.0/24" }]),
    path: "network.publicSubnets",
    message: /only valid with egress 'nat'/,
  },
  {
    rule: "private egress on a new VPC keeps its endpoints",
    example: racks,
    change: (r) => (r.network.endpoints = { enabled: false }),
    path: "network.endpoints.enabled",
    message: /cannot be false with egress 'private'/,
  },
  // --- node groups --------------------------------------------------------------------------
  {
    rule: "node groups name a declared Outpost",
    example: racks,
    change: (r) => (r.nodeGroups[0].outpost = "rack-z"),
    path: "nodeGroups[0].outpost",
    message: /names no declared Outpost; expected one of: rack-a, rack-b/,
  },
  {
    rule: "node group minSize <= maxSize",
    example: racks,
    change: (r) => ((r.nodeGroups[0].minSize = 5), (r.nodeGroups[0].maxSize = 4)),
    path: "nodeGroups[0].minSize",
    message: /above maxSize \(4\)/,
  },
  {
    rule: "node group desiredSize within bounds",
    example: racks,
    change: (r) => (r.nodeGroups[0].desiredSize = 9),
    path: "nodeGroups[0].desiredSize",
    message: /outside minSize\.\.maxSize \(2\.\.4\)/,
  },
  // --- control plane ------------------------------------------------------------------------
  {
    rule: "forControlPlane is gone, with what to do",
    example: racks,
    change: (r) => (r.network.regionalSubnets[0].forControlPlane = false),
    path: "network.regionalSubnets[0].forControlPlane",
    message: /was removed: an extended cluster uses every regional subnet, including those in an Outpost's parent AZ/,
  },
  // --- network paths (the network model) ----------------------------------------------------
  {
    rule: "a server is the only Outpost of its cluster: no path to a rack",
    example: racks,
    change: (r) => {
      r.outposts[1] = { name: "server-1", arn: r.outposts[1].arn, formFactor: "server", availabilityZone: "us-west-2b", subnet: { cidr: "10.0.4.0/24" } };
      r.nodeGroups[1].outpost = "server-1";
    },
    path: "outposts[rack-a] ↔ outposts[server-1]",
    message: /^no path; servers have no local gateway, and traffic between Outposts cannot pass through the Region$/,
  },
  {
    rule: "two servers cannot reach each other",
    example: server,
    change: (r) => {
      r.outposts.push({ ...r.outposts[0], name: "server-2", arn: r.outposts[0].arn.replace(/.$/, "9"), subnet: { cidr: "10.20.11.0/24" } });
    },
    path: "outposts[server-1] ↔ outposts[server-2]",
    message: /no path; servers have no local gateway/,
  },
  {
    rule: "racks in coip mode do not route the VPC's private IPs to each other",
    example: racks,
    change: (r) => (r.outposts[1].localGatewayRouteTableMode = "coip"),
    path: "outposts[rack-a] ↔ outposts[rack-b]",
    message: /no path; the local gateway route table of rack-b is in coip mode/,
  },
  {
    rule: "a CoIP pool needs a route table in coip mode",
    example: local,
    change: (r) => (r.outposts[0].coip = { poolId: "ipv4pool-coip-0a1b2c3d4e5f60718" }),
    path: "outposts[0].coip",
    message: /needs localGatewayRouteTableMode: coip/,
  },
  {
    rule: "the local gateway route table mode is direct-vpc-routing or coip",
    example: racks,
    change: (r) => (r.outposts[0].localGatewayRouteTableMode = "nat"),
    path: "outposts[0].localGatewayRouteTableMode",
    message: /"direct-vpc-routing", "coip"/,
  },
  {
    rule: "manageRouting is for adopted subnets",
    example: racks,
    change: (r) => (r.outposts[0].subnet.manageRouting = false),
    path: "outposts[0].subnet.manageRouting",
    message: /only valid for an adopted subnet/,
  },
  {
    rule: "existing endpoints exist only in an existing VPC",
    example: racks,
    change: (r) => (r.network.endpoints = { existingServices: ["ecr.api"] }),
    path: "network.endpoints.existingServices",
    message: /only valid with an existing VPC/,
  },
  {
    rule: "nodes reach ECR: a private adopted VPC without created endpoints lists its own",
    example: existing,
    change: (r) => (r.network.endpoints = { enabled: false, existingServices: ["ecr.api"] }),
    path: "network.endpoints.existingServices",
    message: /nodes → ECR: no path; .*the ecr\.dkr, s3 endpoint\(s\)/,
  },
  {
    rule: "endpoint services are short names",
    example: racks,
    change: (r) => (r.network.endpoints = { extraServices: ["com.amazonaws.us-west-2.kms"] }),
    path: "network.endpoints.extraServices[0]",
    message: /is a full service name; give the short name, such as kms/,
  },
  {
    rule: "endpoint services are listed once",
    example: racks,
    change: (r) => (r.network.endpoints = { extraServices: ["kms", "kms"] }),
    path: "network.endpoints.extraServices[1]",
    message: /repeats service 'kms'/,
  },
  {
    rule: "flow logs to S3 name the bucket",
    example: racks,
    change: (r) => (r.network.flowLogs = { destination: "s3" }),
    path: "network.flowLogs.s3BucketArn",
    message: /is required with destination s3/,
  },
  {
    rule: "a flow-log bucket is an S3 bucket ARN",
    example: racks,
    change: (r) => (r.network.flowLogs = { destination: "s3", s3BucketArn: "my-bucket" }),
    path: "network.flowLogs.s3BucketArn",
    message: /is not an S3 bucket ARN/,
  },
  {
    rule: "a local cluster's NAT gateway is in the rack's parent AZ",
    example: local,
    change: (r) => {
      r.network.egress = "nat";
      r.network.publicSubnets = [{ availabilityZone: "us-west-2b", cidr: "10.10.100.0/24" }];
    },
    path: "network.publicSubnets",
    message: /has no subnet in us-west-2a, the rack's parent AZ; a local cluster's NAT gateway must be in that AZ/,
  },
  {
    rule: "an explicit service CIDR does not overlap on-prem networks",
    example: racks,
    change: (r) => (r.controlPlane.serviceIpv4Cidr = "192.168.0.0/20"),
    path: "controlPlane.serviceIpv4Cidr",
    message: /overlaps outposts\[0\]\.onPremCidrs\[0\] \(192\.168\.0\.0\/16\)/,
  },
  {
    rule: "the service CIDR EKS would pick does not overlap on-prem networks",
    example: racks,
    change: (r) => (r.outposts[0].onPremCidrs = ["172.16.0.0/12"]),
    path: "outposts[0].onPremCidrs[0]",
    message: /overlaps 172\.20\.0\.0\/16, the service range EKS picks for this VPC when controlPlane\.serviceIpv4Cidr is unset/,
  },
  {
    rule: "a public endpoint needs explicit CIDRs",
    example: racks,
    change: (r) => (r.controlPlane.endpointPublicAccess = true),
    path: "controlPlane.publicAccessCidrs",
    message: /public endpoint is opt-in with explicit CIDRs/,
  },
  {
    rule: "public CIDRs only with a public endpoint",
    example: racks,
    change: (r) => (r.controlPlane.publicAccessCidrs = ["203.0.113.0/24"]),
    path: "controlPlane.publicAccessCidrs",
    message: /only valid with endpointPublicAccess: true/,
  },
  {
    rule: "a public endpoint is never open to 0.0.0.0/0",
    example: racks,
    change: (r) => ((r.controlPlane.endpointPublicAccess = true), (r.controlPlane.publicAccessCidrs = ["0.0.0.0/0"])),
    path: "controlPlane.publicAccessCidrs[0]",
    message: /whole internet/,
  },
  {
    rule: "local: the endpoint is private only",
    example: local,
    change: (r) => (r.controlPlane.endpointPublicAccess = true),
    path: "controlPlane.endpointPublicAccess",
    message: /private only/,
  },
  {
    rule: "admin principals are IAM role or user ARNs",
    example: racks,
    change: (r) => (r.controlPlane.adminPrincipalArns = ["arn:aws:iam::111122223333:group/admins"]),
    path: "controlPlane.adminPrincipalArns[0]",
    message: /names neither a role nor a user: EKS access entries take role\/<name> or user\/<name>/,
  },
  {
    rule: "local: no access entries",
    example: local,
    change: (r) => (r.controlPlane.adminPrincipalArns = ["arn:aws:iam::111122223333:role/admin"]),
    path: "controlPlane.adminPrincipalArns",
    message: /CONFIG_MAP/,
  },
  {
    rule: "the service CIDR is /12-/24 inside RFC 1918",
    example: racks,
    change: (r) => (r.controlPlane.serviceIpv4Cidr = "100.64.0.0/16"),
    path: "controlPlane.serviceIpv4Cidr",
    message: /inside 10\.0\.0\.0\/8, 172\.16\.0\.0\/12 or 192\.168\.0\.0\/16/,
  },
  {
    rule: "the service CIDR does not overlap the VPC",
    example: racks,
    change: (r) => (r.controlPlane.serviceIpv4Cidr = "10.0.128.0/20"),
    path: "controlPlane.serviceIpv4Cidr",
    message: /overlaps the VPC CIDR/,
  },
  {
    rule: "log retention is a CloudWatch value",
    example: racks,
    change: (r) => (r.controlPlane.logRetentionDays = 42),
    path: "controlPlane.logRetentionDays",
    message: /must be one of: 1, 3, 5, 7, 14, 30/,
  },
  {
    rule: "local: the control plane settings are required",
    example: local,
    change: (r) => delete r.controlPlane.local,
    path: "controlPlane.local",
    message: /required for a local cluster/,
  },
  {
    rule: "extended: no local control plane settings",
    example: racks,
    change: (r) => (r.controlPlane.local = { controlPlaneInstanceType: "m5d.large" }),
    path: "controlPlane.local",
    message: /only valid with variant 'local'/,
  },
  {
    rule: "local: the control-plane type follows the sizing guidance",
    example: local,
    change: (r) => (r.nodeGroups[0].maxSize = 40),
    path: "controlPlane.local.controlPlaneInstanceType",
    message: /too small for 40 nodes.*m5d\.xlarge or larger/,
  },
  {
    rule: "local: sizing counts the spare nodes",
    example: local,
    change: (r) => ((r.nodeGroups[0].maxSize = 18), (r.nodeGroups[0].spareNodes = 4)),
    path: "controlPlane.local.controlPlaneInstanceType",
    message: /too small for 22 nodes/,
  },
  {
    rule: "local: at most 500 nodes",
    example: local,
    change: (r) => ((r.nodeGroups[0].maxSize = 600), (r.controlPlane.local.controlPlaneInstanceType = "m5d.4xlarge")),
    path: "controlPlane.local.controlPlaneInstanceType",
    message: /cannot serve 600 nodes/,
  },
  {
    rule: "local: the control-plane type has a known size",
    example: local,
    change: (r) => (r.controlPlane.local.controlPlaneInstanceType = "m5d.medium"),
    path: "controlPlane.local.controlPlaneInstanceType",
    message: /has size 'medium'/,
  },
  {
    rule: "local: etcd instances follow their own sizing",
    example: local,
    change: (r) => ((r.nodeGroups[0].maxSize = 60), (r.controlPlane.local = { controlPlaneInstanceType: "m5d.xlarge", instanceStore: { etcdInstanceType: "m5d.large" } })),
    path: "controlPlane.local.instanceStore.etcdInstanceType",
    message: /too small for 60 nodes.*m5d\.xlarge/,
  },
  {
    rule: "local: rack-level spread needs 3 racks",
    example: local,
    change: (r) => (r.controlPlane.local.spreadLevel = "rack"),
    path: "controlPlane.local.spreadLevel",
    message: /needs 3 racks or more/,
  },
  // --- node groups on Outposts -----------------------------------------------------------------
  {
    rule: "racks take gp2 only",
    example: racks,
    change: (r) => (r.nodeGroups[0].rootVolume = { sizeGiB: 100, type: "gp3" }),
    path: "nodeGroups[0].rootVolume.type",
    message: /must be gp2: Outposts racks offer no other EBS volume type/,
  },
  {
    rule: "servers take no EBS",
    example: server,
    change: (r) => (r.nodeGroups[0].rootVolume = { sizeGiB: 50 }),
    path: "nodeGroups[0].rootVolume",
    message: /servers have no EBS/,
  },
  {
    rule: "no LNI on a rack",
    example: racks,
    change: (r) => (r.nodeGroups[0].lni = { mode: "dhcp" }),
    path: "nodeGroups[0].lni",
    message: /only valid on an Outposts server/,
  },
  {
    rule: "LNI needs LNI enabled on the server",
    example: server,
    change: (r) => {
      delete r.outposts[0].lniDeviceIndex;
      r.nodeGroups[0].lni = { mode: "dhcp" };
    },
    path: "nodeGroups[0].lni",
    message: /set its lniDeviceIndex/,
  },
  {
    rule: "LNI addressing is dhcp or static",
    example: server,
    change: (r) => (r.nodeGroups[0].lni = { mode: "slaac" }),
    path: "nodeGroups[0].lni.mode",
    message: /must be one of: "dhcp", "static"/,
  },
  {
    rule: "static LNI addresses cover every node",
    example: server,
    change: (r) => (r.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.10.21/24"] }),
    path: "nodeGroups[0].lni.addresses",
    message: /has 1 address\(es\) for up to 2 nodes/,
  },
  {
    rule: "static LNI addresses carry a prefix length",
    example: server,
    change: (r) => (r.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.10.21", "192.168.10.22/24"] }),
    path: "nodeGroups[0].lni.addresses[0]",
    message: /address with prefix length/,
  },
  {
    rule: "static LNI routes need a gateway",
    example: server,
    change: (r) => (r.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.10.21/24", "192.168.10.22/24"], routes: ["192.168.0.0/16"] }),
    path: "nodeGroups[0].lni.routes",
    message: /needs lni.gateway/,
  },
  {
    rule: "an LNI needs AL2023",
    example: server,
    change: (r) => {
      r.kubernetesVersion = "1.32";
      r.nodeGroups[0].ami = { family: "al2" };
    },
    path: "nodeGroups[0].ami.family",
    message: /must be al2023 with an LNI/,
  },
  {
    rule: "AL2 only up to Kubernetes 1.32",
    example: racks,
    change: (r) => (r.nodeGroups[0].ami = { family: "al2" }),
    path: "nodeGroups[0].ami.family",
    message: /AL2 AMIs only up to Kubernetes 1\.32/,
  },
  {
    rule: "AMI IDs are well-formed",
    example: racks,
    change: (r) => (r.nodeGroups[0].ami = { id: "ami-xyz" }),
    path: "nodeGroups[0].ami.id",
    message: /AMI ID such as/,
  },
  {
    rule: "EBS-backed local: hop limit 2 or more on the add-on controllers' group",
    example: local,
    change: (r) => (r.nodeGroups[0].metadataHopLimit = 1),
    path: "nodeGroups[0].metadataHopLimit",
    message: /must be 2 or more for a group that runs the add-on controllers of an EBS-backed local cluster/,
  },
  {
    rule: "spare nodes are not negative",
    example: local,
    change: (r) => (r.nodeGroups[0].spareNodes = -1),
    path: "nodeGroups[0].spareNodes",
    message: />=0/,
  },
  {
    rule: "node labels have valid keys",
    example: racks,
    change: (r) => (r.nodeGroups[0].labels = { "bad key!": "x" }),
    path: "nodeGroups[0].labels.bad key!",
    message: /Kubernetes label key/,
  },
  {
    rule: "node egress CIDRs are CIDRs",
    example: racks,
    change: (r) => (r.workers = { egressCidrs: ["anywhere"] }),
    path: "workers.egressCidrs[0]",
    message: /not an IPv4 CIDR/,
  },
  {
    rule: "extra node policies are policy ARNs",
    example: racks,
    change: (r) => (r.workers = { extraNodePolicyArns: ["AdministratorAccess"] }),
    path: "workers.extraNodePolicyArns[0]",
    message: /IAM policy ARN/,
  },
  // --- add-ons ----------------------------------------------------------------------------------
  {
    rule: "cluster auth mode is token, exec or certificate",
    example: racks,
    change: (r) => (r.addons.clusterAuth = { mode: "password" }),
    path: "addons.clusterAuth.mode",
    message: /must be one of: "token", "exec", "certificate"/,
  },
  {
    rule: "certificate auth names its files",
    example: local,
    change: (r) => (r.addons.clusterAuth = { mode: "certificate", clientCertificateFile: "a.crt" }),
    path: "addons.clusterAuth.clientKeyFile",
    message: /is required/,
  },
  {
    rule: "certificate auth is for local clusters",
    example: racks,
    change: (r) => (r.addons.clusterAuth = { mode: "certificate", clientCertificateFile: "a.crt", clientKeyFile: "a.key" }),
    path: "addons.clusterAuth.mode",
    message: /for local clusters cut off from IAM/,
  },
  {
    rule: "break-glass access is for local clusters",
    example: racks,
    change: (r) => (r.addons.breakGlass = { enabled: true }),
    path: "addons.breakGlass.enabled",
    message: /only valid for a local cluster/,
  },
  {
    rule: "break-glass user names are Kubernetes user names",
    example: local,
    change: (r) => (r.addons.breakGlass.userName = "Break Glass"),
    path: "addons.breakGlass.userName",
    message: /Kubernetes user name/,
  },
  {
    rule: "the CNI MTU is 576 to 9001",
    example: racks,
    change: (r) => (r.addons.vpcCni.mtu = 9500),
    path: "addons.vpcCni.mtu",
    message: /<=9001/,
  },
  {
    rule: "CNI warm targets are not negative",
    example: local,
    change: (r) => (r.addons.vpcCni.warmIpTarget = -2),
    path: "addons.vpcCni.warmIpTarget",
    message: />=0/,
  },
  {
    rule: "replica counts are at least 1",
    example: racks,
    change: (r) => (r.addons.coreDns.replicas = 0),
    path: "addons.coreDns.replicas",
    message: />=1/,
  },
  {
    rule: "the storage class name is DNS-safe",
    example: racks,
    change: (r) => (r.addons.storage = { storageClassName: "GP2" }),
    path: "addons.storage.storageClassName",
    message: /DNS-safe/,
  },
  // --- images -------------------------------------------------------------------------------
  {
    rule: "upstream images need NAT egress",
    example: racks,
    change: (r) => (r.addons.images = { source: "upstream" }),
    path: "addons.images.source",
    message: /egress is 'private'.*public\.ecr\.aws\/eks\/aws-load-balancer-controller:v3\.5\.0, public\.ecr\.aws\/aws-ec2\/aws-node-termination-handler:v1\.25\.6/,
  },
  {
    rule: "a pull-through cache without NAT needs a declared warm-up",
    example: racks,
    change: (r) => (r.addons.images = { source: "pullThroughCache" }),
    path: "addons.images.source",
    message: /first pull through a cache rule needs internet egress.*<account>\.dkr\.ecr\.us-west-2\.amazonaws\.com\/ecr-public\/eks\/aws-load-balancer-controller:v3\.5\.0.*warmUp: true/,
  },
  {
    rule: "the EBS CSI chart version is the one the image catalogue lists",
    example: local,
    change: (r) => (r.addons.storage = { ebsCsiChartVersion: "2.40.0" }),
    path: "addons.storage.ebsCsiChartVersion",
    message: /must be 2\.53\.0: the image catalogue/,
  },
  {
    rule: "no pull-through cache in GovCloud or China",
    example: server,
    change: (r) => {
      r.region = "us-gov-west-1";
      r.network.regionalSubnets.forEach((s: Raw, i: number) => (s.availabilityZone = `us-gov-west-1${"abc"[i]}`));
      r.addons = { ...r.addons, images: { source: "pullThroughCache" } };
    },
    path: "addons.images.source",
    message: /not available in the aws-us-gov partition/,
  },
  {
    rule: "a mirror host has no scheme",
    example: racks,
    change: (r) => (r.addons.images = { source: "mirror", mirror: { host: "https://registry.site.internal" } }),
    path: "addons.images.mirror.host",
    message: /has a scheme; give the host only/,
  },
  {
    rule: "a mirror host has no path",
    example: racks,
    change: (r) => (r.addons.images = { source: "mirror", mirror: { host: "registry.site.internal/aws" } }),
    path: "addons.images.mirror.host",
    message: /has a path; .*pathPrefix/,
  },
  {
    rule: "a mirror host is a registry host",
    example: racks,
    change: (r) => (r.addons.images = { source: "mirror", mirror: { host: "Registry_Site:99999" } }),
    path: "addons.images.mirror.host",
    message: /is not a registry host/,
  },
  {
    rule: "a mirrored workload registry is a registry host",
    example: racks,
    change: (r) => (r.addons.images = { source: "mirror", mirror: { host: "registry.site.internal", registries: [{ upstream: "https://docker.io" }] } }),
    path: "addons.images.mirror.registries[0].upstream",
    message: /has a scheme/,
  },
  {
    rule: "source mirror needs the mirror",
    example: racks,
    change: (r) => (r.addons.images = { source: "mirror" }),
    path: "addons.images.mirror",
    message: /is required with source 'mirror'/,
  },
  {
    rule: "a mirror goes with source mirror",
    example: racks,
    change: (r) => (r.addons.images = { source: "privateRepositories", mirror: { host: "registry.site.internal" } }),
    path: "addons.images.mirror",
    message: /only valid with source 'mirror'/,
  },
  {
    rule: "image sources are known",
    example: racks,
    change: (r) => (r.addons.images = { source: "dockerhub" }),
    path: "addons.images.source",
    message: /must be one of: "regional", "privateRepositories", "pullThroughCache", "mirror", "upstream"/,
  },
  // --- versions, AMI families, labels, taints, storage (issue 11) --------------------------------
  {
    rule: "Kubernetes version offered for the architecture (extended)",
    example: racks,
    change: (r) => (r.kubernetesVersion = "1.39"),
    path: "kubernetesVersion",
    message: /is not offered for a extended cluster.*AWS offers 1\.32, .*1\.36/,
  },
  {
    rule: "Kubernetes version past its extended support is refused (1.31 ended 2026-11-26)",
    example: racks,
    change: (r) => (r.kubernetesVersion = "1.31"),
    path: "kubernetesVersion",
    message: /is not offered for a extended cluster/,
  },
  {
    rule: "EBS-backed local clusters stop at 1.32",
    example: local,
    change: (r) => (r.kubernetesVersion = "1.33"),
    path: "kubernetesVersion",
    message: /not offered for a local cluster, EBS-backed control plane; AWS offers 1\.29, 1\.30, 1\.31, 1\.32/,
  },
  {
    rule: "the AMI's architecture is the instance type's: x86_64 on a Graviton type",
    example: local,
    change: (r) => {
      r.nodeGroups[0].instanceType = "m6g.2xlarge";
      r.nodeGroups[0].ami = { architecture: "x86_64" };
    },
    path: "nodeGroups[0].ami.architecture",
    message: /is 'x86_64', but m6g\.2xlarge is an AWS Graviton \(arm64\) type: EC2 refuses an AMI of another architecture/,
  },
  {
    rule: "the AMI's architecture is the instance type's: arm64 on an x86 GPU type (g4dn is not Graviton)",
    example: local,
    change: (r) => {
      r.nodeGroups[0].instanceType = "g4dn.2xlarge";
      r.nodeGroups[0].ami = { architecture: "arm64" };
    },
    path: "nodeGroups[0].ami.architecture",
    message: /is 'arm64', but g4dn\.2xlarge is an x86_64 type/,
  },
  {
    rule: "EBS-backed local: the add-on controllers' group keeps an untainted node",
    example: local,
    change: (r) => (r.nodeGroups[0].taints = [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }]),
    path: "nodeGroups[0]",
    message: /is \(as the first group\) where the add-on controllers run, but no such group keeps an untainted node/,
  },
  {
    rule: "addonControllers only on EBS-backed local clusters",
    example: racks,
    change: (r) => (r.nodeGroups[0].addonControllers = true),
    path: "nodeGroups[0].addonControllers",
    message: /is only valid on an EBS-backed local cluster/,
  },
  {
    rule: "no Bottlerocket on EBS-backed local clusters",
    example: local,
    change: (r) => (r.nodeGroups[0].ami = { family: "bottlerocket" }),
    path: "nodeGroups[0].ami.family",
    message: /is bottlerocket, which AWS does not join to a local cluster, EBS-backed/,
  },
  {
    rule: "no Bottlerocket on Outposts servers",
    example: server,
    change: (r) => (r.nodeGroups[0].ami = { family: "bottlerocket" }),
    path: "nodeGroups[0].ami.family",
    message: /two snapshots; an Outposts server boots only single-snapshot AMIs/,
  },
  {
    rule: "Bottlerocket mirrors take a host only",
    example: racks,
    change: (r) => {
      r.nodeGroups[0].ami = { family: "bottlerocket" };
      r.addons.images = { source: "mirror", mirror: { host: "registry.example.internal", registries: [{ upstream: "docker.io", pathPrefix: "dockerhub" }] } };
    },
    path: "nodeGroups[0].ami.family",
    message: /registry mirrors .* take a host only/,
  },
  {
    rule: "node label keys outside the kubelet's kubernetes.io namespaces",
    example: racks,
    change: (r) => (r.nodeGroups[0].labels = { "node-role.kubernetes.io/worker": "" }),
    path: "nodeGroups[0].labels.node-role.kubernetes.io/worker",
    value: "",
    message: /kubelet accepts only the prefixes kubelet\.kubernetes\.io\/ and node\.kubernetes\.io\//,
  },
  {
    rule: "node label keys outside the kubelet's k8s.io namespaces",
    example: racks,
    change: (r) => (r.nodeGroups[0].labels = { "example.k8s.io/team": "edge" }),
    path: "nodeGroups[0].labels.example.k8s.io/team",
    value: "edge",
    message: /kubernetes\.io or k8s\.io namespace/,
  },
  {
    rule: "node label values are label values",
    example: racks,
    change: (r) => (r.nodeGroups[0].labels = { team: "edge team" }),
    path: "nodeGroups[0].labels.team",
    message: /Kubernetes label value/,
  },
  {
    rule: "node label values are at most 63 characters",
    example: racks,
    change: (r) => (r.nodeGroups[0].labels = { team: "a".repeat(64) }),
    path: "nodeGroups[0].labels.team",
    message: /at most 63/,
  },
  {
    rule: "taint keys are label keys",
    example: racks,
    change: (r) => (r.nodeGroups[0].taints = [{ key: "bad key", effect: "NoSchedule" }]),
    path: "nodeGroups[0].taints[0].key",
    message: /Kubernetes label key/,
  },
  {
    rule: "taint values are label values",
    example: racks,
    change: (r) => (r.nodeGroups[0].taints = [{ key: "dedicated", value: "-gpu", effect: "NoSchedule" }]),
    path: "nodeGroups[0].taints[0].value",
    message: /Kubernetes label value/,
  },
  {
    rule: "taint effects are known",
    example: racks,
    change: (r) => (r.nodeGroups[0].taints = [{ key: "dedicated", value: "gpu", effect: "NoWay" }]),
    path: "nodeGroups[0].taints[0].effect",
    message: /"NoSchedule", "PreferNoSchedule", "NoExecute"/,
  },
  {
    rule: "taints are unique by key and effect",
    example: racks,
    change: (r) =>
      (r.nodeGroups[0].taints = [
        { key: "dedicated", value: "a", effect: "NoSchedule" },
        { key: "dedicated", value: "b", effect: "NoSchedule" },
      ]),
    path: "nodeGroups[0].taints[1]",
    message: /repeats taint key and effect 'dedicated:NoSchedule'/,
  },
  {
    rule: "the StorageClass name is not one EKS owns",
    example: racks,
    change: (r) => (r.addons.storage = { storageClassName: "gp2" }),
    path: "addons.storage.storageClassName",
    message: /a StorageClass EKS creates itself/,
  },
  {
    rule: "LNI device index is 1 only",
    example: server,
    change: (r) => (r.outposts[0].lniDeviceIndex = 2),
    path: "outposts[0].lniDeviceIndex",
    message: /must be 1: the Outposts server user guide/,
  },
  {
    rule: "break-glass certificates live at most a year",
    example: local,
    change: (r) => (r.addons.breakGlass.validityDays = 400),
    path: "addons.breakGlass.validityDays",
    message: /at most 365.*cluster-signing-duration/,
  },
  {
    rule: "break-glass certificates live at least a day",
    example: local,
    change: (r) => (r.addons.breakGlass.validityDays = 0),
    path: "addons.breakGlass.validityDays",
    message: />=1/,
  },
  // --- platform options ---------------------------------------------------------------------
  {
    rule: "extra chart values leave what the blueprint decides alone",
    example: racks,
    change: (r) => (r.addons.loadBalancerController = { values: { image: { repository: "public.ecr.aws/eks/aws-load-balancer-controller" } } }),
    path: "addons.loadBalancerController.values.image",
    message: /is decided by the blueprint .*blueprint-owned values are image, clusterName/,
  },
  {
    rule: "extra chart values leave the service account alone",
    example: racks,
    change: (r) => (r.addons.nodeTerminationHandler = { values: { serviceAccount: { name: "nth" } } }),
    path: "addons.nodeTerminationHandler.values.serviceAccount",
    message: /is decided by the blueprint/,
  },
  {
    rule: "an existing secrets key is for extended clusters",
    example: local,
    change: (r) => (r.controlPlane.secretsKmsKeyArn = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    path: "controlPlane.secretsKmsKeyArn",
    message: /only valid for an extended cluster/,
  },
  {
    rule: "an IAM path starts and ends with /",
    example: racks,
    change: (r) => (r.iam = { path: "platform" }),
    path: "iam.path",
    message: /IAM path such as \/platform\//,
  },
  {
    rule: "a permissions boundary is a policy ARN",
    example: racks,
    change: (r) => (r.iam = { permissionsBoundary: "PlatformBoundary" }),
    path: "iam.permissionsBoundary",
    message: /IAM policy ARN/,
  },
  {
    rule: "additional node security groups are security group IDs",
    example: racks,
    change: (r) => (r.nodeGroups[0].additionalSecurityGroupIds = ["default"]),
    path: "nodeGroups[0].additionalSecurityGroupIds[0]",
    message: /security group ID/,
  },
  // --- day 2 --------------------------------------------------------------------------------
  {
    rule: "nodes never run ahead of the control plane",
    example: racks,
    change: (r) => (r.nodeGroups[0].kubernetesVersion = "1.34"),
    path: "nodeGroups[0].kubernetesVersion",
    message: /is ahead of the control plane \(1\.33\); upgrade the control plane first/,
  },
  {
    rule: "nodes stay within three minors of the control plane",
    example: racks,
    change: (r) => (r.nodeGroups[0].kubernetesVersion = "1.29"),
    path: "nodeGroups[0].kubernetesVersion",
    message: /is 4 minor versions behind the control plane \(1\.33\); the kubelet may be at most 3 behind/,
  },
  {
    rule: "an Amazon Linux AMI release is a date",
    example: racks,
    change: (r) => (r.nodeGroups[0].ami = { family: "al2023", release: "1.49.0" }),
    path: "nodeGroups[0].ami.release",
    message: /whose releases are dates such as v20251103/,
  },
  {
    rule: "an AMI release is not an AMI ID",
    example: racks,
    change: (r) => (r.nodeGroups[0].ami = { family: "al2023", release: "v20251103", id: "ami-0123456789abcdef0" }),
    path: "nodeGroups[0].ami.release",
    message: /cannot go with ami\.id/,
  },
  {
    rule: "a surge needs spare nodes or free slots, with the arithmetic",
    example: racks,
    change: (r) => {
      r.outposts[0].nodeSlots = 5;
      r.nodeGroups[0].rollout = { maxSurge: 2 };
    },
    path: "nodeGroups[0].rollout.maxSurge",
    message: /is 2, but neither spareNodes \(0\) nor the Outpost's free slots cover the 2 extra node\(s\): nodeSlots 5 - 4 nodes at max = 1 free/,
  },
  {
    rule: "rollout: minHealthyPercentage 100 launches first, so it needs a free slot",
    example: racks,
    change: (r) => (r.nodeGroups[0].rollout = { minHealthyPercentage: 100 }),
    path: "nodeGroups[0].rollout.minHealthyPercentage",
    message: /is 100, which launches each replacement before its node terminates .*leave minHealthyPercentage out to terminate first, one node at a time/,
  },
  {
    rule: "rollout: AWS refuses healthy percentages more than 100 apart",
    example: racks,
    change: (r) => {
      // desired 2 + 4 spare = 6; a surge of 4 is ceil(400 / 6) = 67 % over: maximum 167.
      r.nodeGroups[0].spareNodes = 4;
      r.nodeGroups[0].rollout = { maxSurge: 4, minHealthyPercentage: 50 };
    },
    path: "nodeGroups[0].rollout.minHealthyPercentage",
    message: /gives a minimum healthy percentage of 50 with the surge's maximum of 167; AWS refuses a difference above 100/,
  },
  {
    rule: "node groups and a local control plane fit the Outpost's slots",
    example: local,
    change: (r) => (r.outposts[0].nodeSlots = 8),
    path: "outposts[0].nodeSlots",
    message: /is 8, but the node groups reach 6 nodes at max \(maxSize \+ spareNodes\) and the local control plane keeps 3 instances: 9 > 8/,
  },
  // --- every input gets an answer ---------------------------------------------------------
  { rule: "a CIDR has no leading zeros", example: racks, change: (r) => (r.outposts[0].subnet.cidr = "10.0.003.0/24"), path: "outposts[0].subnet.cidr", message: /has a leading zero; write it as 10\.0\.3\.0\/24/ },
  {
    rule: "an LNI address lies in range",
    example: server,
    change: (r) => (r.nodeGroups[0].lni = { mode: "static", addresses: ["192.168.10.300/24", "192.168.10.21/24"], gateway: "192.168.10.1" }),
    path: "nodeGroups[0].lni.addresses[0]",
    message: /is out of range: octets 0-255/,
  },
  { rule: "at least one node group", example: racks, change: (r) => (r.nodeGroups = []), path: "nodeGroups", message: /needs at least one node group/ },
  // A default skipped the .min(1) above: nodeGroups left out passed as [] (issue 20, class 6).
  { rule: "nodeGroups is required", example: racks, change: (r) => delete r.nodeGroups, path: "nodeGroups", message: /^is required: give at least one node group/ },
  // --- network-only blueprints (issue 23): distribution openshift and hypershift -----------------
  { rule: "distribution is eks, openshift or hypershift", example: racks, change: (r) => (r.distribution = "rke2"), path: "distribution", message: /eks|openshift|hypershift/ },
  { rule: "openshift: variant is extended", example: openshift, change: (r) => (r.variant = "local"), path: "variant", message: /must be extended with distribution openshift: its control plane stays in the Region/ },
  { rule: "hypershift: variant is extended", example: hypershift, change: (r) => (r.variant = "local"), path: "variant", message: /must be extended with distribution hypershift/ },
  {
    rule: "openshift: no node groups",
    example: openshift,
    change: (r) => (r.nodeGroups = [{ name: "rack-a-general", outpost: "rack-a", instanceType: "m5.xlarge", minSize: 1, maxSize: 2 }]),
    path: "nodeGroups",
    message: /must be empty with distribution openshift: the blueprint builds only the network; the installer's MachineSets create the workers/,
  },
  { rule: "openshift: no controlPlane section", example: openshift, change: (r) => (r.controlPlane = { endpointPublicAccess: false }), path: "controlPlane", message: /is EKS only: distribution openshift builds only the network stack/ },
  { rule: "hypershift: no addons section", example: hypershift, change: (r) => (r.addons = { coreDns: { replicas: 2 } }), path: "addons", message: /is EKS only: distribution hypershift/ },
  { rule: "hypershift: the hypershift section is required", example: hypershift, change: (r) => delete r.hypershift, path: "hypershift", message: /is required with distribution hypershift: give at least baseDomain/ },
  { rule: "hypershift: egress is nat", example: hypershift, change: (r) => ((r.network.egress = "private"), delete r.network.publicSubnets), path: "network.egress", message: /must be nat with distribution hypershift/ },
  { rule: "hypershift: a new VPC", example: hypershift, change: (r) => (r.network.vpc.id = "vpc-0123456789abcdef0"), path: "network.vpc.id", message: /must be omitted with distribution hypershift/ },
  { rule: "hypershift: a base domain is a domain", example: hypershift, change: (r) => (r.hypershift.baseDomain = "Example.com."), path: "hypershift.baseDomain", message: /must be a DNS domain/ },
  { rule: "openshift section only with openshift", example: racks, change: (r) => (r.openshift = { computeInstanceType: "m5.xlarge" }), path: "openshift", message: /is only valid with distribution openshift/ },
  { rule: "hypershift section only with hypershift", example: openshift, change: (r) => (r.hypershift = { baseDomain: "example.com" }), path: "hypershift", message: /is only valid with distribution hypershift/ },
  { rule: "openshift: the compute instance type is an instance type", example: openshift, change: (r) => (r.openshift.computeInstanceType = "xlarge"), path: "openshift.computeInstanceType", message: /must be an EC2 instance type/ },
  { rule: "a local state directory does not start with ~", example: racks, change: (r) => (r.backend.stateDirectory = "~/terraform-state"), path: "backend.stateDirectory", message: /starts with ~, which Terraform does not expand/ },
  { rule: "an S3 bucket is a name, not a URL", example: existing, change: (r) => (r.backend.bucket = "s3://example-terraform-state"), path: "backend.bucket", message: /is a URL or a path; give the bucket name only, such as example-terraform-state/ },
  { rule: "an S3 bucket name follows S3's rules", example: existing, change: (r) => (r.backend.bucket = "Example_State"), path: "backend.bucket", message: /is not an S3 bucket name/ },
  { rule: "tag keys do not start with aws:", example: racks, change: (r) => (r.tags = { "aws:team": "x" }), path: "tags.aws:team", message: /starts with aws:, a prefix AWS reserves/ },
  // --- values AWS, Kubernetes and Terraform reserve (issue 20, class 7) -------------------------
  { rule: "reserved: a tag key does not use the blueprint's own prefix", example: racks, change: (r) => (r.tags = { "outposts-eks:blueprint": "other" }), path: "tags.outposts-eks:blueprint", message: /starts with outposts-eks:, the prefix of the tags the blueprint writes/ },
  { rule: "reserved: an S3 bucket name has no prefix S3 reserves", example: existing, change: (r) => (r.backend.bucket = "xn--edge-state"), path: "backend.bucket", message: /starts with 'xn--', a prefix S3 reserves/ },
  { rule: "reserved: an S3 bucket name has no suffix S3 reserves", example: existing, change: (r) => (r.backend.bucket = "edge-state--x-s3"), path: "backend.bucket", message: /ends with '--x-s3', a suffix S3 reserves for directory buckets/ },
  {
    rule: "reserved: a bucket ARN names no bucket S3 reserves",
    example: racks,
    change: (r) => (r.network.flowLogs = { destination: "s3", s3BucketArn: "arn:aws:s3:::edge-flow-logs-s3alias" }),
    path: "network.flowLogs.s3BucketArn",
    message: /names 'edge-flow-logs-s3alias', which ends with '-s3alias', a suffix S3 reserves for access point aliases/,
  },
  { rule: "reserved: the S3 state key does not start with /", example: existing, change: (r) => (r.backend.keyPrefix = "/edge"), path: "backend.keyPrefix", message: /starts with '\/'.*give it without: edge/ },
  { rule: "reserved: the S3 state key prefix is not empty", example: existing, change: (r) => (r.backend.keyPrefix = ""), path: "backend.keyPrefix", message: /leaves the state key '\/<stack>\.tfstate'/ },
  { rule: "reserved: the S3 state key holds no //", example: existing, change: (r) => (r.backend.keyPrefix = "edge//state"), path: "backend.keyPrefix", message: /holds '\/\/'/ },
  {
    rule: "companion: a state KMS key needs encrypt",
    example: existing,
    change: (r) => Object.assign(r.backend, { encrypt: false, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }),
    path: "backend.kmsKeyId",
    message: /needs encrypt: true/,
  },
  { rule: "reserved: the break-glass user is not a system: user", example: local, change: (r) => (r.addons.breakGlass.userName = "system:admin"), path: "addons.breakGlass.userName", message: /starts with 'system:', a prefix Kubernetes reserves/ },
  {
    rule: "reserved: a taint is not one Kubernetes' controllers manage",
    example: racks,
    change: (r) => (r.nodeGroups[0].taints = [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }]),
    path: "nodeGroups[0].taints[0].key",
    message: /is a taint Kubernetes' controllers set and clear/,
  },
  {
    rule: "tags fit AWS's 50 per resource, with the blueprint's own",
    example: racks,
    change: (r) => (r.tags = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`t${i}`, "v"]))),
    path: "tags",
    message: /has 60 tags; AWS allows 50 per resource and the blueprint adds up to 5 itself, so give at most 45/,
  },
  { rule: "an on-prem CIDR is listed once", example: racks, change: (r) => (r.outposts[0].onPremCidrs = ["192.168.0.0/16", "192.168.0.0/16"]), path: "outposts[0].onPremCidrs[1]", message: /repeats on-premises CIDR '192\.168\.0\.0\/16'/ },
  { rule: "an egress CIDR is listed once", example: racks, change: (r) => (r.workers = { egressCidrs: ["0.0.0.0/0", "0.0.0.0/0"] }), path: "workers.egressCidrs[1]", message: /repeats egress CIDR/ },
  {
    rule: "an admin is listed once",
    example: racks,
    change: (r) => (r.controlPlane.adminPrincipalArns = ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/a"]),
    path: "controlPlane.adminPrincipalArns[1]",
    message: /repeats admin principal/,
  },
  { rule: "a version the support table lists", example: racks, change: (r) => (r.kubernetesVersion = "1.39"), path: "kubernetesVersion", message: /is not offered for a extended cluster/ },
  {
    rule: "one public subnet per AZ (public subnets, NAT gateways and addresses are keyed by AZ)",
    example: server,
    change: (r) => r.network.publicSubnets.push({ availabilityZone: "us-east-2b", cidr: "10.20.101.0/24" }),
    path: "network.publicSubnets[1].availabilityZone",
    message: /repeats Availability Zone \(one public subnet per AZ\) 'us-east-2b'/,
  },
  {
    rule: "an endpoint service is not one of the blueprint's own construct names",
    example: racks,
    change: (r) => (r.network.endpoints = { extraServices: ["s3", "s3-interface"] }),
    path: "network.endpoints.extraServices[1]",
    message: /is not an AWS service \(the name is the blueprint's own\)/,
  },
  {
    rule: "an Outpost name does not end in a suffix the blueprint appends",
    example: racks,
    change: (r) => (r.outposts[1].name = "rack-a-local-gateway"),
    path: "outposts[1].name",
    message: /ends in '-local-gateway', which the blueprint appends to Outpost names/,
  },
  {
    rule: "at most 64 Outposts",
    example: racks,
    change: (r) =>
      (r.outposts = Array.from({ length: 65 }, (_, i) => ({
        ...r.outposts[0],
        name: `rack-${i}`,
        arn: `arn:aws:outposts:us-west-2:111122223333:outpost/op-${i.toString(16).padStart(17, "0")}`,
        localGatewayRouteTableId: `lgw-rtb-${i.toString(16).padStart(17, "0")}`,
        subnet: { cidr: `10.0.${100 + i}.0/24` },
      }))),
    path: "outposts",
    message: /has more than 64 Outposts/,
  },
  {
    rule: "quotas: the node role's managed policies fit IAM's default of 10 per role",
    example: racks,
    change: (r) => (r.workers = { extraNodePolicyArns: Array.from({ length: 7 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`) }),
    path: "workers.extraNodePolicyArns",
    message: /has 7 policies; with the node role's own 4 the role would carry: 11, but the quota of managed policies attached to an IAM role is 10 by default .*declare the new value in quotas\.managedPoliciesPerRole \(at most 20\)/,
  },
  {
    rule: "quotas: a declared raise goes no further than IAM's maximum of 20",
    example: racks,
    change: (r) => {
      r.workers = { extraNodePolicyArns: Array.from({ length: 17 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`) };
      r.quotas = { managedPoliciesPerRole: 20 };
    },
    path: "workers.extraNodePolicyArns",
    message: /would carry: 21, but the quota of managed policies attached to an IAM role is 20 \(as declared\) .*its maximum/,
  },
  {
    rule: "quotas: the EBS CSI driver's policy counts on an EBS-backed local cluster's node role",
    example: local,
    change: (r) => (r.workers = { extraNodePolicyArns: Array.from({ length: 6 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`) }),
    path: "workers.extraNodePolicyArns",
    message: /with the node role's own 4 and the EBS CSI driver's the role would carry: 11/,
  },
  {
    rule: "quotas: a declared quota is at least AWS's default",
    example: racks,
    change: (r) => (r.quotas = { routesPerRouteTable: 20 }),
    path: "quotas.routesPerRouteTable",
    message: /must be at least 50, AWS's default for routes per route table/,
  },
  {
    rule: "quotas: a declared quota is at most its maximum",
    example: racks,
    change: (r) => (r.quotas = { inboundRulesPerSecurityGroup: 2000 }),
    path: "quotas.inboundRulesPerSecurityGroup",
    message: /must be at most 1000/,
  },
  {
    rule: "quotas: a quota AWS never raises cannot be declared",
    example: racks,
    change: (r) => (r.quotas = { publicAccessCidrsPerCluster: 60 }),
    path: "quotas.publicAccessCidrsPerCluster",
    message: /is not a field here/,
  },
  {
    rule: "quotas: the node security group's inbound rules fit 60 (19 Outposts and 2 regional subnets make 63)",
    example: racks,
    change: (r) => Object.assign(r, withOutposts(19)),
    path: "outposts",
    message: /give the node security group inbound rules \(3 per Outpost, 3 per control-plane subnet\): 63, but the quota of inbound rules per security group is 60 by default/,
  },
  {
    rule: "quotas: a declared raise of security-group rules lets more Outposts in",
    example: racks,
    change: (r) => {
      Object.assign(r, withOutposts(19));
      r.quotas = { inboundRulesPerSecurityGroup: 100 };
      r.workers = { extraNodePolicyArns: Array.from({ length: 7 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`) };
    },
    path: "workers.extraNodePolicyArns",
    message: /would carry: 11/,
  },
  {
    rule: "quotas: rules per group times groups per interface stays within 1000",
    example: racks,
    change: (r) => (r.quotas = { inboundRulesPerSecurityGroup: 1000, securityGroupsPerNetworkInterface: 5 }),
    path: "quotas",
    message: /times security groups per interface of 5000; AWS caps the product at 1000/,
  },
  {
    rule: "quotas: the nodes' interfaces take at most 5 security groups",
    example: racks,
    change: (r) => (r.nodeGroups[0].additionalSecurityGroupIds = Array.from({ length: 5 }, (_, i) => `sg-0123456789abcdef${i}`)),
    path: "nodeGroups[0].additionalSecurityGroupIds",
    message: /put the nodes' interfaces in security groups: 6, but the quota of security groups per network interface is 5 by default/,
  },
  {
    rule: "quotas: at most 40 public access CIDRs, which AWS does not raise",
    example: racks,
    change: (r) => {
      r.controlPlane.endpointPublicAccess = true;
      r.controlPlane.publicAccessCidrs = Array.from({ length: 41 }, (_, i) => `203.0.${i}.0/24`);
    },
    path: "controlPlane.publicAccessCidrs",
    message: /name public access CIDRs: 41, but the quota of public endpoint access CIDR ranges per EKS cluster is 40 by default .*, and AWS does not raise it/,
  },
  {
    rule: "quotas: interface endpoints fit 50 per VPC",
    example: racks,
    change: (r) => (r.network.endpoints = { extraServices: Array.from({ length: 40 }, (_, i) => `service${i}`) }),
    path: "network.endpoints.extraServices",
    message: /create interface endpoints in the VPC: 53, but the quota of interface VPC endpoints per VPC is 50 by default/,
  },
  {
    rule: "the termination handler's EventBridge pattern fits 2048 characters",
    example: racks,
    change: (r) =>
      (r.nodeGroups = Array.from({ length: 60 }, (_, i) => ({ name: `group-with-a-rather-long-name-${i}`, outpost: "rack-a", instanceType: "m5.xlarge", minSize: 0, maxSize: 1 }))),
    path: "nodeGroups",
    message: /name 60 Auto Scaling groups, which make the Node Termination Handler's EventBridge pattern \d+ characters long; EventBridge takes 2048/,
  },
  {
    rule: "quotas: a rack's routes fit a route table's default of 50",
    example: racks,
    change: (r) => (r.outposts[0].onPremCidrs = Array.from({ length: 48 }, (_, i) => `172.${16 + (i >> 8)}.${i & 255}.0/24`)),
    path: "outposts[0].onPremCidrs",
    message: /need routes in the subnet's route table \(48 on-premises networks, 1 other racks, 2 more\); summarize the networks, or: 51, but the quota of routes per route table \(non-propagated\) is 50 by default/,
  },
  {
    rule: "quotas: a rack's routes fit a route table's maximum of 1000",
    example: racks,
    change: (r) => {
      r.outposts[0].onPremCidrs = Array.from({ length: 1000 }, (_, i) => `172.${16 + (i >> 8)}.${i & 255}.0/24`);
      r.quotas = { routesPerRouteTable: 1000 };
    },
    path: "outposts[0].onPremCidrs",
    message: /: 1003, but the quota of routes per route table \(non-propagated\) is 1000 \(as declared\) .*its maximum/,
  },
  { rule: "a tag key is not empty", example: racks, change: (r) => (r.tags = { "": "x" }), path: "tags.", value: "x", message: /is an empty tag key/ },
  { rule: "a tag key holds only what AWS accepts", example: racks, change: (r) => (r.tags = { "team!": "x" }), path: "tags.team!", message: /is not a tag key AWS accepts: letters, digits, spaces and _ \. : \/ = \+ - @ only/ },
  { rule: "a tag value holds only what AWS accepts", example: racks, change: (r) => (r.tags = { team: "a;b" }), path: "tags.team", message: /has a value AWS does not accept/ },
  {
    rule: "no string holds a Terraform template sequence",
    example: racks,
    change: (r) => (r.nodeGroups[0].labels = { team: "${var.team}" }),
    path: "nodeGroups[0].labels.team",
    message: /contains '\$\{', which Terraform reads as the start of an expression/,
  },
  {
    rule: "no key is __proto__ (validation would drop it silently)",
    example: racks,
    change: (r) => Object.defineProperty(r.tags, "__proto__", { value: "x", enumerable: true, configurable: true, writable: true }),
    path: "tags.__proto__",
    value: "x",
    message: /is a key the validator cannot hold \('__proto__' is special to JavaScript objects/,
  },
  {
    rule: "no key holds a Terraform template sequence",
    example: racks,
    change: (r) => (r.tags = { "%{if}": "x" }),
    path: "tags.%{if}",
    value: "x",
    message: /has a key containing '%\{'/,
  },
  // --- backend ------------------------------------------------------------------------------
  {
    rule: "the local state directory is relative",
    example: racks,
    change: (r) => (r.backend.stateDirectory = "/var/state"),
    path: "backend.stateDirectory",
    message: /is absolute/,
  },
  {
    rule: "the local state directory stays inside the project",
    example: racks,
    change: (r) => (r.backend.stateDirectory = "../state"),
    path: "backend.stateDirectory",
    message: /without '\.\.'/,
  },
  {
    rule: "requiredVersion is a Terraform version constraint",
    example: racks,
    change: (r) => (r.backend.requiredVersion = "at least 1.11"),
    path: "backend.requiredVersion",
    message: /version constraint such as ">= 1\.11"/,
  },
  {
    rule: "S3 use_lockfile needs a Terraform that has it generally available (1.11)",
    example: existing,
    change: (r) => (r.backend.requiredVersion = ">= 1.10, < 2.0"),
    path: "backend.requiredVersion",
    message: /admits Terraform 1\.10\.0, but useLockfile needs >= 1\.11/,
  },
  {
    rule: "removed blocks need Terraform 1.7 (local backend)",
    example: racks,
    change: (r) => (r.backend.requiredVersion = ">= 1.6"),
    path: "backend.requiredVersion",
    message: /admits Terraform 1\.6\.0, but the stacks' removed blocks need >= 1\.7/,
  },
  {
    rule: "removed blocks need a lower bound on Terraform",
    example: racks,
    change: (r) => (r.backend.requiredVersion = "< 2.0"),
    path: "backend.requiredVersion",
    message: /admits Terraform of any version, but the stacks' removed blocks need >= 1\.7/,
  },
  {
    rule: "S3 use_lockfile is not left without a lower bound on Terraform",
    example: existing,
    change: (r) => (r.backend.requiredVersion = "< 2.0"),
    path: "backend.requiredVersion",
    message: /admits Terraform of any version/,
  },
  { rule: "S3 profile has no spaces", example: existing, change: (r) => (r.backend.profile = "my profile"), path: "backend.profile", message: /no spaces/ },
  {
    rule: "S3 assumeRole takes a role ARN",
    example: existing,
    change: (r) => (r.backend.assumeRole = { roleArn: "arn:aws:iam::111122223333:user/terraform" }),
    path: "backend.assumeRole.roleArn",
    message: /(names an IAM user; a role is needed here|is not an ARN; expected an IAM role ARN)/,
  },
  {
    rule: "S3 assumeRole's role is in the bucket Region's partition",
    example: existing,
    change: (r) => (r.backend.assumeRole = { roleArn: "arn:aws-cn:iam::111122223333:role/terraform-state" }),
    path: "backend.assumeRole.roleArn",
    message: /partition 'aws-cn', but Region eu-west-1 is in 'aws'/,
  },
  { rule: "S3 assumeRole has no unknown fields", example: existing, change: (r) => (r.backend.assumeRole = { role: "x" }), path: "backend.assumeRole.role", message: /not a field here/ },
  {
    rule: "cloud organization is a name",
    example: local,
    change: (r) => (r.backend = { ...cloudBackend(), organization: "edge org" }),
    path: "backend.organization",
    message: /organization name/,
  },
  {
    rule: "cloud hostname has no scheme",
    example: local,
    change: (r) => (r.backend = { ...cloudBackend(), hostname: "https://app.terraform.io" }),
    path: "backend.hostname",
    message: /no scheme/,
  },
  {
    rule: "cloud readOutputsWith is tfe_outputs or terraform_remote_state",
    example: local,
    change: (r) => (r.backend = { ...cloudBackend(), readOutputsWith: "remote" }),
    path: "backend.readOutputsWith",
    message: /"tfe_outputs", "terraform_remote_state"/,
  },
  {
    rule: "cloud project is a project name",
    example: local,
    change: (r) => (r.backend = { ...cloudBackend(), project: "x" }),
    path: "backend.project",
    message: /3-40 characters/,
  },
  {
    rule: "the workspaces stack needs a project",
    example: local,
    change: (r) => (r.backend = { ...cloudBackend(), project: undefined }),
    path: "backend.project",
    message: /is required with backend\.workspaces/,
  },
  {
    rule: "agent runs need an agent pool (local cluster: workers and addons reach the private endpoint)",
    example: local,
    change: onCloud((r) => delete r.backend.workspaces.agentPoolId),
    path: "backend.workspaces.agentPoolId",
    message: /is required: workers and addons must reach the private API endpoint/,
  },
  {
    rule: "an agent pool ID has its form",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.agentPoolId = "pool-1")),
    path: "backend.workspaces.agentPoolId",
    message: /agent pool ID such as apool-/,
  },
  {
    rule: "an agent pool is unused with a public endpoint",
    example: racks,
    change: onCloud((r) => ((r.backend = cloudBackend()), (r.controlPlane.endpointPublicAccess = true), (r.controlPlane.publicAccessCidrs = ["203.0.113.0/24"]))),
    path: "backend.workspaces.agentPoolId",
    message: /is unused: the API endpoint is public/,
  },
  {
    rule: "an agent pool is unused with local execution",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.privateEndpointExecution = "local")),
    path: "backend.workspaces.agentPoolId",
    message: /is unused: privateEndpointExecution is local/,
  },
  {
    rule: "privateEndpointExecution is agent or local",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.privateEndpointExecution = "remote")),
    path: "backend.workspaces.privateEndpointExecution",
    message: /"agent", "local"/,
  },
  { rule: "runs are cli or vcs", example: local, change: onCloud((r) => (r.backend.workspaces.runs = "api")), path: "backend.workspaces.runs", message: /"cli", "vcs"/ },
  {
    rule: "a VCS repository only with VCS runs",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.vcsRepo = { identifier: "edge/infra", oauthTokenId: "ot-AbCd1234" })),
    path: "backend.workspaces.vcsRepo",
    message: /only valid with runs: vcs/,
  },
  {
    rule: "a VCS repository is connected one way",
    example: local,
    change: onCloud((r) => ((r.backend.workspaces.runs = "vcs"), (r.backend.workspaces.vcsRepo = { identifier: "edge/infra" }))),
    path: "backend.workspaces.vcsRepo",
    message: /exactly one of oauthTokenId and githubAppInstallationId/,
  },
  {
    rule: "a VCS repository identifier is <organization>/<repository>",
    example: local,
    change: onCloud((r) => ((r.backend.workspaces.runs = "vcs"), (r.backend.workspaces.vcsRepo = { identifier: "infra", oauthTokenId: "ot-AbCd1234" }))),
    path: "backend.workspaces.vcsRepo.identifier",
    message: /<organization>\/<repository>/,
  },
  {
    rule: "an existing run role is a role ARN",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.awsCredentials = { roleArn: "hcp-terraform-runs" })),
    path: "backend.workspaces.awsCredentials.roleArn",
    message: /(names an IAM user; a role is needed here|is not an ARN; expected an IAM role ARN)/,
  },
  {
    rule: "an existing run role excludes the created role's settings",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.awsCredentials = {
        roleArn: "arn:aws:iam::111122223333:role/hcp-terraform-runs",
        policyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"],
      })),
    path: "backend.workspaces.awsCredentials.policyArns",
    message: /only valid for the role the workspaces stack creates/,
  },
  {
    rule: "a run role only with dynamic credentials on",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.awsCredentials = { enabled: false, roleArn: "arn:aws:iam::111122223333:role/hcp-terraform-runs" })),
    path: "backend.workspaces.awsCredentials.roleArn",
    message: /only valid with enabled: true/,
  },
  {
    rule: "the OIDC provider is the one for the hostname",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.awsCredentials = { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/tfe.example.com" })),
    path: "backend.workspaces.awsCredentials.oidcProviderArn",
    message: /is not the provider for app\.terraform\.io/,
  },
  {
    rule: "run role policies are in the Region's partition",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.awsCredentials = { policyArns: ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"] })),
    path: "backend.workspaces.awsCredentials.policyArns[0]",
    message: /partition 'aws-us-gov'/,
  },
  {
    rule: "the workspaces stack's state workspace is a workspace name",
    example: local,
    change: onCloud((r) => (r.backend.workspaces.stateWorkspace = "edge bootstrap")),
    path: "backend.workspaces.stateWorkspace",
    message: /workspace name/,
  },
];

/** A change applied after the example's backend is replaced by cloudBackend(). */
function onCloud(change: (raw: Raw) => void): (raw: Raw) => void {
  return (raw) => {
    raw.backend = cloudBackend();
    change(raw);
  };
}

/** A cloud backend with the workspaces stack, valid for the local cluster example (private endpoint, agents). */
function cloudBackend(): Raw {
  return {
    type: "cloud",
    organization: "edge-org",
    workspacePrefix: "edge",
    project: "edge-platform",
    workspaces: { agentPoolId: "apool-AbCdEfGh12345678" },
  };
}

describe("every example is valid", () => {
  it.each(EXAMPLES)("%s", (example) => {
    expect(problemsOf(rawExample(example))).toEqual([]);
  });
});

describe("network-only blueprints skip the EKS rules (issue 23)", () => {
  it.each([openshift, hypershift])("%s: an unoffered Kubernetes version, read by no stack, is not reported", (example) => {
    expect(problemsOf(broken(example, (r) => (r.kubernetesVersion = "1.28")))).toEqual([]);
  });
  it("the same version is reported with distribution eks", () => {
    expect(problemsOf(broken(racks, (r) => (r.kubernetesVersion = "1.28"))).map((p) => p.path)).toContain("kubernetesVersion");
  });
  it.each([openshift, hypershift])("%s: needs no nodeGroups", (example) => {
    expect(rawExample(example).nodeGroups).toBeUndefined();
    expect(problemsOf(rawExample(example))).toEqual([]);
  });
});

describe("bad input: one case per rule", () => {
  it.each(cases.map((c) => [c.rule, c] as const))("%s", (_rule, testCase) => {
    const raw = broken(testCase.example, testCase.change);
    const problems = problemsOf(raw);
    const match = problems.find((p) => p.path === testCase.path && testCase.message.test(p.message));
    if (!match) throw new Error(`no problem at ${testCase.path} matching ${testCase.message}; got:\n${JSON.stringify(problems, null, 2)}`);
    // The value shown is the one found at that path in the file.
    const value = "value" in testCase ? testCase.value : testCase.path
      .replace(/\[(\d+)\]/g, ".$1")
      .split(".")
      .reduce<any>((current, key) => current?.[key], raw);
    expect(match.value).toEqual(value);
  });

  it("dns: a server out of reach of two node groups is one problem, not one per group", () => {
    const raw = broken(racks, (r) => (r.dns = { onPremDomains: [{ domain: "site.example.internal", servers: ["172.31.0.53"] }] }));
    const atServer = problemsOf(raw).filter((p) => p.path === "dns.onPremDomains[0].servers[0]");
    expect(atServer.map((p) => (p.message.match(/node group '[^']+'/g) ?? []).join(", "))).toEqual(["node group 'rack-a-general', node group 'rack-b-general'"]);
  });
});

/**
 * Each field whose default the schema's checks must accept (issue 20, class 6: a zod 4 `.default` skips
 * them, a `.prefault` does not). Left out, the field validates to its default; given that default
 * explicitly, the blueprint validates to the same: an omitted field is checked like a given one.
 */
interface OmittedCase {
  readonly example: string;
  readonly path: ReadonlyArray<string | number>;
  readonly expected: unknown;
  readonly setup?: (raw: Raw) => void;
}

const oneNodeSize = (r: Raw) => (delete r.nodeGroups[0].desiredSize, (r.nodeGroups[0].minSize = 1), (r.nodeGroups[0].maxSize = 3));

const omittedCases: OmittedCase[] = [
  { example: racks, path: ["backend", "requiredVersion"], expected: ">= 1.11" },
  { example: racks, path: ["backend", "hostname"], expected: "app.terraform.io", setup: (r) => (r.backend = cloudBackend()) },
  { example: local, path: ["controlPlane", "local", "rackCount"], expected: 1 },
  { example: racks, path: ["nodeGroups", 0, "taints", 0, "value"], expected: "", setup: (r) => (r.nodeGroups[0].taints = [{ key: "dedicated", effect: "NoSchedule" }]) },
  { example: racks, path: ["nodeGroups", 0, "rootVolume", "sizeGiB"], expected: 50, setup: (r) => (r.nodeGroups[0].rootVolume = {}) },
  { example: racks, path: ["nodeGroups", 0, "minSize"], expected: 1, setup: oneNodeSize },
  { example: racks, path: ["nodeGroups", 0, "maxSize"], expected: 3, setup: oneNodeSize },
  { example: racks, path: ["nodeGroups", 0, "spareNodes"], expected: 0 },
  { example: racks, path: ["nodeGroups", 0, "rollout", "maxSurge"], expected: 0 },
  { example: racks, path: ["nodeGroups", 0, "rollout", "instanceWarmupSeconds"], expected: 300 },
  { example: racks, path: ["addons", "loadBalancerController", "replicas"], expected: 2 },
  { example: racks, path: ["addons", "nodeTerminationHandler", "replicas"], expected: 2 },
  { example: racks, path: ["addons", "coreDns", "replicas"], expected: 2 },
  { example: racks, path: ["addons", "storage", "storageClassName"], expected: "gp2-encrypted" },
  { example: racks, path: ["addons", "images", "pullThroughCache", "prefix"], expected: "ecr-public" },
  { example: local, path: ["addons", "breakGlass", "userName"], expected: "outposts-eks-break-glass" },
  { example: local, path: ["addons", "breakGlass", "validityDays"], expected: 365 },
  { example: racks, path: ["monitoring", "evaluationMinutes"], expected: 5 },
  { example: racks, path: ["iam", "path"], expected: "/" },
];

function at(value: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<any>((current, key) => current?.[key], value);
}

/** Sets the value at `path`, creating the maps on the way; undefined deletes it. */
function setAt(raw: Raw, path: ReadonlyArray<string | number>, value: unknown): void {
  const parent = path.slice(0, -1).reduce<any>((current, key) => (current[key] ??= {}), raw);
  const last = path[path.length - 1];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

describe("omitted fields are checked like given ones", () => {
  it.each(omittedCases.map((c) => [c.path.join("."), c] as const))("%s", (_path, testCase) => {
    const omitted = broken(testCase.example, (r) => (testCase.setup?.(r), setAt(r, testCase.path, undefined)));
    const given = broken(testCase.example, (r) => (testCase.setup?.(r), setAt(r, testCase.path, testCase.expected)));
    const fromOmitted = validateBlueprint(omitted, "omitted.yaml");
    expect(at(fromOmitted, testCase.path)).toEqual(testCase.expected);
    expect(fromOmitted).toEqual(validateBlueprint(given, "given.yaml"));
  });
});

describe("error reporting", () => {
  it("reports every problem of a file in one run", () => {
    const raw = broken(racks, (r) => {
      r.name = "Bad Name";
      r.outposts[0].arn = "arn:aws:outposts:eu-west-1:111122223333:outpost/op-0a1b2c3d4e5f60718";
      r.outposts[1].subnet.cidr = "10.0.3.0/24";
      r.nodeGroups[0].outpost = "nowhere";
      r.outposts[0].lniDeviceIndex = 1;
    });
    const paths = problemsOf(raw).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(["name", "outposts[0].arn", "outposts[1].subnet.cidr", "nodeGroups[0].outpost", "outposts[0].lniDeviceIndex"]),
    );
  });

  it("formats each problem as path, value and what is valid", () => {
    const raw = broken(racks, (r) => (r.outposts[0].arn = r.outposts[0].arn.replace("us-west-2", "us-east-1")));
    expect(() => validateBlueprint(raw, "blueprint.yaml")).toThrow(
      /^blueprint\.yaml: the blueprint is invalid \(1 problem\):\n {2}- outposts\[0\]\.arn: "arn:aws:outposts:us-east-1:111122223333:outpost\/op-0a1b2c3d4e5f60718" is in Region us-east-1, but it is used in us-west-2/,
    );
  });

  it("shows a missing value as (missing)", () => {
    const raw = broken(racks, (r) => delete r.region);
    expect(() => validateBlueprint(raw, "b.yaml")).toThrow(/- region: \(missing\) is required/);
  });

  it("applies secure defaults", () => {
    const blueprint = validateBlueprint(broken(racks, (r) => delete r.backend));
    expect(blueprint.backend).toEqual({ type: "local", stateDirectory: "terraform-state", requiredVersion: ">= 1.11" });
    expect(blueprint.controlPlane.endpointPublicAccess).toBe(false);
    expect(blueprint.controlPlane.deletionProtection).toBe(true);
    const s3 = validateBlueprint(rawExample(existing));
    expect(s3.backend).toMatchObject({ type: "s3", encrypt: true, useLockfile: true });
  });
});

describe("defaults live in the schema only", () => {
  const sections: Array<[string, (raw: Raw) => Record<string, any>]> = [
    ["backend", (r) => r],
    ["controlPlane", (r) => r],
    ["workers", (r) => r],
    ["addons", (r) => r],
    ["network.endpoints", (r) => r.network],
    ["addons.loadBalancerController", (r) => r.addons],
    ["addons.nodeTerminationHandler", (r) => r.addons],
    ["addons.storage", (r) => r.addons],
    ["addons.vpcCni", (r) => r.addons],
    ["addons.coreDns", (r) => r.addons],
    ["addons.breakGlass", (r) => r.addons],
    ["nodeGroups[0].ami", (r) => r.nodeGroups[0]],
    ["nodeGroups[0].labels", (r) => r.nodeGroups[0]],
  ];

  it.each(sections)("%s: omitted and {} normalize to the same values", (section, parentOf) => {
    const key = section.split(/[.\]]/).filter(Boolean).pop()!;
    const withSection = (value: unknown) =>
      broken(racks, (r) => {
        r.addons ??= {};
        const parent = parentOf(r);
        if (value === undefined) delete parent[key];
        else parent[key] = value;
      });
    const omitted = validateBlueprint(withSection(undefined));
    const empty = validateBlueprint(withSection(key === "backend" ? { type: "local" } : {}));
    expect(empty).toEqual(omitted);
  });

  it("lets the rules read schema defaults: an omitted maxSize (3) is checked against minSize", () => {
    const raw = broken(racks, (r) => {
      delete r.nodeGroups[0].maxSize;
      delete r.nodeGroups[0].desiredSize;
      r.nodeGroups[0].minSize = 4;
    });
    expect(problemsOf(raw)).toEqual([expect.objectContaining({ path: "nodeGroups[0].minSize", message: expect.stringContaining("above maxSize (3)") })]);
  });
});
