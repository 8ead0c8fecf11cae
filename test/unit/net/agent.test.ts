import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undiciFetchWith } from '../../../src/net/agent.js';
import { undiciDownloadWith } from '../../../src/sources/download.js';

/** A TLS server that speaks HTTP/2 to whoever offers it and HTTP/1.1 otherwise, answering with the version used. */
async function serveBoth(): Promise<{ base: string; server: http2.Http2SecureServer; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-agent-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  const server = http2.createSecureServer({ key: readFileSync(key), cert: readFileSync(cert), allowHTTP1: true });
  server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => res.end(req.httpVersion));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `https://localhost:${(server.address() as AddressInfo).port}`, server, dir };
}

describe('the connection pool', () => {
  let tls: Awaited<ReturnType<typeof serveBoth>>;
  beforeAll(async () => {
    tls = await serveBoth();
  });
  afterAll(() => {
    tls.server.close();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('speaks HTTP/1.1 to a TLS server that offers HTTP/2 (undici 8 would take HTTP/2), for requests and data', async () => {
    const init = { method: 'GET', headers: {}, redirect: 'follow' as const };
    const answer = await undiciFetchWith({ verify: false })(`${tls.base}/`, init);
    expect(await answer.text()).toBe('1.1');
    const data = await undiciDownloadWith({ verify: false })(`${tls.base}/`, init);
    expect(await new Response(data.body).text()).toBe('1.1');
  });
});
