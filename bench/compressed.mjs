// A compressed image through the tool into the real Glance's stage, against `xz -dc FILE | curl -T - STAGE`:
//   eval "$(bash scripts/openstack-dev.sh env)"; node bench/compressed.mjs [GiB=2] [--cloud CLOUD] [--keep]
// Needs the build (npm run build) and the local stack (its web folder serves the file).
//
// Writes a raw image of GiB (1 MiB blocks: one in 64 random, one in 4 text, the rest zeros: not all-zero, so
// xz has work) straight into `xz -T2 -1`, to `bench-compressed-<pid>.raw.xz` in the stack's web folder (removed
// after, unless --keep), hashing the raw bytes on the way. Then, one after the other:
// - the tool, in a child process of its own (so that its maxRSS is the tool's): SourceReader.open of the http
//   URL (the production download; unpacked by xz-decompress, the raw format check, sha256 of the .xz and sha512
//   of the image on the way), GlanceClient.stageImage into a fresh image; checked: Glance staged every byte,
//   the sha512 is the raw image's;
// - `xz -dc FILE | curl -T - STAGE` into another fresh image, timed, peak RSS and CPU by /usr/bin/time.
// Throughput is of the decompressed bytes. Exits 1 if a stage did not receive every byte or a digest is wrong.
import { execFileSync, fork, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { glanceStage } from './glance-stage.mjs';

const dist = (process.env.IM_DIST ?? new URL('../dist', import.meta.url).pathname).replace(/\/+$/, '');
const GiB = 1024 ** 3;
const log = { debug() {}, info() {}, warn() {}, error() {} };

if (process.argv[2] === '--tool') await toolChild();
else await main();

async function main() {
  const args = process.argv.slice(2);
  const size = Math.round(Number(args.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 2) * GiB);
  const cloud = args.includes('--cloud') ? args[args.indexOf('--cloud') + 1] : 'devstack-admin';
  const www = process.env.IMAGE_MANAGER_E2E_WWW;
  const base = process.env.IMAGE_MANAGER_E2E_HTTP;
  if (!www || !base) throw new Error('run eval "$(bash scripts/openstack-dev.sh env)" first');
  const name = `bench-compressed-${process.pid}.raw.xz`;
  const file = join(www, name);
  const dir = mkdtempSync(join(tmpdir(), 'im-compressed-bench-'));
  try {
    const made = await makeImage(file, size);
    const packed = statSync(file).size;
    console.log(
      `${name}: ${(size / GiB).toFixed(2)} GiB raw, ${(packed / 2 ** 20).toFixed(1)} MiB as .xz, made in ${made.seconds.toFixed(1)} s`,
    );
    const stage = await glanceStage(dist, cloud, dir);
    const tool = await toolRound(`${base}/${name}`, stage, cloud);
    const toolOk = tool.received === size && tool.sha512 === made.sha512;
    console.log(
      `tool: ${rate(size, tool.seconds, tool.cpu)}, peak RSS ${Math.round(tool.maxRssKb / 1024)} MiB; stage received ${tool.received} of ${size} bytes; sha512 ${tool.sha512 === made.sha512 ? 'ok' : 'WRONG'}`,
    );
    const curl = await curlRound(file, stage, dir);
    const curlOk = curl.received === size;
    console.log(
      `xz -dc FILE | curl -T - STAGE: ${rate(size, curl.seconds, curl.cpu)}, peak RSS ${Math.round(curl.maxRssKb / 1024)} MiB; stage received ${curl.received} bytes`,
    );
    console.log(`tool throughput: ${Math.round((100 * curl.seconds) / tool.seconds)} % of xz -dc | curl's`);
    if (!toolOk || !curlOk) process.exitCode = 1;
  } finally {
    if (!args.includes('--keep')) rmSync(file, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The raw image, generated block by block into `xz -T2 -1`; its sha512. */
async function makeImage(file, size) {
  const started = process.hrtime.bigint();
  const xz = spawn('xz', ['-T2', '-1', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out = createWriteStream(file);
  xz.stdout.pipe(out);
  const hash = createHash('sha512');
  const text = Buffer.alloc(2 ** 20, 'image-manager compressed bench block\n');
  const zeros = Buffer.alloc(2 ** 20);
  for (let i = 0; i * 2 ** 20 < size; i++) {
    const block = i % 64 === 0 ? randomBytes(2 ** 20) : i % 4 === 1 ? text : zeros;
    const piece = block.subarray(0, Math.min(block.length, size - i * 2 ** 20));
    hash.update(piece);
    if (!xz.stdin.write(piece)) await once(xz.stdin, 'drain');
  }
  xz.stdin.end();
  await Promise.all([once(xz, 'close'), once(out, 'close')]);
  return { sha512: hash.digest('hex'), seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function toolRound(url, stage, cloud) {
  const target = await stage.open();
  const child = fork(new URL(import.meta.url).pathname, ['--tool', url, target.id, cloud], { stdio: 'inherit' });
  const [result] = await once(child, 'message');
  await once(child, 'exit');
  return { ...result, received: await target.received() };
}

/** The child: the tool's glance-direct path for a packed source, measured from inside. */
async function toolChild() {
  const [, , , url, id, cloud] = process.argv;
  const { undiciFetchWith } = await import(`${dist}/net/agent.js`);
  const { SourceReader } = await import(`${dist}/sources/source.js`);
  const { undiciDownloadWith } = await import(`${dist}/sources/download.js`);
  const { connect } = await import(`${dist}/cli/context.js`);
  const { Redactor } = await import(`${dist}/net/redact.js`);
  const context = connect(cloud, { timeout: 600, retryBudget: 120 }, new Redactor(), log, { env: process.env });
  const sources = new SourceReader(undiciFetchWith(), { download: undiciDownloadWith() });
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const read = await sources.open(url, { format: 'raw', hash: { source: ['sha256'], image: ['sha512'] } });
  await context.glance.stageImage(id, read.stream);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpuBefore);
  const { digests } = read.digests();
  process.send({
    seconds,
    cpu: (user + system) / 1e6,
    maxRssKb: process.resourceUsage().maxRSS,
    sha512: digests.sha512,
  });
}

/** `xz -dc FILE | curl -T - STAGE`, with the larger peak RSS of the two and their CPU time together. */
async function curlRound(file, stage, dir) {
  const target = await stage.open();
  const timed = (cmd, n) => `/usr/bin/time -f '%M %U %S' -o ${dir}/t${n} ${cmd}`;
  const upload = ['curl', '-sS', '-f', '-o', '/dev/null', ...target.headers, '-T', '-', target.stageUrl].join(' ');
  const started = process.hrtime.bigint();
  execFileSync('bash', ['-c', `set -o pipefail; ${timed(`xz -dc ${file}`, 1)} | ${timed(upload, 2)}`], {
    stdio: 'inherit',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const measured = [1, 2].map((n) => readFileSync(`${dir}/t${n}`, 'utf8').trim().split(/\s+/).slice(-3).map(Number));
  const maxRssKb = Math.max(...measured.map(([kb]) => kb));
  const cpu = measured.reduce((sum, [, user, system]) => sum + user + system, 0);
  return { seconds, maxRssKb, cpu, received: await target.received() };
}

function rate(size, seconds, cpu) {
  return `${(size / GiB).toFixed(2)} GiB in ${seconds.toFixed(1)} s, ${Math.round(size / 2 ** 20 / seconds)} MiB/s, CPU ${cpu.toFixed(2)} s`;
}
