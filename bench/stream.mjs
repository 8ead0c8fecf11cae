// Peak memory, speed and CPU of a glance-direct upload through the tool's streaming path, against curl:
//   node bench/stream.mjs [GiB=2] [--source http|file] [--download request|fetch] [--hash ALGO|none] [--rounds N]
//                         [--no-warmup] [--via request|fetch | --glance [CLOUD]]
// Needs the build (npm ci builds; else npm run build; IM_DIST=dir to use another one).
//
// Makes a sparse file of GiB (zeros: a valid raw image) and serves it from a child process over node:http on
// 127.0.0.1, and streams it here exactly as the importer does: SourceReader.open (http:// through the production
// download, undici.request, or `--download fetch` through undici's fetch; or file: under --allow-local-files),
// with the raw format check, a hashing TransformStream (--hash, default sha512: the importer's digest when a
// definition names no checksum; sha256 when it names one), GlanceClient.stageImage through Session and
// HttpClient with production defaults. Only the tool's side runs in this process, so its maxRSS is the tool's
// peak memory, and its CPU time (user + system) during an upload is the tool's. Then, when curl exists, the same
// copy as `curl SOURCE | curl -T - STAGE`, timed, with the peak memory and CPU of the two curls. With
// --rounds N, N of each, the tool first in odd rounds and curl first in even ones; the figures are the
// medians, and the tool's share of curl's throughput is the median of the rounds' ratios. Before the first
// round, 256 MiB go through each, not counted (--no-warmup leaves that out).
//
// The staging area:
// - default: a fake Keystone and a Glance staging sink in the child process that read and discard.
//   `--via fetch` sends the upload with undici's fetch instead (the transport before flat memory).
// - --glance [CLOUD]: the real Glance of the local stack (eval "$(bash scripts/openstack-dev.sh env)";
//   CLOUD default devstack-admin). Each upload goes to a fresh image (PUT /v2/images/{id}/stage), curl's with
//   the token in X-Auth-Token (from a file, not the command line); each image is checked to be `uploading`
//   with every byte, then deleted.
// Exits 1 if the stage did not receive every byte or the digest is not that of the zeros.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { glanceStage } from './glance-stage.mjs';

const dist = (process.env.IM_DIST ?? new URL('../dist', import.meta.url).pathname).replace(/\/+$/, '');
const GiB = 1024 ** 3;
const zeroDigests = new Map();
const log = { debug() {}, info() {}, warn() {}, error() {} };

if (process.argv[2] === '--serve') serve(process.argv[3], Number(process.argv[4]));
else await main();

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const settings = {
    size: Math.round(Number(args.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 2) * GiB),
    sourceKind: option('--source', 'http'),
    via: option('--via', 'request'),
    download: option('--download', 'request'),
    algo: option('--hash', 'sha512'),
    rounds: Number(option('--rounds', 1)),
    warmup: !args.includes('--no-warmup'),
    glance: args.includes('--glance')
      ? /^[^-\d]/.test(option('--glance', ''))
        ? option('--glance')
        : 'devstack-admin'
      : undefined,
  };
  const dir = mkdtempSync(join(tmpdir(), 'im-stream-bench-'));
  const file = join(dir, 'disk.raw');
  const fd = openSync(file, 'w');
  ftruncateSync(fd, settings.size);
  closeSync(fd);
  const server = fork(new URL(import.meta.url).pathname, ['--serve', file, String(settings.size)], {
    stdio: 'inherit',
  });
  try {
    const base = await new Promise((resolve) => server.once('message', resolve));
    const url = settings.sourceKind === 'file' ? pathToFileURL(file).href : `${base}/disk.raw`;
    const stage = settings.glance
      ? await glanceStage(dist, settings.glance, dir)
      : sinkStage(base, server, settings.via);
    await compare({ ...settings, url, curlSource: `${base}/disk.raw`, dir, stage });
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the tool and curl `rounds` times each, one after the other and in turns first (so that a change of load
 * weighs on both alike), and reports the medians and the median of each round's ratio.
 */
async function compare(settings) {
  const { size, sourceKind, via, download, algo, rounds, glance } = settings;
  const hasCurl = spawnSync('curl', ['--version']).status === 0;
  const tool = [];
  const curls = [];
  if (settings.algo !== 'none') zeroDigest(settings.size, settings.algo); // what each round checks, made first
  if (settings.warmup) await warmUp(settings, hasCurl);
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 || !hasCurl ? ['tool', 'curl'] : ['curl', 'tool'];
    for (const who of order) {
      if (who === 'tool') tool.push(await toolRound(settings, round));
      else if (hasCurl) curls.push(await curlRound(settings, round));
    }
  }
  const where = glance ? `the Glance stage of cloud ${glance}` : 'a local sink';
  const peak = process.resourceUsage().maxRSS;
  const from = sourceKind === 'http' ? `http source via undici ${download}` : 'file source';
  const toolMedian = report(size, median(tool.map((t) => t.seconds)), peak, median(tool.map((t) => t.cpu)));
  console.log(`tool (${from}, ${algo}, upload via undici ${via}) to ${where}: ${toolMedian}`);
  if (!hasCurl) return console.log('curl: not installed, skipped');
  const curlPeak = Math.max(...curls.map((c) => c.maxRssKb ?? 0)) || undefined;
  const curlCpu = curls.every((c) => c.cpu !== undefined) ? median(curls.map((c) => c.cpu)) : undefined;
  const curlMedian = report(size, median(curls.map((c) => c.seconds)), curlPeak, curlCpu);
  console.log(`curl SOURCE | curl -T - STAGE to ${where}: ${curlMedian}`);
  const ratios = tool.map((t, i) => (curls[i]?.seconds ?? 0) / t.seconds);
  const shown = ratios.map((r) => `${Math.round(100 * r)} %`).join(', ');
  console.log(
    `tool throughput: ${Math.round(100 * median(ratios))} % of curl's (median of ${rounds} rounds: ${shown})`,
  );
}

/**
 * 256 MiB through the tool and through curl, not counted: the source server, the stage and the tool's code
 * are warm before the first round (a cold first round weighs on whichever goes first).
 */
async function warmUp({ curlSource, size, dir, algo, download, stage }, hasCurl) {
  const bytes = Math.min(size, 256 * 2 ** 20);
  const url = `${curlSource}?bytes=${bytes}`;
  const target = await stage.open();
  await upload({ url, size: bytes, dir, algo, downloadVia: download, ...target });
  await target.received();
  if (!hasCurl) return;
  const curlTarget = await stage.open();
  curl(url, curlTarget, dir);
  await curlTarget.received();
}

async function toolRound({ url, size, dir, algo, download, stage }, round) {
  const zeros = algo === 'none' ? 'none' : zeroDigest(size, algo);
  const target = await stage.open();
  const result = await upload({ url, size, dir, algo, downloadVia: download, ...target });
  const received = await target.received();
  if (received !== size || result.digest !== zeros) process.exitCode = 1;
  const cpu = `${rate(size, result.seconds, result.cpu)} (system ${result.system.toFixed(2)} s)`;
  const check = `${algo} ${result.digest === zeros ? 'ok' : 'WRONG'}`;
  console.log(`tool round ${round}: ${cpu}; stage received ${received} of ${size} bytes; ${check}`);
  return result;
}

async function curlRound({ curlSource, size, dir, stage }, round) {
  const target = await stage.open();
  const measured = curl(curlSource, target, dir);
  const received = await target.received();
  if (received !== size) process.exitCode = 1;
  console.log(`curl round ${round}: ${rate(size, measured.seconds, measured.cpu)}; stage received ${received} bytes`);
  return measured;
}

/** The importer's glance-direct path: open (format checked), hash while streaming, stage. */
async function upload({ url, size, dir, algo, glance, id, downloadVia }) {
  const { undiciFetchWith } = await import(`${dist}/net/agent.js`);
  const { SourceReader } = await import(`${dist}/sources/source.js`);
  // The production download (undici.request, chunks not copied) where the build has it; else fetch.
  const production = await import(`${dist}/sources/download.js`).catch(() => undefined);
  const download = downloadVia === 'fetch' ? undefined : production?.undiciDownloadWith();
  const sources = new SourceReader(undiciFetchWith(), { localFileDirs: [dir], ...(download ? { download } : {}) });
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const hash = algo === 'none' ? undefined : createHash(algo);
  const { stream } = await sources.open(url, { format: 'raw' });
  const hashing = new TransformStream({
    transform(chunk, controller) {
      hash?.update(chunk);
      controller.enqueue(chunk);
    },
  });
  await glance.stageImage(id, stream.pipeThrough(hashing), { size });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpuBefore);
  return { seconds, cpu: (user + system) / 1e6, system: system / 1e6, digest: hash?.digest('hex') ?? 'none' };
}

/** The child's fake Keystone and staging sink: what the tool and curl upload to without --glance. */
function sinkStage(base, server, via) {
  return {
    async open() {
      const { HttpClient } = await import(`${dist}/openstack/http.js`);
      const { undiciFetchWith } = await import(`${dist}/net/agent.js`);
      const { Session } = await import(`${dist}/openstack/identity.js`);
      const { GlanceClient } = await import(`${dist}/openstack/image.js`);
      const { Redactor } = await import(`${dist}/net/redact.js`);
      const http = new HttpClient({
        redactor: new Redactor(),
        log,
        ...(via === 'fetch' ? { fetch: undiciFetchWith() } : {}),
      });
      const auth = { type: 'password', authUrl: `${base}/v3`, username: 'u', password: 'p-bench', scope: {} };
      const cloud = { name: 'bench', sources: [], auth, interface: 'public', tls: { verify: true } };
      const id = '0e5ad3b5-1d3c-4a1e-9a4e-6f1f8d0c0b01';
      return {
        glance: new GlanceClient(new Session(http, cloud), base),
        id,
        stageUrl: `${base}/v2/images/${id}/stage`,
        headers: [],
        received: () => ask(server, 'received'),
      };
    },
  };
}

/**
 * `curl SOURCE | curl -T - STAGE`: the same copy without Node, timed, with the larger peak memory of the two
 * curls and their CPU time together.
 */
function curl(source, target, dir) {
  const time = spawnSync('/usr/bin/time', ['--version']).status === 0;
  const wrap = (cmd, n) => (time ? `/usr/bin/time -f '%M %U %S' -o ${dir}/curl${n}.time ${cmd}` : cmd);
  const upload = ['curl', '-sS', '-f', '-o', '/dev/null', ...target.headers, '-T', '-', target.stageUrl].join(' ');
  const script = `set -o pipefail; ${wrap(`curl -sS -f ${source}`, 1)} | ${wrap(upload, 2)}`;
  const started = process.hrtime.bigint();
  execFileSync('bash', ['-c', script], { stdio: 'inherit' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!time) return { seconds };
  const measured = [1, 2].map((n) => readFileSync(`${dir}/curl${n}.time`, 'utf8').trim().split(' ').map(Number));
  const maxRssKb = Math.max(...measured.map(([kb]) => kb));
  const cpu = measured.reduce((sum, [, user, system]) => sum + user + system, 0);
  return { seconds, maxRssKb, cpu };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function rate(size, seconds, cpu) {
  const cpuText = cpu === undefined ? '' : `, CPU ${cpu.toFixed(2)} s`;
  return `${seconds.toFixed(1)} s, ${Math.round(size / 2 ** 20 / seconds)} MiB/s${cpuText}`;
}

function report(size, seconds, maxRssKb, cpu) {
  const rss = maxRssKb === undefined ? 'peak RSS not measured' : `peak RSS ${Math.round(maxRssKb / 1024)} MiB`;
  return `${(size / GiB).toFixed(2)} GiB in ${rate(size, seconds, cpu)}, ${rss}`;
}

/** The digest of `size` zero bytes, computed once. */
function zeroDigest(size, algo) {
  const key = `${algo} ${size}`;
  if (!zeroDigests.has(key)) {
    const hash = createHash(algo);
    const block = Buffer.alloc(2 ** 20);
    for (let left = size; left > 0; left -= block.length)
      hash.update(left >= block.length ? block : block.subarray(0, left));
    zeroDigests.set(key, hash.digest('hex'));
  }
  return zeroDigests.get(key);
}

function ask(child, question) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(question);
  });
}

/** The child: the image over HTTP, a fake Keystone, and a Glance staging area that counts and discards. */
function serve(file, size) {
  let received = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v3/auth/tokens') return token(req, res);
    if (req.method === 'GET' && req.url.startsWith('/disk.raw')) {
      // The whole file, or its first ?bytes=N bytes.
      const bytes = Number(new URL(req.url, 'http://x').searchParams.get('bytes') ?? size);
      res.writeHead(200, { 'Content-Length': bytes });
      return createReadStream(file, { end: bytes - 1 }).pipe(res);
    }
    if (req.method === 'PUT' && req.url.endsWith('/stage')) {
      received = 0;
      req.on('data', (chunk) => {
        received += chunk.length;
      });
      return req.on('end', () => res.writeHead(204).end());
    }
    res.writeHead(404).end();
  });
  // The file is read once first, so that it is in the page cache for every round, the first too.
  createReadStream(file)
    .on('data', () => undefined)
    .on('end', () => server.listen(0, '127.0.0.1', () => process.send(`http://127.0.0.1:${server.address().port}`)));
  process.on('message', () => process.send(received));
}

function token(req, res) {
  req.resume();
  const expires = new Date(Date.now() + 3_600_000).toISOString();
  const body = JSON.stringify({ token: { expires_at: expires, catalog: [], roles: [] } });
  res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': 'bench-token-0123456789' }).end(body);
}
