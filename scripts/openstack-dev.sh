#!/usr/bin/env bash
# A real Keystone + Glance (Debian 12 packages) on 127.0.0.1 for development
# and end-to-end tests. Everything we run lives in one state dir; the Debian
# system services are installed but never run. A second glance-api (own port,
# database, store and config) serves region RegionTwo of the same Keystone, so
# that a run can reach two clouds that are really separate Glances. A third one
# (region RegionConvert) converts every import to raw with Glance's
# image_conversion plugin, as a Glance on Ceph does.
#
#   scripts/openstack-dev.sh up              install (if needed), start, provision
#   scripts/openstack-dev.sh down [--purge]  stop (and delete the state dir)
#   scripts/openstack-dev.sh status
#   eval "$(scripts/openstack-dev.sh env)"
set -euo pipefail

# Debian's OpenStack tools must run on Debian's python, not a pyenv/venv one.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
# Our services talk to each other on 127.0.0.1; never through a proxy.
export no_proxy=127.0.0.1,localhost${no_proxy:+,$no_proxy}
export NO_PROXY=$no_proxy
PY=/usr/bin/python3

STATE=${OPENSTACK_DEV_DIR:-/tmp/image-manager-openstack}
PG_PORT=${OPENSTACK_DEV_PG_PORT:-55432}
KEYSTONE_PORT=${OPENSTACK_DEV_KEYSTONE_PORT:-15000}
GLANCE_PORT=${OPENSTACK_DEV_GLANCE_PORT:-19292}
GLANCE2_PORT=${OPENSTACK_DEV_GLANCE2_PORT:-$((GLANCE_PORT + 1))}
GLANCE_CONVERT_PORT=${OPENSTACK_DEV_GLANCE_CONVERT_PORT:-$((GLANCE_PORT + 2))}
HTTP_PORT=${OPENSTACK_DEV_HTTP_PORT:-18080}
REGION=RegionOne
REGION2=RegionTwo
REGION_CONVERT=RegionConvert
ADMIN_PASSWORD=${OPENSTACK_DEV_ADMIN_PASSWORD:-admin-secret}
DEMO_PASSWORD=${OPENSTACK_DEV_DEMO_PASSWORD:-demo-secret}
GLANCE_SERVICE_PASSWORD=${OPENSTACK_DEV_GLANCE_PASSWORD:-glance-secret}
KEYSTONE_DB_PASSWORD=${OPENSTACK_DEV_KEYSTONE_DB_PASSWORD:-keystone-db-secret}
GLANCE_DB_PASSWORD=${OPENSTACK_DEV_GLANCE_DB_PASSWORD:-glance-db-secret}
TIMEOUT=${OPENSTACK_DEV_TIMEOUT:-120}

PG_BIN=/usr/lib/postgresql/15/bin
KEYSTONE_URL=http://127.0.0.1:$KEYSTONE_PORT
GLANCE_URL=http://127.0.0.1:$GLANCE_PORT
GLANCE2_URL=http://127.0.0.1:$GLANCE2_PORT
GLANCE_CONVERT_URL=http://127.0.0.1:$GLANCE_CONVERT_PORT
HTTP_URL=http://127.0.0.1:$HTTP_PORT

LOGS=$STATE/logs
RUN=$STATE/run
PGDATA=$STATE/postgres/data
PGSOCK=$STATE/postgres/sock
KEYSTONE_CONF=$STATE/keystone/keystone.conf
GLANCE_CONF=$STATE/glance/glance-api.conf
GLANCE2_CONF=$STATE/glance2/glance-api.conf
GLANCE_CONVERT_CONF=$STATE/glance-convert/glance-api.conf
WWW=$STATE/www

PACKAGES=(postgresql python3-psycopg2 keystone glance-api qemu-utils)

log() { printf '[openstack-dev] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- packages

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || echo "$p"
  done
}

preseed_debconf() {
  # Answer "no" to every "configure a database / admin / endpoint / rabbit"
  # question of the Debian OpenStack packages: we configure our own instances.
  debconf-set-selections <<'EOF'
keystone keystone/configure_db boolean false
keystone keystone/create-admin-tenant boolean false
keystone keystone/register-endpoint boolean false
glance-common glance/configure_db boolean false
glance-common glance/configure_rabbit boolean false
glance-common glance/configure_ksat boolean false
glance-api glance/configure_api-endpoint boolean false
EOF
}

POLICY_RC_CREATED=
cleanup_policy_rc() {
  if [[ -n $POLICY_RC_CREATED ]]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=; fi
}

install_packages() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  [[ -z ${missing// /} ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "packages missing ($missing) and not root: run 'sudo $0 up' once"
  log "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy keystone 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update -q </dev/null
  fi
  preseed_debconf
  # Keep the postinsts from starting keystone/glance-api/postgresql.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
    trap cleanup_policy_rc EXIT
  fi
  local apt_install=(apt-get install -y -q --no-install-recommends
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  # shellcheck disable=SC2086
  if ! "${apt_install[@]}" $missing </dev/null; then
    log "apt-get install failed; retrying after apt-get update"
    apt-get update -q </dev/null
    # shellcheck disable=SC2086
    "${apt_install[@]}" $missing </dev/null
  fi
  cleanup_policy_rc
  [[ -z $(missing_packages) ]] || die "apt-get did not install: $(missing_packages | tr '\n' ' ')"
}

stop_system_services() {
  # In case a postinst started them anyway (no policy-rc.d, systemd present…).
  local svc
  for svc in keystone glance-api apache2; do
    if [[ -x /etc/init.d/$svc ]] && /etc/init.d/$svc status >/dev/null 2>&1; then
      log "stopping system service $svc"
      /etc/init.d/$svc stop >/dev/null 2>&1 || true
    fi
  done
}

# ---------------------------------------------------------------- processes

pidfile() { echo "$RUN/$1.pid"; }

# Running and really ours (guards against a stale pid file and pid reuse).
is_running() {
  local pid
  pid=$(cat "$(pidfile "$1")" 2>/dev/null) || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

port_open() {
  $PY - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

# start NAME LOGFILE CMD...: detached (own session) so it survives the caller.
start_bg() {
  local name=$1 logfile=$2
  shift 2
  rm -f "$(pidfile "$name")"
  echo "=== $(date -Is) starting $name: $*" >>"$logfile"
  # shellcheck disable=SC2016 # expanded by the inner bash
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$(pidfile "$name")" "$@" \
    </dev/null >>"$logfile" 2>&1 &
  for _ in $(seq 50); do [[ -s $(pidfile "$name") ]] && return 0; sleep 0.1; done
  die "$name did not start"
}

# stop_bg NAME CMDLINE_PATTERN
stop_bg() {
  local name=$1 pid
  pid=$(cat "$(pidfile "$name")" 2>/dev/null) || return 0
  if is_running "$name" "$2"; then
    log "stopping $name (pid $pid)"
    # Whole process group: glance-api forks workers.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile "$name")"
}

ensure_port_free() {
  if port_open "$1"; then
    die "port $1 ($2) is already in use by another process; set $3 to another port"
  fi
}

fail_with_log() {
  log "ERROR: $1"
  if [[ -f $2 ]]; then
    log "--- last lines of $2 ---"
    tail -n 40 "$2" >&2
  fi
  exit 1
}

# wait_http URL EXPECTED_CODES LOGFILE [TOKEN]
wait_http() {
  local url=$1 codes=$2 logfile=$3 token=${4:-}
  $PY - "$url" "$codes" "$TIMEOUT" "$token" <<'PY' || fail_with_log "$url did not answer ${codes} within ${TIMEOUT}s" "$logfile"
import sys, time, urllib.request, urllib.error
url, codes, timeout, token = sys.argv[1], sys.argv[2].split(","), float(sys.argv[3]), sys.argv[4]
deadline = time.time() + timeout
last = None
while time.time() < deadline:
    req = urllib.request.Request(url)
    if token:
        req.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            last = r.status
    except urllib.error.HTTPError as e:
        last = e.code
    except Exception as e:
        last = repr(e)
    if str(last) in codes:
        sys.exit(0)
    time.sleep(0.5)
print(f"last result: {last}", file=sys.stderr)
sys.exit(1)
PY
}

# ---------------------------------------------------------------- postgres

pg() { runuser -u postgres -- "$@"; }
psql_admin() { pg "$PG_BIN/psql" -h "$PGSOCK" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

pg_running() { pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

start_postgres() {
  runuser -u postgres -- test -x "$STATE" ||
    die "user postgres cannot enter $STATE; choose an OPENSTACK_DEV_DIR under /tmp or similar"
  install -d -o postgres -g postgres -m 700 "$STATE/postgres" "$PGSOCK"
  if [[ ! -f $PGDATA/PG_VERSION ]]; then
    log "initdb $PGDATA"
    pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 ||
      fail_with_log "initdb failed" "$LOGS/initdb.log"
  fi
  if ! pg_running; then
    ensure_port_free "$PG_PORT" postgresql OPENSTACK_DEV_PG_PORT
    log "starting postgresql on 127.0.0.1:$PG_PORT"
    touch "$LOGS/postgresql.log" && chown postgres "$LOGS/postgresql.log"
    pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgresql.log" -w -t "$TIMEOUT" \
      -o "-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGSOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || fail_with_log "postgresql did not start" "$LOGS/postgresql.log"
  fi
  local db pw
  for db in keystone glance; do
    if [[ $db == keystone ]]; then pw=$KEYSTONE_DB_PASSWORD; else pw=$GLANCE_DB_PASSWORD; fi
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$db'") ]]; then
      psql_admin -c "CREATE ROLE $db LOGIN PASSWORD '$pw'"
    else
      psql_admin -c "ALTER ROLE $db PASSWORD '$pw'"
    fi
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$db'") ]]; then
      psql_admin -c "CREATE DATABASE $db OWNER $db"
    fi
  done
}

# ---------------------------------------------------------------- keystone

write_keystone_conf() {
  install -d -m 700 "$STATE/keystone/fernet-keys" "$STATE/keystone/credential-keys"
  cat >"$KEYSTONE_CONF" <<EOF
[DEFAULT]
log_file = $LOGS/keystone.log

[identity]
# bcrypt's limit; with the default (4096) keystone logs a warning per password check.
max_password_length = 72

[database]
connection = postgresql+psycopg2://keystone:$KEYSTONE_DB_PASSWORD@127.0.0.1:$PG_PORT/keystone

[token]
provider = fernet

[fernet_tokens]
key_repository = $STATE/keystone/fernet-keys

[fernet_receipts]
key_repository = $STATE/keystone/fernet-keys

[credential]
key_repository = $STATE/keystone/credential-keys
EOF
}

keystone_manage() {
  /usr/bin/keystone-manage --config-file "$KEYSTONE_CONF" --log-file "$LOGS/keystone-manage.log" "$@"
}

setup_keystone() {
  write_keystone_conf
  log "keystone db_sync / bootstrap"
  {
    keystone_manage db_sync
    if [[ -z $(ls -A "$STATE/keystone/fernet-keys") ]]; then
      keystone_manage fernet_setup --keystone-user root --keystone-group root
    fi
    if [[ -z $(ls -A "$STATE/keystone/credential-keys") ]]; then
      keystone_manage credential_setup --keystone-user root --keystone-group root
    fi
    keystone_manage bootstrap \
      --bootstrap-password "$ADMIN_PASSWORD" \
      --bootstrap-username admin \
      --bootstrap-project-name admin \
      --bootstrap-role-name admin \
      --bootstrap-service-name keystone \
      --bootstrap-region-id "$REGION" \
      --bootstrap-admin-url "$KEYSTONE_URL/v3" \
      --bootstrap-internal-url "$KEYSTONE_URL/v3" \
      --bootstrap-public-url "$KEYSTONE_URL/v3"
  } >>"$LOGS/keystone-manage.log" 2>&1 || fail_with_log "keystone-manage failed" "$LOGS/keystone-manage.log"
}

start_keystone() {
  is_running keystone keystone-wsgi-public && return 0
  ensure_port_free "$KEYSTONE_PORT" keystone OPENSTACK_DEV_KEYSTONE_PORT
  log "starting keystone on $KEYSTONE_URL"
  # keystone.server.flask reads its config files from this variable.
  OS_KEYSTONE_CONFIG_FILES=$KEYSTONE_CONF \
    start_bg keystone "$LOGS/keystone.log" \
    $PY /usr/bin/keystone-wsgi-public --host 127.0.0.1 --port "$KEYSTONE_PORT"
}

# Idempotently create the glance service user, the image service and its
# endpoints, and the demo project/user, through the Keystone API; once per call of the script.
PROVISIONED=
provision_keystone() {
  [[ -n $PROVISIONED ]] && return 0
  log "provisioning keystone (glance service, image endpoints, demo user)"
  KEYSTONE_URL=$KEYSTONE_URL GLANCE_URL=$GLANCE_URL REGION=$REGION \
    GLANCE2_URL=$GLANCE2_URL REGION2=$REGION2 \
    GLANCE_CONVERT_URL=$GLANCE_CONVERT_URL REGION_CONVERT=$REGION_CONVERT \
    ADMIN_PASSWORD=$ADMIN_PASSWORD DEMO_PASSWORD=$DEMO_PASSWORD \
    GLANCE_SERVICE_PASSWORD=$GLANCE_SERVICE_PASSWORD \
    $PY - <<'PY' >>"$LOGS/provision.log" 2>&1 || fail_with_log "provisioning keystone failed" "$LOGS/provision.log"
import json, os, urllib.request, urllib.error, urllib.parse

KS = os.environ["KEYSTONE_URL"] + "/v3"
env = os.environ

def call(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(KS + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {path} -> {e.code}: {e.read().decode(errors='replace')}")

r, _ = call("POST", "/auth/tokens", {"auth": {
    "identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": env["ADMIN_PASSWORD"]}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
tok = r.headers["X-Subject-Token"]

def find(collection, key, **filters):
    q = urllib.parse.urlencode(filters)
    _, body = call("GET", f"/{collection}?{q}", token=tok)
    return body[key]

def ensure(collection, key, filters, create):
    found = find(collection, collection, **filters)
    if found:
        return found[0]
    _, body = call("POST", f"/{collection}", {key: create}, token=tok)
    print(f"created {key} {filters}")
    return body[key]

def ensure_user(name, password, project_id):
    u = ensure("users", "user", {"name": name, "domain_id": "default"},
               {"name": name, "password": password, "domain_id": "default",
                "default_project_id": project_id, "enabled": True})
    # Keep the password in sync with the configured one.
    call("PATCH", f"/users/{u['id']}", {"user": {"password": password, "enabled": True}}, token=tok)
    return u

roles = {r["name"]: r["id"] for r in find("roles", "roles")}

service_project = ensure("projects", "project", {"name": "service", "domain_id": "default"},
                         {"name": "service", "domain_id": "default", "description": "Service project"})
demo_project = ensure("projects", "project", {"name": "demo", "domain_id": "default"},
                      {"name": "demo", "domain_id": "default", "description": "Demo project"})
glance = ensure_user("glance", env["GLANCE_SERVICE_PASSWORD"], service_project["id"])
demo = ensure_user("demo", env["DEMO_PASSWORD"], demo_project["id"])
call("PUT", f"/projects/{service_project['id']}/users/{glance['id']}/roles/{roles['admin']}", token=tok)
call("PUT", f"/projects/{demo_project['id']}/users/{demo['id']}/roles/{roles['member']}", token=tok)

image = ensure("services", "service", {"type": "image"},
               {"type": "image", "name": "glance", "description": "OpenStack Image", "enabled": True})
regions = {region["id"] for region in find("regions", "regions")}
for region, description in ((env["REGION2"], "the second glance-api"),
                            (env["REGION_CONVERT"], "the glance-api that converts imports to raw")):
    if region not in regions:
        call("POST", "/regions", {"region": {"id": region, "description": description}}, token=tok)
        print(f"created region {region}")
for region, url in ((env["REGION"], env["GLANCE_URL"]), (env["REGION2"], env["GLANCE2_URL"]),
                    (env["REGION_CONVERT"], env["GLANCE_CONVERT_URL"])):
    for iface in ("public", "internal", "admin"):
        eps = [ep for ep in find("endpoints", "endpoints", service_id=image["id"], interface=iface)
               if ep.get("region_id") == region]
        if len(eps) == 1 and eps[0]["url"] == url:
            continue
        for ep in eps:
            call("DELETE", f"/endpoints/{ep['id']}", token=tok)
        call("POST", "/endpoints", {"endpoint": {"service_id": image["id"], "interface": iface,
                                                 "url": url, "region_id": region, "enabled": True}}, token=tok)
        print(f"created image endpoint {iface} {url} in {region}")
print("provisioning done")
PY
  PROVISIONED=1
}

# ---------------------------------------------------------------- glance

# write_glance_conf NAME PORT DATABASE [EXTRA]: the config of one glance-api, all its state under $STATE/NAME;
# EXTRA (ini sections) is appended.
write_glance_conf() {
  local dir=$STATE/$1 port=$2 db=$3 extra=${4:-}
  install -d "$dir/images" "$dir/staging" "$dir/tasks" "$dir/lock" "$dir/cache"
  cp /usr/share/glance-common/glance-api-paste.ini "$dir/glance-api-paste.ini"
  cat >"$dir/glance-api.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $port
# One API worker is plenty for tests (default: one per CPU).
workers = 1
log_file = $LOGS/$1-api.log
show_image_direct_url = false
show_multiple_locations = false
enabled_import_methods = [web-download,glance-direct]
node_staging_uri = file://$dir/staging
image_cache_dir = $dir/cache

[database]
connection = postgresql+psycopg2://glance:$GLANCE_DB_PASSWORD@127.0.0.1:$PG_PORT/$db

[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
user_domain_name = Default
project_domain_name = Default
project_name = service
username = glance
password = $GLANCE_SERVICE_PASSWORD
region_name = $REGION

[paste_deploy]
flavor = keystone
config_file = $dir/glance-api-paste.ini

[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $dir/images/

[task]
task_executor = taskflow
work_dir = $dir/tasks

[import_filtering_opts]
allowed_schemes = [http,https]
allowed_hosts = [127.0.0.1]
allowed_ports = [$HTTP_PORT]

[oslo_concurrency]
lock_path = $dir/lock
EOF
  if [[ -n $extra ]]; then printf '\n%s\n' "$extra" >>"$dir/glance-api.conf"; fi
}

# setup_glance NAME PORT DATABASE [EXTRA]
setup_glance() {
  write_glance_conf "$@"
  log "$1 db_sync"
  # shellcheck disable=SC2094 # both only append
  /usr/bin/glance-manage --config-file "$STATE/$1/glance-api.conf" --log-file "$LOGS/glance-manage.log" db_sync \
    >>"$LOGS/glance-manage.log" 2>&1 ||
    fail_with_log "glance-manage db_sync failed" "$LOGS/glance-manage.log"
}

# The second and the converting glance-api: each its own database in the same cluster (owned by the glance
# role), store and config, so no image of one Glance is seen by another.
ensure_glance_db() {
  if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$1'") ]]; then
    psql_admin -c "CREATE DATABASE $1 OWNER glance"
  fi
}

start_glance2() {
  is_running glance-api2 "$GLANCE2_CONF" && return 0
  ensure_port_free "$GLANCE2_PORT" "second glance-api" OPENSTACK_DEV_GLANCE2_PORT
  ensure_glance_db glance2
  setup_glance glance2 "$GLANCE2_PORT" glance2
  log "starting the second glance-api ($REGION2) on $GLANCE2_URL"
  start_bg glance-api2 "$LOGS/glance2-api.log" $PY /usr/bin/glance-api --config-file "$GLANCE2_CONF"
}

# Every import (web-download, glance-direct) goes through the image_conversion plugin: qemu-img checks the
# staged data (a qcow2 with a backing file or a data-file is refused) and converts it to raw, so the image ends
# with disk_format raw, and size and os_hash_value of the raw data.
GLANCE_CONVERT_EXTRA="[image_import_opts]
image_import_plugins = ['image_conversion']

[image_conversion]
output_format = raw"

start_glance_convert() {
  is_running glance-convert "$GLANCE_CONVERT_CONF" && return 0
  ensure_port_free "$GLANCE_CONVERT_PORT" "converting glance-api" OPENSTACK_DEV_GLANCE_CONVERT_PORT
  ensure_glance_db glance_convert
  setup_glance glance-convert "$GLANCE_CONVERT_PORT" glance_convert "$GLANCE_CONVERT_EXTRA"
  log "starting the converting glance-api ($REGION_CONVERT) on $GLANCE_CONVERT_URL"
  start_bg glance-convert "$LOGS/glance-convert-api.log" $PY /usr/bin/glance-api --config-file "$GLANCE_CONVERT_CONF"
}

start_glance() {
  is_running glance-api glance-api && return 0
  ensure_port_free "$GLANCE_PORT" glance-api OPENSTACK_DEV_GLANCE_PORT
  log "starting glance-api on $GLANCE_URL"
  start_bg glance-api "$LOGS/glance-api.log" $PY /usr/bin/glance-api --config-file "$GLANCE_CONF"
}

# ---------------------------------------------------------------- http server

prepare_www() {
  install -d "$WWW"
  if [[ ! -f $WWW/cirros-tiny.qcow2 ]]; then
    qemu-img create -q -f qcow2 "$WWW/cirros-tiny.qcow2" 16M
  fi
}

start_http() {
  is_running http http.server && return 0
  ensure_port_free "$HTTP_PORT" "image http server" OPENSTACK_DEV_HTTP_PORT
  log "starting image http server on $HTTP_URL serving $WWW"
  start_bg http "$LOGS/http.log" $PY -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$WWW"
}

# ---------------------------------------------------------------- clouds.yaml

# cloud_entry NAME USER PASSWORD PROJECT REGION: one cloud of clouds.yaml.
cloud_entry() {
  cat <<EOF
  $1:
    auth_type: password
    auth:
      auth_url: $KEYSTONE_URL/v3
      username: $2
      password: $3
      project_name: $4
      user_domain_name: Default
      project_domain_name: Default
    region_name: $5
    interface: public
    identity_api_version: 3
EOF
}

# Written beside and renamed over the old one: a run reading it meanwhile never sees half a file.
write_clouds_yaml() {
  {
    echo 'clouds:'
    cloud_entry devstack-admin admin "$ADMIN_PASSWORD" admin "$REGION"
    cloud_entry devstack-member demo "$DEMO_PASSWORD" demo "$REGION"
    cloud_entry devstack-region2 admin "$ADMIN_PASSWORD" admin "$REGION2"
    cloud_entry devstack-convert admin "$ADMIN_PASSWORD" admin "$REGION_CONVERT"
  } >"$STATE/clouds.yaml.new"
  mv -f "$STATE/clouds.yaml.new" "$STATE/clouds.yaml"
}

admin_token() {
  ADMIN_PASSWORD=$ADMIN_PASSWORD $PY - "$KEYSTONE_URL/v3/auth/tokens" <<'PY'
import json, os, sys, urllib.request
body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": "admin", "domain": {"id": "default"}, "password": os.environ["ADMIN_PASSWORD"]}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
req = urllib.request.Request(sys.argv[1], data=json.dumps(body).encode(),
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=30) as r:
    print(r.headers["X-Subject-Token"])
PY
}

# ---------------------------------------------------------------- commands

print_env() {
  local kv
  for kv in \
    "OPENSTACK_DEV_DIR=$STATE" \
    "OS_CLIENT_CONFIG_FILE=$STATE/clouds.yaml" \
    "KEYSTONE_URL=$KEYSTONE_URL/v3" \
    "GLANCE_URL=$GLANCE_URL" \
    "GLANCE2_URL=$GLANCE2_URL" \
    "GLANCE_CONVERT_URL=$GLANCE_CONVERT_URL" \
    "IMAGE_MANAGER_E2E_HTTP=$HTTP_URL" \
    "IMAGE_MANAGER_E2E_WWW=$WWW" \
    "IMAGE_MANAGER_E2E_ADMIN_CLOUD=devstack-admin" \
    "IMAGE_MANAGER_E2E_MEMBER_CLOUD=devstack-member" \
    "IMAGE_MANAGER_E2E_REGION2_CLOUD=devstack-region2" \
    "IMAGE_MANAGER_E2E_CONVERT_CLOUD=devstack-convert"; do
    printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"
  done
}

cmd_up() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (uses apt and the postgres user)"
  local t0=$SECONDS
  install_packages
  stop_system_services
  install -d "$STATE" "$LOGS" "$RUN"
  prepare_www
  if stack_running; then
    log "already running (use 'down' first to apply changed settings)"
  else
    start_postgres
    setup_keystone
    start_keystone
    wait_http "$KEYSTONE_URL/v3" 200 "$LOGS/keystone.log"
    provision_keystone
    setup_glance glance "$GLANCE_PORT" glance
    start_http
    start_glance
  fi
  if ! is_running glance-api2 "$GLANCE2_CONF" || ! is_running glance-convert "$GLANCE_CONVERT_CONF"; then
    # Also on a stack started before these glances existed: added beside it, nothing restarted.
    provision_keystone
    start_glance2
    start_glance_convert
  fi
  write_clouds_yaml
  wait_http "$HTTP_URL/cirros-tiny.qcow2" 200 "$LOGS/http.log"
  wait_http "$GLANCE_URL/versions" 200 "$LOGS/glance-api.log"
  wait_http "$GLANCE2_URL/versions" 200 "$LOGS/glance2-api.log"
  wait_http "$GLANCE_CONVERT_URL/versions" 200 "$LOGS/glance-convert-api.log"
  local token
  token=$(admin_token) || fail_with_log "cannot get an admin token" "$LOGS/keystone.log"
  wait_http "$GLANCE_URL/v2/images" 200 "$LOGS/glance-api.log" "$token"
  wait_http "$GLANCE2_URL/v2/images" 200 "$LOGS/glance2-api.log" "$token"
  wait_http "$GLANCE_CONVERT_URL/v2/images" 200 "$LOGS/glance-convert-api.log" "$token"
  log "up in $((SECONDS - t0))s; keystone $KEYSTONE_URL/v3, glance $GLANCE_URL ($REGION)," \
    "$GLANCE2_URL ($REGION2) and $GLANCE_CONVERT_URL ($REGION_CONVERT, converts to raw), images $HTTP_URL"
  print_env
}

stack_running() {
  [[ -f $PGDATA/PG_VERSION ]] && pg_running &&
    is_running keystone keystone-wsgi-public &&
    is_running glance-api glance-api &&
    is_running http http.server
}

cmd_down() {
  local purge=
  case ${1:-} in
    --purge) purge=1 ;;
    '') ;;
    *) die "usage: $0 down [--purge]" ;;
  esac
  stop_bg http http.server
  stop_bg glance-convert "$GLANCE_CONVERT_CONF"
  stop_bg glance-api2 "$GLANCE2_CONF"
  stop_bg glance-api glance-api
  stop_bg keystone keystone-wsgi-public
  if [[ -f $PGDATA/PG_VERSION ]] && pg_running; then
    log "stopping postgresql"
    pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  if [[ -n $purge ]]; then
    [[ $STATE == /*/* && -d $STATE ]] || { [[ ! -e $STATE ]] && return 0; die "refusing to delete '$STATE'"; }
    log "removing $STATE"
    rm -rf -- "$STATE"
  fi
}

# Kills glance-api at once (as a crash or a host reboot would: imports in flight are orphaned) and starts it again.
cmd_restart_glance() {
  local pid
  pid=$(cat "$(pidfile glance-api)" 2>/dev/null) || die "glance-api is not running"
  log "killing glance-api (pid $pid)"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$(pidfile glance-api)"
  start_glance
  wait_http "$GLANCE_URL/versions" 200 "$LOGS/glance-api.log"
}

# status_line NAME CMDLINE_PATTERN WHERE; sets rc=1 when down.
status_line() {
  if is_running "$1" "$2"; then
    printf '%-14s up    pid %-7s %s\n' "$1" "$(cat "$(pidfile "$1")")" "$3"
  else
    printf '%-14s down\n' "$1"
    rc=1
  fi
}

cmd_status() {
  rc=0
  if [[ -f $PGDATA/PG_VERSION ]] && pg_running; then
    printf '%-14s up    pid %-7s 127.0.0.1:%s\n' postgresql "$(head -1 "$PGDATA/postmaster.pid")" "$PG_PORT"
  else
    printf '%-14s down\n' postgresql
    rc=1
  fi
  status_line keystone keystone-wsgi-public "$KEYSTONE_URL/v3"
  status_line glance-api glance-api "$GLANCE_URL"
  status_line glance-api2 "$GLANCE2_CONF" "$GLANCE2_URL ($REGION2)"
  status_line glance-convert "$GLANCE_CONVERT_CONF" "$GLANCE_CONVERT_URL ($REGION_CONVERT, converts to raw)"
  status_line http http.server "$HTTP_URL ($WWW)"
  return $rc
}

case ${1:-} in
  up) cmd_up ;;
  down) shift; cmd_down "$@" ;;
  env) print_env ;;
  status) cmd_status ;;
  restart-glance) cmd_restart_glance ;;
  *) echo "usage: $0 up | down [--purge] | env | status | restart-glance" >&2; exit 2 ;;
esac
