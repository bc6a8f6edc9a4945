#!/usr/bin/env bash
# Runs a command under Node.js 24, which Candor needs (package.json "engines"): with the `node` on
# PATH if that is 24 already; otherwise with Node 24 from the npm registry (the official binaries
# packaged as node-linux-<arch>), unpacked once into a cache outside the checkout and put first on
# PATH. npm itself keeps working: it runs under whichever `node` comes first.
#   bash scripts/with-node-24.sh npm ci        bash scripts/with-node-24.sh npm start
# CANDOR_NODE_VERSION picks the release (default: the newest 24); CANDOR_NODE_CACHE the cache folder.
set -euo pipefail

major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(major node)" = 24 ]; then
  exec "$@"
fi

version="${CANDOR_NODE_VERSION:-24}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "No Node 24 package for $(uname -m) in the npm registry: install Node.js 24 yourself." >&2; exit 1 ;;
esac
cache="${CANDOR_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/candor/node-$version-linux-$arch}"

if [ ! -x "$cache/bin/node" ] || [ "$(major "$cache/bin/node")" != 24 ]; then
  echo "Node $(node -v 2>/dev/null || echo 'is missing') here; fetching Node $version (node-linux-$arch) from the npm registry into $cache" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tarball="$(cd "$work" && npm pack --silent "node-linux-$arch@$version")"
  tar -xzf "$work/$tarball" -C "$work"
  [ "$(major "$work/package/bin/node")" = 24 ] || { echo "node-linux-$arch@$version is not Node 24." >&2; exit 1; }
  rm -rf "$cache"
  mkdir -p "$(dirname "$cache")"
  mv "$work/package" "$cache"
fi

export PATH="$cache/bin:$PATH"
# Native modules built for this Node must use its headers, not those a global ~/.npmrc names
# (nodedir=/usr is an older Node's).
export npm_config_nodedir="$cache"
exec "$@"
