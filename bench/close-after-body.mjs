// Streamed reads from a server that closes its connection right after the body (nodejs/undici#5360):
//   node bench/close-after-body.mjs [GiB=1] [--reads N=20] [--turns T=1]
// Needs the build (npm ci builds; else npm run build; IM_DIST=dir to use another one).
//
// Serves GiB of zeros over node:net on 127.0.0.1 with a Content-Length, `Connection: close` and a FIN right
// behind the last byte. Each read runs in a child process of its own, exactly as an import with --prefetch or
// --verify-checksum reads its source: SourceReader.open through the production download (undici.request,
// webStreamOf), into a sha256 hash and T event-loop turns a chunk (a slow sink: backpressure holds the body
// when the socket ends). A read ends `done` (every byte, the digest of the zeros), `failed` (an error the tool
// caught, with its message) or `crashed` (the child died: undici 7 threw AssertionError: assert(!this.paused)
// from the socket's 'end' handler, which nothing catches). Prints each read and the counts; exits 1 when a
// read crashed or did not end with every byte.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';

const dist = (process.env.IM_DIST ?? new URL('../dist', import.meta.url).pathname).replace(/\/+$/, '');
const GiB = 1024 ** 3;

if (process.argv[2] === '--read') await read(process.argv[3], Number(process.argv[4]));
else await main();

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const size = Math.round(Number(args.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 1) * GiB);
  const reads = Number(option('--reads', 20));
  const turns = Number(option('--turns', 1));
  const server = await closingServer(size);
  const url = `http://127.0.0.1:${server.address().port}/disk.raw`;
  const counts = { done: 0, failed: 0, crashed: 0 };
  const expected = `done ${size} ${zeroDigest(size)}`;
  console.log(`node ${process.version}, undici ${await undiciVersion()}: ${reads} reads of ${size} bytes`);
  for (let i = 1; i <= reads; i++) {
    const started = Date.now();
    const { code, signal, stdout, stderr } = await child([url, String(turns)]);
    const line = stdout.trim().split('\n').at(-1) ?? '';
    const said = line.startsWith('done') || line.startsWith('failed') ? line.split(' ')[0] : 'crashed';
    const wrong = said === 'done' && line !== expected ? ' (NOT every byte or a wrong digest)' : '';
    const kind = wrong ? 'failed' : said;
    counts[kind]++;
    const why = kind === 'crashed' ? ` (exit ${code ?? signal}: ${firstError(stderr)})` : '';
    console.log(
      `read ${i}/${reads}: ${line || 'crashed'}${why}${wrong} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  server.close();
  console.log(`done ${counts.done}/${reads}, failed ${counts.failed}/${reads}, crashed ${counts.crashed}/${reads}`);
  process.exitCode = counts.crashed === 0 && counts.done === reads ? 0 : 1;
}

/** A server that answers every request with `size` zeros and closes the connection right after them. */
async function closingServer(size) {
  const zeros = Buffer.alloc(2 ** 20);
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`);
      let sent = 0;
      const more = () => {
        while (sent < size) {
          const length = Math.min(zeros.length, size - sent);
          sent += length;
          if (!socket.write(zeros.subarray(0, length))) return void socket.once('drain', more);
        }
        socket.end();
      };
      more();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** One read, in the child: one line, `done BYTES DIGEST` or `failed MESSAGE`. */
async function read(url, turns) {
  const { SourceReader } = await import(`${dist}/sources/source.js`);
  const { undiciDownloadWith } = await import(`${dist}/sources/download.js`);
  const reader = new SourceReader(() => Promise.reject(new Error('not used')), {
    download: undiciDownloadWith(undefined),
  });
  try {
    const { stream } = await reader.open(url, { format: 'raw' });
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of stream) {
      bytes += chunk.byteLength;
      hash.update(chunk);
      for (let i = 0; i < turns; i++) await turn();
    }
    console.log(`done ${bytes} ${hash.digest('hex')}`);
  } catch (error) {
    console.log(`failed ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(0); // the download's keep-alive pool would hold the process for its 30 s
}

function child(args) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [new URL(import.meta.url).pathname, '--read', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (data) => {
      stdout += data;
    });
    proc.stderr.on('data', (data) => {
      stderr += data;
    });
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function zeroDigest(size) {
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(2 ** 20);
  for (let left = size; left > 0; left -= zeros.length) hash.update(zeros.subarray(0, Math.min(left, zeros.length)));
  return hash.digest('hex');
}

function firstError(stderr) {
  return (
    stderr
      .split('\n')
      .find((line) => /Error/.test(line))
      ?.trim() ??
    (stderr.trim().split('\n')[0] || 'no output')
  );
}

async function undiciVersion() {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  return require('undici/package.json').version;
}
