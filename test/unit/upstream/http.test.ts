import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undiciFetchWith } from '../../../src/net/agent.js';
import { UpstreamHttp } from '../../../src/upstream/http.js';
import { FakeClock, until } from '../net/fake-clock.js';
import { failure } from './helpers.js';

const LAST_MODIFIED = 'Wed, 25 Nov 2026 10:00:00 GMT';
const BIG = 'x'.repeat(64 * 1024);

function handle(req: IncomingMessage, res: ServerResponse): void {
  switch (req.url) {
    case '/SHA256SUMS':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${'a'.repeat(64)}  image.qcow2\n`);
      return;
    case '/utf8':
      // Split inside a multi-byte character: the text must be decoded from all bytes at once.
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.write(Buffer.from('Übersicht ', 'utf8').subarray(0, 1), () =>
        res.end(Buffer.from('Übersicht ', 'utf8').subarray(1)),
      );
      return;
    case '/moved':
      res.writeHead(302, { Location: '/SHA256SUMS' });
      res.end();
      return;
    case '/moved-away':
      res.writeHead(301, { Location: '/gone/SHA256SUMS' });
      res.end();
      return;
    case '/loop':
      res.writeHead(302, { Location: '/loop' });
      res.end();
      return;
    case '/hang':
      // Never answers; the socket is closed when the server closes.
      hangs++;
      return;
    case '/big':
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(BIG);
      return;
    case '/image.qcow2':
      res.writeHead(200, { 'Last-Modified': LAST_MODIFIED, 'Content-Length': '0' });
      res.end();
      return;
    case '/undated.qcow2':
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
      return;
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
  }
}

let server: Server;
let base: string;
let closedBase: string;
const fetch = undiciFetchWith(undefined);
/** Requests of /hang so far. */
let hangs = 0;

function listen(target: Server): Promise<number> {
  return new Promise((resolve) => target.listen(0, '127.0.0.1', () => resolve((target.address() as AddressInfo).port)));
}

beforeAll(async () => {
  server = createServer(handle);
  base = `http://127.0.0.1:${await listen(server)}`;
  // A port that was just open and is closed now: connecting to it is refused.
  const closed = createServer();
  const port = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  closedBase = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('UpstreamHttp against a real server', () => {
  it('reads a 200 answer as text and counts the request', async () => {
    const http = new UpstreamHttp(fetch);
    expect(await http.text(`${base}/SHA256SUMS`)).toBe(`${'a'.repeat(64)}  image.qcow2\n`);
    expect(http.requests).toBe(1);
  });

  it('decodes UTF-8 split across chunks', async () => {
    expect(await new UpstreamHttp(fetch).text(`${base}/utf8`)).toBe('Übersicht ');
  });

  it('follows a redirect', async () => {
    expect(await new UpstreamHttp(fetch).text(`${base}/moved`)).toBe(`${'a'.repeat(64)}  image.qcow2\n`);
  });

  it('a 404 is an UpstreamError naming the status and the URL', async () => {
    const error = await failure(new UpstreamHttp(fetch).text(`${base}/missing/SHA256SUMS`));
    expect(error.url).toBe(`${base}/missing/SHA256SUMS`);
    expect(error.message).toBe(`${base}/missing/SHA256SUMS: answered HTTP 404`);
  });

  it('a redirect to a missing file is an UpstreamError naming the missing file, and where it came from', async () => {
    const error = await failure(new UpstreamHttp(fetch).text(`${base}/moved-away`));
    expect(error.url).toBe(`${base}/gone/SHA256SUMS`);
    expect(error.message).toBe(`${base}/gone/SHA256SUMS: answered HTTP 404 (redirected from ${base}/moved-away)`);
  });

  it('a redirect loop is an UpstreamError about redirects', async () => {
    const error = await failure(new UpstreamHttp(fetch).text(`${base}/loop`));
    expect(error.message).toBe(`${base}/loop: too many redirects (a redirect loop?)`);
  });

  it('a server that never answers is an UpstreamError "no answer within"', async () => {
    const clock = new FakeClock();
    const http = new UpstreamHttp(fetch, { timeoutMs: 200, clock });
    const asking = failure(http.text(`${base}/hang`));
    await until(() => hangs === 1);
    clock.advance(200);
    const error = await asking;
    expect(error.message).toBe(`${base}/hang: no answer within 0.2 s`);
  });

  it('an answer bigger than maxBytes is an UpstreamError, not read to the end', async () => {
    const http = new UpstreamHttp(fetch, { maxBytes: 1024 });
    const error = await failure(http.text(`${base}/big`));
    expect(error.message).toBe(`${base}/big: answered more than 1024 bytes: not an index or checksum file`);
    // The limit leaves room for what it is meant for.
    expect(await new UpstreamHttp(fetch, { maxBytes: BIG.length }).text(`${base}/big`)).toHaveLength(BIG.length);
  });

  it('returns Last-Modified of a HEAD, or undefined without one', async () => {
    const http = new UpstreamHttp(fetch);
    expect(await http.lastModified(`${base}/image.qcow2`)).toBe(LAST_MODIFIED);
    expect(await http.lastModified(`${base}/undated.qcow2`)).toBeUndefined();
    expect(http.requests).toBe(2);
  });

  it('a HEAD answered 404 is an UpstreamError', async () => {
    const error = await failure(new UpstreamHttp(fetch).lastModified(`${base}/nothing.qcow2`));
    expect(error.message).toBe(`${base}/nothing.qcow2: answered HTTP 404`);
  });

  it('a refused connection is an UpstreamError "cannot be reached"', async () => {
    const http = new UpstreamHttp(fetch);
    const error = await failure(http.text(`${closedBase}/SHA256SUMS`));
    expect(error.message).toBe(`${closedBase}/SHA256SUMS: cannot be reached (ECONNREFUSED)`);
    expect(http.requests).toBe(1);
  });

  it('never shows the password of a URL with credentials', async () => {
    const url = `${base.replace('http://', 'http://reader:secret-pass@')}/SHA256SUMS`;
    const error = await failure(new UpstreamHttp(fetch).text(url));
    expect(error.message.startsWith(`${base.replace('http://', 'http://reader:***@')}/SHA256SUMS: `)).toBe(true);
    expect(error.message).not.toContain('secret');
  });
});
