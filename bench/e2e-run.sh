#!/usr/bin/env bash
# Wall time and requests of real runs against the local Keystone + Glance (scripts/openstack-dev.sh):
# N single-version images imported by web-download with the defaults (every import started at once, at most
# --max-importing in flight on Glance), then the same run again, which has nothing to do. Usage: bash bench/e2e-run.sh [N]   (each image a 16 MiB qcow2 served from 127.0.0.1)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
eval "$(bash scripts/openstack-dev.sh env)"
[[ -f dist/cli/main.js ]] || npm run build >/dev/null
www=$IMAGE_MANAGER_E2E_WWW/bench
mkdir -p "$www"
cat_dir=$(mktemp -d)

catalogue() { # tag-suffix
  echo "images:" >"$cat_dir/bench.yml"
  for i in $(seq 1 "$n"); do
    [[ -f $www/img-$i.qcow2 ]] || qemu-img create -q -f qcow2 "$www/img-$i.qcow2" 16M
    cat >>"$cat_dir/bench.yml" <<YAML
  - name: Bench $1 $i
    format: qcow2
    login: bench
    min_disk: 1
    min_ram: 128
    status: active
    visibility: public
    multi: false
    meta: {architecture: x86_64, hw_disk_bus: virtio, hypervisor_type: qemu, os_distro: bench$i, os_purpose: minimal,
           replace_frequency: never, uuid_validity: none, provided_until: none}
    tags: []
    versions:
      - {version: '1', url: '$IMAGE_MANAGER_E2E_HTTP/bench/img-$i.qcow2', build_date: 2025-01-01}
YAML
  done
}

measure() { # label, args...
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  node bin/image-manager.js --cloud devstack-admin --images "$cat_dir" --log-format json --debug "$@" 2>"$cat_dir/log" >/dev/null
  end=$(date +%s.%N)
  local totals
  totals=$(grep '"requests in total"' "$cat_dir/log" | sed 's/.*"total":\([0-9]*\),"writes":\([0-9]*\).*/\1 requests, \2 writes/')
  printf '%-28s %6.1f s   %s\n' "$label" "$(echo "$end - $start" | bc)" "$totals"
}

cleanup() { # tag
  node -e '
    const tag = process.argv[1];
    Promise.all([import("./dist/cli/context.js"), import("./dist/net/redact.js"), import("./dist/openstack/log.js")])
      .then(async ([{ connect }, { Redactor }, { silentLog }]) => {
        const ctx = connect("devstack-admin", { timeout: 60, retryBudget: 120 }, new Redactor(), silentLog, { env: process.env });
        for (const image of await ctx.glance.listAllImages({ tags: [tag] })) await ctx.glance.deleteImage(image.id);
    });' "$1"
}

tag=bench-$$
trap 'cleanup "$tag"; rm -rf "$cat_dir"' EXIT
catalogue "r$$"
measure "import $n" --tag "$tag"
measure "same again (nothing to do)" --tag "$tag"
