import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConnectionError, HttpError, serviceMessageOf } from '../../../src/openstack/errors.js';
import { pathTemplate, RequestStats } from '../../../src/openstack/request-stats.js';
import { type FakeClock, until } from '../net/fake-clock.js';
import { makeHttp, useMsw } from './helpers.js';

const { server, seen } = useMsw();

const URL_ = 'http://svc.test/v2/images';

const GLANCE_409_HTML =
  '<html>\n <head>\n  <title>409 Conflict</title>\n </head>\n <body>\n  <h1>409 Conflict</h1>\n  Image storage media is full.<br /><br />\n\n\n\n </body>\n</html>';

const KEYSTONE_401 = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};

/** Answers the given statuses in order, then 200 {"ok":true} for every further request. */
function sequence(
  method: 'get' | 'post' | 'put' | 'patch' | 'delete',
  url: string,
  statuses: number[],
  headers: Record<string, string> = {},
) {
  let i = 0;
  return http[method](url, () => {
    const status = statuses[i++];
    if (status === undefined) return HttpResponse.json({ ok: true });
    if (status === 0) return HttpResponse.error();
    return HttpResponse.json({ status }, { status, headers });
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('HttpClient headers and bodies', () => {
  it('sends Accept: application/json and the User-Agent, and no Content-Type without a body', async () => {
    server.use(http.get(URL_, () => HttpResponse.json({ images: [] })));
    const { http: client } = makeHttp();
    const response = await client.request({ method: 'GET', url: URL_ });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ images: [] });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.get('accept')).toBe('application/json');
    expect(seen[0]!.headers.get('user-agent')).toBe('image-manager');
    expect(seen[0]!.headers.get('content-type')).toBeNull();
  });

  it('uses a configured User-Agent and passes extra headers', async () => {
    server.use(http.get(URL_, () => HttpResponse.json({})));
    const { http: client } = makeHttp({ userAgent: 'image-manager/1.2.3 (test)' });
    await client.request({ method: 'GET', url: URL_, headers: { 'X-Extra': 'yes' } });
    expect(seen[0]!.headers.get('user-agent')).toBe('image-manager/1.2.3 (test)');
    expect(seen[0]!.headers.get('x-extra')).toBe('yes');
  });

  it('sends a JSON body with Content-Type application/json', async () => {
    let received: { contentType: string | null; body: unknown } | undefined;
    server.use(
      http.post(URL_, async ({ request }) => {
        received = { contentType: request.headers.get('content-type'), body: await request.json() };
        return HttpResponse.json({ id: 'new' }, { status: 201 });
      }),
    );
    const { http: client } = makeHttp();
    const response = await client.request({
      method: 'POST',
      url: URL_,
      json: { name: 'Ubuntu 24.04', tags: ['a'], min_disk: 0 },
    });
    expect(response.status).toBe(201);
    expect(response.json()).toEqual({ id: 'new' });
    expect(received).toEqual({
      contentType: 'application/json',
      body: { name: 'Ubuntu 24.04', tags: ['a'], min_disk: 0 },
    });
  });

  it('sends a JSON body with the given content type', async () => {
    let contentType: string | null = null;
    let body: unknown;
    server.use(
      http.patch(`${URL_}/abc`, async ({ request }) => {
        contentType = request.headers.get('content-type');
        body = await request.json();
        return HttpResponse.json({});
      }),
    );
    const { http: client } = makeHttp();
    await client.request({
      method: 'PATCH',
      url: `${URL_}/abc`,
      json: [{ op: 'replace', path: '/name', value: 'x' }],
      contentType: 'application/openstack-images-v2.1-json-patch',
    });
    expect(contentType).toBe('application/openstack-images-v2.1-json-patch');
    expect(body).toEqual([{ op: 'replace', path: '/name', value: 'x' }]);
  });

  it('treats alsoOk statuses as success and an empty body as undefined JSON', async () => {
    server.use(
      http.get('http://svc.test/', () => HttpResponse.json({ versions: {} }, { status: 300 })),
      http.delete(`${URL_}/abc`, () => new HttpResponse(null, { status: 204 })),
    );
    const { http: client } = makeHttp();
    const versions = await client.request({ method: 'GET', url: 'http://svc.test/', alsoOk: [300] });
    expect(versions.status).toBe(300);
    expect(versions.json()).toEqual({ versions: {} });
    const deleted = await client.request({ method: 'DELETE', url: `${URL_}/abc` });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(deleted.json()).toBeUndefined();
  });

  it('fails on a 300 that is not expected', async () => {
    server.use(http.get('http://svc.test/', () => HttpResponse.json({ versions: {} }, { status: 300 })));
    const { http: client } = makeHttp();
    const error = await rejection(client.request({ method: 'GET', url: 'http://svc.test/' }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(300);
  });
});

describe('HttpClient timeouts', () => {
  /** Answers nothing until the client gives up. */
  const never = () => new Promise<never>(() => undefined);
  /** Waits until the fake services have seen `count` requests, then moves the client's clock on. */
  async function afterRequests(count: number, clock: FakeClock, ms: number): Promise<void> {
    await until(() => seen.length >= count);
    clock.advance(ms);
  }

  it('gives up on a slow answer with a ConnectionError marked timedOut', async () => {
    server.use(http.get(URL_, never));
    const { http: client, clock } = makeHttp({ timeoutMs: 50, retryBudgetMs: 0 });
    const requested = rejection(client.request({ method: 'GET', url: URL_ }));
    await afterRequests(1, clock, 50);
    const error = await requested;
    expect(error).toBeInstanceOf(ConnectionError);
    const e = error as ConnectionError;
    expect(e.timedOut).toBe(true);
    expect(e.method).toBe('GET');
    expect(e.url).toBe(URL_);
    expect(e.message).toContain('no answer within 0.05 s');
  });

  it('uses a per-request timeout over the client default', async () => {
    server.use(http.get(URL_, never));
    const { http: client, clock } = makeHttp({ timeoutMs: 60_000, retryBudgetMs: 0 });
    const requested = rejection(client.request({ method: 'GET', url: URL_, timeoutMs: 50 }));
    await afterRequests(1, clock, 50);
    const error = await requested;
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).timedOut).toBe(true);
  });

  it('repeats a GET that timed out, but not a POST', async () => {
    let calls = 0;
    server.use(
      http.get(URL_, async () => {
        if (calls++ === 0) await never();
        return HttpResponse.json({ ok: true });
      }),
      http.post(URL_, never),
    );
    const { http: client, delays, clock } = makeHttp({ timeoutMs: 50 });
    const got = client.request({ method: 'GET', url: URL_ });
    await afterRequests(1, clock, 50);
    const response = await got;
    expect(response.json()).toEqual({ ok: true });
    expect(seen.filter((s) => s.method === 'GET')).toHaveLength(2);
    expect(delays).toHaveLength(1);

    const posted = rejection(client.request({ method: 'POST', url: URL_, json: {} }));
    await afterRequests(3, clock, 50);
    const error = await posted;
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).timedOut).toBe(true);
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });
});

describe('HttpClient retries', () => {
  it.each([429, 502, 503, 504])('repeats a GET answered %i', async (status) => {
    server.use(sequence('get', URL_, [status]));
    const { http: client, delays } = makeHttp();
    const response = await client.request({ method: 'GET', url: URL_ });
    expect(response.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 500])('does not repeat a GET answered %i', async (status) => {
    server.use(sequence('get', URL_, [status]));
    const { http: client, delays } = makeHttp();
    const error = await rejection(client.request({ method: 'GET', url: URL_ }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(status);
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('gives up when its retry budget is spent, naming the request and how long it was tried', async () => {
    server.use(sequence('get', URL_, Array(20).fill(503)));
    // Pauses of 75, 150, 300 ms (fake time): the next, 600 ms, would end past the budget of 1 s.
    const { http: client, delays } = makeHttp({ retryBudgetMs: 1000 });
    const error = await rejection(client.request({ method: 'GET', url: URL_ }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).method).toBe('GET');
    expect((error as HttpError).message).toBe(
      `GET ${URL_} failed: 503 {"status":503}; tried 4 times over 0.5 s, its retry budget is 1 s`,
    );
    expect(seen).toHaveLength(4);
    expect(delays).toEqual([75, 150, 300]);
  });

  it('waits out 503s for longer than the five tries of before, within the default budget of 2 minutes', async () => {
    server.use(sequence('get', URL_, Array(15).fill(503)));
    const { http: client, delays, clock } = makeHttp({ backoffBaseMs: undefined, backoffMaxMs: undefined });
    const started = clock.now();
    const response = await client.request({ method: 'GET', url: URL_ });
    expect(response.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(16);
    expect(delays).toEqual([375, 750, 1500, 3000, 6000, ...Array(10).fill(7500)]);
    expect(clock.now() - started).toBe(86_625);
  });

  it('a request 503 for longer than the default budget fails after 2 minutes, not after a count', async () => {
    server.use(http.get(URL_, () => HttpResponse.json({ message: 'busy' }, { status: 503 })));
    const { http: client, delays } = makeHttp({ backoffBaseMs: undefined, backoffMaxMs: undefined });
    const error = await rejection(client.request({ method: 'GET', url: URL_ }));
    // 375 + 750 + 1500 + 3000 + 6000 ms, then 14 × 7.5 s (the 10 s cap, jittered): 116.6 s; 15 more would pass 120 s.
    expect(delays).toEqual([375, 750, 1500, 3000, 6000, ...Array(14).fill(7500)]);
    expect(seen).toHaveLength(20);
    expect((error as HttpError).message).toBe(
      `GET ${URL_} failed: 503 busy; tried 20 times over 116.6 s, its retry budget is 120 s`,
    );
  });

  it('caps the backoff at 10 s by default however long the outage (random → 1)', async () => {
    server.use(sequence('get', URL_, Array(12).fill(503)));
    const { http: client, delays } = makeHttp({ backoffBaseMs: undefined, backoffMaxMs: undefined, random: () => 1 });
    await client.request({ method: 'GET', url: URL_ });
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, ...Array(7).fill(10_000)]);
  });

  it('gives up at once when the pause Retry-After asks for would end past the budget', async () => {
    server.use(sequence('get', URL_, [503], { 'Retry-After': '30' }));
    const { http: client, delays } = makeHttp({ retryBudgetMs: 10_000 });
    const error = await rejection(client.request({ method: 'GET', url: URL_ }));
    expect((error as HttpError).message).toBe(
      `GET ${URL_} failed: 503 {"status":503}; tried once over 0 s, its retry budget is 10 s`,
    );
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('does not repeat anything with a budget of 0, and leaves the error as it was', async () => {
    server.use(sequence('get', URL_, [503]));
    const { http: client, delays } = makeHttp({ retryBudgetMs: 0 });
    const error = await rejection(client.request({ method: 'GET', url: URL_ }));
    expect((error as HttpError).message).toBe(`GET ${URL_} failed: 503 {"status":503}`);
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('doubles the backoff with at least half of it as the floor (random = 0)', async () => {
    server.use(sequence('get', URL_, [503, 503, 503, 503]));
    const { http: client, delays } = makeHttp({ backoffBaseMs: 100, backoffMaxMs: 10_000, random: () => 0 });
    await client.request({ method: 'GET', url: URL_ });
    expect(delays).toEqual([50, 100, 200, 400]);
  });

  it('doubles the backoff up to the full ceiling (random → 1) and caps it at backoffMaxMs', async () => {
    server.use(sequence('get', URL_, [503, 503, 503, 503]));
    const { http: client, delays } = makeHttp({ backoffBaseMs: 100, backoffMaxMs: 300, random: () => 1 });
    await client.request({ method: 'GET', url: URL_ });
    expect(delays).toEqual([100, 200, 300, 300]);
  });

  it('keeps jittered delays between half and all of the ceiling', async () => {
    server.use(sequence('get', URL_, [502, 502, 502, 502]));
    const randoms = [0.25, 0.75, 0.1, 0.9];
    const { http: client, delays } = makeHttp({ backoffBaseMs: 1000, random: () => randoms.shift() ?? 0 });
    await client.request({ method: 'GET', url: URL_ });
    expect(delays).toEqual([625, 1750, 2200, 7600]);
    delays.forEach((ms, attempt) => {
      const ceiling = 1000 * 2 ** attempt;
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    });
  });

  it('honours Retry-After seconds instead of the backoff', async () => {
    server.use(sequence('get', URL_, [429, 503], { 'Retry-After': '3' }));
    const { http: client, delays } = makeHttp({ random: () => 0 });
    const response = await client.request({ method: 'GET', url: URL_ });
    expect(response.status).toBe(200);
    expect(delays).toEqual([3000, 3000]);
  });

  it('waits at least the backoff when Retry-After asks for less (0): retries are no burst', async () => {
    server.use(sequence('get', URL_, [503, 503], { 'Retry-After': '0' }));
    const { http: client, delays } = makeHttp({ random: () => 0, backoffBaseMs: 1000 });
    const response = await client.request({ method: 'GET', url: URL_ });
    expect(response.status).toBe(200);
    expect(delays).toEqual([500, 1000]);
  });

  it('caps Retry-After at a minute and ignores a Retry-After date', async () => {
    server.use(sequence('get', URL_, [503], { 'Retry-After': '86400' }));
    const long = makeHttp();
    await long.http.request({ method: 'GET', url: URL_ });
    expect(long.delays).toEqual([60_000]);

    server.use(sequence('get', URL_, [503], { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }));
    const dated = makeHttp({ random: () => 0, backoffBaseMs: 100 });
    await dated.http.request({ method: 'GET', url: URL_ });
    expect(dated.delays).toEqual([50]);
  });

  it('does not repeat a POST answered 503, however long the budget: exactly one request', async () => {
    server.use(sequence('post', URL_, [503, 503]));
    const { http: client, delays } = makeHttp();
    const error = await rejection(client.request({ method: 'POST', url: URL_, json: { name: 'x' } }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).method).toBe('POST');
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('does not repeat a PATCH by default', async () => {
    server.use(sequence('patch', URL_, [503]));
    const { http: client } = makeHttp();
    await expect(client.request({ method: 'PATCH', url: URL_, json: [] })).rejects.toBeInstanceOf(HttpError);
    expect(seen).toHaveLength(1);
  });

  it('repeats a POST marked idempotent, resending the same body', async () => {
    const bodies: unknown[] = [];
    let i = 0;
    server.use(
      http.post(URL_, async ({ request }) => {
        bodies.push(await request.json());
        return i++ === 0 ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json({ ok: true });
      }),
    );
    const { http: client } = makeHttp();
    const response = await client.request({ method: 'POST', url: URL_, json: { a: 1 }, idempotent: true });
    expect(response.json()).toEqual({ ok: true });
    expect(bodies).toEqual([{ a: 1 }, { a: 1 }]);
  });

  it('does not repeat a GET marked non-idempotent', async () => {
    server.use(sequence('get', URL_, [503]));
    const { http: client } = makeHttp();
    await expect(client.request({ method: 'GET', url: URL_, idempotent: false })).rejects.toBeInstanceOf(HttpError);
    expect(seen).toHaveLength(1);
  });

  it.each(['PUT', 'DELETE'] as const)('repeats a %s answered 503', async (method) => {
    server.use(sequence(method === 'PUT' ? 'put' : 'delete', URL_, [503]));
    const { http: client } = makeHttp();
    const response = await client.request({ method, url: URL_ });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('never resends a streamed body, even for PUT', async () => {
    server.use(sequence('put', URL_, [503]));
    const { http: client } = makeHttp();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.close();
      },
    });
    const error = await rejection(client.request({ method: 'PUT', url: URL_, body }));
    expect((error as HttpError).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('repeats a GET after a connection error', async () => {
    server.use(sequence('get', URL_, [0, 0]));
    const { http: client, delays } = makeHttp();
    const response = await client.request({ method: 'GET', url: URL_ });
    expect(response.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('gives up on connection errors when the retry budget is spent, with a ConnectionError', async () => {
    server.use(http.get(URL_, () => HttpResponse.error()));
    const { http: client } = makeHttp({ retryBudgetMs: 300 });
    const error = await rejection(client.request({ method: 'GET', url: URL_ }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).timedOut).toBe(false);
    expect((error as ConnectionError).message).toMatch(
      new RegExp(`^GET ${URL_} failed: .*; tried 3 times over 0.2 s, its retry budget is 0.3 s$`),
    );
    expect(seen).toHaveLength(3);
  });

  it('warns once, at the first connection error, that it keeps trying for its budget', async () => {
    server.use(http.get(URL_, () => HttpResponse.error()));
    const { http: client, calls } = makeHttp({ retryBudgetMs: 300 });
    await rejection(client.request({ method: 'GET', url: URL_ }));
    const warnings = calls.filter((call) => call.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/^GET .* failed: .*; trying again for up to 0.3 s \(--retry-budget\)$/);
  });

  it('does not warn about a 503 it tries again (a busy Glance is no news)', async () => {
    let answered = 0;
    server.use(http.get(URL_, () => (answered++ < 2 ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json({}))));
    const { http: client, calls } = makeHttp();
    await client.request({ method: 'GET', url: URL_ });
    expect(calls.filter((call) => call.level === 'warn')).toEqual([]);
  });

  it('does not repeat a POST after a connection error (it may have arrived)', async () => {
    server.use(http.post(URL_, () => HttpResponse.error()));
    const { http: client, delays } = makeHttp();
    const error = await rejection(client.request({ method: 'POST', url: URL_, json: {} }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).notSent).toBe(false);
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('repeats a POST after an error that proves nothing was sent (injected fetch)', async () => {
    let calls = 0;
    const { http: client } = makeHttp({
      fetch: async () => {
        if (calls++ === 0)
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
        return { status: 201, headers: new Headers(), text: async () => '{"id":"x"}', body: null };
      },
    });
    const response = await client.request({ method: 'POST', url: URL_, json: {} });
    expect(response.json()).toEqual({ id: 'x' });
    expect(calls).toBe(2);
  });

  it('describes a refused connection and does not repeat a POST reset mid-way', async () => {
    let calls = 0;
    const { http: client } = makeHttp({
      retryBudgetMs: 0,
      fetch: async () => {
        calls++;
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('other side closed'), { code: 'ECONNREFUSED' }),
        });
      },
    });
    const refused = await rejection(client.request({ method: 'GET', url: URL_ }));
    expect((refused as ConnectionError).reason).toBe('connection refused (ECONNREFUSED)');
    expect((refused as ConnectionError).notSent).toBe(true);

    calls = 0;
    const reset = makeHttp({
      fetch: async () => {
        calls++;
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
      },
    });
    const error = await rejection(reset.http.request({ method: 'POST', url: URL_, json: {} }));
    expect((error as ConnectionError).notSent).toBe(false);
    expect((error as ConnectionError).reason).toBe('connection reset (ECONNRESET)');
    expect(calls).toBe(1);
  });
});

describe('HttpError', () => {
  it("carries status, method, URL, request id and Glance's HTML message cleaned", async () => {
    server.use(
      http.post(
        URL_,
        () =>
          new HttpResponse(GLANCE_409_HTML, {
            status: 409,
            headers: { 'Content-Type': 'text/html; charset=UTF-8', 'x-openstack-request-id': 'req-123' },
          }),
      ),
    );
    const { http: client } = makeHttp();
    const error = (await rejection(client.request({ method: 'POST', url: URL_, json: {} }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(409);
    expect(error.method).toBe('POST');
    expect(error.url).toBe(URL_);
    expect(error.serviceMessage).toBe('Image storage media is full.');
    expect(error.requestId).toBe('req-123');
    expect(error.message).toBe(`POST ${URL_} failed: 409 Image storage media is full.`);
  });

  it("carries Keystone's JSON error message", async () => {
    server.use(http.get(URL_, () => HttpResponse.json(KEYSTONE_401, { status: 401 })));
    const { http: client } = makeHttp();
    const error = (await rejection(client.request({ method: 'GET', url: URL_ }))) as HttpError;
    expect(error.status).toBe(401);
    expect(error.serviceMessage).toBe('The request you have made requires authentication.');
    expect(error.message).toContain('401 The request you have made requires authentication.');
  });

  it('cleans serviceMessageOf inputs', () => {
    expect(serviceMessageOf(GLANCE_409_HTML, 'text/html')).toBe('Image storage media is full.');
    // Glance's webob JSON error format, where the message holds HTML line breaks.
    expect(
      serviceMessageOf(
        JSON.stringify({
          message: 'The request returned a 409 Conflict.<br /><br />\nName &amp; id taken\n\n',
          code: '409 Conflict',
          title: 'Conflict',
        }),
        'application/json',
      ),
    ).toBe('The request returned a 409 Conflict. Name & id taken');
    expect(serviceMessageOf(JSON.stringify(KEYSTONE_401), null)).toBe(
      'The request you have made requires authentication.',
    );
    expect(serviceMessageOf('  plain text\n error ', 'text/plain')).toBe('plain text error');
    expect(serviceMessageOf('', 'text/html')).toBe('');
    const long = serviceMessageOf('x'.repeat(2000), 'text/plain');
    expect(long).toBe(`${'x'.repeat(500)}…`);
  });
});

describe('RequestStats', () => {
  const ID1 = '0f3c1b52-8d1e-4c3a-9a55-7c1f3c8a9b01';
  const ID2 = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
  const PROJECT = '7d5b2c1e9f8a4b3c2d1e0f9a8b7c6d5e';

  it('counts requests by method and templated path; writes() counts all but GET', async () => {
    server.use(
      http.get('http://svc.test/v2/images', () => HttpResponse.json({ images: [] })),
      http.get('http://svc.test/v2/images/:id', () => HttpResponse.json({})),
      http.put('http://svc.test/v2/images/:id/tags/:tag', () => new HttpResponse(null, { status: 204 })),
      http.delete('http://svc.test/v2/images/:id/tags/:tag', () => new HttpResponse(null, { status: 204 })),
      http.post('http://svc.test/v2/images', () => HttpResponse.json({}, { status: 201 })),
      http.put('http://svc.test/v2/images/:id/members/:member', () => HttpResponse.json({})),
    );
    const { http: client } = makeHttp();
    await client.request({ method: 'GET', url: 'http://svc.test/v2/images?limit=1000&tag=a' });
    await client.request({ method: 'GET', url: 'http://svc.test/v2/images?limit=1000&marker=x' });
    await client.request({ method: 'GET', url: `http://svc.test/v2/images/${ID1}` });
    await client.request({ method: 'GET', url: `http://svc.test/v2/images/${ID2}` });
    await client.request({ method: 'PUT', url: `http://svc.test/v2/images/${ID1}/tags/os%3Aubuntu` });
    await client.request({ method: 'PUT', url: `http://svc.test/v2/images/${ID2}/tags/managed` });
    await client.request({ method: 'DELETE', url: `http://svc.test/v2/images/${ID1}/tags/old` });
    await client.request({ method: 'POST', url: 'http://svc.test/v2/images', json: {} });
    await client.request({
      method: 'PUT',
      url: `http://svc.test/v2/images/${ID1}/members/${PROJECT}`,
      json: { status: 'accepted' },
    });

    expect(client.stats.entries()).toEqual([
      { request: 'GET /v2/images', count: 2 },
      { request: 'GET /v2/images/{id}', count: 2 },
      { request: 'PUT /v2/images/{id}/tags/{tag}', count: 2 },
      { request: 'DELETE /v2/images/{id}/tags/{tag}', count: 1 },
      { request: 'POST /v2/images', count: 1 },
      { request: 'PUT /v2/images/{id}/members/{member}', count: 1 },
    ]);
    expect(client.stats.total).toBe(9);
    expect(client.stats.writes()).toBe(5);
  });

  it('counts every attempt of a repeated request', async () => {
    server.use(sequence('get', URL_, [503, 503]));
    const { http: client } = makeHttp();
    await client.request({ method: 'GET', url: URL_ });
    expect(client.stats.entries()).toEqual([{ request: 'GET /v2/images', count: 3 }]);
    expect(client.stats.writes()).toBe(0);
  });

  it('templates paths under a prefix and tags that look like ids', () => {
    expect(pathTemplate(`http://glance.test/image/v2/images/${ID1}`)).toBe('/image/v2/images/{id}');
    expect(pathTemplate(`http://glance.test/v2/images/${ID1}/tags/${ID2}`)).toBe('/v2/images/{id}/tags/{tag}');
    expect(pathTemplate(`/v2/images/${ID1}/members/${PROJECT}?x=1`)).toBe('/v2/images/{id}/members/{member}');
    const stats = new RequestStats();
    stats.count('HEAD', `http://glance.test/v2/images/${ID1}`);
    stats.count('PATCH', `http://glance.test/v2/images/${ID1}`);
    stats.count('POST', 'http://keystone.test/v3/auth/tokens');
    stats.count('POST', 'http://keystone.test/identity/v3/auth/tokens');
    expect(stats.writes()).toBe(1);
    expect(stats.total).toBe(4);
  });
});

describe('HttpClient log', () => {
  it('logs each attempt with method, URL, status and attempt number', async () => {
    server.use(sequence('get', URL_, [503]));
    const { http: client, calls } = makeHttp();
    await client.request({ method: 'GET', url: `${URL_}?limit=5` });
    expect(calls.map((c) => c.obj)).toMatchObject([
      { method: 'GET', url: `${URL_}?limit=5`, status: 503, attempt: 0 },
      { method: 'GET', url: `${URL_}?limit=5`, status: 200, attempt: 1 },
    ]);
  });
});
