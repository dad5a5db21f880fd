/**
 * Node user data: a MIME multipart document with the join configuration and, for Outposts servers
 * with a local network interface, the script that brings eth1 up on the site network; or, for
 * Bottlerocket, its TOML settings.
 *
 * AL2023 joins with a nodeadm NodeConfig (`application/node.eks.aws`); on local clusters it sets
 * `enableOutpost: true` and the cluster ID. AL2 joins with `bootstrap.sh`, which takes
 * `--enable-local-outpost true --cluster-id` on local clusters. Bottlerocket reads TOML settings
 * (`settings.kubernetes.*`), not a MIME document. Values may be Terraform tokens (they come from
 * the control-plane stack's remote state); they are interpolated, never parsed.
 */
import { Fn, Token } from "cdktf";

export type AmiFamily = "al2023" | "al2" | "bottlerocket";

/** A Kubernetes taint the kubelet registers the node with. */
export interface NodeTaint {
  readonly key: string;
  /** May be empty. */
  readonly value: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface ClusterJoin {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: string;
  /** Kubernetes service CIDR. */
  readonly serviceIpv4Cidr: string;
  /** The cluster's DNS service address (the service CIDR's 10th host), for AL2's bootstrap.sh. */
  readonly dnsClusterIp: string;
  /**
   * Set for local clusters: nodeadm's cluster.id / bootstrap.sh --cluster-id.
   * @default - an extended cluster (tokens by name)
   */
  readonly localClusterId?: string;
  /**
   * A resolv.conf for the kubelet (the pods' upstream) that names one name server and no search
   * domain, written at boot: what the EKS User Guide asks of instance-store local clusters for
   * network disconnects (`spec.kubelet.config.resolvConf`, with the VPC resolver), and what keeps
   * pods on the VPC resolver when the node routes on-premises domains elsewhere.
   * @default - the kubelet's own choice of resolv.conf
   */
  readonly kubeletResolvConf?: { readonly path: string; readonly nameserver: string };
}

/**
 * How eth1, a local network interface, gets its address on the site network, and the site networks
 * it routes: through the DHCP server's gateway, or through `gateway`.
 */
export type LniAddressing =
  | {
      readonly mode: "dhcp";
      /**
       * Site networks routed through the gateway the site's DHCP server gives (`Gateway=_dhcp4`).
       * @default none
       */
      readonly routes?: readonly string[];
    }
  | {
      readonly mode: "static";
      readonly addresses: readonly string[];
      /** @default - no gateway, so no routes */
      readonly gateway?: string;
      /**
       * Site networks routed through `gateway`.
       * @default none
       */
      readonly routes?: readonly string[];
    };

export interface LocalNetworkInterface {
  /** Device index of the LNI (1 = eth1). */
  readonly deviceIndex: number;
  readonly addressing: LniAddressing;
}

/** Pulls from `upstream` go to `mirror` first (containerd hosts.toml). */
export interface RegistryMirror {
  /** The registry workloads name in their images, such as docker.io. */
  readonly upstream: string;
  /** The mirror's host, with an optional port. */
  readonly host: string;
  /**
   * Path under which the mirror serves this registry.
   * @default none
   */
  readonly pathPrefix?: string;
}

export interface NodeUserDataProps {
  readonly amiFamily: AmiFamily;
  readonly cluster: ClusterJoin;
  /** Kubernetes labels for the node. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Taints the node registers with.
   * @default none
   */
  readonly taints?: readonly NodeTaint[];
  /**
   * Servers with LNI only.
   * @default - no local network interface
   */
  readonly lni?: LocalNetworkInterface;
  /**
   * Registry mirrors for containerd.
   * @default none
   */
  readonly registryMirrors?: readonly RegistryMirror[];
  /**
   * On-premises domains the node asks the on-premises servers for itself (AL2023 only).
   * @default none
   */
  readonly onPremResolverRoutes?: OnPremResolverRoutes;
}

export const MIME_BOUNDARY = "==OUTPOSTS-EKS==";

/** The tag the VPC CNI honors to leave an ENI alone. */
export const CNI_NO_MANAGE_TAG = "node.k8s.amazonaws.com/no_manage";

/**
 * What a node needs to tag its LNI, and nothing else: that one tag, on interfaces in the LNI
 * subnets. `partition` is the Region's partition (aws, aws-us-gov, aws-cn).
 */
export function lniTaggingStatements(partition: string, subnetIds: readonly string[]) {
  return [
    {
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: [`arn:${partition}:ec2:*:*:network-interface/*`],
      condition: [
        { test: "ArnLike", variable: "ec2:Subnet", values: subnetIds.map((id) => `arn:${partition}:ec2:*:*:subnet/${id}`) },
        { test: "StringEquals", variable: `aws:RequestTag/${CNI_NO_MANAGE_TAG}`, values: ["true"] },
        { test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: [CNI_NO_MANAGE_TAG] },
      ],
    },
  ];
}

function labelList(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}

/** The kubelet's `--register-with-taints` value: key=value:Effect, comma-separated. */
export function taintList(taints: readonly NodeTaint[]): string {
  return taints.map((taint) => `${taint.key}=${taint.value}:${taint.effect}`).join(",");
}

/** The kubelet flags for labels and taints, none when there are neither. */
function kubeletFlags(labels: Readonly<Record<string, string>>, taints: readonly NodeTaint[]): string[] {
  const flags: string[] = [];
  if (Object.keys(labels).length > 0) flags.push(`--node-labels=${labelList(labels)}`);
  if (taints.length > 0) flags.push(`--register-with-taints=${taintList(taints)}`);
  return flags;
}

/**
 * The endpoint without a port. DescribeCluster has returned a local cluster's endpoint with a port,
 * and nodeadm resolves the endpoint's host with `net.LookupHost`, which fails on "host:port"; eksctl
 * strips the port for local clusters (eksctl PRs #8591 and #8599). A token is stripped by Terraform.
 */
export function endpointWithoutPort(endpoint: string): string {
  if (Token.isUnresolved(endpoint)) return Fn.replace(endpoint, "/:[0-9]+$/", "");
  return endpoint.replace(/^(https?:\/\/[^/:]+):\d+$/, "$1");
}

/** Writes the kubelet's resolv.conf: one name server, no search domain. */
export function kubeletResolvConfScript(resolvConf: { readonly path: string; readonly nameserver: string }): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "# One name server and no search domain (EKS UG, instance-store local clusters and network disconnects).",
    `mkdir -p "$(dirname '${resolvConf.path}')"`,
    `echo 'nameserver ${resolvConf.nameserver}' > '${resolvConf.path}'`,
    "",
  ].join("\n");
}

/**
 * IMDSv2: a session token, and `imds PATH` for one metadata value. `-f` makes an HTTP error a failure
 * rather than a body (an IMDS error page must never become a MAC or an ENI ID); the retries ride
 * out IMDS not answering yet early in boot.
 */
const IMDS_HELPERS = [
  'TOKEN=$(curl -fsS --retry 5 --retry-connrefused -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
  'imds() { curl -fsS --retry 5 --retry-connrefused -H "X-aws-ec2-metadata-token: $TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }',
];

/** systemd's wait-online tool, at its path on AL2023 (systemd 252, merged /usr). */
const NETWORKD_WAIT_ONLINE = "/usr/lib/systemd/systemd-networkd-wait-online";

/** Where the node sends on-premises domains: its own resolver (systemd-resolved) asks these servers. */
export interface OnPremResolverRoutes {
  readonly domains: readonly string[];
  readonly servers: readonly string[];
}

/**
 * Routes the on-premises domains to the site's servers, and nothing else (AL2023, systemd 252).
 *
 * Global `DNS=` in resolved.conf is always a default route: beside `Domains=~corp...` alone, every
 * other name (ECR, STS, the cluster endpoint) is asked of the site's servers too, in parallel with
 * the VPC resolver, and the first answer wins (resolved.conf(5); shown by npm run test:node). So the
 * primary interface also takes the routing domain `~.`: every name no more specific routing domain claims
 * goes to its link alone, the VPC resolver.
 *
 * The drop-in extends the network file networkd applied to the primary link (NETWORK_FILE= in
 * /run/systemd/netif/links/<ifindex>), whatever its name: on the EKS-optimized AL2023 AMI that is no
 * amazon-ec2-net-utils 70-<iface>.network (the AMI masks its udev rule 99-vpc-policy-routes.rules:
 * awslabs/amazon-eks-ami@0030ac57e8631fd3daf8baeaf6637f52794c30e6 templates/al2023/provisioners/install-worker.sh)
 * but nodeadm's /run/systemd/network/70-eks-<iface>.network (AMI v20251002 on;
 * awslabs/amazon-eks-ami@2ddfd9950deace90e3f876d98c7a02dcb380f62e nodeadm/cmd/nodeadm-internal/udev/systemd.go
 * eksNetworkPath), and before it /usr/lib/systemd/network/80-ec2.network. A drop-in directory
 * <file>.d/ is read from /etc whichever directory holds the file (systemd.network(5)). The reload
 * reconfigures the primary, which drops its DHCP lease for a moment: the script waits for the link
 * to be routable again, and fails unless resolved then shows `~.` on it.
 */
export function onPremResolverScript(routes: OnPremResolverRoutes): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    ...IMDS_HELPERS,
    "# The primary interface: the one whose MAC is the instance's top-level mac (device number 0).",
    "PRIMARY_MAC=$(imds mac)",
    'ADDRESS_FILE=$(grep -l "$PRIMARY_MAC" /sys/class/net/*/address || true)',
    '[ -n "$ADDRESS_FILE" ] || { echo "no network device with MAC $PRIMARY_MAC" >&2; exit 1; }',
    'PRIMARY=$(basename "$(dirname "$ADDRESS_FILE")")',
    "# The network file networkd applied to the primary link (70-eks-<iface>.network from nodeadm, or 80-ec2.network).",
    'IFINDEX=$(cat "/sys/class/net/$PRIMARY/ifindex")',
    'NETWORK_FILE=$(sed -n "s/^NETWORK_FILE=//p" "/run/systemd/netif/links/$IFINDEX" 2>/dev/null || true)',
    '[ -n "$NETWORK_FILE" ] || { echo "systemd-networkd applies no network file to $PRIMARY (no NETWORK_FILE= in /run/systemd/netif/links/$IFINDEX): cannot give it the routing domain ~." >&2; exit 1; }',
    '# Every name no more specific routing domain claims goes to the primary link alone: the VPC resolver.',
    'DROPIN_DIR="/etc/systemd/network/$(basename "$NETWORK_FILE").d"',
    'mkdir -p "$DROPIN_DIR"',
    "printf '[Network]\\nDomains=~.\\n' > \"$DROPIN_DIR/outposts-eks-dns.conf\"",
    "# Routing domains (~): these names go to the on-premises servers, over the local gateway or the LNI.",
    "mkdir -p /etc/systemd/resolved.conf.d",
    "cat > /etc/systemd/resolved.conf.d/outposts-eks-on-premises.conf <<'CONF'",
    "[Resolve]",
    `DNS=${routes.servers.join(" ")}`,
    `Domains=${routes.domains.map((domain) => `~${domain}`).join(" ")}`,
    "CONF",
    "networkctl reload",
    "# The reload reconfigures the primary, dropping its DHCP lease for a moment: wait until it is routable again.",
    `${NETWORKD_WAIT_ONLINE} --interface="$PRIMARY:routable" --timeout=60`,
    "systemctl restart systemd-resolved",
    'if ! resolvectl domain "$PRIMARY" | grep -Eq "(^|[[:space:]])~\\.([[:space:]]|$)"; then',
    '  echo "the routing domain ~. is not on $PRIMARY after the reload ($DROPIN_DIR): AWS names would also be asked of the on-premises servers; resolvectl domain says: $(resolvectl domain "$PRIMARY" 2>&1)" >&2',
    "  exit 1",
    "fi",
    "",
  ].join("\n");
}

/** The nodeadm NodeConfig, as YAML. */
export function nodeConfigYaml(cluster: ClusterJoin, labels: Readonly<Record<string, string>>, taints: readonly NodeTaint[] = []): string {
  const local = cluster.localClusterId !== undefined;
  const lines = [
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  cluster:",
    `    name: ${cluster.clusterName}`,
    `    apiServerEndpoint: ${local ? endpointWithoutPort(cluster.endpoint) : cluster.endpoint}`,
    `    certificateAuthority: ${cluster.certificateAuthorityData}`,
    `    cidr: ${cluster.serviceIpv4Cidr}`,
  ];
  if (local) {
    lines.push("    enableOutpost: true", `    id: ${cluster.localClusterId}`);
  }
  const flags = kubeletFlags(labels, taints);
  if (flags.length > 0 || cluster.kubeletResolvConf !== undefined) lines.push("  kubelet:");
  if (cluster.kubeletResolvConf !== undefined) lines.push("    config:", `      resolvConf: ${cluster.kubeletResolvConf.path}`);
  if (flags.length > 0) lines.push("    flags:", ...flags.map((flag) => `      - ${JSON.stringify(flag)}`));
  return `${lines.join("\n")}\n`;
}

/** The AL2 join script. */
export function al2BootstrapScript(cluster: ClusterJoin, labels: Readonly<Record<string, string>>, taints: readonly NodeTaint[] = []): string {
  const args = [
    `/etc/eks/bootstrap.sh '${cluster.clusterName}'`,
    `--apiserver-endpoint '${cluster.endpoint}'`,
    `--b64-cluster-ca '${cluster.certificateAuthorityData}'`,
    `--dns-cluster-ip '${cluster.dnsClusterIp}'`,
  ];
  if (cluster.localClusterId !== undefined) {
    args.push("--enable-local-outpost true", `--cluster-id '${cluster.localClusterId}'`);
  }
  const flags = [...kubeletFlags(labels, taints), ...(cluster.kubeletResolvConf !== undefined ? [`--resolv-conf=${cluster.kubeletResolvConf.path}`] : [])];
  if (flags.length > 0) args.push(`--kubelet-extra-args '${flags.join(" ")}'`);
  return ["#!/bin/bash", "set -euo pipefail", args.join(" \\\n  "), ""].join("\n");
}

/** A TOML basic string. Tokens pass through: their values (names, base64, URLs, IPs) need no escaping. */
function tomlString(value: string): string {
  if (Token.isUnresolved(value)) return `"${value}"`;
  return JSON.stringify(value);
}

/**
 * Bottlerocket's user data: TOML settings (Bottlerocket settings reference, `settings.kubernetes`).
 * Labels are a table of strings; taints a table of "value:Effect" lists; registry mirrors go to
 * `settings.container-registry.mirrors`, because Bottlerocket has no shell to write hosts.toml.
 */
export function bottlerocketSettingsToml(props: NodeUserDataProps): string {
  const { cluster, labels } = props;
  const lines = [
    "[settings.kubernetes]",
    `cluster-name = ${tomlString(cluster.clusterName)}`,
    `api-server = ${tomlString(cluster.localClusterId !== undefined ? endpointWithoutPort(cluster.endpoint) : cluster.endpoint)}`,
    `cluster-certificate = ${tomlString(cluster.certificateAuthorityData)}`,
    `cluster-dns-ip = ${tomlString(cluster.dnsClusterIp)}`,
  ];
  if (Object.keys(labels).length > 0) {
    lines.push("", "[settings.kubernetes.node-labels]", ...Object.entries(labels).map(([key, value]) => `${JSON.stringify(key)} = ${tomlString(value)}`));
  }
  const taints = props.taints ?? [];
  if (taints.length > 0) {
    const byKey = new Map<string, string[]>();
    for (const taint of taints) byKey.set(taint.key, [...(byKey.get(taint.key) ?? []), `${taint.value}:${taint.effect}`]);
    lines.push("", "[settings.kubernetes.node-taints]");
    for (const [key, values] of byKey) lines.push(`${JSON.stringify(key)} = [${values.map((value) => JSON.stringify(value)).join(", ")}]`);
  }
  for (const mirror of props.registryMirrors ?? []) {
    lines.push("", "[[settings.container-registry.mirrors]]", `registry = ${JSON.stringify(mirror.upstream)}`, `endpoint = [${JSON.stringify(`https://${mirror.host}`)}]`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Brings the LNI up before kubelet and the VPC CNI start. The VPC's DHCP options do not apply to
 * an LNI, so the OS configures it (Outposts server user guide, "Local network interface"). The ENI
 * is first tagged so the VPC CNI never assigns pod addresses on it.
 */
export function lniSetupScript(lni: LocalNetworkInterface): string {
  const lines = [
    "#!/bin/bash",
    "set -euo pipefail",
    `# Bring up the local network interface (device index ${lni.deviceIndex}) on the site network.`,
    ...IMDS_HELPERS,
    // Interface names differ between AMIs (eth1 on AL2, ens6 on AL2023): find it by device number.
    "LNI_MAC=''",
    "for attempt in $(seq 1 60); do",
    "  for mac in $(imds network/interfaces/macs/); do",
    `    if [ "$(imds "network/interfaces/macs/\${mac%/}/device-number")" = "${lni.deviceIndex}" ]; then LNI_MAC=\${mac%/}; fi`,
    "  done",
    '  [ -n "$LNI_MAC" ] && break',
    "  sleep 2",
    "done",
    `[ -n "$LNI_MAC" ] || { echo "no interface at device index ${lni.deviceIndex}" >&2; exit 1; }`,
    'ADDRESS_FILE=$(grep -l "$LNI_MAC" /sys/class/net/*/address || true)',
    '[ -n "$ADDRESS_FILE" ] || { echo "no network device with MAC $LNI_MAC" >&2; exit 1; }',
    'DEVICE=$(basename "$(dirname "$ADDRESS_FILE")")',
    'ENI_ID=$(imds "network/interfaces/macs/$LNI_MAC/interface-id")',
    "REGION=$(imds placement/region)",
    `aws ec2 create-tags --region "$REGION" --resources "$ENI_ID" --tags Key=${CNI_NO_MANAGE_TAG},Value=true`,
    'ip link set dev "$DEVICE" up',
    "mkdir -p /etc/systemd/network",
  ];
  if (lni.addressing.mode === "dhcp") {
    // Site DHCP gives the address and the gateway: its routes (a default route would replace the VPC's
    // on the primary ENI), DNS, NTP and host name are not taken. UseRoutes=false also drops the DHCP
    // gateway (UseGateway follows it), so each site network gets its own route through that gateway.
    const siteRoutes = lni.addressing.routes ?? [];
    const routes = siteRoutes.map((route) => `\\n[Route]\\nDestination=${route}\\nGateway=_dhcp4\\n`).join("");
    lines.push(
      `printf '[Match]\\nName=%s\\n\\n[Network]\\nDHCP=ipv4\\nDNSDefaultRoute=false\\n\\n[DHCPv4]\\nUseRoutes=false\\nUseDNS=false\\nUseDomains=false\\nUseNTP=false\\nUseHostname=false\\n${routes}' "$DEVICE" > /etc/systemd/network/60-outposts-lni.network`,
      'networkctl reload && networkctl reconfigure "$DEVICE"',
    );
    if (siteRoutes.length > 0) {
      // Gateway=_dhcp4 adds no route when the site's DHCP server gives no router (option 3): the site
      // networks would then leave by the primary ENI, towards the Region. Say so where an operator looks.
      const probe = siteRoutes[0].split("/")[0];
      lines.push(
        "# Once the lease is in, the site networks must leave by the LNI (Gateway=_dhcp4 needs the DHCP server's router, option 3).",
        // Without a router networkd never finishes the link (its Gateway=_dhcp4 routes wait): check the route either way.
        `if ! ${NETWORKD_WAIT_ONLINE} --interface="$DEVICE:routable" --timeout=60; then`,
        '  echo "outposts-eks: ERROR: the LNI $DEVICE was not configured within 60 s (networkctl status $DEVICE says why)" >&2',
        "fi",
        `if ! ip -4 -o route get ${probe} | grep -q " dev $DEVICE "; then`,
        `  echo "outposts-eks: ERROR: ${probe} (${siteRoutes[0]}) is routed out of $(ip -4 -o route get ${probe} | grep -o "dev [^ ]*"), not by the LNI $DEVICE: does the site's DHCP server give a router (option 3)? Without one, Gateway=_dhcp4 adds no route to the site networks" >&2`,
        "fi",
      );
    }
  } else {
    const { addresses, gateway, routes = [] } = lni.addressing;
    lines.push(
      "# Claim the first address no other host answers for (duplicate address detection). Nodes that",
      "# boot together wait a random moment first, and check again once the address is theirs.",
      "ADDRESS=''",
      `for candidate in ${addresses.join(" ")}; do`,
      "  sleep $((RANDOM % 5))",
      '  arping -D -q -c 2 -I "$DEVICE" "${candidate%/*}" || continue',
      '  ip address add "$candidate" dev "$DEVICE"',
      '  if arping -D -q -c 2 -I "$DEVICE" "${candidate%/*}"; then ADDRESS=$candidate; break; fi',
      '  ip address del "$candidate" dev "$DEVICE"',
      "done",
      '[ -n "$ADDRESS" ] || { echo "no free LNI address on $DEVICE" >&2; exit 1; }',
      "printf '[Match]\\nName=%s\\n\\n[Network]\\nAddress=%s\\n' \"$DEVICE\" \"$ADDRESS\" > /etc/systemd/network/60-outposts-lni.network",
    );
    for (const route of gateway ? routes : []) {
      lines.push(`printf '\\n[Route]\\nDestination=${route}\\nGateway=${gateway}\\n' >> /etc/systemd/network/60-outposts-lni.network`);
    }
    lines.push('networkctl reload && networkctl reconfigure "$DEVICE"');
  }
  return `${lines.join("\n")}\n`;
}

/** Docker Hub's registry host differs from the name images use. */
const REGISTRY_SERVERS: Readonly<Record<string, string>> = { "docker.io": "registry-1.docker.io" };

/**
 * A containerd hosts.toml that sends pulls for one registry to the mirror first, falling back to the
 * registry itself (containerd docs/hosts.md). A path prefix is the mirror's API root, so the URL holds
 * `/v2` and `override_path` is set.
 */
export function hostsToml(mirror: RegistryMirror): string {
  const server = REGISTRY_SERVERS[mirror.upstream] ?? mirror.upstream;
  const url = mirror.pathPrefix ? `https://${mirror.host}/v2/${mirror.pathPrefix}` : `https://${mirror.host}`;
  const lines = [`server = "https://${server}"`, "", `[host."${url}"]`, '  capabilities = ["pull", "resolve"]'];
  if (mirror.pathPrefix) lines.push("  override_path = true");
  return `${lines.join("\n")}\n`;
}

/**
 * Writes one hosts.toml per mirrored registry. The EKS AMIs' containerd configuration sets
 * `config_path = "/etc/containerd/certs.d:/etc/docker/certs.d"` and containerd refuses `mirrors` in
 * its config beside `config_path`, so hosts.toml files are the way; containerd reads them at each
 * pull. A mirror gets no ECR credentials from the kubelet (containerd issues #10996, #10540): it must
 * need none, or carry its own.
 */
export function registryMirrorScript(mirrors: readonly RegistryMirror[]): string {
  const lines = ["#!/bin/bash", "set -euo pipefail", "# Registry mirrors for containerd: written before the node joins."];
  for (const mirror of mirrors) {
    const directory = `/etc/containerd/certs.d/${mirror.upstream}`;
    lines.push(`mkdir -p ${directory}`, `cat > ${directory}/hosts.toml <<'HOSTS'`, hostsToml(mirror).trimEnd(), "HOSTS");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Escapes a literal for a Terraform string: `${` and `%{` would start an interpolation or a
 * template directive (`$${` and `%%{` are their literal forms). Only for text without tokens.
 */
export function escapeTerraformTemplate(literal: string): string {
  return literal.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/**
 * The whole MIME multipart user data, as a Terraform string (not yet base64-encoded): shell
 * literals are escaped for Terraform; cluster values may be tokens.
 */
export function nodeUserData(props: NodeUserDataProps): string {
  // Bottlerocket runs no cloud-init scripts: its user data is the settings document alone.
  if (props.amiFamily === "bottlerocket") {
    if (props.lni) throw new Error("Bottlerocket cannot run on an Outposts server, so it has no LNI");
    return bottlerocketSettingsToml(props);
  }
  const parts: Array<{ contentType: string; body: string }> = [];
  // The LNI must be tagged before the VPC CNI starts, so its script runs first.
  if (props.lni) {
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: escapeTerraformTemplate(lniSetupScript(props.lni)) });
  }
  // Names resolve before anything pulls: the registry mirror may be on premises.
  if (props.onPremResolverRoutes) {
    if (props.amiFamily !== "al2023") throw new Error("on-premises resolver routes are written for systemd-resolved, which only AL2023 nodes run");
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: escapeTerraformTemplate(onPremResolverScript(props.onPremResolverRoutes)) });
  }
  // The kubelet's resolv.conf must exist before nodeadm (or bootstrap.sh) starts the kubelet.
  if (props.cluster.kubeletResolvConf !== undefined) {
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: escapeTerraformTemplate(kubeletResolvConfScript(props.cluster.kubeletResolvConf)) });
  }
  // Before nodeadm (or bootstrap.sh) starts containerd and the kubelet pulls its first image.
  if (props.registryMirrors && props.registryMirrors.length > 0) {
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: escapeTerraformTemplate(registryMirrorScript(props.registryMirrors)) });
  }
  if (props.amiFamily === "al2023") {
    parts.push({ contentType: "application/node.eks.aws", body: nodeConfigYaml(props.cluster, props.labels, props.taints) });
  } else {
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: al2BootstrapScript(props.cluster, props.labels, props.taints) });
  }
  const lines = ["MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`, ""];
  for (const part of parts) lines.push(`--${MIME_BOUNDARY}`, `Content-Type: ${part.contentType}`, "", part.body);
  lines.push(`--${MIME_BOUNDARY}--`, "");
  return lines.join("\n");
}
