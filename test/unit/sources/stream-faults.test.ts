import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../../src/openstack/errors.js';
import { undiciDownloadWith } from '../../../src/sources/download.js';
import { SourceReader } from '../../../src/sources/source.js';
import { turns, until } from '../net/fake-clock.js';
import { RealGlance } from '../openstack/real-glance.js';

/**
 * Image servers that misbehave mid-body, read through SourceReader and the production download (undici.request)
 * as an import with --prefetch or --verify-checksum reads them. Each read ends with every byte or an error that
 * says what happened; none kills the process (the slow reads keep the body paused by backpressure, where undici 7
 * once threw from a socket handler: close-after-body.test.ts).
 */
const DECLARED = 1024 * 1024;
const HEAD = `HTTP/1.1 200 OK\r\nContent-Length: ${DECLARED}\r\n`;

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A server that answers each request with `respond` on the raw socket; `closed` settles when a connection ends. */
async function rawSource(respond: (socket: net.Socket) => void): Promise<{ url: string; closed: Promise<void> }> {
  let closed: () => void = () => undefined;
  const connectionClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('close', closed);
    socket.once('data', () => respond(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/disk.raw`, closed: connectionClosed };
}

const reader = () =>
  new SourceReader(() => Promise.reject(new Error('not used')), { download: undiciDownloadWith(undefined) });

/** Every byte of the source, read fast or slowly (event-loop turns after each chunk: backpressure builds up). */
async function read(url: string, slow: boolean): Promise<{ bytes: number } | { bytes: number; error: Error }> {
  let bytes = 0;
  try {
    const { stream } = await reader().open(url);
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (slow) await turns(4);
    }
    return { bytes };
  } catch (error) {
    return { bytes, error: error as Error };
  }
}

describe.each([
  ['a fast reader', false],
  ['a slow reader', true],
])('a source that misbehaves mid-body, for %s', (_, slow) => {
  it('sends less than its Content-Length and closes: fails as a length mismatch, short of the declared bytes', async () => {
    const { url } = await rawSource((socket) => {
      socket.write(`${HEAD}Connection: close\r\n\r\n`);
      socket.end(Buffer.alloc(DECLARED / 4));
    });
    const result = await read(url, slow);
    expect('error' in result && result.error).toMatchObject({
      code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
      message: expect.stringMatching(/length does not match content-length/),
    });
    expect(result.bytes).toBeLessThanOrEqual(DECLARED / 4);
  });

  it('resets the connection mid-body: fails as "other side closed"', async () => {
    const { url } = await rawSource((socket) => {
      socket.write(`${HEAD}\r\n`);
      socket.write(Buffer.alloc(DECLARED / 4), () => socket.resetAndDestroy());
    });
    const result = await read(url, slow);
    expect('error' in result && result.error).toMatchObject({ code: 'UND_ERR_SOCKET', message: 'other side closed' });
    expect(result.bytes).toBeLessThan(DECLARED);
  });

  it('sends more than its Content-Length: the body is the declared bytes, and it ends', async () => {
    const { url } = await rawSource((socket) => {
      socket.write(`${HEAD}Connection: close\r\n\r\n`);
      socket.end(Buffer.alloc(DECLARED + 100_000));
    });
    expect(await read(url, slow)).toEqual({ bytes: DECLARED });
  });
});

describe('a source that stalls mid-body, streamed to Glance (glance-direct)', () => {
  let glance: RealGlance | undefined;
  afterEach(() => glance?.close());

  it('fails the upload as stalled (no data moved), and lets the connection to the source go', async () => {
    glance = await new RealGlance().start();
    const image = glance.image();
    const { glance: client, clock } = glance.client();
    const source = await rawSource((socket) => {
      socket.write(`${HEAD}\r\n`);
      socket.write(Buffer.alloc(64 * 1024)); // and nothing more, the connection left open
    });
    const { stream } = await reader().open(source.url);
    let moved = 0; // bytes of the source that went into the upload
    const counted = stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          moved += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    const staging = client.stageImage(image.id, counted, { size: DECLARED, timeoutMs: 150 }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    await until(() => moved === 64 * 1024);
    clock.advance(150);
    const error = await staging;
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).timedOut).toBe(true);
    expect(error?.message).toMatch(/no data moved for 0.15 s/);
    await source.closed; // the source's connection was let go, not left hanging
  });
});
