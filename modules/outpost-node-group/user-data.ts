/**
 * Node user data: a MIME multipart document with the join configuration and, for Outposts servers
 * with a local network interface, the script that brings eth1 up on the site network.
 *
 * AL2023 joins with a nodeadm NodeConfig (`application/node.eks.aws`); on local clusters it sets
 * `enableOutpost: true` and the cluster ID. AL2 joins with `bootstrap.sh`, which takes
 * `--enable-local-outpost true --cluster-id` on local clusters. Values may be Terraform tokens
 * (they come from the control-plane stack's remote state); they are interpolated, never parsed.
 */

export type AmiFamily = "al2023" | "al2";

export interface ClusterJoin {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: string;
  /** Kubernetes service CIDR. */
  readonly serviceIpv4Cidr: string;
  /** The cluster's DNS service address (the service CIDR's 10th host), for AL2's bootstrap.sh. */
  readonly dnsClusterIp: string;
  /** Set for local clusters: nodeadm's cluster.id / bootstrap.sh --cluster-id. */
  readonly localClusterId?: string;
}

/** How eth1, a local network interface, gets its address on the site network. */
export type LniAddressing =
  | { readonly mode: "dhcp" }
  | { readonly mode: "static"; readonly addresses: readonly string[]; readonly gateway?: string; readonly routes?: readonly string[] };

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
  /** Path under which the mirror serves this registry. Default: none. */
  readonly pathPrefix?: string;
}

export interface NodeUserDataProps {
  readonly amiFamily: AmiFamily;
  readonly cluster: ClusterJoin;
  /** Kubernetes labels for the node. */
  readonly labels: Readonly<Record<string, string>>;
  /** Servers with LNI only. */
  readonly lni?: LocalNetworkInterface;
  /** Registry mirrors for containerd. Default: none. */
  readonly registryMirrors?: readonly RegistryMirror[];
}

export const MIME_BOUNDARY = "==OUTPOSTS-EKS==";

/** The tag the VPC CNI honors to leave an ENI alone. */
export const CNI_NO_MANAGE_TAG = "node.k8s.amazonaws.com/no_manage";

/** What a node needs to tag its LNI, and nothing else: that one tag, on interfaces in the LNI subnets. */
export function lniTaggingStatements(subnetIds: readonly string[]) {
  return [
    {
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: ["arn:aws:ec2:*:*:network-interface/*"],
      condition: [
        { test: "ArnLike", variable: "ec2:Subnet", values: subnetIds.map((id) => `arn:aws:ec2:*:*:subnet/${id}`) },
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

/** The nodeadm NodeConfig, as YAML. */
export function nodeConfigYaml(cluster: ClusterJoin, labels: Readonly<Record<string, string>>): string {
  const lines = [
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  cluster:",
    `    name: ${cluster.clusterName}`,
    `    apiServerEndpoint: ${cluster.endpoint}`,
    `    certificateAuthority: ${cluster.certificateAuthorityData}`,
    `    cidr: ${cluster.serviceIpv4Cidr}`,
  ];
  if (cluster.localClusterId !== undefined) {
    lines.push("    enableOutpost: true", `    id: ${cluster.localClusterId}`);
  }
  const labelFlag = labelList(labels);
  if (labelFlag) lines.push("  kubelet:", "    flags:", `      - --node-labels=${labelFlag}`);
  return `${lines.join("\n")}\n`;
}

/** The AL2 join script. */
export function al2BootstrapScript(cluster: ClusterJoin, labels: Readonly<Record<string, string>>): string {
  const args = [
    `/etc/eks/bootstrap.sh '${cluster.clusterName}'`,
    `--apiserver-endpoint '${cluster.endpoint}'`,
    `--b64-cluster-ca '${cluster.certificateAuthorityData}'`,
    `--dns-cluster-ip '${cluster.dnsClusterIp}'`,
  ];
  if (cluster.localClusterId !== undefined) {
    args.push("--enable-local-outpost true", `--cluster-id '${cluster.localClusterId}'`);
  }
  const labelFlag = labelList(labels);
  if (labelFlag) args.push(`--kubelet-extra-args '--node-labels=${labelFlag}'`);
  return ["#!/bin/bash", "set -euo pipefail", args.join(" \\\n  "), ""].join("\n");
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
    'TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
    'imds() { curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }',
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
    lines.push(
      // Site DHCP gives the address; its routes must not replace the VPC default route on the primary ENI.
      // Site DHCP gives only the address: its routes, DNS, NTP and host name would override the VPC's
      // (VPC endpoint names must keep resolving through the VPC resolver).
      "printf '[Match]\\nName=%s\\n\\n[Network]\\nDHCP=ipv4\\nDNSDefaultRoute=false\\n\\n[DHCPv4]\\nUseRoutes=false\\nUseDNS=false\\nUseDomains=false\\nUseNTP=false\\nUseHostname=false\\n' \"$DEVICE\" > /etc/systemd/network/60-outposts-lni.network",
      'networkctl reload && networkctl reconfigure "$DEVICE"',
    );
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
      lines.push(
        `ip route replace ${route} via ${gateway} dev "$DEVICE"`,
        `printf '\\n[Route]\\nDestination=${route}\\nGateway=${gateway}\\n' >> /etc/systemd/network/60-outposts-lni.network`,
      );
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
  const parts: Array<{ contentType: string; body: string }> = [];
  // The LNI must be tagged before the VPC CNI starts, so its script runs first.
  if (props.lni) {
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: escapeTerraformTemplate(lniSetupScript(props.lni)) });
  }
  // Before nodeadm (or bootstrap.sh) starts containerd and the kubelet pulls its first image.
  if (props.registryMirrors && props.registryMirrors.length > 0) {
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: escapeTerraformTemplate(registryMirrorScript(props.registryMirrors)) });
  }
  if (props.amiFamily === "al2023") {
    parts.push({ contentType: "application/node.eks.aws", body: nodeConfigYaml(props.cluster, props.labels) });
  } else {
    parts.push({ contentType: 'text/x-shellscript; charset="us-ascii"', body: al2BootstrapScript(props.cluster, props.labels) });
  }
  const lines = ["MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`, ""];
  for (const part of parts) lines.push(`--${MIME_BOUNDARY}`, `Content-Type: ${part.contentType}`, "", part.body);
  lines.push(`--${MIME_BOUNDARY}--`, "");
  return lines.join("\n");
}
