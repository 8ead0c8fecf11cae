#!/usr/bin/env bash
# The main job, for real: starts the local Keystone + Glance, serves a few small qcow2 images over HTTP on
# 127.0.0.1, writes a catalogue for them in OIM's format and lets image-manager import, name, tag and
# publish them. A second run shows that nothing is left to do.
set -euo pipefail
cd "$(dirname "$0")/.."
node22=$(bash scripts/node22.sh) # Node 22.19 or later (undici 8 needs it); a failure stops here
eval "$node22"

bash scripts/openstack-dev.sh up >/dev/null
eval "$(bash scripts/openstack-dev.sh env)"
[[ -f dist/cli/main.js ]] || npm run build

www=$IMAGE_MANAGER_E2E_WWW/demo
catalogue=$OPENSTACK_DEV_DIR/demo-images
mkdir -p "$www" "$catalogue"

make_image() { # name size → sha512
  [[ -f $www/$1 ]] || qemu-img create -q -f qcow2 "$www/$1" "$2"
  sha512sum "$www/$1" | cut -d' ' -f1
}
sum_old=$(make_image demo-linux-20250101.qcow2 8M)
sum_new=$(make_image demo-linux-20250301.qcow2 12M)
sum_tiny=$(make_image tiny-0.6.2.qcow2 4M)
today=$(date +%F)

cat >"$catalogue/demo.yml" <<YAML
---
images:
  - name: Demo Linux
    enable: true
    format: qcow2
    login: demo
    min_disk: 1
    min_ram: 512
    status: active
    visibility: public
    multi: true
    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hw_rng_model: virtio
      hw_scsi_model: virtio-scsi
      hypervisor_type: qemu
      os_distro: demolinux
      os_version: '1'
      os_purpose: generic
      replace_frequency: never
      uuid_validity: last-2
      provided_until: none
    tags: []
    versions:
      - version: '20250101'
        url: $IMAGE_MANAGER_E2E_HTTP/demo/demo-linux-20250101.qcow2
        checksum: sha512:$sum_old
        build_date: 2025-01-01
      - version: '20250301'
        url: $IMAGE_MANAGER_E2E_HTTP/demo/demo-linux-20250301.qcow2
        checksum: sha512:$sum_new
        build_date: 2025-03-01
  - name: Tiny
    enable: true
    format: qcow2
    login: cirros
    min_disk: 1
    min_ram: 128
    status: active
    visibility: public
    multi: false
    meta:
      architecture: x86_64
      hw_disk_bus: virtio
      hypervisor_type: qemu
      os_distro: cirros
      os_purpose: minimal
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    versions:
      - version: '0.6.2'
        url: $IMAGE_MANAGER_E2E_HTTP/demo/tiny-0.6.2.qcow2
        checksum: sha512:$sum_tiny
        build_date: $today
YAML

# The run's summary table (stdout) is kept to be shown again at the end; on a terminal its imports are shown
# live on stderr while they run.
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
echo "== image-manager --cloud devstack-admin --images $catalogue" >&2
node bin/image-manager.js --cloud devstack-admin --images "$catalogue" | tee "$summary"
echo "== the same run again: nothing left to do" >&2
node bin/image-manager.js --cloud devstack-admin --images "$catalogue" --dry-run
echo "== image-manager --cloud devstack-admin check: the SCS audit of the demo cloud" >&2
echo "   (it has no Ubuntu 24.04, which scs-0104 makes mandatory: that FAIL is expected here)" >&2
node bin/image-manager.js --cloud devstack-admin check || true

echo
echo "== What the import run did"
cat "$summary"
echo
echo "The demo cloud is still running. To use it from this shell (openstack CLI, image-manager):"
echo "  eval \"\$(bash scripts/openstack-dev.sh env)\" && export OS_CLOUD=devstack-admin"
echo "  npx image-manager status --images $catalogue"
echo "To stop it: bash scripts/openstack-dev.sh down    (down --purge also removes its state)"

