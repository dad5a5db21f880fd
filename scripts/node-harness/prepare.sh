#!/usr/bin/env bash
# Prepares what the node harness runs, without installing anything on the machine: Debian 12's
# systemd-resolved (systemd 252, the major version Amazon Linux 2023 ships), dnsmasq, arping, ping
# and cloud-init are downloaded with `apt-get download` and unpacked with `dpkg -x` into the
# harness's cache. Installing the systemd-resolved package would replace /etc/resolv.conf with a link
# to a stub that does not exist here, cutting the machine off from the npm registry.
# Prints the unpacked root on stdout; exits 3 with the reason on stderr where the machine cannot run
# the harness (no root, no network namespaces or veth pairs, no apt-get, no systemd-networkd).
set -euo pipefail
cache=${NODE_HARNESS_CACHE:-"$(cd "$(dirname "$0")/../.." && pwd)/node_modules/.cache/node-harness"}
skip() { echo "$1" >&2; exit 3; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, mounts)"
for tool in ip unshare setpriv dbus-daemon apt-get dpkg; do command -v "$tool" >/dev/null || skip "needs $tool"; done
[ -x /lib/systemd/systemd-networkd ] || skip "needs systemd-networkd (Debian's systemd package)"
probe=nh-probe-$$
ip netns add "$probe" 2>/dev/null || skip "cannot create a network namespace"
if ! ip -n "$probe" link add nh-a type veth peer name nh-b 2>/dev/null; then ip netns del "$probe"; skip "cannot create veth pairs"; fi
ip netns del "$probe"
# The packages whose files the harness runs, and the libraries they need that this image lacks.
packages=(systemd-resolved dnsmasq-base libnetfilter-conntrack3 libnftables1 libnfnetlink0 libnftnl11 libmnl0 libjansson4 libxtables12
  iputils-arping iputils-ping cloud-init python3-yaml python3-configobj python3-jinja2 python3-markupsafe python3-jsonschema python3-jsonpatch
  python3-json-pointer python3-requests python3-urllib3 python3-charset-normalizer python3-idna python3-certifi python3-chardet python3-six python3-netifaces)
stamp="$cache/root/.packages"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${packages[*]}" ]; then
  resolv_before=$(sha256sum /etc/resolv.conf 2>/dev/null || true)
  rm -rf "$cache/debs" "$cache/root"; mkdir -p "$cache/debs" "$cache/root"
  (cd "$cache/debs" && apt-get download "${packages[@]}" >&2) || skip "apt-get download failed (no Debian mirror reachable?)"
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$cache/root"; done
  [ "$(sha256sum /etc/resolv.conf 2>/dev/null || true)" = "$resolv_before" ] || { echo "/etc/resolv.conf changed while preparing" >&2; exit 1; }
  echo "${packages[*]}" > "$stamp"
fi
echo "$cache/root"
