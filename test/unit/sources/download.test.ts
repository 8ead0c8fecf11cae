import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undiciDownloadWith } from '../../../src/sources/download.js';
import { SourceReader } from '../../../src/sources/source.js';
import { webStreamOf } from '../../../src/sources/web-stream.js';
import type { FetchInit, FetchLike } from '../../../src/net/fetch.js';
import { FakeClock, turns, until } from '../net/fake-clock.js';

interface Server {
  base: string;
  seen: Array<{ method: string; url: string; authorization?: string }>;
  closed: Promise<void>;
  server: http.Server;
}

/** A real server: GET /data answers 256 KiB of 7s, /endless never ends, /hop and /away redirect. */
async function serve(other?: () => string): Promise<Server> {
  const seen: Server['seen'] = [];
  let endlessClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    endlessClosed = resolve;
  });
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    if (req.url === '/data') return res.writeHead(200, { 'Content-Length': 262_144 }).end(Buffer.alloc(262_144, 7));
    if (req.url === '/hop') return res.writeHead(302, { Location: '/data' }).end();
    if (req.url === '/away' && other) return res.writeHead(302, { Location: `${other()}/data` }).end();
    if (req.url === '/endless') {
      res.writeHead(200);
      const timer = setInterval(() => res.write(Buffer.alloc(65_536)), 1);
      res.once('close', () => {
        clearInterval(timer);
        endlessClosed();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, closed, server };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

const get = (headers: Record<string, string> = {}): FetchInit => ({ method: 'GET', headers, redirect: 'follow' });

describe('undiciDownloadWith: image data through undici.request', () => {
  let main: Server;
  let elsewhere: Server;
  const download = undiciDownloadWith(undefined);
  beforeAll(async () => {
    elsewhere = await serve();
    main = await serve(() => elsewhere.base);
  });
  afterAll(() => {
    for (const { server } of [main, elsewhere]) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('streams the body as it came: Buffers, not copies into new arrays', async () => {
    const response = await download(`${main.base}/data`, get());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('262144');
    const chunks = await readAll(response.body!);
    expect(chunks.every((chunk) => Buffer.isBuffer(chunk))).toBe(true);
    // Buffer.equals: toEqual compares 256 KiB byte by byte for seconds, near the test timeout on a busy machine.
    const body = Buffer.concat(chunks);
    expect(body.length).toBe(262_144);
    expect(body.equals(Buffer.alloc(262_144, 7)), 'every byte as served').toBe(true);
  });

  it('follows a redirect, keeping the credentials on the same origin and dropping them for another', async () => {
    const auth = { Authorization: 'Basic dTpw' };
    await readAll((await download(`${main.base}/hop`, get(auth))).body!);
    expect(main.seen.filter((r) => r.url === '/data').at(-1)?.authorization).toBe('Basic dTpw');
    const away = await download(`${main.base}/away`, get(auth));
    expect(away.status).toBe(200);
    await readAll(away.body!);
    expect(elsewhere.seen.at(-1)).toMatchObject({ url: '/data', authorization: undefined });
  });

  it('answers a HEAD without a body, and an error status as it is', async () => {
    const head = await download(`${main.base}/data`, { ...get(), method: 'HEAD' });
    expect(head.body).toBeNull();
    const missing = await download(`${main.base}/nothing`, get());
    expect(missing.status).toBe(404);
    await missing.body?.cancel();
  });

  it('lets the connection go when the reader cancels', async () => {
    const response = await download(`${main.base}/endless`, get());
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await main.closed; // the server saw the connection close
  });
});

describe('webStreamOf', () => {
  it('reads ahead no more than about 256 KiB of a Node stream nobody reads', async () => {
    let produced = 0;
    const source = new Readable({
      read() {
        produced++;
        this.push(Buffer.alloc(65_536));
      },
    });
    const stream = webStreamOf(source);
    await turns(50); // as far as it reads ahead
    expect(produced * 65_536).toBeLessThanOrEqual(2 ** 18 + 4 * 65_536);
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(source.destroyed).toBe(true);
  });

  it('passes an error of the Node stream on', async () => {
    const source = new Readable({ read() {} });
    const stream = webStreamOf(source);
    source.destroy(new Error('disk gone'));
    await expect(stream.getReader().read()).rejects.toThrow('disk gone');
  });
});

describe('SourceReader with the production download', () => {
  it('fails an open naming the reason: no server, no answer in time', async () => {
    let asked = false;
    const silent = http.createServer(() => {
      asked = true; // takes the request, never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const clock = new FakeClock();
    const reader = new SourceReader(undiciDownloadWith(undefined), {
      download: undiciDownloadWith(undefined),
      timeoutMs: 200,
      clock,
    });
    try {
      const opening = reader.open(`http://127.0.0.1:${port}/a.img`);
      await until(() => asked);
      clock.advance(200);
      await expect(opening).rejects.toThrow(`GET http://127.0.0.1:${port}/a.img failed: no answer in time`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    await expect(reader.open(`http://127.0.0.1:${port}/a.img`)).rejects.toThrow(/failed: ECONNREFUSED$/);
  });
});

describe('SourceReader with a download', () => {
  it('opens image data through the download and probes through the fetch', async () => {
    const calls: string[] = [];
    const answer = (via: string): FetchLike => {
      return async (url, init) => {
        calls.push(`${via} ${init.method} ${url}`);
        const body = init.method === 'HEAD' ? null : webStreamOf(Readable.from([Buffer.from('bytes')]));
        return { status: 200, headers: new Headers({ 'content-length': '5' }), text: async () => '', body };
      };
    };
    const reader = new SourceReader(answer('fetch'), { download: answer('download') });
    await reader.probe('https://images.example.com/a.img');
    const { stream } = await reader.open('https://images.example.com/a.img');
    expect(Buffer.concat(await readAll(stream)).toString()).toBe('bytes');
    expect(calls).toEqual([
      'fetch HEAD https://images.example.com/a.img',
      'download GET https://images.example.com/a.img',
    ]);
  });
});
