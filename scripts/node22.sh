#!/usr/bin/env bash
# Node 22.19 or later for this repository (package.json's engines; undici 8 needs it), on a machine whose own
# node is older: installs Node from the npm registry (the package node-linux-<arch>, the official binary, its
# integrity checked by npm) into a cache folder once, and prints the line that puts it first on PATH:
#   eval "$(bash scripts/node22.sh)"
# Idempotent: a node on PATH that is new enough is kept (it prints only a comment), and an installed one is
# reused. The package holds only the node binary: the machine's npm (npm 10 or 11) runs under it.
# IMAGE_MANAGER_NODE_DIR: the cache folder (default ~/.cache/image-manager-node);
# IMAGE_MANAGER_NODE_VERSION: the version installed (default 22.23.5).
set -euo pipefail

minimum=22.19.0
version=${IMAGE_MANAGER_NODE_VERSION:-22.23.5}
cache=${IMAGE_MANAGER_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/image-manager-node}

# Whether the given node (a command) runs and is at least $minimum.
new_enough() {
  "$1" -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    const [wantMajor, wantMinor] = process.argv[1].split(".").map(Number);
    process.exit(major > wantMajor || (major === wantMajor && minor >= wantMinor) ? 0 : 1);
  ' "$minimum" 2>/dev/null
}

if command -v node >/dev/null && new_enough node; then
  echo "# $(command -v node) is Node $(node -v), new enough (>= $minimum)"
  exit 0
fi

case $(uname -m) in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "scripts/node22.sh: no Node package for $(uname -m); install Node >= $minimum" >&2; exit 1 ;;
esac
case $(uname -s) in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "scripts/node22.sh: no Node package for $(uname -s); install Node >= $minimum" >&2; exit 1 ;;
esac
package=node-$os-$arch
bin=$cache/$version/node_modules/$package/bin

if ! new_enough "$bin/node"; then
  command -v npm >/dev/null || { echo "scripts/node22.sh: npm is needed to fetch Node $version" >&2; exit 1; }
  mkdir -p "$cache"
  # Installed beside and moved into place, so that two runs at once never see half an installation.
  staging=$(mktemp -d "$cache/.install-XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  echo "scripts/node22.sh: installing $package@$version into $cache/$version" >&2
  npm install --prefix "$staging" --no-audit --no-fund --loglevel=error "$package@$version" >&2
  new_enough "$staging/node_modules/$package/bin/node" || {
    echo "scripts/node22.sh: $package@$version did not give a working node >= $minimum" >&2
    exit 1
  }
  rm -rf "$cache/$version.old"
  [[ -e $cache/$version ]] && mv "$cache/$version" "$cache/$version.old"
  mv "$staging" "$cache/$version"
  rm -rf "$cache/$version.old"
fi

printf 'export PATH=%q:"$PATH"\n' "$bin"
