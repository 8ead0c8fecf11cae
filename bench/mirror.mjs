// `image-manager mirror` of one large image into the local stack's Swift, against the plain pipe
// `curl SOURCE | curl -T - OBJECT` in the same run (issue 18's bench):
//   OPENSTACK_DEV_SWIFT_MAX_FILE_SIZE=4294967296 bash scripts/openstack-dev.sh up   (the pipe needs one object)
//   eval "$(OPENSTACK_DEV_SWIFT_MAX_FILE_SIZE=4294967296 bash scripts/openstack-dev.sh env)"
//   node bench/mirror.mjs [GiB=2] [--cli path/to/bin/image-manager.js]
// Makes a GiB-sized file of random bytes in the stack's web folder (served by its http.server), then in one run:
// the pipe (a Keystone token first, not timed), the tool (`mirror --container`, timed from the process start, its
// peak RSS by /usr/bin/time), each into a fresh container; prints both times, MiB/s, the ratio and the tool's peak
// RSS. Removes the file and the containers afterwards. Needs the build (npm run build), curl and /usr/bin/time.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const gib = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 2);
const cliAt = args.indexOf('--cli');
const cli = resolve(cliAt >= 0 ? args[cliAt + 1] : join(root, 'bin/image-manager.js'));
const CLOUD = 'devstack-admin';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: eval "$(bash scripts/openstack-dev.sh env)" first`);
  return value;
}

async function token() {
  const { auth } = parse(readFileSync(env('OS_CLIENT_CONFIG_FILE'), 'utf8')).clouds[CLOUD];
  const response = await fetch(`${auth.auth_url.replace(/\/$/, '')}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: auth.username, domain: { name: auth.user_domain_name }, password: auth.password } },
        },
        scope: { project: { name: auth.project_name, domain: { name: auth.project_domain_name } } },
      },
    }),
  });
  if (response.status !== 201) throw new Error(`Keystone: ${response.status}`);
  const { catalog } = (await response.json()).token;
  const account = catalog
    .find((service) => service.type === 'object-store')
    ?.endpoints.find((e) => e.interface === 'public')
    ?.url.replace(/\/$/, '');
  return { value: response.headers.get('x-subject-token'), account };
}

async function sha256Of(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

const name = `bench-mirror-${randomUUID().slice(0, 8)}.raw`;
const file = join(env('IMAGE_MANAGER_E2E_WWW'), name);
const url = `${env('IMAGE_MANAGER_E2E_HTTP')}/${name}`;
const bytes = gib * 1024 ** 3;
const auth = await token();
const containers = [`bench-pipe-${randomUUID().slice(0, 8)}`, `bench-tool-${randomUUID().slice(0, 8)}`];
const curlAuth = ['-H', `X-Auth-Token: ${auth.value}`];
try {
  execFileSync('sh', ['-c', `head -c ${bytes} /dev/urandom > '${file}'`]);
  const sha = await sha256Of(file);
  const dir = mkdtempSync(join(tmpdir(), 'bench-mirror-'));
  writeFileSync(join(dir, 'images.yml'), definition(url, sha));
  for (const container of containers)
    execFileSync('curl', ['-sf', '-X', 'PUT', ...curlAuth, `${auth.account}/${container}`]);

  let started = process.hrtime.bigint();
  const pipe = `curl -sf '${url}' | curl -sf -T - -H 'X-Auth-Token: ${auth.value}' '${auth.account}/${containers[0]}/${name}'`;
  execFileSync('sh', ['-c', pipe]);
  const pipeS = Number(process.hrtime.bigint() - started) / 1e9;

  started = process.hrtime.bigint();
  const run = spawnSync(
    '/usr/bin/time',
    [
      '-v',
      process.execPath,
      cli,
      'mirror',
      '--cloud',
      CLOUD,
      '--images',
      dir,
      '--container',
      containers[1],
      '--segment-size',
      '1024',
    ],
    { encoding: 'utf8' },
  );
  const toolS = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`mirror failed:\n${run.stderr}`);
  const rssKiB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1]);
  const mib = bytes / 1024 ** 2;
  console.log(`${gib} GiB, Node ${process.version}`);
  console.log(`pipe (curl | curl -T -): ${pipeS.toFixed(1)} s, ${(mib / pipeS).toFixed(0)} MiB/s`);
  console.log(
    `tool (mirror, SLO of 1 GiB segments, verified): ${toolS.toFixed(1)} s, ${(mib / toolS).toFixed(0)} MiB/s`,
  );
  console.log(
    `ratio tool/pipe throughput: ${((pipeS / toolS) * 100).toFixed(0)} %; tool peak RSS ${(rssKiB / 1024).toFixed(0)} MiB`,
  );
  rmSync(dir, { recursive: true, force: true });
} finally {
  rmSync(file, { force: true });
  for (const container of containers) {
    const listing = spawnSync('curl', ['-sf', ...curlAuth, `${auth.account}/${container}?format=json`], {
      encoding: 'utf8',
    });
    for (const { name: object } of JSON.parse(listing.stdout || '[]')) {
      spawnSync('curl', ['-sf', '-X', 'DELETE', ...curlAuth, `${auth.account}/${container}/${object}`]);
    }
    spawnSync('curl', ['-sf', '-X', 'DELETE', ...curlAuth, `${auth.account}/${container}`]);
  }
}

function definition(source, sha) {
  return `---
images:
  - name: Bench Mirror
    enable: true
    shortname: benchmirror
    format: raw
    login: ubuntu
    min_disk: 1
    min_ram: 0
    status: active
    visibility: public
    multi: true
    meta:
      architecture: x86_64
      hypervisor_type: qemu
      os_distro: ubuntu
      os_version: '24.04'
      os_purpose: generic
      replace_frequency: never
      uuid_validity: none
      provided_until: none
      hw_disk_bus: scsi
      hw_rng_model: virtio
      hw_scsi_model: virtio-scsi
      hw_watchdog_action: reset
    tags: []
    versions:
      - version: '20261201'
        url: ${source}
        checksum: sha256:${sha}
        build_date: 2026-12-01
`;
}
