// CPU, peak memory and time of the tool's verification read of a web-download (SourceReader.digest: the
// format check on the first bytes, sha512 of every byte), as the importer makes it beside Glance's download:
//   node bench/verify-read.mjs [MiB=512] [--rounds N]
// Needs the build (npm run build); IM_DIST=dir reads with another build's dist/ (the before-build's).
//
// A child process serves MiB of zeros (a valid raw image) over node:http on 127.0.0.1 in 64 KiB writes; each
// round reads it in a fresh child process through the production download (undici.request), so that its CPU
// time (user + system) and peak RSS are the read's alone. With --rounds N, the medians too.
import { fork } from 'node:child_process';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.env.IM_DIST ?? join(root, 'dist'));
const [role, ...rest] = process.argv.slice(2);

if (role === '--serve') serve(Number(rest[0]));
else if (role === '--read') await read(rest[0]);
else await main(process.argv.slice(2));

function serve(mib) {
  const piece = Buffer.alloc(64 * 1024);
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Length': String(mib * 2 ** 20) });
    let left = mib * 16;
    const more = () => {
      while (left > 0) {
        left--;
        if (!response.write(piece)) return void response.once('drain', more);
      }
      response.end();
    };
    more();
  });
  server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
}

async function read(url) {
  const { SourceReader } = await import(pathToFileURL(join(dist, 'sources/source.js')).href);
  const { undiciDownloadWith } = await import(pathToFileURL(join(dist, 'sources/download.js')).href);
  const reader = new SourceReader(fetch, { download: undiciDownloadWith(undefined) });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { size } = await reader.digest(url, { format: 'raw', algos: ['sha512'] });
  const used = process.cpuUsage(cpu);
  process.send?.({
    size,
    seconds: (performance.now() - started) / 1000,
    cpu: (used.user + used.system) / 1e6,
    rssMiB: process.resourceUsage().maxRSS / 1024,
  });
}

async function main(args) {
  const mib = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 512);
  const at = args.indexOf('--rounds');
  const rounds = at >= 0 ? Number(args[at + 1]) : 1;
  const server = fork(fileURLToPath(import.meta.url), ['--serve', String(mib)]);
  const port = await new Promise((done) => server.once('message', done));
  const url = `http://127.0.0.1:${port}/image.raw`;
  console.log(`verification read: ${mib} MiB over http, sha512 and the raw format check, with ${dist}`);
  const results = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const child = fork(fileURLToPath(import.meta.url), ['--read', url]);
      const result = await new Promise((done, fail) => {
        child.once('message', done);
        child.once('exit', (code) => fail(new Error(`the read exited ${code}`)));
      });
      if (result.size !== mib * 2 ** 20) throw new Error(`read ${result.size} bytes, not ${mib * 2 ** 20}`);
      results.push(result);
      const rate = mib / result.seconds;
      console.log(
        `round ${round}: ${result.seconds.toFixed(2)} s (${rate.toFixed(0)} MiB/s), CPU ${result.cpu.toFixed(2)} s, ` +
          `peak RSS ${result.rssMiB.toFixed(0)} MiB`,
      );
    }
  } finally {
    server.kill();
  }
  if (rounds > 1) {
    const median = (pick) => {
      const sorted = results.map(pick).sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    };
    console.log(
      `median of ${rounds}: ${median((r) => r.seconds).toFixed(2)} s, CPU ${median((r) => r.cpu).toFixed(2)} s, ` +
        `peak RSS ${median((r) => r.rssMiB).toFixed(0)} MiB`,
    );
  }
}
