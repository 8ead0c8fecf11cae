// Peak memory and speed of a glance-direct upload through the tool's streaming path:
//   node bench/stream.mjs [GiB=2] [--source http|file] [--via request|fetch]
// Needs the build (npm ci builds; else npm run build; IM_DIST=dir to use another one).
//
// Makes a sparse file of GiB (zeros: a valid raw image), serves it from a child process over node:http on
// 127.0.0.1 together with a fake Keystone and a Glance staging sink that reads and discards, and streams it
// here exactly as the importer does: SourceReader.open (http://, or file: under --allow-local-files, with the
// raw format check), a sha512 TransformStream, GlanceClient.stageImage through Session and HttpClient with
// production defaults. Only the tool's side runs in this process, so its maxRSS is the tool's peak memory.
// `--via fetch` sends the upload with undici's fetch instead (the transport before flat memory), for comparison.
// Then, when curl exists, the same copy as `curl SOURCE | curl -T - SINK`, timed, with its peak memory.
// Exits 1 if the sink did not receive every byte or the digest is not that of the zeros.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = (process.env.IM_DIST ?? new URL('../dist', import.meta.url).pathname).replace(/\/+$/, '');
const GiB = 1024 ** 3;

if (process.argv[2] === '--serve') serve(process.argv[3], Number(process.argv[4]));
else await main();

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const size = Math.round(Number(args.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 2) * GiB);
  const sourceKind = option('--source', 'http');
  const via = option('--via', 'request');
  const dir = mkdtempSync(join(tmpdir(), 'im-stream-bench-'));
  const file = join(dir, 'disk.raw');
  const fd = openSync(file, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  const server = fork(new URL(import.meta.url).pathname, ['--serve', file, String(size)], { stdio: 'inherit' });
  try {
    const base = await new Promise((resolve) => server.once('message', resolve));
    const url = sourceKind === 'file' ? pathToFileURL(file).href : `${base}/disk.raw`;
    const tool = await upload({ base, url, size, dir, via });
    const received = await ask(server, 'received');
    const zeros = zeroDigest(size);
    console.log(`tool (${sourceKind} source, upload via undici ${via}): ${report(size, tool.seconds, tool.maxRssKb)}`);
    console.log(`  sink received ${received} of ${size} bytes; sha512 ${tool.digest === zeros ? 'ok' : 'WRONG'}`);
    curl(`${base}/disk.raw`, `${base}/v2/images/curl/stage`, size, dir);
    if (received !== size || tool.digest !== zeros) process.exitCode = 1;
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The importer's glance-direct path: open (format checked), hash while streaming, stage. */
async function upload({ base, url, size, dir, via }) {
  const { HttpClient, undiciFetchWith } = await import(`${dist}/openstack/http.js`);
  const { Session } = await import(`${dist}/openstack/identity.js`);
  const { GlanceClient } = await import(`${dist}/openstack/image.js`);
  const { Redactor } = await import(`${dist}/openstack/redact.js`);
  const { SourceReader } = await import(`${dist}/sources/source.js`);
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const http = new HttpClient({
    redactor: new Redactor(),
    log,
    ...(via === 'fetch' ? { fetch: undiciFetchWith() } : {}),
  });
  const auth = { type: 'password', authUrl: `${base}/v3`, username: 'u', password: 'p-bench', scope: {} };
  const cloud = { name: 'bench', sources: [], auth, interface: 'public', tls: { verify: true } };
  const glance = new GlanceClient(new Session(http, cloud), base);
  const sources = new SourceReader(undiciFetchWith(), { localFileDirs: [dir] });
  const started = process.hrtime.bigint();
  const hash = createHash('sha512');
  const { stream } = await sources.open(url, { format: 'raw' });
  const hashing = new TransformStream({
    transform(chunk, controller) {
      hash.update(chunk);
      controller.enqueue(chunk);
    },
  });
  await glance.stageImage('0e5ad3b5-1d3c-4a1e-9a4e-6f1f8d0c0b01', stream.pipeThrough(hashing), { size });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, maxRssKb: process.resourceUsage().maxRSS, digest: hash.digest('hex') };
}

/** `curl SOURCE | curl -T - SINK`: the same copy without Node, timed, with the larger peak of the two curls. */
function curl(source, sink, size, dir) {
  if (spawnSync('curl', ['--version']).status !== 0) return console.log('curl: not installed, skipped');
  const time = spawnSync('/usr/bin/time', ['--version']).status === 0;
  const wrap = (cmd, n) => (time ? `/usr/bin/time -f %M -o ${dir}/curl${n}.kb ${cmd}` : cmd);
  const script = `${wrap(`curl -sS ${source}`, 1)} | ${wrap(`curl -sS -o /dev/null -T - ${sink}`, 2)}`;
  const started = process.hrtime.bigint();
  execFileSync('bash', ['-c', script], { stdio: 'inherit' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peaks = time ? [1, 2].map((n) => Number(readFileSync(`${dir}/curl${n}.kb`, 'utf8').trim())) : [];
  console.log(`curl | curl -T -: ${report(size, seconds, peaks.length ? Math.max(...peaks) : undefined)}`);
}

function report(size, seconds, maxRssKb) {
  const rss = maxRssKb === undefined ? 'peak RSS not measured' : `peak RSS ${Math.round(maxRssKb / 1024)} MiB`;
  const speed = Math.round(size / 2 ** 20 / seconds);
  return `${(size / GiB).toFixed(2)} GiB in ${seconds.toFixed(1)} s, ${speed} MiB/s, ${rss}`;
}

function zeroDigest(size) {
  const hash = createHash('sha512');
  const block = Buffer.alloc(8 * 2 ** 20);
  for (let left = size; left > 0; left -= block.length)
    hash.update(left >= block.length ? block : block.subarray(0, left));
  return hash.digest('hex');
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
    if (req.method === 'GET' && req.url === '/disk.raw') {
      res.writeHead(200, { 'Content-Length': size });
      return import('node:fs').then(({ createReadStream }) => createReadStream(file).pipe(res));
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
  server.listen(0, '127.0.0.1', () => process.send(`http://127.0.0.1:${server.address().port}`));
  process.on('message', () => process.send(received));
}

function token(req, res) {
  req.resume();
  const expires = new Date(Date.now() + 3_600_000).toISOString();
  const body = JSON.stringify({ token: { expires_at: expires, catalog: [], roles: [] } });
  res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': 'bench-token-0123456789' }).end(body);
}
