#!/usr/bin/env bash
# Boots one node's network and names as the node would, in Linux network namespaces, and records
# where every name and packet went. Usage: run-node.sh ROOT DIR, where ROOT is what prepare.sh
# printed and DIR holds scenario.env (written by test/node/harness.ts), parts/ (the user data's shell
# scripts, in the order cloud-init runs them) and names.txt ("phase name" lines). Results go to DIR/out.
#
# The topology (all in namespaces; nothing on the machine changes):
#   node  eth0 --- region: the primary ENI's subnet gateway, the VPC resolver (dnsmasq), the VPC's
#                  DHCP server; on racks also the site's DNS servers and the mirror (the rack
#                  subnet's routes to the local gateway, collapsed into one hop)
#   node  eth1 --- site:   Outposts servers with an LNI: the site network's DHCP server and gateway,
#                  the site's DNS servers and the mirror, outside the LNI's own prefix
# The node runs Debian's systemd-networkd and systemd-resolved (systemd 252) as their own users,
# with a private /run, an overlay over /etc and a read-only /sys (node-harness-notes.md).
set -uo pipefail
root=$1; dir=$(cd "$2" && pwd)
# shellcheck disable=SC1091
. "$dir/scenario.env"
out=$dir/out; rm -rf "$out"; mkdir -p "$out"
id=$$
node=nh-node-$id; region=nh-region-$id; site=nh-site-$id
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu"
dnsmasq=$root/usr/sbin/dnsmasq
cleanup() {
  for pid in "$out"/*.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
  ip netns del "$node" 2>/dev/null; ip netns del "$region" 2>/dev/null; ip netns del "$site" 2>/dev/null
  return 0
}
trap cleanup EXIT

ip netns add "$node"; ip netns add "$region"
ip -n "$node" link set lo up; ip -n "$region" link set lo up
ip link add "nh-e0-$id" type veth peer name "nh-r0-$id"
ip link set "nh-e0-$id" netns "$node"; ip link set "nh-r0-$id" netns "$region"
ip -n "$node" link set "nh-e0-$id" name eth0 address "$PRIMARY_MAC"
for address in "$PRIMARY_GATEWAY/$PRIMARY_PREFIX_LENGTH" "$VPC_RESOLVER/32"; do ip -n "$region" addr add "$address" dev "nh-r0-$id"; done
ip -n "$region" link set "nh-r0-$id" up

# dnsmasq NAME NETNS ADDRESS ARGS...: one DNS server, logging every query to NAME.log.
serve_dns() {
  local name=$1 ns=$2 address=$3; shift 3
  ip netns exec "$ns" "$dnsmasq" --no-resolv --no-hosts --no-daemon --listen-address="$address" --bind-interfaces --port=53 \
    --log-queries --log-facility="$out/$name.log" --pid-file="$out/$name.dnsmasq-pid" "$@" >"$out/$name.stderr" 2>&1 &
  echo $! > "$out/$name.pid"
}
# The VPC's DHCP server for the primary ENI: its address, the subnet router, the VPC resolver and
# the Region's domain (Amazon VPC User Guide, DHCP option sets: AmazonProvidedDNS).
ip netns exec "$region" "$dnsmasq" --no-daemon --port=0 --interface="nh-r0-$id" --bind-interfaces --dhcp-range="$PRIMARY_ADDRESS,$PRIMARY_ADDRESS,$PRIMARY_NETMASK" \
  --dhcp-option=option:router,"$PRIMARY_GATEWAY" --dhcp-option=option:dns-server,"$VPC_RESOLVER" --dhcp-option=option:domain-name,"$REGION_DOMAIN" \
  --dhcp-leasefile="$out/vpc-dhcp.leases" --log-facility="$out/vpc-dhcp.log" --log-dhcp >"$out/vpc-dhcp.stderr" 2>&1 &
echo $! > "$out/vpc-dhcp.pid"
# The VPC resolver answers every public and AWS name (with an address in the VPC, as interface
# endpoints' private DNS does) and knows nothing of the on-premises domains.
vpc_args=(--address="/#/$VPC_ANSWER")
for domain in $ONPREM_DOMAINS; do vpc_args+=(--address="/$domain/"); done
serve_dns vpc "$region" "$VPC_RESOLVER" "${vpc_args[@]}"

# The site: its DNS servers recurse to the internet (they answer every name, with a public address)
# and answer the on-premises domains; the mirror's name resolves to the mirror's address.
site_ns=$region; site_dev=nh-r0-$id
if [ "$LNI_MODE" != none ]; then
  ip netns add "$site"; ip -n "$site" link set lo up; site_ns=$site; site_dev=nh-s1-$id
  ip link add "nh-e1-$id" type veth peer name "$site_dev"
  ip link set "nh-e1-$id" netns "$node"; ip link set "$site_dev" netns "$site"
  ip -n "$node" link set "nh-e1-$id" name eth1 address "$LNI_MAC"
  ip -n "$site" addr add "$LNI_GATEWAY/$LNI_PREFIX_LENGTH" dev "$site_dev"
  ip -n "$site" link set "$site_dev" up
  if [ "$LNI_MODE" = dhcp ]; then
    # LNI_DHCP_ROUTER=no: no router (option 3); dnsmasq would otherwise offer its own address as one.
    ip netns exec "$site" "$dnsmasq" --no-daemon --port=0 --interface="$site_dev" --bind-interfaces --dhcp-range="$LNI_DHCP_RANGE" \
      "$([ "${LNI_DHCP_ROUTER:-yes}" = yes ] && echo "--dhcp-option=option:router,$LNI_GATEWAY" || echo --dhcp-option=3)" --dhcp-option=option:dns-server,"${SITE_SERVERS%% *}" \
      --dhcp-leasefile="$out/site-dhcp.leases" --log-facility="$out/site-dhcp.log" --log-dhcp >"$out/site-dhcp.stderr" 2>&1 &
    echo $! > "$out/site-dhcp.pid"
  fi
fi
for address in $SITE_SERVERS $MIRROR_ADDRESS; do ip -n "$site_ns" addr add "$address/32" dev "$site_dev"; done
site_args=(--address="/#/$SITE_PUBLIC_ANSWER")
for domain in $ONPREM_DOMAINS; do site_args+=(--address="/$domain/$SITE_ANSWER"); done
[ -n "$MIRROR_HOST" ] && site_args+=(--address="/$MIRROR_HOST/$MIRROR_ADDRESS")
n=0; for server in $SITE_SERVERS; do n=$((n + 1)); serve_dns "site$n" "$site_ns" "$server" "${site_args[@]}"; done
sleep 0.5

export root dir out dnsmasq
ip netns exec "$node" unshare -m --propagation private bash -c '
set -uo pipefail
. "$dir/scenario.env"
# A private /etc (overlay), /run and a read-only /sys: networkd then treats the namespace as a container
# and does not wait for udev.
mkdir -p "$out/etc-upper" "$out/etc-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$out/etc-upper,workdir=$out/etc-work" /etc
mount --bind /sys /sys; mount -o remount,bind,ro /sys
mount -t tmpfs tmpfs /run
getent passwd systemd-network >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin systemd-network
getent passwd systemd-resolve >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin systemd-resolve
mkdir -p /run/dbus /run/systemd/resolve /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp /run/systemd/network /etc/dbus-1/system.d
chown -R systemd-resolve:systemd-resolve /run/systemd/resolve; chown -R systemd-network:systemd-network /run/systemd/netif
cp "$root/usr/share/dbus-1/system.d/org.freedesktop.resolve1.conf" /etc/dbus-1/system.d/
rm -rf /etc/systemd/network /etc/systemd/resolved.conf.d /etc/containerd /etc/eks; mkdir -p /etc/systemd/network
ln -sf /run/systemd/resolve/stub-resolv.conf /etc/resolv.conf
dbus-daemon --system --fork
ip link set lo up

# The primary ENI (and an LNI, attached at launch) as the AMI configures them before the user data
# runs. NETWORK_LAYOUT picks the AMI:
#  nodeadm (default): the EKS-optimized AL2023 AMI from v20251002. It masks amazon-ec2-net-utils'"'"'
#    udev rule (awslabs/amazon-eks-ami@0030ac57e8631fd3daf8baeaf6637f52794c30e6
#    templates/al2023/provisioners/install-worker.sh), and nodeadm'"'"'s udev-net-manager writes
#    /run/systemd/network/70-eks-<iface>.network from eks-managed.network.tpl for every interface it
#    manages, metric 512 + device index, and disables 80-ec2.network with a [Match] Name=none drop-in
#    once the primary is up (awslabs/amazon-eks-ami@271083ce0feb9c35bc163735b791c392c189eb9c
#    nodeadm/cmd/nodeadm-internal/udev/eks-managed.network.tpl,
#    @2ddfd9950deace90e3f876d98c7a02dcb380f62e udev/systemd.go, @14ad3b1dac03773ae5fedf6fbd2073626e3adad5
#    udev/net_manager.go). The template matches PermanentMACAddress=, which a veth link lacks: here MACAddress=.
#  ec2-default: the same AMI before v20251002: the primary takes 80-ec2.network alone.
#  ec2-net-utils: plain AL2023, where amazon-ec2-net-utils links 70-<iface>.network to 80-ec2.network and
#    adds the drop-in 70-<iface>.network.d/eni.conf (amazonlinux/amazon-ec2-net-utils
#    @54e2ce9449594d82e53ecc2b5b1a6d86d3e1e270, lib/lib.sh create_interface_config, create_if_overrides).
# 80-ec2.network matches the ENA/ixgbevf/vif drivers; these are veth links, so here it matches eth*.
ec2_network() { # the body of amazon-ec2-net-utils'"'"' 80-ec2.network, after a [Match] section
cat <<NET

[Link]
MTUBytes=9001

[Network]
DHCP=yes
IPv6DuplicateAddressDetection=0
LLMNR=no
DNSDefaultRoute=yes

[DHCPv4]
UseHostname=no
UseDNS=yes
UseNTP=yes
UseDomains=yes
NET
}
eks_managed_network() { # MAC METRIC: nodeadm'"'"'s eks-managed.network.tpl, rendered
printf "[Match]\nMACAddress=%s\n" "$1"
ec2_network
cat <<NET

[DHCPv6]
UseHostname=no
UseDNS=yes
UseNTP=yes
WithoutRA=solicit

[DHCPv4]
RouteMetric=$2
UseRoutes=true
UseGateway=true

[IPv6AcceptRA]
RouteMetric=$2
UseGateway=true
NET
}
# /usr/lib/systemd/network gets an overlay too: 80-ec2.network goes there, as on the AMI.
mkdir -p "$out/netlib-upper" "$out/netlib-work" /usr/lib/systemd/network
mount -t overlay overlay -o "lowerdir=/usr/lib/systemd/network,upperdir=$out/netlib-upper,workdir=$out/netlib-work" /usr/lib/systemd/network
{ printf "[Match]\nName=eth*\n"; ec2_network; } > /usr/lib/systemd/network/80-ec2.network
case "${NETWORK_LAYOUT:-nodeadm}" in
  nodeadm)
    eks_managed_network "$PRIMARY_MAC" 512 > /run/systemd/network/70-eks-eth0.network
    [ "$LNI_MODE" != none ] && eks_managed_network "$LNI_MAC" $((512 + LNI_DEVICE_INDEX)) > /run/systemd/network/70-eks-eth1.network
    mkdir -p /run/systemd/network/80-ec2.network.d
    printf "[Match]\nName=none" > /run/systemd/network/80-ec2.network.d/10-eks-disable.conf ;;
  ec2-default) ;;
  ec2-net-utils)
    ln -s /usr/lib/systemd/network/80-ec2.network /run/systemd/network/70-eth0.network
    mkdir -p /run/systemd/network/70-eth0.network.d
    cat > /run/systemd/network/70-eth0.network.d/eni.conf <<NET
[Match]
MACAddress=$PRIMARY_MAC
[Network]
DHCP=yes

[DHCPv4]
RouteMetric=512
UseRoutes=true
UseGateway=true

[Route]
Gateway=_dhcp4
Table=10000
NET
    ;;
  *) echo "unknown NETWORK_LAYOUT $NETWORK_LAYOUT" >> "$out/errors.txt"; exit 1 ;;
esac
caps=+setpcap,+net_raw,+net_bind_service,+net_admin
daemon() { # USER LOG BINARY
  setpriv --reuid="$1" --regid="$1" --clear-groups --inh-caps=$caps --ambient-caps=$caps "$3" >> "$out/$2" 2>&1 &
  echo $! > "$out/$2.pid"
}
export -f daemon; export caps
daemon systemd-network networkd.log /lib/systemd/systemd-networkd
for i in $(seq 1 50); do ip -4 -o addr show dev eth0 | grep -q "inet " && break; sleep 0.2; done
daemon systemd-resolve resolved.log "$root/lib/systemd/systemd-resolved"
sleep 1

# What the user data scripts call that a node has and this machine does not: instance metadata
# (IMDSv2), the AWS CLI, systemctl (PID 1 here is not this namespace'"'"'s systemd).
stubs=$out/stubs; mkdir -p "$stubs" "$out/imds/network/interfaces/macs/$PRIMARY_MAC"
echo "$PRIMARY_MAC" > "$out/imds/mac"; echo "$REGION" > "$out/imds/region"
mkdir -p "$out/imds/placement"; echo "$REGION" > "$out/imds/placement/region"
echo 0 > "$out/imds/network/interfaces/macs/$PRIMARY_MAC/device-number"
echo eni-0000000000000000a > "$out/imds/network/interfaces/macs/$PRIMARY_MAC/interface-id"
if [ "$LNI_MODE" != none ]; then
  mkdir -p "$out/imds/network/interfaces/macs/$LNI_MAC"
  echo "$LNI_DEVICE_INDEX" > "$out/imds/network/interfaces/macs/$LNI_MAC/device-number"
  echo eni-0000000000000000b > "$out/imds/network/interfaces/macs/$LNI_MAC/interface-id"
fi
cat > "$stubs/curl" <<STUB
#!/bin/bash
url=""; for arg in "\$@"; do case "\$arg" in http*) url=\$arg ;; esac; done
case "\$url" in
  */latest/api/token) echo token ;;
  */latest/meta-data/*) path=\${url#*/latest/meta-data/}
    if [ -d "$out/imds/\$path" ]; then for entry in \$(ls "$out/imds/\$path"); do [ -d "$out/imds/\$path/\$entry" ] && echo "\$entry/" || echo "\$entry"; done
    else cat "$out/imds/\$path"; fi ;;
  *) echo "curl stub: \$url" >&2; exit 7 ;;
esac
STUB
cat > "$stubs/aws" <<STUB
#!/bin/bash
echo "aws \$*" >> "$out/aws-calls.log"
STUB
cat > "$stubs/systemctl" <<STUB
#!/bin/bash
echo "systemctl \$*" >> "$out/systemctl-calls.log"
case "\$*" in
  "restart systemd-resolved") kill \$(cat "$out/resolved.log.pid"); sleep 0.3; daemon systemd-resolve resolved.log "$root/lib/systemd/systemd-resolved"; sleep 1 ;;
  "restart systemd-networkd") kill \$(cat "$out/networkd.log.pid"); sleep 0.3; daemon systemd-network networkd.log /lib/systemd/systemd-networkd; sleep 1 ;;
  *) echo "systemctl stub: \$*" >&2; exit 1 ;;
esac
STUB
chmod +x "$stubs"/*
export PATH="$stubs:$root/usr/bin:$root/bin:$PATH"

# The user data scripts, in cloud-init'"'"'s order, as root, each to its own log.
status=0
for part in "$dir"/parts/*; do
  [ -f "$part" ] || continue
  name=$(basename "$part")
  if ! bash "$part" > "$out/part-$name.log" 2>&1; then echo "user data part $name failed: $(tail -3 "$out/part-$name.log")" >> "$out/errors.txt"; status=1; fi
done
# Let networkd apply what the scripts wrote (DHCP on the LNI, routes) before asking anything.
for i in $(seq 1 50); do
  if [ "$LNI_MODE" = none ] || ip -4 -o addr show dev eth1 | grep -q "inet "; then break; fi; sleep 0.2
done
sleep 1
networkctl status --no-pager eth0 > "$out/networkctl-eth0.txt" 2>&1
[ "$LNI_MODE" != none ] && networkctl status --no-pager eth1 > "$out/networkctl-eth1.txt" 2>&1
resolvectl status --no-pager > "$out/resolvectl-status.txt" 2>&1
ip -4 route show table all > "$out/routes.txt" 2>&1
ip -4 addr > "$out/addresses.txt" 2>&1
cp -r /etc/systemd/network "$out/etc-systemd-network" 2>/dev/null
cp -r /etc/systemd/resolved.conf.d "$out/etc-resolved.conf.d" 2>/dev/null
[ -f "$KUBELET_RESOLV_CONF" ] && cp "$KUBELET_RESOLV_CONF" "$out/kubelet-resolv.conf"
[ -d /etc/containerd/certs.d ] && cp -r /etc/containerd/certs.d "$out/certs.d"

echo $$ > "$out/node.pid"; touch "$out/ready"
while [ ! -f "$out/done" ]; do sleep 0.2; done
for pid in "$out"/networkd.log.pid "$out"/resolved.log.pid; do kill "$(cat "$pid")" 2>/dev/null; done
exit $status
' &
inner=$!
for i in $(seq 1 300); do [ -f "$out/ready" ] && break; kill -0 $inner 2>/dev/null || break; sleep 0.2; done
in_node() { nsenter -t "$(cat "$out/node.pid")" -m -n -- "$@"; }
# One phase: ask every name of it, record the answer and the link, and which server saw the query.
phase() {
  local phase=$1
  for log in "$out"/vpc.log "$out"/site*.log; do [ -f "$log" ] && stat -c %s "$log" > "$log.mark"; done
  grep "^$phase " "$dir/names.txt" | while read -r _ name; do
    answer=$(in_node timeout 20 "$root/usr/bin/resolvectl" query --cache=no --legend=no "$name" 2>&1 | head -1)
    printf "%s\t%s\t%s\n" "$phase" "$name" "$answer" >> "$out/answers.tsv"
  done
  sleep 0.3
  for log in "$out"/vpc.log "$out"/site*.log; do
    [ -f "$log" ] || continue
    server=$(basename "$log" .log)
    tail -c +"$(( $(cat "$log.mark" 2>/dev/null || echo 0) + 1 ))" "$log" | grep -o "query\[A\] [^ ]*" | sed "s/^query\[A\] /$phase\t$server\t/" >> "$out/queries.tsv"
  done
}
if [ -f "$out/ready" ]; then
  for address in $ROUTE_PROBES; do printf "%s\t%s\n" "$address" "$(in_node ip -4 -o route get "$address" 2>&1 | head -1)" >> "$out/route-get.tsv"; done
  if [ -n "$MIRROR_ADDRESS" ]; then
    if in_node "$root/bin/ping" -c 1 -W 2 "$MIRROR_ADDRESS" > "$out/ping-mirror.txt" 2>&1; then echo reachable > "$out/mirror-reachable"; fi
  fi
  phase connected
  if [ -n "$SITE_SERVERS" ]; then
    for pid in "$out"/site[0-9]*.pid; do kill "$(cat "$pid")" 2>/dev/null; done; sleep 0.5
    phase site-down
  fi
  if [ "$DISCONNECT" = yes ]; then
    # A service-link disconnect: the VPC resolver (in the Region) stops answering; the site is back.
    kill "$(cat "$out/vpc.pid")"; sleep 0.3
    n=0; for server in $SITE_SERVERS; do n=$((n + 1)); serve_dns "site$n" "$site_ns" "$server" "${site_args[@]}"; done
    sleep 0.5
    phase disconnected
  fi
else
  echo "the node did not come up" >> "$out/errors.txt"
fi
touch "$out/done"
wait $inner
node_status=$?
echo "$node_status" > "$out/status"
exit 0
