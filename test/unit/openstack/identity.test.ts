import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AuthConfig, ResolvedCloud } from '../../../src/config/types.js';
import { AuthError, HttpError } from '../../../src/openstack/errors.js';
import {
  authRequestBody,
  findEndpoint,
  refreshTime,
  Session,
  stripVersion,
  type CatalogEntry,
} from '../../../src/openstack/identity.js';
import {
  catalogWithImage,
  GLANCE,
  KEYSTONE,
  keystoneTokens,
  makeCloud,
  makeHttp,
  passwordAuth,
  useMsw,
} from './helpers.js';

const { server, seen } = useMsw();

const DISCOVERY = {
  versions: {
    values: [
      { id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: 'http://keystone.test/v3/' }] },
      { id: 'v2.0', status: 'deprecated', links: [{ rel: 'self', href: 'http://keystone.test/v2.0/' }] },
    ],
  },
};

function session(auth: AuthConfig = passwordAuth(), extra: Partial<ResolvedCloud> = {}, now?: () => Date) {
  const t = makeHttp();
  return { ...t, session: new Session(t.http, makeCloud(auth, extra), now) };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const requests = () => seen.map((s) => `${s.method} ${s.url}`);

describe('Keystone version discovery', () => {
  it('discovers v3 when auth_url has no version, then posts to its /auth/tokens', async () => {
    const { handler, fake } = keystoneTokens();
    server.use(
      http.get(`${KEYSTONE}/`, () => HttpResponse.json(DISCOVERY, { status: 300 })),
      handler,
    );
    const { session: s } = session(passwordAuth({ authUrl: `${KEYSTONE}/` }));
    const token = await s.currentToken();
    expect(token.value).toBe(fake.issued[0]);
    expect(requests()).toEqual([`GET ${KEYSTONE}/`, `POST ${KEYSTONE}/v3/auth/tokens`]);
  });

  it('discovers only once per session', async () => {
    let discoveries = 0;
    const { handler, fake } = keystoneTokens();
    server.use(
      http.get(`${KEYSTONE}/identity`, () => {
        discoveries++;
        return HttpResponse.json(
          {
            versions: {
              values: [{ id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: 'http://keystone.test/v3/' }] }],
            },
          },
          { status: 300 },
        );
      }),
      handler,
      http.get(`${GLANCE}/v2/images/x`, ({ request }) =>
        request.headers.get('x-auth-token') === fake.issued.at(-1) && fake.issued.length === 2
          ? HttpResponse.json({ id: 'x' })
          : HttpResponse.json({}, { status: 401 }),
      ),
    );
    const { session: s } = session(passwordAuth({ authUrl: `${KEYSTONE}/identity` }));
    await s.request({ method: 'GET', url: `${GLANCE}/v2/images/x` });
    expect(discoveries).toBe(1);
    expect(fake.bodies).toHaveLength(2);
  });

  it.each([`${KEYSTONE}/v3`, `${KEYSTONE}/v3/`])('does no discovery for auth_url %s', async (authUrl) => {
    server.use(keystoneTokens().handler);
    const { session: s } = session(passwordAuth({ authUrl }));
    await s.currentToken();
    expect(requests()).toEqual([`POST ${KEYSTONE}/v3/auth/tokens`]);
  });

  it('fails with an AuthError when discovery finds no v3', async () => {
    server.use(
      http.get(`${KEYSTONE}/`, () =>
        HttpResponse.json(
          { versions: { values: [{ id: 'v2.0', status: 'stable', links: [{ rel: 'self', href: 'x' }] }] } },
          { status: 300 },
        ),
      ),
    );
    const { session: s } = session(passwordAuth({ authUrl: KEYSTONE }));
    const error = await rejection(s.currentToken());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('testcloud');
    expect(error.message).toContain('no Keystone v3 API');
  });
});

describe('authentication request bodies', () => {
  async function bodyFor(auth: AuthConfig): Promise<Record<string, unknown>> {
    const { handler, fake } = keystoneTokens();
    server.use(handler);
    const { session: s } = session(auth);
    await s.currentToken();
    expect(fake.bodies).toHaveLength(1);
    // The literal body must equal the function's output: nothing lost in serialisation.
    expect(fake.bodies[0]).toStrictEqual(JSON.parse(JSON.stringify(authRequestBody(auth))));
    return fake.bodies[0] as Record<string, unknown>;
  }

  it('password with user and project names and domains', async () => {
    const body = await bodyFor(
      passwordAuth({
        username: 'alice',
        userDomainName: 'Users',
        password: 'pw-1234',
        scope: { projectName: 'images', projectDomainName: 'Projects' },
      }),
    );
    expect(body).toStrictEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'alice', domain: { name: 'Users' }, password: 'pw-1234' } },
        },
        scope: { project: { name: 'images', domain: { name: 'Projects' } } },
      },
    });
  });

  it('password with domain ids', async () => {
    const body = await bodyFor(
      passwordAuth({
        username: 'alice',
        userDomainName: undefined,
        userDomainId: 'default',
        password: 'pw-1234',
        scope: { projectName: 'images', projectDomainId: 'dom-1' },
      }),
    );
    expect(body).toStrictEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'alice', domain: { id: 'default' }, password: 'pw-1234' } },
        },
        scope: { project: { name: 'images', domain: { id: 'dom-1' } } },
      },
    });
  });

  it('password with user id and project id', async () => {
    const body = await bodyFor(
      passwordAuth({
        userId: 'u-42',
        username: 'ignored',
        password: 'pw-1234',
        scope: { projectId: 'p-42', projectName: 'ignored' },
      }),
    );
    expect(body).toStrictEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { id: 'u-42', password: 'pw-1234' } } },
        scope: { project: { id: 'p-42' } },
      },
    });
  });

  it('password with domain scope, by name and by id', async () => {
    const byName = await bodyFor(passwordAuth({ password: 'pw-1234', scope: { domainName: 'Default' } }));
    expect((byName.auth as Record<string, unknown>).scope).toStrictEqual({ domain: { name: 'Default' } });
    server.resetHandlers();
    const byId = await bodyFor(passwordAuth({ password: 'pw-1234', scope: { domainId: 'default' } }));
    expect((byId.auth as Record<string, unknown>).scope).toStrictEqual({ domain: { id: 'default' } });
  });

  it('password with system scope and unscoped', async () => {
    const system = await bodyFor(passwordAuth({ password: 'pw-1234', scope: { systemScope: 'all' } }));
    expect((system.auth as Record<string, unknown>).scope).toStrictEqual({ system: { all: true } });
    server.resetHandlers();
    const unscoped = await bodyFor(passwordAuth({ password: 'pw-1234', scope: {} }));
    expect(Object.keys(unscoped.auth as object)).toEqual(['identity']);
  });

  it('application credential by id: no scope key at all', async () => {
    const body = await bodyFor({
      type: 'v3applicationcredential',
      authUrl: `${KEYSTONE}/v3`,
      applicationCredentialId: 'ac-1',
      applicationCredentialSecret: 'ac-secret',
    });
    expect(body).toStrictEqual({
      auth: {
        identity: { methods: ['application_credential'], application_credential: { id: 'ac-1', secret: 'ac-secret' } },
      },
    });
    expect('scope' in (body.auth as object)).toBe(false);
  });

  it('application credential by name with user name and domain', async () => {
    const body = await bodyFor({
      type: 'v3applicationcredential',
      authUrl: `${KEYSTONE}/v3`,
      applicationCredentialName: 'image-sync',
      applicationCredentialSecret: 'ac-secret',
      username: 'alice',
      userDomainName: 'Default',
    });
    expect(body).toStrictEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: {
            name: 'image-sync',
            secret: 'ac-secret',
            user: { name: 'alice', domain: { name: 'Default' } },
          },
        },
      },
    });
  });

  it('application credential by name with user id', async () => {
    const body = await bodyFor({
      type: 'v3applicationcredential',
      authUrl: `${KEYSTONE}/v3`,
      applicationCredentialName: 'image-sync',
      applicationCredentialSecret: 'ac-secret',
      userId: 'u-42',
    });
    expect(body).toStrictEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { name: 'image-sync', secret: 'ac-secret', user: { id: 'u-42' } },
        },
      },
    });
  });

  it('token with project scope', async () => {
    const body = await bodyFor({
      type: 'token',
      authUrl: `${KEYSTONE}/v3`,
      token: 'gAAAA-old-token',
      scope: { projectId: 'p-1' },
    });
    expect(body).toStrictEqual({
      auth: { identity: { methods: ['token'], token: { id: 'gAAAA-old-token' } }, scope: { project: { id: 'p-1' } } },
    });
  });
});

describe('authenticated requests', () => {
  it('sends the X-Subject-Token as X-Auth-Token, and none to Keystone', async () => {
    const { handler, fake } = keystoneTokens();
    server.use(
      handler,
      http.get(`${GLANCE}/v2/images`, () => HttpResponse.json({ images: [] })),
    );
    const { session: s } = session();
    await s.request({ method: 'GET', url: `${GLANCE}/v2/images` });
    await s.request({ method: 'GET', url: `${GLANCE}/v2/images` });
    expect(fake.bodies).toHaveLength(1);
    expect(seen.map((r) => [r.method, r.url, r.headers.get('x-auth-token')])).toEqual([
      ['POST', `${KEYSTONE}/v3/auth/tokens`, null],
      ['GET', `${GLANCE}/v2/images`, fake.issued[0]],
      ['GET', `${GLANCE}/v2/images`, fake.issued[0]],
    ]);
  });

  it('exposes the token details', async () => {
    server.use(keystoneTokens({ expiresAt: () => '2030-05-06T07:08:09.123456Z' }).handler);
    const token = await session().session.currentToken();
    expect(token).toMatchObject({
      expiresAt: new Date('2030-05-06T07:08:09.123Z'),
      userId: 'u-1',
      userName: 'alice',
      projectId: 'p-1',
      projectName: 'images',
      roles: ['member', 'reader'],
    });
    expect(token.catalog.map((entry) => entry.type)).toEqual(['identity', 'image']);
  });

  it('re-authenticates before a request when the token expires within 2 minutes', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const { handler, fake } = keystoneTokens({ expiresAt: () => new Date(now.getTime() + 60 * 60_000).toISOString() });
    server.use(
      handler,
      http.get(`${GLANCE}/v2/images`, () => HttpResponse.json({ images: [] })),
    );
    const { session: s } = session(passwordAuth(), {}, () => now);

    await s.request({ method: 'GET', url: `${GLANCE}/v2/images` });
    now = new Date('2030-01-01T00:57:00Z'); // 3 minutes left: still good
    await s.request({ method: 'GET', url: `${GLANCE}/v2/images` });
    expect(fake.bodies).toHaveLength(1);

    now = new Date('2030-01-01T00:58:30Z'); // 90 seconds left: renew first
    await s.request({ method: 'GET', url: `${GLANCE}/v2/images` });
    expect(fake.bodies).toHaveLength(2);
    expect(seen.map((r) => `${r.method} ${r.headers.get('x-auth-token')}`)).toEqual([
      'POST null',
      `GET ${fake.issued[0]}`,
      `GET ${fake.issued[0]}`,
      'POST null',
      `GET ${fake.issued[1]}`,
    ]);
  });

  it('renews a token that lives under 2 minutes at half its lifetime, not before every request', async () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    let now = new Date(start);
    const { handler, fake } = keystoneTokens({ expiresAt: () => new Date(now.getTime() + 90_000).toISOString() });
    server.use(
      handler,
      http.get(`${GLANCE}/v2/images`, () => HttpResponse.json({ images: [] })),
    );
    const { session: s } = session(passwordAuth(), {}, () => now);
    const issuedAt: number[] = [];
    for (let call = 0; call < 26; call++) {
      now = new Date(start + call * 3_000); // 26 calls over 75 s
      const before = fake.bodies.length;
      await s.request({ method: 'GET', url: `${GLANCE}/v2/images` });
      if (fake.bodies.length > before) issuedAt.push((now.getTime() - start) / 1000);
    }
    expect(issuedAt).toEqual([0, 45]);
  });

  it("counts a token's lifetime on Keystone's clock (issued_at), so a skewed local clock does not matter", async () => {
    let tokens = 0;
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, () => {
        tokens++;
        const token = { issued_at: '2030-01-01T00:00:00Z', expires_at: '2030-01-01T01:00:00Z', catalog: [] };
        return HttpResponse.json({ token }, { status: 201, headers: { 'X-Subject-Token': `tok-${tokens}-xxxxxxxx` } });
      }),
    );
    let now = new Date('2030-01-01T00:30:00Z'); // this machine is 30 minutes ahead
    const { session: s } = session(passwordAuth(), {}, () => now);
    await s.currentToken();
    now = new Date('2030-01-01T01:27:00Z'); // 57 minutes later here: 3 minutes left
    await s.currentToken();
    expect(tokens).toBe(1);
    now = new Date('2030-01-01T01:28:30Z');
    await s.currentToken();
    expect(tokens).toBe(2);
  });

  it('refreshTime: min(2 minutes, half the lifetime) before expiry', () => {
    const at = Date.parse('2030-01-01T00:00:00Z');
    const expires = (seconds: number) => new Date(at + seconds * 1000);
    expect(refreshTime(expires(3600), undefined, at) - at).toBe(3480_000);
    expect(refreshTime(expires(240), undefined, at) - at).toBe(120_000);
    expect(refreshTime(expires(90), undefined, at) - at).toBe(45_000);
    expect(refreshTime(expires(90), new Date(at - 60_000), at) - at).toBe(75_000);
  });

  it('a 401 from Glance triggers exactly one re-authentication and one repeat', async () => {
    const { handler, fake } = keystoneTokens();
    server.use(
      handler,
      http.get(`${GLANCE}/v2/images`, ({ request }) =>
        request.headers.get('x-auth-token') === fake.issued[0]
          ? HttpResponse.json(
              {
                error: {
                  code: 401,
                  message: 'The request you have made requires authentication.',
                  title: 'Unauthorized',
                },
              },
              { status: 401 },
            )
          : HttpResponse.json({ images: [{ id: 'a' }] }),
      ),
    );
    const { session: s } = session();
    const response = await s.request({ method: 'GET', url: `${GLANCE}/v2/images` });
    expect(response.json()).toEqual({ images: [{ id: 'a' }] });
    expect(fake.bodies).toHaveLength(2);
    expect(seen.map((r) => `${r.method} ${r.headers.get('x-auth-token')}`)).toEqual([
      'POST null',
      `GET ${fake.issued[0]}`,
      'POST null',
      `GET ${fake.issued[1]}`,
    ]);
  });

  it('a second 401 propagates', async () => {
    const { handler, fake } = keystoneTokens();
    let calls = 0;
    // Answers 200 from the third request on, so that a session repeating more than once fails here fast.
    server.use(
      handler,
      http.get(`${GLANCE}/v2/images`, () =>
        ++calls <= 2 ? HttpResponse.json({}, { status: 401 }) : HttpResponse.json({}),
      ),
    );
    const { session: s } = session();
    const error = await rejection(s.request({ method: 'GET', url: `${GLANCE}/v2/images` }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(401);
    expect(fake.bodies).toHaveLength(2);
    expect(seen.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('does not repeat a streamed upload after a 401', async () => {
    const { handler, fake } = keystoneTokens();
    server.use(
      handler,
      http.put(`${GLANCE}/v2/images/x/stage`, () => HttpResponse.json({}, { status: 401 })),
    );
    const { session: s } = session();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
        controller.close();
      },
    });
    const error = await rejection(s.request({ method: 'PUT', url: `${GLANCE}/v2/images/x/stage`, body }));
    expect((error as HttpError).status).toBe(401);
    expect(fake.bodies).toHaveLength(1);
    expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('parallel requests without a token share one authentication', async () => {
    const fakeTokens = keystoneTokens();
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, async () => {
        await delay(20);
      }),
      fakeTokens.handler,
      http.get(`${GLANCE}/v2/images/:id`, ({ params }) => HttpResponse.json({ id: params.id })),
    );
    const { session: s } = session();
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => s.request({ method: 'GET', url: `${GLANCE}/v2/images/${i}` })),
    );
    expect(responses.map((r) => r.json<{ id: string }>().id)).toEqual(['1', '2', '3', '4', '5']);
    expect(fakeTokens.fake.bodies).toHaveLength(1);
    const gets = seen.filter((r) => r.method === 'GET');
    expect(gets).toHaveLength(5);
    expect(new Set(gets.map((r) => r.headers.get('x-auth-token')))).toEqual(new Set([fakeTokens.fake.issued[0]]));
  });

  it('parallel 401s share one re-authentication', async () => {
    const { handler, fake } = keystoneTokens();
    server.use(
      handler,
      http.get(`${GLANCE}/v2/images/:id`, ({ request, params }) =>
        request.headers.get('x-auth-token') === fake.issued[0]
          ? HttpResponse.json({}, { status: 401 })
          : HttpResponse.json({ id: params.id }),
      ),
    );
    const { session: s } = session();
    await s.currentToken();
    const responses = await Promise.all(
      [1, 2, 3].map((i) => s.request({ method: 'GET', url: `${GLANCE}/v2/images/${i}` })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(fake.bodies).toHaveLength(2);
  });

  it('wrong password: an AuthError naming the cloud, without the password, not repeated', async () => {
    const password = 'wr0ng-passw0rd!';
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, () =>
        HttpResponse.json(
          {
            error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
          },
          { status: 401 },
        ),
      ),
    );
    const { session: s, dumpLog } = session(passwordAuth({ password }), { name: 'prod-east' });
    const error = await rejection(s.currentToken());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('cloud "prod-east"');
    expect(error.message).toContain('401');
    expect(error.message).toContain('The request you have made requires authentication.');
    expect(error.message).not.toContain(password);
    expect(dumpLog()).not.toContain(password);
    expect(seen).toHaveLength(1);
  });

  it.each([
    ['the token request', `${KEYSTONE}/v3`],
    ['version discovery', KEYSTONE],
  ])('an unreachable Keystone (%s) is an AuthError naming the cloud', async (_what, authUrl) => {
    server.use(
      http.get(`${KEYSTONE}/`, () => HttpResponse.error()),
      http.post(`${KEYSTONE}/v3/auth/tokens`, () => HttpResponse.error()),
    );
    const error = await rejection(session(passwordAuth({ authUrl })).session.currentToken());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('cloud "testcloud": cannot reach Keystone');
    expect(error.message).toContain(authUrl === KEYSTONE ? `GET ${KEYSTONE}` : `POST ${KEYSTONE}/v3/auth/tokens`);
    // Both are safe to repeat: a GET, and a token request that changes nothing; for 2 minutes (of fake time).
    expect(error.message).toContain('tried 22 times over 114.5 s, its retry budget is 120 s');
    expect(seen.length).toBe(22);
  });

  it('tries again on the next call after a failed authentication', async () => {
    let fail = true;
    const { handler, fake } = keystoneTokens();
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, () => (fail ? HttpResponse.json({}, { status: 401 }) : undefined)),
      handler,
    );
    const { session: s } = session();
    await expect(s.currentToken()).rejects.toBeInstanceOf(AuthError);
    fail = false;
    const token = await s.currentToken();
    expect(token.value).toBe(fake.issued[0]);
  });

  it('repeats the token request on 503 (issuing a token changes nothing)', async () => {
    let first = true;
    const { handler, fake } = keystoneTokens();
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, () => {
        if (!first) return undefined;
        first = false;
        return HttpResponse.json({}, { status: 503 });
      }),
      handler,
    );
    const token = await session().session.currentToken();
    expect(token.value).toBe(fake.issued[0]);
    expect(seen).toHaveLength(2);
  });

  it('fails with an AuthError when Keystone returns no X-Subject-Token', async () => {
    server.use(
      http.post(`${KEYSTONE}/v3/auth/tokens`, () =>
        HttpResponse.json({ token: { expires_at: '2099-01-01T00:00:00Z', catalog: [] } }, { status: 201 }),
      ),
    );
    const error = await rejection(session().session.currentToken());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('X-Subject-Token');
  });
});

describe('catalog lookup', () => {
  const catalog: CatalogEntry[] = [
    { type: 'compute', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: 'http://nova.test/v2.1' }] },
    {
      type: 'image',
      endpoints: [
        { interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: 'http://glance-one.test/v2' },
        {
          interface: 'internal',
          region_id: 'RegionOne',
          region: 'RegionOne',
          url: 'http://glance-one-int.test:9292/v2/',
        },
        { interface: 'public', region_id: 'RegionTwo', region: 'RegionTwo', url: 'http://glance-two.test/image/v2' },
        { interface: 'internal', region_id: 'RegionTwo', region: 'RegionTwo', url: 'http://glance-two-int.test:9292' },
      ],
    },
    { type: 'identity', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: 'http://keystone.test/v3' }] },
  ];

  it.each([
    ['public', 'RegionOne', 'http://glance-one.test'],
    ['internal', 'RegionOne', 'http://glance-one-int.test:9292'],
    ['public', 'RegionTwo', 'http://glance-two.test/image'],
    ['internal', 'RegionTwo', 'http://glance-two-int.test:9292'],
    ['public', undefined, 'http://glance-one.test'],
  ] as const)('finds the %s image endpoint in %s, without /v2', async (iface, region, expected) => {
    server.use(keystoneTokens({ catalog }).handler);
    const { session: s } = session(passwordAuth(), { interface: iface, regionName: region });
    expect(await s.endpoint('image')).toBe(expected);
  });

  it('matches the legacy region field when region_id is missing', () => {
    const legacy: CatalogEntry[] = [
      {
        type: 'image',
        endpoints: [
          { interface: 'public', region: 'A', url: 'http://a.test' },
          { interface: 'public', region: 'B', url: 'http://b.test' },
        ],
      },
    ];
    expect(findEndpoint(legacy, 'image', 'public', 'B', 'c')).toBe('http://b.test');
  });

  it('a missing service is an AuthError listing the types there are', async () => {
    server.use(keystoneTokens({ catalog: catalog.filter((entry) => entry.type !== 'image') }).handler);
    const { session: s } = session();
    const error = await rejection(s.endpoint('image'));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('cloud "testcloud"');
    expect(error.message).toContain('no "image" service');
    expect(error.message).toContain('compute, identity');
  });

  it('no endpoint for the interface (or region) is an AuthError', async () => {
    server.use(keystoneTokens({ catalog }).handler);
    const admin = await rejection(session(passwordAuth(), { interface: 'admin' }).session.endpoint('image'));
    expect(admin).toBeInstanceOf(AuthError);
    expect(admin.message).toContain('no admin "image" endpoint');
    const region = await rejection(session(passwordAuth(), { regionName: 'RegionNine' }).session.endpoint('image'));
    expect(region).toBeInstanceOf(AuthError);
    expect(region.message).toContain('in region RegionNine');
    expect(region.message).toContain('public@RegionTwo');
  });

  it('an override is used as is (without its version) and needs no token', async () => {
    const { session: s } = session();
    expect(await s.endpoint('image', 'http://override.test/image/v2/')).toBe('http://override.test/image');
    expect(seen).toHaveLength(0);
  });

  it('stripVersion removes only a trailing version', () => {
    expect(stripVersion('http://g.test/v2')).toBe('http://g.test');
    expect(stripVersion('http://g.test/v2.1/')).toBe('http://g.test');
    expect(stripVersion('http://g.test/image/v2')).toBe('http://g.test/image');
    expect(stripVersion('http://g.test:9292')).toBe('http://g.test:9292');
    expect(stripVersion('http://g.test/v2/images')).toBe('http://g.test/v2/images');
  });

  it('the default catalog helper matches the session: public RegionOne', async () => {
    server.use(keystoneTokens({ catalog: catalogWithImage('http://glance.test/v2') }).handler);
    expect(await session().session.endpoint('image')).toBe('http://glance.test');
  });
});
