#!/usr/bin/env bash
# Prepares what the node harness runs. What it tests is never installed: Debian 12's
# systemd-resolved (systemd 252, the major version Amazon Linux 2023 ships), dnsmasq, arping, ping
# and cloud-init are downloaded with `apt-get download` and unpacked with `dpkg -x` into the
# harness's cache. Installing the systemd-resolved package would replace /etc/resolv.conf with a link
# to a stub that does not exist here, cutting the machine off from the npm registry.
# Prints the unpacked root on stdout; exits 3 with the reason on stderr where the machine cannot run
# the harness (no root, no network namespaces or veth pairs, no apt-get). Tools the node itself runs
# (iproute2, util-linux, dbus-daemon, python3, systemd's networkd) are installed where missing.
set -euo pipefail
cache=${NODE_HARNESS_CACHE:-"$(cd "$(dirname "$0")/../.." && pwd)/node_modules/.cache/node-harness"}
skip() { echo "$1" >&2; exit 3; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, mounts)"
command -v apt-get >/dev/null && command -v dpkg >/dev/null || skip "needs Debian's apt-get and dpkg"
# A fresh CI machine may lack the node's own tools: install those packages (none of them touches
# /etc/resolv.conf; the file is checked, and restored, all the same).
resolv_saved=$(mktemp); cp -P /etc/resolv.conf "$resolv_saved" 2>/dev/null || true
missing=()
for pair in ip:iproute2 unshare:util-linux setpriv:util-linux nsenter:util-linux dbus-daemon:dbus-daemon /usr/bin/python3:python3 /lib/systemd/systemd-networkd:systemd; do
  tool=${pair%%:*}; package=${pair#*:}
  if [ "${tool#/}" != "$tool" ]; then [ -x "$tool" ] || missing+=("$package"); else command -v "$tool" >/dev/null || missing+=("$package"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >&2; } || skip "cannot install ${missing[*]}"
fi
if ! cmp -s "$resolv_saved" /etc/resolv.conf; then cp -P "$resolv_saved" /etc/resolv.conf; echo "restored /etc/resolv.conf after installing ${missing[*]}" >&2; fi
rm -f "$resolv_saved"
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
  # A fresh machine has no package lists yet: update them once if the first download fails.
  (cd "$cache/debs" && { apt-get download "${packages[@]}" >&2 || { apt-get update -qq >&2 && apt-get download "${packages[@]}" >&2; }; }) ||
    skip "apt-get download failed (no Debian mirror reachable?)"
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$cache/root"; done
  [ "$(sha256sum /etc/resolv.conf 2>/dev/null || true)" = "$resolv_before" ] || { echo "/etc/resolv.conf changed while preparing" >&2; exit 1; }
  echo "${packages[*]}" > "$stamp"
fi
echo "$cache/root"
