#!/usr/bin/env bash
# local-base.sh [TAG]: a stand-in for node:20-bookworm-slim on a machine that reaches no image
# registry but does reach Debian's packages (CI here). It is what that image is made of: a minimal
# Debian bookworm (debootstrap --variant=minbase) plus this machine's Node 20 and npm at the same
# paths (/usr/local/bin/node, /usr/local/lib/node_modules/npm) and its user `node` (uid/gid 1000).
# Made once: an existing TAG is kept (docker image inspect), so CI pays for it on a cold machine only.
#   then: make image NODE_IMAGE=wsbench/node20-base:local
set -euo pipefail

TAG="${1:-wsbench/node20-base:local}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "local base $TAG: cached"
  exit 0
fi

node_bin="$(command -v node || true)"
if [ -z "$node_bin" ] || ! "$node_bin" --version | grep -q '^v20\.'; then
  echo "local-base.sh: needs Node 20 on this machine to copy into the image (found: ${node_bin:-none} $("${node_bin:-true}" --version 2>/dev/null))" >&2
  exit 1
fi
npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
command -v debootstrap >/dev/null || { echo "local-base.sh: needs debootstrap (apt-get install -y debootstrap)" >&2; exit 1; }

work="$(mktemp -d /tmp/wsbench-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
started=$(date +%s)
echo "local base $TAG: debootstrap bookworm (minbase) from $MIRROR ..."
debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -n 20 "$work/debootstrap.log" >&2
  exit 1
}
# what the -slim images leave out: package caches and lists, docs, man pages, locales
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*

install -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# the official image's unprivileged user
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# this machine's trust store, so that `npm ci` in the build reaches the registry through whatever TLS
# proxy this machine trusts (Node bundles its own roots, a site CA is only in the system bundle)
ca_env=()
if [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$root/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  ca_env=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi
chroot "$root" /usr/local/bin/node --version >/dev/null
chroot "$root" /usr/local/bin/npm --version >/dev/null

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' "${ca_env[@]}" \
  - "$TAG" >/dev/null
echo "local base $TAG: made in $(($(date +%s) - started)) s (Node $("$node_bin" --version), npm $(chroot "$root" /usr/local/bin/npm --version))"
