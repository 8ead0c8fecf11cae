// The import floor against the local Keystone + Glance (scripts/openstack-dev.sh), and the tool next to it:
//   eval "$(bash scripts/openstack-dev.sh env)"; node bench/import-floor.mjs [N] [--cli path/to/bin/image-manager.js]
//     [--rounds R] [-- extra CLI flags]
// (needs the build: npm run build). N defaults to 13: the shipped catalogue's enabled definitions, one version each.
//
// Makes N distinct qcow2 files with qemu-img in $IMAGE_MANAGER_E2E_WWW/import-floor (served by the stack's
// http.server, the only host Glance's web-download takes), then in one run:
//   1. the floor: the raw Glance API, no tool. A token, then N images created at once (private, one tag), a
//      web-download started for each as soon as it exists, all of them polled with one listing (`id=in:`) every
//      50 ms until every one is active; timed from the first request (the token's) to the last image seen
//      active (the time without the token is printed too). Deleted afterwards.
//   2. the tool: a fresh import of the same N files: a catalogue of N definitions modelled on the shipped
//      ones (images/*.yml: their meta, multi, min_disk…; each with one version, the local file and its sha512),
//      under names and a tag no earlier run used (a fresh cloud for them), run with the CLI's defaults plus
//      `--debug --log-format json`; timed from the process start to its exit (Node's start, the token, the
//      observation and planning included). Its images are deleted afterwards.
// Prints both times, the ratio tool/floor, and the writes per new image: the tool's own count (its
// "requests in total" line, token requests left out) and Glance's request log (the requests on the run's
// image ids that are not GETs, plus one create each). With --rounds R, R rounds (floor, then tool) and their
// medians. --keep-log FILE keeps the tool's log of the last round. Throws when an import or the tool fails.
// The stack is small (one Glance API worker): other work on the machine moves both times; compare medians.
// CPU seconds (user + system) are printed too, which other work on a shared machine moves far less than wall
// time: the tool's (through /usr/bin/time, when there) and the local stack's services' during its run (Glance,
// Keystone, the image http server and PostgreSQL, from the process groups of the stack's pid files under
// $IMAGE_MANAGER_E2E_WWW/..; Linux /proc).
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GLANCE_LOG = process.env.IMAGE_MANAGER_GLANCE_LOG ?? '/tmp/image-manager-openstack/logs/glance-api.log';
const CLOUD = 'devstack-admin';
const POLL_MS = 50;

const args = process.argv.slice(2);
const dashes = args.indexOf('--');
const own = dashes >= 0 ? args.slice(0, dashes) : args;
const extraFlags = dashes >= 0 ? args.slice(dashes + 1) : [];
const n = Number(own.find((arg) => /^\d+$/.test(arg)) ?? 13);
const cli = resolve(flagValue('--cli') ?? join(root, 'bin/image-manager.js'));
const rounds = Number(flagValue('--rounds') ?? 1);
/** Where the tool's log of the last round goes (--keep-log FILE), to see where its time went. */
const keepLog = flagValue('--keep-log');

function flagValue(flag) {
  const at = own.indexOf(flag);
  return at >= 0 ? own[at + 1] : undefined;
}

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: eval "$(bash scripts/openstack-dev.sh env)" first`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// The raw API: a token, the image endpoint, fetch with the token.

async function connect() {
  const clouds = parse(readFileSync(env('OS_CLIENT_CONFIG_FILE'), 'utf8')).clouds;
  const { auth } = clouds[CLOUD];
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: { name: auth.username, domain: { name: auth.user_domain_name }, password: auth.password },
        },
      },
      scope: { project: { name: auth.project_name, domain: { name: auth.project_domain_name } } },
    },
  };
  const response = await fetch(`${auth.auth_url.replace(/\/$/, '')}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`Keystone: ${response.status} ${await response.text()}`);
  const token = response.headers.get('x-subject-token');
  const { catalog } = (await response.json()).token;
  const endpoint = catalog
    .find((service) => service.type === 'image')
    ?.endpoints.find((e) => e.interface === 'public')
    ?.url.replace(/\/$/, '');
  if (!endpoint) throw new Error('no public image endpoint in the catalogue');
  const request = async (method, path, json) => {
    const res = await fetch(`${endpoint}${path}`, {
      method,
      headers: { 'X-Auth-Token': token, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { request };
}

/** Every image carrying the tag, visible and hidden. */
async function tagged(glance, tag) {
  const list = (hidden) =>
    glance.request('GET', `/v2/images?limit=1000&visibility=all&os_hidden=${hidden}&tag=${encodeURIComponent(tag)}`);
  const [visible, hidden] = await Promise.all([list(false), list(true)]);
  return [...visible.images, ...hidden.images];
}

async function removeTagged(glance, tag) {
  const images = await tagged(glance, tag);
  await Promise.all(images.map((image) => glance.request('DELETE', `/v2/images/${image.id}`).catch(() => undefined)));
  return images.map((image) => image.id);
}

// ---------------------------------------------------------------------------------------------------------
// The files: N distinct qcow2 images (virtual sizes 1..N MiB), with their sha512.

function makeFiles() {
  const www = join(env('IMAGE_MANAGER_E2E_WWW'), 'import-floor');
  mkdirSync(www, { recursive: true });
  const base = env('IMAGE_MANAGER_E2E_HTTP');
  const files = [];
  for (let i = 1; i <= n; i++) {
    const file = join(www, `image-${i}.qcow2`);
    if (!existsSync(file)) execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, `${i}M`]);
    const sha512 = createHash('sha512').update(readFileSync(file)).digest('hex');
    files.push({ url: `${base}/import-floor/image-${i}.qcow2`, sha512, bytes: statSync(file).size });
  }
  if (new Set(files.map((f) => f.sha512)).size !== n) throw new Error('the files are not distinct');
  return files;
}

// ---------------------------------------------------------------------------------------------------------
// 1. The floor.

async function floor(files) {
  const tag = `floor-${randomUUID().slice(0, 8)}`;
  const cpuBefore = stackCpu();
  const started = performance.now();
  // A client's first request is for its token, as the tool's is.
  const glance = await connect();
  const tokenSeconds = (performance.now() - started) / 1000;
  const ids = await Promise.all(
    files.map(async (file, i) => {
      const image = await glance.request('POST', '/v2/images', {
        name: `Floor ${tag} ${i + 1}`,
        disk_format: 'qcow2',
        container_format: 'bare',
        visibility: 'private',
        tags: [tag],
      });
      await glance.request('POST', `/v2/images/${image.id}/import`, {
        method: { name: 'web-download', uri: file.url },
      });
      return image.id;
    }),
  );
  const pending = new Set(ids);
  let listings = 0;
  while (pending.size > 0) {
    const chunks = [];
    const open = [...pending];
    for (let i = 0; i < open.length; i += 50) chunks.push(open.slice(i, i + 50));
    const seen = await Promise.all(
      chunks.map((chunk) => {
        listings++;
        return glance.request('GET', `/v2/images?limit=100&visibility=all&id=in:${chunk.join(',')}`);
      }),
    );
    for (const image of seen.flatMap((page) => page.images)) {
      if (image.status === 'active') pending.delete(image.id);
      else if (image.status === 'killed' || image.status === 'deleted')
        throw new Error(`floor: image ${image.id} is ${image.status}`);
    }
    if (pending.size > 0) await new Promise((done) => setTimeout(done, POLL_MS));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSince(cpuBefore);
  await removeTagged(glance, tag);
  return { seconds, tokenSeconds, listings, cpu };
}

// ---------------------------------------------------------------------------------------------------------
// 2. The tool.

/** The shipped definitions that are enabled: the templates of the bench's catalogue. */
function templates() {
  const dir = join(root, 'images');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .flatMap((name) => parse(readFileSync(join(dir, name), 'utf8')).images)
    .filter((definition) => definition.enable !== false);
}

function catalogue(files, suffix) {
  const shipped = templates();
  const images = files.map((file, i) => {
    const template = shipped[i % shipped.length];
    const { latest_url, latest_checksum_url, versions, ...rest } = template;
    const last = versions.at(-1);
    return {
      ...rest,
      // The files are qcow2 whatever the template declares (Garden Linux: raw); the tool refuses a mismatch.
      format: 'qcow2',
      name: `${template.name} ${suffix} ${i + 1}`,
      ...(template.shortname ? { shortname: `${template.shortname}-${suffix}-${i + 1}` } : {}),
      versions: [
        {
          version: String(last.version),
          url: file.url,
          checksum: `sha512:${file.sha512}`,
          build_date: last.build_date,
        },
      ],
    };
  });
  const dir = mkdtempSync(join(tmpdir(), 'import-floor-'));
  writeFileSync(join(dir, 'images.yml'), `---\n${stringify({ images }, { version: '1.1', lineWidth: 200 })}`);
  return dir;
}

/** /usr/bin/time, when there: the tool's CPU seconds (user + system) and peak RSS. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function runTool(args) {
  const timeFile = TIME ? join(mkdtempSync(join(tmpdir(), 'import-floor-time-')), 'time') : undefined;
  const command = timeFile
    ? [TIME, ['-f', '%U %S %M', '-o', timeFile, process.execPath, cli, ...args]]
    : [process.execPath, [cli, ...args]];
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(...command, { cwd: root, env: process.env });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('close', (code) =>
      done({
        code,
        seconds: (performance.now() - started) / 1000,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        ...(timeFile ? toolCpu(timeFile) : {}),
      }),
    );
  });
}

function toolCpu(timeFile) {
  const [user, system, kib] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  rmSync(dirname(timeFile), { recursive: true, force: true });
  return { cpu: user + system, rssMiB: kib / 1024 };
}

// ---------------------------------------------------------------------------------------------------------
// CPU seconds of the local stack's services so far, by service: the process groups of its pid files (Glance
// forks its workers into its group), PostgreSQL's postmaster and its backends (those gone in its children's
// time). Undefined when they cannot be read (no /proc, another stack layout).

const HZ = 100; // USER_HZ, the unit of /proc/PID/stat's times on Linux

function stackCpu() {
  try {
    const state = dirname(env('IMAGE_MANAGER_E2E_WWW'));
    const run = join(state, 'run');
    const groups = new Map(
      readdirSync(run)
        .filter((name) => name.endsWith('.pid'))
        .map((name) => [Number(readFileSync(join(run, name), 'utf8')), name.slice(0, -4)]),
    );
    const postmaster = Number(readFileSync(join(state, 'postgres/data/postmaster.pid'), 'utf8').split('\n')[0]);
    const cpu = {};
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let stat;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      // After the command's ")": state, ppid, pgrp, ..., utime (the 12th), stime, cutime, cstime.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [pid, ppid, pgrp] = [Number(entry), Number(fields[1]), Number(fields[2])];
      const service = groups.get(pgrp) ?? (pid === postmaster || ppid === postmaster ? 'postgres' : undefined);
      if (!service) continue;
      const ticks = fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
      cpu[service] = (cpu[service] ?? 0) + ticks / HZ;
    }
    return cpu;
  } catch {
    return undefined;
  }
}

/** What the services used between two readings of stackCpu: the stack's total and Glance's own. */
function cpuSince(before) {
  const after = stackCpu();
  if (!before || !after) return undefined;
  const used = (service) => (after[service] ?? 0) - (before[service] ?? 0);
  return { stack: Object.keys(after).reduce((sum, service) => sum + used(service), 0), glance: used('glance-api') };
}

function logSize() {
  try {
    return statSync(GLANCE_LOG).size;
  } catch {
    return undefined;
  }
}

/** Glance's request lines appended since `from`, for the image ids: the ones that are not GETs. */
function glanceWrites(from, ids) {
  if (from === undefined) return undefined;
  const text = readFileSync(GLANCE_LOG).subarray(from).toString();
  const wanted = new Set(ids);
  let writes = 0;
  for (const match of text.matchAll(/"(GET|HEAD|POST|PUT|PATCH|DELETE) \/v2\/images\/([0-9a-f-]{36})[^"]*"/g)) {
    if (match[1] !== 'GET' && match[1] !== 'HEAD' && wanted.has(match[2])) writes++;
  }
  return writes;
}

async function tool(glance, files) {
  const suffix = randomUUID().slice(0, 8);
  const tag = `bench-${suffix}`;
  const dir = catalogue(files, suffix);
  const from = logSize();
  const cpuBefore = stackCpu();
  const run = await runTool([
    '--cloud',
    CLOUD,
    '--images',
    dir,
    '--tag',
    tag,
    '--log-format',
    'json',
    '--debug',
    ...extraFlags,
  ]);
  const cpu = cpuSince(cpuBefore);
  if (keepLog) writeFileSync(keepLog, run.stderr);
  const images = await tagged(glance, tag);
  const lines = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  const totals = lines.find((line) => line.msg === 'requests in total');
  const active = images.filter((image) => image.status === 'active').length;
  // Glance logs a request when it answers; the tool's last answers are in the log by the time it exits.
  const perImage = glanceWrites(
    from,
    images.map((image) => image.id),
  );
  await removeTagged(glance, tag);
  if (run.code !== 0 || active !== n) {
    const errors = lines.filter((line) => line.level >= 50).map((line) => line.msg);
    throw new Error(`the tool exited ${run.code} with ${active}/${n} images active: ${errors.join('; ')}`);
  }
  return {
    seconds: run.seconds,
    toolCpu: run.cpu,
    rssMiB: run.rssMiB,
    cpu,
    writes: totals?.writes,
    total: totals?.total,
    glanceWrites: perImage === undefined ? undefined : perImage + images.length,
  };
}

// ---------------------------------------------------------------------------------------------------------

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const seconds = (value) => (value === undefined ? '?' : value.toFixed(2));

/** The CPU seconds of a round (or of the medians): the tool's, the stack's during the floor and the tool. */
function cpuLine(raw, run) {
  const stack = (cpu) => (cpu ? `${seconds(cpu.stack)} s (Glance ${seconds(cpu.glance)} s)` : '?');
  const rss = run.rssMiB === undefined ? '' : ` (peak RSS ${run.rssMiB.toFixed(0)} MiB)`;
  return `CPU: tool ${seconds(run.toolCpu)} s${rss}, the stack's during the floor ${stack(raw.cpu)}, during the tool ${stack(run.cpu)}`;
}

/** Each numeric field (and the fields of `cpu`) as its median over the rounds; undefined where a round lacks it. */
function medianOf(rows) {
  const of = (pick) => (rows.every((row) => pick(row) !== undefined) ? median(rows.map(pick)) : undefined);
  const cpu = rows.every((row) => row.cpu)
    ? { stack: of((r) => r.cpu.stack), glance: of((r) => r.cpu.glance) }
    : undefined;
  return { toolCpu: of((r) => r.toolCpu), rssMiB: of((r) => r.rssMiB), cpu };
}

const files = makeFiles();
const glance = await connect();
console.log(`import floor: N=${n}, ${files.length} distinct qcow2 files, tool ${cli} ${extraFlags.join(' ')}`.trim());
const perImage = (count) => (count === undefined ? 'n/a' : (count / n).toFixed(2));
const results = [];
for (let round = 1; round <= rounds; round++) {
  const raw = await floor(files);
  const run = await tool(glance, files);
  results.push({ raw, run });
  console.log(
    [
      rounds > 1 ? `round ${round}:` : '',
      `floor ${raw.seconds.toFixed(2)} s (token ${raw.tokenSeconds.toFixed(2)} s, ${raw.listings} listings)`,
      `tool ${run.seconds.toFixed(2)} s (${run.total ?? '?'} requests)`,
      `ratio ${(run.seconds / raw.seconds).toFixed(2)} (${(run.seconds / (raw.seconds - raw.tokenSeconds)).toFixed(2)} without the floor's token)`,
      `writes per new image ${perImage(run.writes)} (tool's count), ${perImage(run.glanceWrites)} (Glance's log)`,
      cpuLine(raw, run),
    ]
      .filter(Boolean)
      .join('  '),
  );
}
if (rounds > 1) {
  const floorSeconds = median(results.map((r) => r.raw.seconds));
  const toolSeconds = median(results.map((r) => r.run.seconds));
  const ratios = results.map((r) => r.run.seconds / r.raw.seconds);
  console.log(
    `median of ${rounds}: floor ${floorSeconds.toFixed(2)} s  tool ${toolSeconds.toFixed(2)} s  ` +
      `ratio ${median(ratios).toFixed(2)} (of the rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})  ` +
      `writes per new image ${perImage(median(results.map((r) => r.run.writes)))}  ` +
      cpuLine(medianOf(results.map((r) => r.raw)), medianOf(results.map((r) => r.run))),
  );
}
