#!/usr/bin/env bash
# A real Keystone + Glance (Debian 12 packages) on 127.0.0.1 for development
# and end-to-end tests. Everything we run lives in one state dir; the Debian
# system services are installed but never run. A second glance-api (own port,
# database, store and config) serves region RegionTwo of the same Keystone, so
# that a run can reach two clouds that are really separate Glances. A third one
# (region RegionConvert) converts every import to raw with Glance's
# image_conversion plugin, as a Glance on Ceph does. Swift (proxy, account,
# container and object server, one replica, Keystone auth, TempURL, SLO and
# the S3 API through s3api + s3token) is the object store of RegionOne, and a
# fourth glance-api (region RegionMirror) may web-download from Swift only.
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
GLANCE_MIRROR_PORT=${OPENSTACK_DEV_GLANCE_MIRROR_PORT:-$((GLANCE_PORT + 3))}
HTTP_PORT=${OPENSTACK_DEV_HTTP_PORT:-18080}
# The Swift proxy; the account, container and object servers listen on the next three ports.
SWIFT_PORT=${OPENSTACK_DEV_SWIFT_PORT:-$((GLANCE_PORT - 12))}
SWIFT_ACCOUNT_PORT=$((SWIFT_PORT + 1))
SWIFT_CONTAINER_PORT=$((SWIFT_PORT + 2))
SWIFT_OBJECT_PORT=$((SWIFT_PORT + 3))
# Swift's single-object limit, small so that e2e exercises SLO with small images (a real Swift: 5 GiB).
SWIFT_MAX_FILE_SIZE=${OPENSTACK_DEV_SWIFT_MAX_FILE_SIZE:-67108864}
REGION=RegionOne
REGION2=RegionTwo
REGION_CONVERT=RegionConvert
REGION_MIRROR=RegionMirror
ADMIN_PASSWORD=${OPENSTACK_DEV_ADMIN_PASSWORD:-admin-secret}
DEMO_PASSWORD=${OPENSTACK_DEV_DEMO_PASSWORD:-demo-secret}
GLANCE_SERVICE_PASSWORD=${OPENSTACK_DEV_GLANCE_PASSWORD:-glance-secret}
KEYSTONE_DB_PASSWORD=${OPENSTACK_DEV_KEYSTONE_DB_PASSWORD:-keystone-db-secret}
GLANCE_DB_PASSWORD=${OPENSTACK_DEV_GLANCE_DB_PASSWORD:-glance-db-secret}
SWIFT_SERVICE_PASSWORD=${OPENSTACK_DEV_SWIFT_PASSWORD:-swift-secret}
# The EC2 credential of admin in project admin: the S3 API's access key and secret.
S3_ACCESS_KEY=${OPENSTACK_DEV_S3_ACCESS_KEY:-admin-s3-access}
S3_SECRET_KEY=${OPENSTACK_DEV_S3_SECRET_KEY:-admin-s3-secret}
TIMEOUT=${OPENSTACK_DEV_TIMEOUT:-120}

PG_BIN=/usr/lib/postgresql/15/bin
KEYSTONE_URL=http://127.0.0.1:$KEYSTONE_PORT
GLANCE_URL=http://127.0.0.1:$GLANCE_PORT
GLANCE2_URL=http://127.0.0.1:$GLANCE2_PORT
GLANCE_CONVERT_URL=http://127.0.0.1:$GLANCE_CONVERT_PORT
GLANCE_MIRROR_URL=http://127.0.0.1:$GLANCE_MIRROR_PORT
SWIFT_URL=http://127.0.0.1:$SWIFT_PORT
HTTP_URL=http://127.0.0.1:$HTTP_PORT

LOGS=$STATE/logs
RUN=$STATE/run
PGDATA=$STATE/postgres/data
PGSOCK=$STATE/postgres/sock
KEYSTONE_CONF=$STATE/keystone/keystone.conf
GLANCE_CONF=$STATE/glance/glance-api.conf
GLANCE2_CONF=$STATE/glance2/glance-api.conf
GLANCE_CONVERT_CONF=$STATE/glance-convert/glance-api.conf
GLANCE_MIRROR_CONF=$STATE/glance-mirror/glance-api.conf
SWIFT_DIR=$STATE/swift
WWW=$STATE/www

# xz-utils, bzip2 and zstd: the e2e suite serves compressed images made with them (bzip2 also decodes .bz2 sources)
PACKAGES=(postgresql python3-psycopg2 keystone glance-api qemu-utils xz-utils bzip2 zstd
  swift-proxy swift-account swift-container swift-object)

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
  for svc in keystone glance-api apache2 swift-proxy swift-account swift-container swift-object; do
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
  log "provisioning keystone (glance and swift services and endpoints, demo user, S3 credential)"
  KEYSTONE_URL=$KEYSTONE_URL GLANCE_URL=$GLANCE_URL REGION=$REGION \
    GLANCE2_URL=$GLANCE2_URL REGION2=$REGION2 \
    GLANCE_CONVERT_URL=$GLANCE_CONVERT_URL REGION_CONVERT=$REGION_CONVERT \
    GLANCE_MIRROR_URL=$GLANCE_MIRROR_URL REGION_MIRROR=$REGION_MIRROR SWIFT_URL=$SWIFT_URL \
    ADMIN_PASSWORD=$ADMIN_PASSWORD DEMO_PASSWORD=$DEMO_PASSWORD \
    GLANCE_SERVICE_PASSWORD=$GLANCE_SERVICE_PASSWORD SWIFT_SERVICE_PASSWORD=$SWIFT_SERVICE_PASSWORD \
    S3_ACCESS_KEY=$S3_ACCESS_KEY S3_SECRET_KEY=$S3_SECRET_KEY \
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
        raise SystemExit(redact(f"{method} {path} -> {e.code}: {e.read().decode(errors='replace')}"))

# Keystone's error answers quote the request body: no password or secret reaches the log that way.
SECRETS = [env[k] for k in ("ADMIN_PASSWORD", "DEMO_PASSWORD", "GLANCE_SERVICE_PASSWORD",
                            "SWIFT_SERVICE_PASSWORD", "S3_SECRET_KEY") if env.get(k)]

def redact(text):
    for secret in SECRETS:
        text = text.replace(secret, "***")
    return text

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
swift = ensure_user("swift", env["SWIFT_SERVICE_PASSWORD"], service_project["id"])
for service_user in (glance, swift):
    call("PUT", f"/projects/{service_project['id']}/users/{service_user['id']}/roles/{roles['admin']}", token=tok)
call("PUT", f"/projects/{demo_project['id']}/users/{demo['id']}/roles/{roles['member']}", token=tok)

image = ensure("services", "service", {"type": "image"},
               {"type": "image", "name": "glance", "description": "OpenStack Image", "enabled": True})
regions = {region["id"] for region in find("regions", "regions")}
for region, description in ((env["REGION2"], "the second glance-api"),
                            (env["REGION_CONVERT"], "the glance-api that converts imports to raw"),
                            (env["REGION_MIRROR"], "the glance-api that may web-download from Swift only")):
    if region not in regions:
        call("POST", "/regions", {"region": {"id": region, "description": description}}, token=tok)
        print(f"created region {region}")

def ensure_endpoints(service, region, url):
    for iface in ("public", "internal", "admin"):
        eps = [ep for ep in find("endpoints", "endpoints", service_id=service["id"], interface=iface)
               if ep.get("region_id") == region]
        if len(eps) == 1 and eps[0]["url"] == url:
            continue
        for ep in eps:
            call("DELETE", f"/endpoints/{ep['id']}", token=tok)
        call("POST", "/endpoints", {"endpoint": {"service_id": service["id"], "interface": iface,
                                                 "url": url, "region_id": region, "enabled": True}}, token=tok)
        print(f"created {service['type']} endpoint {iface} {url} in {region}")

for region, url in ((env["REGION"], env["GLANCE_URL"]), (env["REGION2"], env["GLANCE2_URL"]),
                    (env["REGION_CONVERT"], env["GLANCE_CONVERT_URL"]),
                    (env["REGION_MIRROR"], env["GLANCE_MIRROR_URL"])):
    ensure_endpoints(image, region, url)

# One Swift; its endpoint also in RegionMirror, so that the mirror cloud finds the store it imports from.
object_store = ensure("services", "service", {"type": "object-store"},
                      {"type": "object-store", "name": "swift", "description": "OpenStack Object Storage",
                       "enabled": True})
for region in (env["REGION"], env["REGION_MIRROR"]):
    ensure_endpoints(object_store, region, env["SWIFT_URL"] + "/v1/AUTH_%(tenant_id)s")

# The S3 API's credential: an EC2 credential of admin in project admin, with the configured access key and
# secret (Keystone names an ec2 credential by the sha256 of its access key).
admin_user = find("users", "users", name="admin", domain_id="default")[0]
admin_project = find("projects", "projects", name="admin", domain_id="default")[0]
blob = json.dumps({"access": env["S3_ACCESS_KEY"], "secret": env["S3_SECRET_KEY"]})
ec2 = [c for c in find("credentials", "credentials", user_id=admin_user["id"], type="ec2")
       if json.loads(c["blob"]).get("access") == env["S3_ACCESS_KEY"]]
if ec2:
    call("PATCH", f"/credentials/{ec2[0]['id']}", {"credential": {"blob": blob}}, token=tok)
else:
    call("POST", "/credentials", {"credential": {"type": "ec2", "user_id": admin_user["id"],
                                                 "project_id": admin_project["id"], "blob": blob}}, token=tok)
    print("created the ec2 credential of admin")
print("provisioning done")
PY
  PROVISIONED=1
}

# ---------------------------------------------------------------- glance

# write_glance_conf NAME PORT DATABASE ALLOWED_PORTS [EXTRA]: the config of one glance-api, all its state under
# $STATE/NAME; web-download may reach 127.0.0.1 on ALLOWED_PORTS (comma-separated); EXTRA (ini sections) is
# appended.
write_glance_conf() {
  local dir=$STATE/$1 port=$2 db=$3 allowed_ports=$4 extra=${5:-}
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
allowed_ports = [$allowed_ports]

[oslo_concurrency]
lock_path = $dir/lock
EOF
  if [[ -n $extra ]]; then printf '\n%s\n' "$extra" >>"$dir/glance-api.conf"; fi
}

# setup_glance NAME PORT DATABASE ALLOWED_PORTS [EXTRA]
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

# start_extra_glance PROCESS NAME PORT PORT_VARIABLE DATABASE ALLOWED_PORTS WHAT URL [EXTRA]: one more glance-api
# (config, store and staging under $STATE/NAME, its log $LOGS/NAME-api.log), unless it runs already.
start_extra_glance() {
  local process=$1 name=$2 port=$3 variable=$4 database=$5 allowed=$6 what=$7 url=$8 extra=${9:-}
  is_running "$process" "$STATE/$name/glance-api.conf" && return 0
  ensure_port_free "$port" "$what" "$variable"
  ensure_glance_db "$database"
  setup_glance "$name" "$port" "$database" "$allowed" "$extra"
  log "starting the $what on $url"
  start_bg "$process" "$LOGS/$name-api.log" $PY /usr/bin/glance-api --config-file "$STATE/$name/glance-api.conf"
}

start_glance2() {
  start_extra_glance glance-api2 glance2 "$GLANCE2_PORT" OPENSTACK_DEV_GLANCE2_PORT glance2 "$HTTP_PORT,$SWIFT_PORT" \
    "second glance-api ($REGION2)" "$GLANCE2_URL"
}

# Every import (web-download, glance-direct) goes through the image_conversion plugin: qemu-img checks the
# staged data (a qcow2 with a backing file or a data-file is refused) and converts it to raw, so the image ends
# with disk_format raw, and size and os_hash_value of the raw data.
GLANCE_CONVERT_EXTRA="[image_import_opts]
image_import_plugins = ['image_conversion']

[image_conversion]
output_format = raw"

start_glance_convert() {
  start_extra_glance glance-convert glance-convert "$GLANCE_CONVERT_PORT" OPENSTACK_DEV_GLANCE_CONVERT_PORT \
    glance_convert "$HTTP_PORT,$SWIFT_PORT" "converting glance-api ($REGION_CONVERT)" "$GLANCE_CONVERT_URL" \
    "$GLANCE_CONVERT_EXTRA"
}

# Glance's import_filtering_opts check scheme, host and port each on its own, and the upstream http server and
# Swift are both on 127.0.0.1: only the port tells them apart. This one may web-download from Swift only.
start_glance_mirror() {
  start_extra_glance glance-mirror glance-mirror "$GLANCE_MIRROR_PORT" OPENSTACK_DEV_GLANCE_MIRROR_PORT \
    glance_mirror "$SWIFT_PORT" "mirror-only glance-api ($REGION_MIRROR)" "$GLANCE_MIRROR_URL"
}

start_glance() {
  is_running glance-api glance-api && return 0
  ensure_port_free "$GLANCE_PORT" glance-api OPENSTACK_DEV_GLANCE_PORT
  log "starting glance-api on $GLANCE_URL"
  start_bg glance-api "$LOGS/glance-api.log" $PY /usr/bin/glance-api --config-file "$GLANCE_CONF"
}

# ---------------------------------------------------------------- swift

# Every Swift server reads swift.conf (hash path, storage policy, constraints) from /etc/swift, a path compiled
# in; this wrapper points it at our own before the server starts. Usage: server.py SERVER CONF SWIFT_CONF.
write_swift_runner() {
  cat >"$SWIFT_DIR/server.py" <<'PY'
import sys
from swift.common import utils
utils.SWIFT_CONF_FILE = sys.argv[3]
from swift.common import constraints, storage_policy
constraints.reload_constraints()
storage_policy.reload_storage_policies()
from swift.common.wsgi import run_wsgi
server, conf = sys.argv[1], sys.argv[2]
extra = {}
if server == "object-server":
    from swift.obj import server as obj
    extra["global_conf_callback"] = obj.global_conf_callback
# verbose: every logger of the process also writes to stderr, our log file (there is no syslog here)
sys.exit(run_wsgi(conf, server, verbose=True, **extra))
PY
}

# write_swift_server_conf KIND PORT: the account, container or object server, storage in $SWIFT_DIR/devices/d1.
write_swift_server_conf() {
  cat >"$SWIFT_DIR/$1-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = 0
user = root
swift_dir = $SWIFT_DIR
devices = $SWIFT_DIR/devices
mount_check = false
log_name = swift-$1

[pipeline:main]
pipeline = healthcheck $1-server

[filter:healthcheck]
use = egg:swift#healthcheck

[app:$1-server]
use = egg:swift#$1
EOF
}

write_swift_conf() {
  install -d "$SWIFT_DIR/devices/d1" "$SWIFT_DIR/cache"
  cat >"$SWIFT_DIR/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = image-manager-dev
swift_hash_path_prefix = image-manager-dev

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
max_file_size = $SWIFT_MAX_FILE_SIZE
EOF
  write_swift_server_conf account "$SWIFT_ACCOUNT_PORT"
  write_swift_server_conf container "$SWIFT_CONTAINER_PORT"
  write_swift_server_conf object "$SWIFT_OBJECT_PORT"
  # Swift 2.30's proxy-server.conf-sample order, with only what the stack needs: no memcached (cache left out:
  # authtoken then caches tokens in the process), Keystone auth, TempURL, the S3 API (s3api + s3token after
  # authtoken) and SLO/DLO.
  cat >"$SWIFT_DIR/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $SWIFT_PORT
workers = 1
user = root
swift_dir = $SWIFT_DIR
log_name = swift-proxy

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging listing_formats tempurl authtoken s3api s3token keystoneauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:tempurl]
use = egg:swift#tempurl

[filter:s3api]
use = egg:swift#s3api
location = $REGION

[filter:s3token]
use = egg:swift#s3token
auth_uri = $KEYSTONE_URL/v3
reseller_prefix = AUTH_
# Keystone (since the fix of OSSA-2025-002) answers /v3/s3tokens only to an authenticated service.
auth_type = password
auth_url = $KEYSTONE_URL
user_domain_name = Default
project_domain_name = Default
project_name = service
username = swift
password = $SWIFT_SERVICE_PASSWORD

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
user_domain_name = Default
project_domain_name = Default
project_name = service
username = swift
password = $SWIFT_SERVICE_PASSWORD
region_name = $REGION
delay_auth_decision = true

[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
EOF
}

# One replica, one device, one partition power small enough to build at once; rebuilt at each start so that
# the rings always name the configured ports.
build_swift_rings() {
  SWIFT_DIR=$SWIFT_DIR $PY - "$SWIFT_ACCOUNT_PORT" "$SWIFT_CONTAINER_PORT" "$SWIFT_OBJECT_PORT" <<'PY' \
    >>"$LOGS/swift-rings.log" 2>&1 || fail_with_log "building the swift rings failed" "$LOGS/swift-rings.log"
import os, sys
from swift.common.ring import RingBuilder
for kind, port in zip(("account", "container", "object"), sys.argv[1:]):
    builder = RingBuilder(6, 1, 1)
    builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": int(port),
                     "device": "d1", "weight": 100, "meta": ""})
    builder.rebalance()
    builder.get_ring().save(os.path.join(os.environ["SWIFT_DIR"], f"{kind}.ring.gz"))
    print(f"{kind} ring: 127.0.0.1:{port}/d1")
PY
}

SWIFT_SERVERS=(account container object proxy)

swift_port() {
  case $1 in
    account) echo "$SWIFT_ACCOUNT_PORT" ;;
    container) echo "$SWIFT_CONTAINER_PORT" ;;
    object) echo "$SWIFT_OBJECT_PORT" ;;
    proxy) echo "$SWIFT_PORT" ;;
  esac
}

swift_running() {
  local kind
  for kind in "${SWIFT_SERVERS[@]}"; do is_running "swift-$kind" "$SWIFT_DIR/$kind-server.conf" || return 1; done
}

start_swift() {
  swift_running && return 0
  local kind
  for kind in "${SWIFT_SERVERS[@]}"; do stop_bg "swift-$kind" "$SWIFT_DIR/$kind-server.conf"; done
  for kind in "${SWIFT_SERVERS[@]}"; do
    ensure_port_free "$(swift_port "$kind")" "swift $kind server" OPENSTACK_DEV_SWIFT_PORT
  done
  install -d "$SWIFT_DIR"
  write_swift_runner
  write_swift_conf
  build_swift_rings
  log "starting swift on $SWIFT_URL (account, container, object servers on ports $SWIFT_ACCOUNT_PORT-$SWIFT_OBJECT_PORT)"
  for kind in "${SWIFT_SERVERS[@]}"; do
    start_bg "swift-$kind" "$LOGS/swift-$kind.log" \
      $PY "$SWIFT_DIR/server.py" "$kind-server" "$SWIFT_DIR/$kind-server.conf" "$SWIFT_DIR/swift.conf"
  done
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
    cloud_entry devstack-mirror admin "$ADMIN_PASSWORD" admin "$REGION_MIRROR"
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
    "GLANCE_MIRROR_URL=$GLANCE_MIRROR_URL" \
    "IMAGE_MANAGER_E2E_HTTP=$HTTP_URL" \
    "IMAGE_MANAGER_E2E_WWW=$WWW" \
    "IMAGE_MANAGER_E2E_ADMIN_CLOUD=devstack-admin" \
    "IMAGE_MANAGER_E2E_MEMBER_CLOUD=devstack-member" \
    "IMAGE_MANAGER_E2E_REGION2_CLOUD=devstack-region2" \
    "IMAGE_MANAGER_E2E_CONVERT_CLOUD=devstack-convert" \
    "IMAGE_MANAGER_E2E_MIRROR_CLOUD=devstack-mirror" \
    "IMAGE_MANAGER_E2E_SWIFT_URL=$SWIFT_URL" \
    "IMAGE_MANAGER_E2E_S3_ENDPOINT=$SWIFT_URL" \
    "IMAGE_MANAGER_E2E_S3_REGION=$REGION" \
    "IMAGE_MANAGER_E2E_S3_ACCESS_KEY=$S3_ACCESS_KEY" \
    "IMAGE_MANAGER_E2E_S3_SECRET_KEY=$S3_SECRET_KEY" \
    "IMAGE_MANAGER_E2E_SWIFT_MAX_FILE_SIZE=$SWIFT_MAX_FILE_SIZE"; do
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
    setup_glance glance "$GLANCE_PORT" glance "$HTTP_PORT,$SWIFT_PORT"
    start_http
    start_glance
  fi
  if ! is_running glance-api2 "$GLANCE2_CONF" || ! is_running glance-convert "$GLANCE_CONVERT_CONF" ||
    ! is_running glance-mirror "$GLANCE_MIRROR_CONF" || ! swift_running; then
    # Also on a stack started before these existed: added beside it, nothing else restarted.
    provision_keystone
    start_swift
    start_glance2
    start_glance_convert
    start_glance_mirror
  fi
  write_clouds_yaml
  wait_http "$HTTP_URL/cirros-tiny.qcow2" 200 "$LOGS/http.log"
  local name
  for name in account container object proxy; do
    wait_http "http://127.0.0.1:$(swift_port "$name")/healthcheck" 200 "$LOGS/swift-$name.log"
  done
  wait_http "$GLANCE_URL/versions" 200 "$LOGS/glance-api.log"
  wait_http "$GLANCE2_URL/versions" 200 "$LOGS/glance2-api.log"
  wait_http "$GLANCE_CONVERT_URL/versions" 200 "$LOGS/glance-convert-api.log"
  wait_http "$GLANCE_MIRROR_URL/versions" 200 "$LOGS/glance-mirror-api.log"
  local token
  token=$(admin_token) || fail_with_log "cannot get an admin token" "$LOGS/keystone.log"
  wait_http "$GLANCE_URL/v2/images" 200 "$LOGS/glance-api.log" "$token"
  wait_http "$GLANCE2_URL/v2/images" 200 "$LOGS/glance2-api.log" "$token"
  wait_http "$GLANCE_CONVERT_URL/v2/images" 200 "$LOGS/glance-convert-api.log" "$token"
  wait_http "$GLANCE_MIRROR_URL/v2/images" 200 "$LOGS/glance-mirror-api.log" "$token"
  log "up in $((SECONDS - t0))s; keystone $KEYSTONE_URL/v3, glance $GLANCE_URL ($REGION)," \
    "$GLANCE2_URL ($REGION2), $GLANCE_CONVERT_URL ($REGION_CONVERT, converts to raw) and" \
    "$GLANCE_MIRROR_URL ($REGION_MIRROR, imports from Swift only), swift $SWIFT_URL, images $HTTP_URL"
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
  local kind
  for kind in proxy object container account; do stop_bg "swift-$kind" "$SWIFT_DIR/$kind-server.conf"; done
  stop_bg glance-mirror "$GLANCE_MIRROR_CONF"
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
    printf '%-15s up    pid %-7s %s\n' "$1" "$(cat "$(pidfile "$1")")" "$3"
  else
    printf '%-15s down\n' "$1"
    rc=1
  fi
}

cmd_status() {
  rc=0
  if [[ -f $PGDATA/PG_VERSION ]] && pg_running; then
    printf '%-15s up    pid %-7s 127.0.0.1:%s\n' postgresql "$(head -1 "$PGDATA/postmaster.pid")" "$PG_PORT"
  else
    printf '%-15s down\n' postgresql
    rc=1
  fi
  status_line keystone keystone-wsgi-public "$KEYSTONE_URL/v3"
  status_line glance-api glance-api "$GLANCE_URL"
  status_line glance-api2 "$GLANCE2_CONF" "$GLANCE2_URL ($REGION2)"
  status_line glance-convert "$GLANCE_CONVERT_CONF" "$GLANCE_CONVERT_URL ($REGION_CONVERT, converts to raw)"
  status_line glance-mirror "$GLANCE_MIRROR_CONF" "$GLANCE_MIRROR_URL ($REGION_MIRROR, imports from Swift only)"
  local kind
  for kind in "${SWIFT_SERVERS[@]}"; do
    status_line "swift-$kind" "$SWIFT_DIR/$kind-server.conf" "http://127.0.0.1:$(swift_port "$kind")"
  done
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
