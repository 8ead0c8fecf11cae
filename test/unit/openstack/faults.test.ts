import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionError, HttpError, outcomeUnknown } from '../../../src/openstack/errors.js';
import { HttpClient } from '../../../src/openstack/http.js';
import { Redactor } from '../../../src/net/redact.js';
import { FakeClock, turns, until } from '../net/fake-clock.js';
import { captureLog } from './helpers.js';
import { RealGlance } from './real-glance.js';

let glance: RealGlance;
beforeEach(async () => {
  glance = await new RealGlance().start();
});
afterEach(() => glance.close());

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('a write whose answer is lost (the server acted, then the connection was reset)', () => {
  it('a PATCH of add/replace operations is repeated', async () => {
    const image = glance.image({ name: 'old' });
    glance.fault('PATCH /v2/images/{id}', 'lose');
    const { glance: client } = glance.client();
    const updated = await client.updateImage(image.id, [{ op: 'replace', path: '/name', value: 'new' }]);
    expect(updated.name).toBe('new');
    expect(glance.count('PATCH /v2/images/{id}')).toBe(2);
  });

  it('a PATCH with a remove is not repeated blindly: the image is read, and it shows the patch applied', async () => {
    const image = glance.image({ name: 'old', extra: 'x' });
    glance.fault('PATCH /v2/images/{id}', 'lose');
    const { glance: client } = glance.client();
    const updated = await client.updateImage(image.id, [
      { op: 'replace', path: '/name', value: 'new' },
      { op: 'remove', path: '/extra' },
    ]);
    expect(updated).toMatchObject({ id: image.id, name: 'new' });
    expect(updated).not.toHaveProperty('extra');
    expect(glance.count('PATCH /v2/images/{id}')).toBe(1);
  });

  it('a PATCH with a remove that never took effect is sent again', async () => {
    const image = glance.image({ name: 'old', extra: 'x' });
    glance.fault('PATCH /v2/images/{id}', 'drop');
    const { glance: client } = glance.client();
    const updated = await client.updateImage(image.id, [{ op: 'remove', path: '/extra' }]);
    expect(updated).not.toHaveProperty('extra');
    expect(glance.count('PATCH /v2/images/{id}')).toBe(2);
  });

  it('a tag PUT is repeated', async () => {
    const image = glance.image();
    glance.fault('PUT /v2/images/{id}/tags/{tag}', 'lose');
    await glance.client().glance.addTag(image.id, 'managed_by_osism');
    expect(glance.images.get(image.id)?.tags).toEqual(['managed_by_osism']);
    expect(glance.count('PUT /v2/images/{id}/tags/{tag}')).toBe(2);
  });

  it("a tag DELETE is repeated, and the repeat's 404 means done", async () => {
    const image = glance.image({ tags: ['old', 'keep'] });
    glance.fault('DELETE /v2/images/{id}/tags/{tag}', 'lose');
    await glance.client().glance.removeTag(image.id, 'old');
    expect(glance.images.get(image.id)?.tags).toEqual(['keep']);
    expect(glance.count('DELETE /v2/images/{id}/tags/{tag}')).toBe(2);
  });

  it("an image DELETE is repeated, and the repeat's 404 means done", async () => {
    const image = glance.image();
    glance.fault('DELETE /v2/images/{id}', 'lose');
    await glance.client().glance.deleteImage(image.id);
    expect(glance.images.has(image.id)).toBe(false);
    expect(glance.count('DELETE /v2/images/{id}')).toBe(2);
  });

  it('a 404 on the first attempt is still an error (nothing was lost)', async () => {
    const image = glance.image({ tags: [] });
    const { glance: client } = glance.client();
    expect(await rejection(client.removeTag(image.id, 'absent'))).toMatchObject({ status: 404 });
    expect(await rejection(client.deleteImage('00000000-0000-0000-0000-000000000000'))).toMatchObject({
      status: 404,
    });
  });

  it('the import call is not repeated when Glance already runs a task for it', async () => {
    const image = glance.image({ status: 'uploading' });
    glance.fault('POST /v2/images/{id}/import', 'lose');
    await glance.client().glance.importImage(image.id, { name: 'glance-direct' });
    expect(glance.count('POST /v2/images/{id}/import')).toBe(1);
    expect(glance.tasks.get(image.id)).toHaveLength(1);
    expect(glance.images.get(image.id)?.status).toBe('importing');
  });

  it('the import call is repeated when Glance has no task for it (dropped, or answered 503)', async () => {
    const dropped = glance.image({ status: 'queued' });
    glance.fault('POST /v2/images/{id}/import', 'drop', 503);
    const { glance: client, delays } = glance.client();
    await client.importImage(dropped.id, { name: 'web-download', uri: 'http://images.test/x.qcow2' });
    expect(glance.count('POST /v2/images/{id}/import')).toBe(3);
    expect(glance.tasks.get(dropped.id)).toHaveLength(1);
    expect(delays).toHaveLength(2);
  });

  it('the create with a fixed id is recovered by reading the image: one image, one POST', async () => {
    glance.fault('POST /v2/images', 'lose');
    const id = '5b4c7a0e-8f7e-4c55-9d7a-1f7d6d3c2b10';
    const { glance: client } = glance.client();
    const created = await client.createImage({ id, name: 'Ubuntu', disk_format: 'qcow2', container_format: 'bare' });
    expect(created).toMatchObject({ id, name: 'Ubuntu', status: 'queued' });
    expect(glance.images.size).toBe(1);
    expect(glance.count('POST /v2/images')).toBe(1);
  });

  it('the create with a fixed id is sent again when it never arrived', async () => {
    glance.fault('POST /v2/images', 'drop', 503);
    const id = '5b4c7a0e-8f7e-4c55-9d7a-1f7d6d3c2b11';
    const created = await glance
      .client()
      .glance.createImage({ id, name: 'Ubuntu', disk_format: 'qcow2', container_format: 'bare' });
    expect(created.id).toBe(id);
    expect(glance.images.size).toBe(1);
    expect(glance.count('POST /v2/images')).toBe(3);
  });

  it('a create without an id is never repeated; its error says the outcome is unknown', async () => {
    glance.fault('POST /v2/images', 'lose');
    const error = await rejection(
      glance.client().glance.createImage({ name: 'Ubuntu', disk_format: 'qcow2', container_format: 'bare' }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(outcomeUnknown(error)).toBe(true);
    expect(glance.count('POST /v2/images')).toBe(1);
    expect(glance.images.size).toBe(1);
  });

  it('outcomeUnknown: false for answers that prove nothing happened', () => {
    expect(outcomeUnknown(new HttpError(409, 'POST', 'u', ''))).toBe(false);
    expect(outcomeUnknown(new HttpError(504, 'POST', 'u', ''))).toBe(true);
    expect(outcomeUnknown(new ConnectionError('POST', 'u', 'refused', true))).toBe(false);
    expect(outcomeUnknown(new ConnectionError('POST', 'u', 'timeout', false, true))).toBe(true);
    expect(outcomeUnknown(new Error('x'))).toBe(false);
  });
});

describe('idempotent requests under faults', () => {
  it('GET answered 502, 503, 504: repeated with capped backoff until it succeeds', async () => {
    const image = glance.image();
    glance.fault('GET /v2/images/{id}', 502, 503, 504);
    const { glance: client, delays } = glance.client({ backoffBaseMs: 1000, backoffMaxMs: 3000 });
    expect((await client.getImage(image.id)).id).toBe(image.id);
    expect(glance.count('GET /v2/images/{id}')).toBe(4);
    expect(delays).toEqual([750, 1500, 2250]);
  });

  it('a GET without an answer in time is repeated', async () => {
    const image = glance.image();
    glance.fault('GET /v2/images/{id}', 'hang');
    const { glance: client, clock } = glance.client({ timeoutMs: 100 });
    const got = client.getImage(image.id);
    await until(() => glance.count('GET /v2/images/{id}') === 1);
    clock.advance(100);
    expect((await got).id).toBe(image.id);
    expect(glance.count('GET /v2/images/{id}')).toBe(2);
  });

  it('a reset GET is repeated', async () => {
    const image = glance.image();
    glance.fault('GET /v2/images/{id}', 'drop', 'lose');
    expect((await glance.client().glance.getImage(image.id)).id).toBe(image.id);
    expect(glance.count('GET /v2/images/{id}')).toBe(3);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    let calls = 0;
    const { http: client, delays } = glance.client({
      clock: new FakeClock(Date.parse('2030-01-01T00:00:00Z')),
      fetch: async () => {
        const headers = new Headers(calls++ === 0 ? { 'Retry-After': 'Tue, 01 Jan 2030 00:00:07 GMT' } : {});
        return { status: calls === 1 ? 503 : 200, headers, text: async () => '{}', body: null };
      },
    });
    await client.request({ method: 'GET', url: `${glance.base}/v2/images` });
    expect(delays).toEqual([7000]);
  });
});

function stagingClient(timeoutMs = 60_000) {
  const image = glance.image();
  return { image, ...glance.client({ timeoutMs }) };
}

/** A source of `chunks` chunks of `size` bytes, `pause` before each; `pulled` counts bytes handed out. */
function source(chunks: number, size: number, pause?: () => void) {
  const state = { pulled: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === chunks) return controller.close();
      pause?.();
      sent++;
      state.pulled += size;
      controller.enqueue(new Uint8Array(size).fill(sent % 256));
    },
  });
  return { stream, state };
}

describe('streamed uploads', () => {
  it('arrive whole, with Content-Length and the token, and are sent once', async () => {
    const { image, glance: client } = stagingClient();
    const { stream } = source(64, 65_536);
    await client.stageImage(image.id, stream, { size: 64 * 65_536 });
    expect(glance.staged.get(image.id)).toBe(64 * 65_536);
    const put = glance.received.find((r) => r.key === 'PUT /v2/images/{id}/stage');
    expect(put?.headers['content-length']).toBe(String(64 * 65_536));
    expect(put?.headers['content-type']).toBe('application/octet-stream');
    expect(put?.headers['x-auth-token']).toMatch(/^tok-1-/);
  });

  it('are not repeated on 503', async () => {
    const { image, glance: client } = stagingClient();
    glance.fault('PUT /v2/images/{id}/stage', 503);
    const error = await rejection(client.stageImage(image.id, source(4, 1024).stream));
    expect(error).toBeInstanceOf(HttpError);
    expect(glance.count('PUT /v2/images/{id}/stage')).toBe(1);
  });

  it('take as long as they need while bytes move: the timeout is for a stall, not the whole upload', async () => {
    const { image, glance: client, clock } = stagingClient();
    await client.stageImage(image.id, source(12, 1024, () => clock.advance(40)).stream, { timeoutMs: 200 });
    expect(glance.staged.get(image.id)).toBe(12 * 1024);
  });

  it('fail with a timeout when the source stalls', async () => {
    const { image, glance: client, clock } = stagingClient();
    let read = false; // the first bytes went out: the upload is under way
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
      },
      pull() {
        read = true;
      },
    });
    const staging = rejection(client.stageImage(image.id, stalled, { timeoutMs: 150 }));
    await until(() => read);
    clock.advance(150);
    const error = await staging;
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).timedOut).toBe(true);
    expect(error.message).toMatch(/no data moved for 0.15 s/);
  });

  it('fail naming the source when reading it fails mid-way, not the service', async () => {
    const { image, glance: client } = stagingClient();
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 3) return controller.error(new Error('upstream connection reset'));
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const error = await rejection(client.stageImage(image.id, failing));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/stage failed: reading the data to send failed: upstream connection reset$/);
  });

  it('read the source no faster than the server takes the bytes (backpressure)', async () => {
    const deaf = http.createServer((req) => req.pause());
    await new Promise<void>((resolve) => deaf.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(deaf.address() as AddressInfo).port}/v2/images/x/stage`;
    const clock = new FakeClock();
    const client = new HttpClient({ redactor: new Redactor(), log: captureLog().log, clock });
    const { stream, state } = source(1024, 1024 * 1024); // 1 GiB on offer
    try {
      const sending = rejection(client.request({ method: 'PUT', url, body: stream, timeoutMs: 300 }));
      await untilStill(() => state.pulled);
      clock.advance(300);
      const error = await sending;
      expect(error).toBeInstanceOf(ConnectionError);
      expect(state.pulled).toBeLessThan(64 * 1024 * 1024);
    } finally {
      deaf.closeAllConnections();
      deaf.close();
    }
  });
});

/** Waits until the value has stopped changing: the same for 50 turns of the event loop. */
async function untilStill(value: () => number): Promise<void> {
  let last: number | undefined;
  while (value() !== last) {
    last = value();
    await turns(50);
  }
}

describe('streamed uploads answered early', () => {
  it('an answer before the last byte (413) fails the upload and lets the source go', async () => {
    const early = http.createServer((_req, res) => res.writeHead(413).end('{"message":"too large"}'));
    await new Promise<void>((resolve) => early.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(early.address() as AddressInfo).port}/v2/images/x/stage`;
    const client = new HttpClient({ redactor: new Redactor(), log: captureLog().log, clock: new FakeClock() });
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(65_536)),
      cancel: () => {
        cancelled = true;
      },
    });
    try {
      const error = await rejection(client.request({ method: 'PUT', url, body: endless }));
      expect(error).toMatchObject({ status: 413 });
      await until(() => cancelled);
      expect(cancelled).toBe(true);
    } finally {
      early.closeAllConnections();
      early.close();
    }
  });
});

describe('credentials in a URL', () => {
  it('never appear in an error or a log line of the client', async () => {
    const { log, dump } = captureLog();
    const client = new HttpClient({ redactor: new Redactor(), log, retryBudgetMs: 0, clock: new FakeClock() });
    for (const url of ['http://user:pw-s3cret@127.0.0.1:9/x', 'HTTP://tok-s3cret@127.0.0.1:9/x']) {
      const error = await rejection(client.request({ method: 'GET', url }));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('s3cret');
    }
    expect(dump()).not.toContain('s3cret');
    expect(dump()).toContain('127.0.0.1:9');
  });
});
