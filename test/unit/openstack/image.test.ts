import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/openstack/errors.js';
import { Session } from '../../../src/openstack/identity.js';
import { until } from '../net/fake-clock.js';
import { GlanceClient, type GlanceImage } from '../../../src/openstack/image.js';
import { catalogWithImage, GLANCE, keystoneTokens, makeCloud, makeHttp, passwordAuth, useMsw } from './helpers.js';

const { server, seen } = useMsw();

const ID = '0f3c1b52-8d1e-4c3a-9a55-7c1f3c8a9b01';
const PROJECT = '7d5b2c1e9f8a4b3c2d1e0f9a8b7c6d5e';

function glance(options: { catalogUrl?: string; override?: string } = {}) {
  const { handler, fake } = keystoneTokens({ catalog: catalogWithImage(options.catalogUrl ?? `${GLANCE}/v2`) });
  server.use(handler);
  const t = makeHttp();
  const session = new Session(t.http, makeCloud(passwordAuth()));
  return { client: new GlanceClient(session, options.override), keystone: fake, http: t.http };
}

function image(id: string, extra: Partial<GlanceImage> = {}): GlanceImage {
  return {
    id,
    name: `image ${id}`,
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    tags: [],
    min_disk: 0,
    min_ram: 0,
    disk_format: 'qcow2',
    container_format: 'bare',
    size: 1,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    owner: null,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

/** Glance requests only (the token request left out), as "METHOD url". */
const glanceRequests = () => seen.filter((s) => !s.url.includes('keystone')).map((s) => `${s.method} ${s.url}`);

describe('listImages', () => {
  it('builds the query: limit, visibility, os_hidden, repeated tags, other filters and sort', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${GLANCE}/v2/images`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({ images: [] });
      }),
    );
    const { client } = glance();
    const images = await client.listImages({
      visibility: 'all',
      os_hidden: true,
      tags: ['managed', 'os:ubuntu'],
      name: 'Ubuntu 24.04',
      status: 'active',
      owner: PROJECT,
      member_status: 'all',
      pageSize: 50,
    });
    expect(images).toEqual([]);
    expect(query?.get('limit')).toBe('50');
    expect(query?.get('visibility')).toBe('all');
    expect(query?.get('os_hidden')).toBe('true');
    expect(query?.getAll('tag')).toEqual(['managed', 'os:ubuntu']);
    expect(query?.get('name')).toBe('Ubuntu 24.04');
    expect(query?.get('status')).toBe('active');
    expect(query?.get('owner')).toBe(PROJECT);
    expect(query?.get('member_status')).toBe('all');
    expect(query?.get('sort')).toBe('created_at:asc,id:asc');
    expect(query?.has('marker')).toBe(false);
    expect(seen.find((s) => s.method === 'GET')?.headers.get('x-auth-token')).toMatch(/^tok-1-/);
  });

  it('the id filter: `id=in:a,b` as Glance reads it (commas between the ids)', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${GLANCE}/v2/images`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({ images: [image('a'), image('b')] });
      }),
    );
    const { client } = glance();
    const images = await client.listImages({ id: 'in:a,b', visibility: 'all', os_hidden: false });
    expect(images.map((i) => i.id)).toEqual(['a', 'b']);
    expect(query?.get('id')).toBe('in:a,b');
    expect(query?.get('visibility')).toBe('all');
  });

  it('defaults: limit 1000, os_hidden=false sent when false, nothing else', async () => {
    const queries: string[][] = [];
    server.use(
      http.get(`${GLANCE}/v2/images`, ({ request }) => {
        queries.push([...new URL(request.url).searchParams.keys()].sort());
        return HttpResponse.json({ images: [] });
      }),
    );
    const { client } = glance();
    await client.listImages();
    await client.listImages({ os_hidden: false });
    expect(queries[0]).toEqual(['limit', 'sort']);
    expect(queries[1]).toEqual(['limit', 'os_hidden', 'sort']);
    const last = seen.filter((s) => s.method === 'GET').at(-1)!;
    expect(new URL(last.url).searchParams.get('os_hidden')).toBe('false');
    expect(new URL(last.url).searchParams.get('limit')).toBe('1000');
  });

  it('pages with marker = last id while `next` is present and stops when it is absent', async () => {
    const pages: Record<string, { images: GlanceImage[]; next?: string }> = {
      '': { images: [image('a1'), image('a2')], next: '/v2/images?marker=a2&limit=2' },
      a2: { images: [image('b1'), image('b2')], next: '/v2/images?marker=b2&limit=2' },
      b2: { images: [image('c1')] },
    };
    const seenQueries: URLSearchParams[] = [];
    server.use(
      http.get(`${GLANCE}/v2/images`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        seenQueries.push(query);
        const page = pages[query.get('marker') ?? ''];
        return page ? HttpResponse.json(page) : HttpResponse.json({}, { status: 400 });
      }),
    );
    const { client } = glance();
    const images = await client.listImages({ tags: ['managed'], visibility: 'all', pageSize: 2 });
    expect(images.map((i) => i.id)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    expect(seenQueries.map((q) => q.get('marker'))).toEqual([null, 'a2', 'b2']);
    for (const q of seenQueries) {
      expect(q.getAll('tag')).toEqual(['managed']);
      expect(q.get('visibility')).toBe('all');
      expect(q.get('limit')).toBe('2');
      expect(q.get('sort')).toBe('created_at:asc,id:asc');
    }
  });

  it('stops on an empty page even when `next` is present', async () => {
    let calls = 0;
    server.use(
      http.get(`${GLANCE}/v2/images`, () => {
        calls++;
        return HttpResponse.json({ images: [], next: '/v2/images?marker=zzz' });
      }),
    );
    const { client } = glance();
    expect(await client.listImages()).toEqual([]);
    expect(calls).toBe(1);
  });

  it('works behind a path prefix: catalog http://glance.test/image/v2 → http://glance.test/image/v2/images', async () => {
    server.use(
      http.get(`${GLANCE}/image/v2/images`, ({ request }) => {
        const marker = new URL(request.url).searchParams.get('marker');
        // Glance's own `next` link ignores the prefix; following it would miss the handler.
        return marker
          ? HttpResponse.json({ images: [image('b1')] })
          : HttpResponse.json({ images: [image('a1')], next: '/v2/images?marker=a1' });
      }),
      http.get(`${GLANCE}/image/v2/images/${ID}`, () => HttpResponse.json(image(ID))),
    );
    const { client } = glance({ catalogUrl: `${GLANCE}/image/v2` });
    const images = await client.listImages();
    expect(images.map((i) => i.id)).toEqual(['a1', 'b1']);
    expect((await client.getImage(ID)).id).toBe(ID);
    const paths = seen.filter((s) => s.method === 'GET').map((s) => new URL(s.url).pathname);
    expect(paths).toEqual(['/image/v2/images', '/image/v2/images', `/image/v2/images/${ID}`]);
  });

  it('uses the endpoint override instead of the catalog', async () => {
    server.use(http.get('http://override.test/v2/images', () => HttpResponse.json({ images: [image('o1')] })));
    const { client } = glance({ override: 'http://override.test/v2' });
    expect((await client.listImages()).map((i) => i.id)).toEqual(['o1']);
  });
});

describe('listAllImages', () => {
  it('asks for visible and hidden images at once, with the filters, and keeps each image once', async () => {
    const queries: URLSearchParams[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    server.use(
      http.get(`${GLANCE}/v2/images`, async ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await until(() => queries.length === 2); // both listings asked before either is answered
        inFlight--;
        // 'moved' turned hidden between the two listings: both answers carry it.
        const ids = query.get('os_hidden') === 'true' ? ['h1', 'moved'] : ['v1', 'moved'];
        return HttpResponse.json({ images: ids.map((id) => image(id)) });
      }),
    );
    const { client } = glance();
    const images = await client.listAllImages({ tags: ['managed'], name: 'Ubuntu' });
    expect(images.map((i) => i.id)).toEqual(['v1', 'moved', 'h1']);
    expect(queries).toHaveLength(2);
    expect(mostInFlight).toBe(2);
    expect(queries.map((q) => q.get('os_hidden')).sort()).toEqual(['false', 'true']);
    for (const q of queries) {
      expect(q.get('visibility')).toBe('all');
      expect(q.getAll('tag')).toEqual(['managed']);
      expect(q.get('name')).toBe('Ubuntu');
    }
  });
});

describe('image calls', () => {
  it('getImage GETs /v2/images/{id}', async () => {
    server.use(http.get(`${GLANCE}/v2/images/${ID}`, () => HttpResponse.json(image(ID, { name: 'x' }))));
    const { client } = glance();
    expect(await client.getImage(ID)).toMatchObject({ id: ID, name: 'x' });
  });

  it('createImage POSTs the JSON and returns the image', async () => {
    let body: unknown;
    let contentType: string | null = null;
    server.use(
      http.post(`${GLANCE}/v2/images`, async ({ request }) => {
        body = await request.json();
        contentType = request.headers.get('content-type');
        return HttpResponse.json(image(ID, { status: 'queued' }), { status: 201 });
      }),
    );
    const { client } = glance();
    const created = await client.createImage({
      name: 'Ubuntu 24.04',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'public',
      min_disk: 8,
      tags: ['managed'],
      os_distro: 'ubuntu',
    });
    expect(created).toMatchObject({ id: ID, status: 'queued' });
    expect(contentType).toBe('application/json');
    expect(body).toStrictEqual({
      name: 'Ubuntu 24.04',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'public',
      min_disk: 8,
      tags: ['managed'],
      os_distro: 'ubuntu',
    });
  });

  it('createImage without an id is not repeated on 503', async () => {
    server.use(http.post(`${GLANCE}/v2/images`, () => HttpResponse.json({}, { status: 503 })));
    const { client } = glance();
    const error = await client
      .createImage({ name: 'x', disk_format: 'raw', container_format: 'bare' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect(glanceRequests()).toEqual([`POST ${GLANCE}/v2/images`]);
  });

  it('updateImage PATCHes all operations in one JSON-patch body', async () => {
    const received: Array<{ contentType: string | null; body: unknown }> = [];
    server.use(
      http.patch(`${GLANCE}/v2/images/${ID}`, async ({ request }) => {
        received.push({ contentType: request.headers.get('content-type'), body: await request.json() });
        return HttpResponse.json(image(ID, { name: 'new' }));
      }),
    );
    const { client } = glance();
    const operations = [
      { op: 'replace' as const, path: '/name', value: 'new' },
      { op: 'add' as const, path: '/os_distro', value: 'ubuntu' },
      { op: 'remove' as const, path: '/old_property' },
    ];
    const updated = await client.updateImage(ID, operations);
    expect(updated.name).toBe('new');
    expect(received).toEqual([{ contentType: 'application/openstack-images-v2.1-json-patch', body: operations }]);
  });

  it('updateImage is repeated on 503 without a remove; with one, only when the image does not show it', async () => {
    let calls = 0;
    let current = image(ID, { p: 'x' });
    server.use(
      http.patch(`${GLANCE}/v2/images/${ID}`, () =>
        calls++ % 2 === 0 ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json(image(ID)),
      ),
      http.get(`${GLANCE}/v2/images/${ID}`, () => HttpResponse.json(current)),
    );
    const { client } = glance();
    await client.updateImage(ID, [{ op: 'replace', path: '/name', value: 'n' }]);
    expect(calls).toBe(2);
    calls = 0;
    await client.updateImage(ID, [{ op: 'remove', path: '/p' }]);
    expect(glanceRequests().slice(-3)).toEqual([
      `PATCH ${GLANCE}/v2/images/${ID}`,
      `GET ${GLANCE}/v2/images/${ID}`,
      `PATCH ${GLANCE}/v2/images/${ID}`,
    ]);
    calls = 0;
    current = image(ID);
    expect(await client.updateImage(ID, [{ op: 'remove', path: '/p' }])).toEqual(current);
    expect(calls).toBe(1);
  });

  it('addTag PUTs and removeTag DELETEs the encoded tag', async () => {
    server.use(
      http.put(`${GLANCE}/v2/images/${ID}/tags/:tag`, () => new HttpResponse(null, { status: 204 })),
      http.delete(`${GLANCE}/v2/images/${ID}/tags/:tag`, () => new HttpResponse(null, { status: 204 })),
    );
    const { client } = glance();
    await client.addTag(ID, 'os:ubuntu');
    await client.addTag(ID, 'a/b c');
    await client.removeTag(ID, 'os:ubuntu');
    expect(glanceRequests()).toEqual([
      `PUT ${GLANCE}/v2/images/${ID}/tags/os%3Aubuntu`,
      `PUT ${GLANCE}/v2/images/${ID}/tags/a%2Fb%20c`,
      `DELETE ${GLANCE}/v2/images/${ID}/tags/os%3Aubuntu`,
    ]);
  });

  it('deactivate and reactivate POST the actions, repeated on 503', async () => {
    let first = true;
    server.use(
      http.post(`${GLANCE}/v2/images/${ID}/actions/:action`, () => {
        if (first) {
          first = false;
          return HttpResponse.json({}, { status: 503 });
        }
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { client } = glance();
    await client.deactivate(ID);
    await client.reactivate(ID);
    expect(glanceRequests()).toEqual([
      `POST ${GLANCE}/v2/images/${ID}/actions/deactivate`,
      `POST ${GLANCE}/v2/images/${ID}/actions/deactivate`,
      `POST ${GLANCE}/v2/images/${ID}/actions/reactivate`,
    ]);
  });

  it('deleteImage DELETEs the image', async () => {
    server.use(http.delete(`${GLANCE}/v2/images/${ID}`, () => new HttpResponse(null, { status: 204 })));
    const { client } = glance();
    await client.deleteImage(ID);
    expect(glanceRequests()).toEqual([`DELETE ${GLANCE}/v2/images/${ID}`]);
  });

  it('deleteImage reports a protected image as an HttpError 403 with the message', async () => {
    server.use(
      http.delete(
        `${GLANCE}/v2/images/${ID}`,
        () =>
          new HttpResponse(
            '<html>\n <head>\n  <title>403 Forbidden</title>\n </head>\n <body>\n  <h1>403 Forbidden</h1>\n  Image is protected<br /><br />\n\n\n\n </body>\n</html>',
            { status: 403, headers: { 'Content-Type': 'text/html; charset=UTF-8' } },
          ),
      ),
    );
    const { client } = glance();
    const error = (await client.deleteImage(ID).catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(403);
    expect(error.serviceMessage).toBe('Image is protected');
    expect(error.url).toBe(`${GLANCE}/v2/images/${ID}`);
  });
});

describe('import', () => {
  it('importInfo reads the import methods', async () => {
    server.use(
      http.get(`${GLANCE}/v2/info/import`, () =>
        HttpResponse.json({
          'import-methods': {
            description: 'Import methods available.',
            type: 'array',
            value: ['glance-direct', 'web-download'],
          },
        }),
      ),
    );
    const { client } = glance();
    expect(await client.importInfo()).toEqual({ methods: ['glance-direct', 'web-download'] });
  });

  it('importInfo without import methods is an empty list', async () => {
    server.use(http.get(`${GLANCE}/v2/info/import`, () => HttpResponse.json({})));
    const { client } = glance();
    expect(await client.importInfo()).toEqual({ methods: [] });
  });

  it('importImage sends the web-download and glance-direct bodies', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${GLANCE}/v2/images/${ID}/import`, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(null, { status: 202 });
      }),
    );
    const { client } = glance();
    await client.importImage(ID, { name: 'web-download', uri: 'https://cloud-images.example/noble.img' });
    await client.importImage(ID, { name: 'glance-direct' });
    expect(bodies).toStrictEqual([
      { method: { name: 'web-download', uri: 'https://cloud-images.example/noble.img' } },
      { method: { name: 'glance-direct' } },
    ]);
  });

  it('importImage is not repeated on 503 while Glance shows the import under way', async () => {
    server.use(
      http.post(`${GLANCE}/v2/images/${ID}/import`, () => HttpResponse.json({}, { status: 503 })),
      http.get(`${GLANCE}/v2/images/${ID}`, () => HttpResponse.json(image(ID, { status: 'uploading' }))),
      http.get(`${GLANCE}/v2/images/${ID}/tasks`, () =>
        HttpResponse.json({ tasks: [{ id: 't', type: 'api_image_import', status: 'processing', created_at: '' }] }),
      ),
    );
    const { client } = glance();
    await client.importImage(ID, { name: 'glance-direct' });
    expect(glanceRequests()).toEqual([
      `POST ${GLANCE}/v2/images/${ID}/import`,
      `GET ${GLANCE}/v2/images/${ID}`,
      `GET ${GLANCE}/v2/images/${ID}/tasks`,
    ]);
  });

  it('importImage answered 503 is sent again while Glance shows no import, within the retry budget', async () => {
    server.use(
      http.post(`${GLANCE}/v2/images/${ID}/import`, () => HttpResponse.json({}, { status: 503 })),
      http.get(`${GLANCE}/v2/images/${ID}`, () => HttpResponse.json(image(ID, { status: 'queued' }))),
      http.get(`${GLANCE}/v2/images/${ID}/tasks`, () => HttpResponse.json({ tasks: [] })),
    );
    const { client } = glance();
    const error = await client.importImage(ID, { name: 'glance-direct' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toMatch(/; tried 22 times over 114\.5 s, its retry budget is 120 s$/);
    // Pauses of 75 ms doubling to the 10 s cap (7.5 s jittered) for 2 minutes of fake time.
    expect(glanceRequests().filter((r) => r.startsWith('POST'))).toHaveLength(22);
  });

  it('stageImage PUTs a streamed body as application/octet-stream', async () => {
    const chunks = [new Uint8Array([0, 1, 2, 3]), new Uint8Array([250, 251]), new Uint8Array(1000).fill(7)];
    const expected = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      expected.set(chunk, offset);
      offset += chunk.length;
    }
    let received:
      | { bytes: Uint8Array; contentType: string | null; length: string | null; token: string | null }
      | undefined;
    server.use(
      http.put(`${GLANCE}/v2/images/${ID}/stage`, async ({ request }) => {
        received = {
          bytes: new Uint8Array(await request.arrayBuffer()),
          contentType: request.headers.get('content-type'),
          length: request.headers.get('content-length'),
          token: request.headers.get('x-auth-token'),
        };
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { client, keystone } = glance();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    await client.stageImage(ID, stream, { size: expected.length });
    expect(received?.contentType).toBe('application/octet-stream');
    expect(received?.length).toBe(String(expected.length));
    expect(received?.token).toBe(keystone.issued[0]);
    expect(Buffer.from(received!.bytes).equals(Buffer.from(expected))).toBe(true);
  });

  it('stageImage of a streamed body is not repeated on 503', async () => {
    server.use(http.put(`${GLANCE}/v2/images/${ID}/stage`, () => HttpResponse.json({}, { status: 503 })));
    const { client } = glance();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.close();
      },
    });
    await expect(client.stageImage(ID, stream)).rejects.toBeInstanceOf(HttpError);
    expect(glanceRequests()).toEqual([`PUT ${GLANCE}/v2/images/${ID}/stage`]);
  });
});

describe('members and tasks', () => {
  const member = (status: 'pending' | 'accepted' | 'rejected') => ({
    member_id: PROJECT,
    image_id: ID,
    status,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
  });

  it('listMembers GETs the members', async () => {
    server.use(
      http.get(`${GLANCE}/v2/images/${ID}/members`, () =>
        HttpResponse.json({ members: [member('accepted')], schema: '/v2/schemas/members' }),
      ),
    );
    const { client } = glance();
    expect(await client.listMembers(ID)).toEqual([member('accepted')]);
  });

  it('addMember POSTs {member}; after a 503 it reads the member and sends again only when there is none', async () => {
    const bodies: unknown[] = [];
    let fail = false;
    let shared = false;
    server.use(
      http.post(`${GLANCE}/v2/images/${ID}/members`, async ({ request }) => {
        bodies.push(await request.json());
        return fail ? HttpResponse.json({}, { status: 503 }) : HttpResponse.json(member('pending'));
      }),
      http.get(`${GLANCE}/v2/images/${ID}/members/${PROJECT}`, () =>
        shared ? HttpResponse.json(member('accepted')) : HttpResponse.json({}, { status: 404 }),
      ),
    );
    const { client } = glance();
    expect(await client.addMember(ID, PROJECT)).toEqual(member('pending'));
    expect(bodies).toStrictEqual([{ member: PROJECT }]);
    fail = true;
    await expect(client.addMember(ID, PROJECT)).rejects.toBeInstanceOf(HttpError);
    expect(bodies).toHaveLength(1 + 22); // sent again for the retry budget, 2 minutes of fake time
    shared = true;
    expect(await client.addMember(ID, PROJECT)).toEqual(member('accepted'));
    expect(bodies).toHaveLength(1 + 22 + 1);
  });

  it('updateMember PUTs {status} and removeMember DELETEs', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.put(`${GLANCE}/v2/images/${ID}/members/${PROJECT}`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(member('accepted'));
      }),
      http.delete(`${GLANCE}/v2/images/${ID}/members/${PROJECT}`, () => new HttpResponse(null, { status: 204 })),
    );
    const { client } = glance();
    expect(await client.updateMember(ID, PROJECT, 'accepted')).toEqual(member('accepted'));
    await client.removeMember(ID, PROJECT);
    expect(bodies).toStrictEqual([{ status: 'accepted' }]);
    expect(glanceRequests()).toEqual([
      `PUT ${GLANCE}/v2/images/${ID}/members/${PROJECT}`,
      `DELETE ${GLANCE}/v2/images/${ID}/members/${PROJECT}`,
    ]);
  });

  it('listTasks returns the tasks newest first', async () => {
    const task = (id: string, created_at: string) => ({
      id,
      type: 'api_image_import',
      status: 'success',
      created_at,
      updated_at: created_at,
    });
    server.use(
      http.get(`${GLANCE}/v2/images/${ID}/tasks`, () =>
        HttpResponse.json({
          tasks: [
            task('t1', '2024-03-01T10:00:00.000000'),
            task('t3', '2024-03-02T09:00:00.000000'),
            task('t2', '2024-03-01T11:00:00.000000'),
          ],
        }),
      ),
    );
    const { client } = glance();
    expect((await client.listTasks(ID)).map((t) => t.id)).toEqual(['t3', 't2', 't1']);
  });
});

describe('request counting through the Glance client', () => {
  it('counts Glance writes apart from reads', async () => {
    server.use(
      http.get(`${GLANCE}/v2/images`, () => HttpResponse.json({ images: [] })),
      http.put(`${GLANCE}/v2/images/${ID}/tags/:tag`, () => new HttpResponse(null, { status: 204 })),
      http.delete(`${GLANCE}/v2/images/${ID}`, () => new HttpResponse(null, { status: 204 })),
    );
    const { client, http: httpClient } = glance();
    await client.listImages();
    await client.addTag(ID, 'os:ubuntu');
    await client.deleteImage(ID);
    expect(httpClient.stats.entries()).toEqual([
      { request: 'DELETE /v2/images/{id}', count: 1 },
      { request: 'GET /v2/images', count: 1 },
      { request: 'POST /v3/auth/tokens', count: 1 },
      { request: 'PUT /v2/images/{id}/tags/{tag}', count: 1 },
    ]);
    // The token request is a POST but changes nothing: not a write.
    expect(httpClient.stats.writes()).toBe(2);
  });
});
