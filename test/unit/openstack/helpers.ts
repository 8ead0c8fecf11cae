import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { AuthConfig, ResolvedCloud } from '../../../src/config/types.js';
import type { FetchLike, FetchResponse } from '../../../src/net/fetch.js';
import { HttpClient, type HttpClientOptions } from '../../../src/openstack/http.js';
import type { CatalogEntry } from '../../../src/openstack/identity.js';
import type { Log } from '../../../src/openstack/log.js';
import { Redactor } from '../../../src/net/redact.js';
import { FakeClock } from '../net/fake-clock.js';

/** A request as it reached the fake services. */
export interface Seen {
  method: string;
  url: string;
  headers: Headers;
}

/** One msw server per test file, failing on any request no handler expects; records every request. */
export function useMsw() {
  const server = setupServer();
  const seen: Seen[] = [];
  server.events.on('request:start', ({ request }) => {
    seen.push({ method: request.method, url: request.url, headers: new Headers(request.headers) });
  });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    seen.length = 0;
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { server, seen };
}

/** Goes through the global fetch, which msw patches. */
export const testFetch: FetchLike = (url, init) =>
  globalThis.fetch(url, init as RequestInit) as unknown as Promise<FetchResponse>;

export interface LogCall {
  level: string;
  obj: object;
  msg?: string;
}

export function captureLog(): { log: Log; calls: LogCall[]; dump(): string } {
  const calls: LogCall[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    calls.push({ level, obj, msg });
  };
  return {
    log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    calls,
    dump: () => JSON.stringify(calls),
  };
}

export interface TestHttp {
  http: HttpClient;
  /** The client's time: its timeouts fire when a test moves it on. */
  clock: FakeClock;
  delays: number[];
  calls: LogCall[];
  dumpLog(): string;
}

/**
 * An HttpClient on msw and a fake clock, with recorded (not waited) backoff delays that move the clock on (so
 * that the retry budget is spent as it would be), and a captured log.
 */
export function makeHttp(options: Partial<HttpClientOptions> = {}): TestHttp {
  const clock = new FakeClock(undefined, { sleepsPass: true });
  const { log, calls, dump } = captureLog();
  const http = new HttpClient({
    redactor: new Redactor(),
    log,
    fetch: testFetch,
    clock,
    random: () => 0.5,
    backoffBaseMs: 100,
    ...options,
  });
  return { http, clock, delays: clock.sleeps, calls, dumpLog: dump };
}

export const KEYSTONE = 'http://keystone.test';
export const GLANCE = 'http://glance.test';

export function passwordAuth(overrides: Partial<Extract<AuthConfig, { type: 'password' }>> = {}): AuthConfig {
  return {
    type: 'password',
    authUrl: `${KEYSTONE}/v3`,
    username: 'alice',
    userDomainName: 'Default',
    password: 'hunter2-correct-horse',
    scope: { projectName: 'images', projectDomainName: 'Default' },
    ...overrides,
  };
}

export function makeCloud(auth: AuthConfig, extra: Partial<ResolvedCloud> = {}): ResolvedCloud {
  return { name: 'testcloud', sources: ['test'], auth, interface: 'public', tls: { verify: true }, ...extra };
}

export function catalogWithImage(url = `${GLANCE}/v2`): CatalogEntry[] {
  return [
    {
      type: 'identity',
      name: 'keystone',
      endpoints: [{ interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: `${KEYSTONE}/v3` }],
    },
    {
      type: 'image',
      name: 'glance',
      endpoints: [
        { interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url },
        { interface: 'internal', region_id: 'RegionOne', region: 'RegionOne', url: 'http://glance-internal.test:9292' },
      ],
    },
  ];
}

export interface KeystoneFake {
  /** Parsed JSON bodies of every POST /auth/tokens, in order. */
  bodies: unknown[];
  /** The token values issued, in order. */
  issued: string[];
}

/**
 * POST {base}/auth/tokens issuing tok-1, tok-2, ... with the given catalog and expiry.
 */
export function keystoneTokens(
  options: { base?: string; catalog?: CatalogEntry[]; expiresAt?: () => string; prefix?: string } = {},
): { handler: ReturnType<typeof http.post>; fake: KeystoneFake } {
  const fake: KeystoneFake = { bodies: [], issued: [] };
  const base = options.base ?? `${KEYSTONE}/v3`;
  const handler = http.post(`${base}/auth/tokens`, async ({ request }) => {
    fake.bodies.push(await request.json());
    const value = `${options.prefix ?? 'tok'}-${fake.issued.length + 1}-${'x'.repeat(20)}`;
    fake.issued.push(value);
    return HttpResponse.json(
      {
        token: {
          expires_at: options.expiresAt?.() ?? '2099-01-01T00:00:00.000000Z',
          catalog: options.catalog ?? catalogWithImage(),
          user: { id: 'u-1', name: 'alice' },
          project: { id: 'p-1', name: 'images' },
          roles: [{ name: 'member' }, { name: 'reader' }],
        },
      },
      { status: 201, headers: { 'X-Subject-Token': value } },
    );
  });
  return { handler, fake };
}
