import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { FetchLike } from '../../../src/net/fetch.js';
import { FakeClock } from '../net/fake-clock.js';
import { cloudsFile, type FakeOpenStack, PASSWORD, startFakeOpenStack, WRONG_PASSWORD } from './fake-openstack.js';
import {
  checkDocument,
  checkOnlyDocument,
  cloudsDocument,
  dryRunDocument,
  type ERROR_KINDS,
  eolDocument,
  errorDocument,
  fatalLine,
  infoDocument,
  logLine,
  runDocument,
  statusDocument,
  updateDocument,
} from './json-shapes.js';
import { runMain } from './run-main.js';
import { answerText } from '../eol/helpers.js';

// Every stdout document of `--output json`, and every line of `--log-format json`, produced for real
// (in-process, against a fake Keystone and Glance) and checked against the README's shapes (json-shapes.ts).

/** The source's bytes: a qcow2 (version 3) header and some data; DIGEST is their sha512, what Glance stores. */
const QCOW2_V3 = Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]), Buffer.alloc(104)]);
const SOURCE_BYTES = Buffer.concat([QCOW2_V3, Buffer.alloc(912, 7)]);
const DIGEST = createHash('sha512').update(SOURCE_BYTES).digest('hex');
const SOURCE = 'http://images.test/tiny-0.6.2.qcow2';

/** One definition, complete for scs-0102 v2: its import is planned in an empty cloud. */
function definitions(name = 'Tiny'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-shapes-'));
  writeFileSync(
    path.join(dir, 'tiny.yml'),
    `images:
  - name: ${name}
    format: qcow2
    login: cirros
    min_disk: 1
    min_ram: 128
    status: active
    visibility: public
    multi: false
    meta:
      architecture: x86_64
      hw_disk_bus: virtio
      hypervisor_type: qemu
      os_distro: cirros
      os_version: '0.6'
      os_purpose: minimal
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    versions:
      - version: '0.6.2'
        url: ${SOURCE}
        checksum: sha512:${DIGEST}
        build_date: ${new Date().toISOString().slice(0, 10)}
`,
  );
  return dir;
}

type Image = Record<string, unknown> & { id: string; tags: string[] };

/**
 * A Keystone and a Glance that keeps what it is told: images are created, imported by web-download (active at
 * once, with the definition's digest), patched, tagged and listed with Glance's filters. fake-openstack.ts's
 * Glance is always empty; a real run needs one that takes an import.
 */
async function startStatefulOpenStack(): Promise<FakeOpenStack> {
  const images = new Map<string, Image>();
  const requests: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void answer(req, res);
  });
  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const listed = (query: URLSearchParams) =>
    [...images.values()].filter((image) => {
      const inList = (value: string | null, field: unknown) =>
        value === null ||
        (value.startsWith('in:')
          ? value
              .slice(3)
              .split(',')
              .map((item) => item.replace(/^"|"$/g, ''))
              .includes(String(field))
          : value === String(field));
      const hidden = query.get('os_hidden');
      return (
        query.getAll('tag').every((tag) => image.tags.includes(tag)) &&
        inList(query.get('name'), image.name) &&
        inList(query.get('id'), image.id) &&
        (hidden === null || String(image.os_hidden === true) === hidden)
      );
    });
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'POST' && url.pathname === '/v3/auth/tokens') {
      if (!text.includes(JSON.stringify(PASSWORD))) return send(res, 401, { error: { message: 'no' } });
      return send(res, 201, token(base), { 'X-Subject-Token': 'stateful-token' });
    }
    if (req.headers['x-auth-token'] !== 'stateful-token') return send(res, 401, {});
    // RegionTwo's Glance refuses every request: an HTTP error.
    if (url.pathname.startsWith('/glance2/')) return send(res, 403, { message: 'forbidden here' });
    const route = url.pathname.replace(/^\/glance1/, '');
    if (route === '/v2/info/import') return send(res, 200, { 'import-methods': { value: ['web-download'] } });
    if (route === '/v2/images' && req.method === 'GET') return send(res, 200, { images: listed(url.searchParams) });
    if (route === '/v2/images' && req.method === 'POST') {
      const request = body as Record<string, unknown>;
      const now = new Date().toISOString();
      const image: Image = {
        visibility: 'shared',
        protected: false,
        os_hidden: false,
        min_disk: 0,
        min_ram: 0,
        ...request,
        id: String(request.id ?? `img-${images.size + 1}`),
        tags: (request.tags as string[] | undefined) ?? [],
        status: 'queued',
        size: null,
        checksum: null,
        os_hash_algo: null,
        os_hash_value: null,
        owner: 'p-1',
        created_at: now,
        updated_at: now,
      };
      images.set(image.id, image);
      return send(res, 201, image);
    }
    const [, id, sub, tag] = /^\/v2\/images\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?$/.exec(route) ?? [];
    const image = id === undefined ? undefined : images.get(decodeURIComponent(id));
    if (!image) return send(res, 404, {});
    if (sub === undefined && req.method === 'GET') return send(res, 200, image);
    if (sub === undefined && req.method === 'PATCH') {
      for (const op of body as Array<{ op: string; path: string; value?: unknown }>) {
        const key = op.path.slice(1);
        if (op.op === 'remove') delete image[key];
        else image[key] = op.value;
      }
      return send(res, 200, image);
    }
    if (sub === 'import') {
      Object.assign(image, { status: 'active', size: 1024, os_hash_algo: 'sha512', os_hash_value: DIGEST });
      return send(res, 202);
    }
    if (sub === 'tasks') return send(res, 200, { tasks: [] });
    if (sub === 'tags' && tag !== undefined) {
      const name = decodeURIComponent(tag);
      image.tags = req.method === 'PUT' ? [...new Set([...image.tags, name])] : image.tags.filter((t) => t !== name);
      return send(res, 204);
    }
    return send(res, 404, {});
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const DEAD = `http://127.0.0.1:${await deadPort()}`;

/** RegionOne's Glance works, RegionTwo's refuses everything, RegionThree's does not answer. */
function token(base: string) {
  const endpoint = (region: string, n: number) => ({
    interface: 'public',
    region_id: region,
    url: n === 3 ? `${DEAD}/glance3` : `${base}/glance${n}`,
  });
  return {
    token: {
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      issued_at: new Date().toISOString(),
      user: { id: 'u-1', name: 'admin' },
      project: { id: 'p-1', name: 'admin' },
      roles: [{ name: 'admin' }],
      catalog: [
        {
          type: 'image',
          name: 'glance',
          endpoints: [1, 2, 3].map((n) => endpoint(['RegionOne', 'RegionTwo', 'RegionThree'][n - 1] ?? '', n)),
        },
      ],
    },
  };
}

/** The image source: a HEAD answers with its size. */
const sourceFetch: FetchLike = async (url, init) =>
  new Response(init.method === 'HEAD' ? null : SOURCE_BYTES, {
    status: url === SOURCE ? 200 : 404,
    headers: { 'Content-Length': '1024' },
  }) as never;

let empty: FakeOpenStack;
let stateful: FakeOpenStack;
let clouds: string;
const images = definitions();
beforeAll(async () => {
  empty = await startFakeOpenStack();
  stateful = await startStatefulOpenStack();
  clouds = cloudsFile(empty, [{ name: 'good' }, { name: 'broken', password: WRONG_PASSWORD }]);
});
afterAll(async () => {
  await empty.close();
  await stateful.close();
});

const run = (args: string[], file = clouds, fetch: FetchLike = sourceFetch) =>
  runMain(args, { env: { OS_CLIENT_CONFIG_FILE: file }, fetch });

/** Parses a text as JSON and checks it against a schema, with zod's complaint in the failure message. */
function expectShape<T extends z.ZodType>(schema: T, text: string): z.infer<T> {
  const parsed = schema.safeParse(JSON.parse(text));
  expect(parsed.error?.issues, text).toBeUndefined();
  return parsed.data as z.infer<T>;
}

/** A --log-format json run: every stderr line a log line (the last the fatal one when it failed), stdout one line. */
function expectJsonLines(result: { code: number; stdout: string; stderr: string }, document: z.ZodType) {
  expect(result.stdout.endsWith('\n') && !result.stdout.slice(0, -1).includes('\n'), result.stdout).toBe(true);
  expectShape(document, result.stdout);
  const lines = result.stderr.split('\n');
  expect(lines.pop()).toBe('');
  for (const line of lines) expectShape(logLine, line);
  if (result.code === 2) expectShape(fatalLine, lines.at(-1) ?? '');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the stdout documents of --output json have the README shapes', () => {
  let statefulClouds: string;
  beforeAll(() => {
    statefulClouds = cloudsFile(stateful, [{ name: 'live' }, { name: 'forbidden', region: 'RegionTwo' }]);
  });

  it('a dry run, then a run that imports, then status and check of what it made', async () => {
    const args = ['--cloud', 'live', '--images', images, '--output', 'json'];
    const dry = await run([...args, '--dry-run'], statefulClouds);
    expect(dry.code, dry.stderr).toBe(0);
    expect(expectShape(dryRunDocument, dry.stdout).plan.actions.map((action) => action.kind)).toEqual(['import']);

    const real = await run(args, statefulClouds);
    expect(real.code, real.stderr).toBe(0);
    const document = expectShape(runDocument, real.stdout);
    expect(document.report.results).toEqual([expect.objectContaining({ kind: 'import', status: 'done' })]);
    expect(document.report.results[0]?.imageId).toEqual(expect.any(String));

    // A plan over images the cloud holds: each decision names its image in brief, not Glance's whole record.
    const again = expectShape(dryRunDocument, (await run([...args, '--dry-run'], statefulClouds)).stdout);
    const decisions = again.plan.definitions.flatMap((entry) => entry.versions.flatMap((v) => v.decisions));
    expect(decisions).toEqual([expect.objectContaining({ fate: 'keep', image: expect.any(Object) })]);

    const status = await run(['status', '--cloud', 'live', '--images', images, '--output', 'json'], statefulClouds);
    expect(status.code, status.stderr).toBe(0);
    const view = expectShape(statusDocument, status.stdout);
    expect(view.inSync).toBe(true);
    expect(view.definitions[0]?.versions[0]?.image?.id).toBe(document.report.results[0]?.imageId);

    const check = await run(['check', '--cloud', 'live', '--output', 'json'], statefulClouds);
    const audit = expectShape(checkDocument, check.stdout);
    expect(audit.images.map((image) => [image.name, image.verdict])).toEqual([['Tiny 0.6.2', 'PASS']]);
    expect(audit.images[0]?.findings.length).toBeGreaterThan(0);
    // scs-0104's standard images (Ubuntu, Debian…) are missing from this cloud: FAIL, exit 1.
    expect([audit.verdict, check.code]).toEqual(['FAIL', 1]);

    // Other definitions: Tiny's image is unaccounted for, and a hand-made public image takes Small's name.
    const created = await fetch(`${stateful.url}/glance1/v2/images`, {
      method: 'POST',
      headers: { 'X-Auth-Token': 'stateful-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Small 0.6.2',
        visibility: 'public',
        disk_format: 'qcow2',
        container_format: 'bare',
      }),
    });
    expect(created.status).toBe(201);
    const other = await run(
      ['status', '--cloud', 'live', '--images', definitions('Small'), '--output', 'json'],
      statefulClouds,
    );
    expect(other.code, other.stderr).toBe(0);
    const otherView = expectShape(statusDocument, other.stdout);
    expect(otherView.unaccounted.map((image) => image.name)).toEqual(['Tiny 0.6.2']);
    expect(otherView.collisions.map((collision) => collision.image.name)).toEqual(['Small 0.6.2']);
  });

  it('status of a cloud with nothing imported yet: the version missing, its import next', async () => {
    const result = await run(['status', '--cloud', 'good', '--images', images, '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const view = expectShape(statusDocument, result.stdout);
    expect(view.inSync).toBe(false);
    expect(view.actions.map((action) => action.kind)).toEqual(['import']);
  });

  it('several clouds, one broken', async () => {
    const result = await run([
      '--cloud',
      'good',
      '--cloud',
      'broken',
      '--images',
      images,
      '--dry-run',
      '--output',
      'json',
    ]);
    expect(result.code).toBe(1);
    const document = expectShape(cloudsDocument, result.stdout);
    expect(Object.keys(document.clouds)).toEqual(['good', 'broken']);
    expect(document.clouds.broken).toMatchObject({ error: { kind: 'authentication' } });
  });

  it('--check-only and info', async () => {
    const checked = await run(['--check-only', '--images', images, '--output', 'json']);
    expect(checked.code).toBe(0);
    expect(expectShape(checkOnlyDocument, checked.stdout).selected).toEqual(['Tiny']);
    const info = await run(['info', '--cloud', 'good', '--output', 'json']);
    expect(info.code).toBe(0);
    expect(expectShape(infoDocument, info.stdout).importMethods).toEqual(['glance-direct', 'web-download']);
  });

  it('update, with a fake upstream: a new build and a failed one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-shapes-update-'));
    const alma = 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images';
    const entry = (name: string, base: string) => `  - name: ${name}
    format: qcow2
    login: almalinux
    min_disk: 8
    min_ram: 512
    status: active
    visibility: public
    multi: true
    meta:
      architecture: x86_64
      hw_disk_bus: scsi
      hypervisor_type: qemu
      os_distro: almalinux
      os_version: '9'
      os_purpose: generic
      replace_frequency: monthly
      uuid_validity: last-3
      provided_until: none
    tags: []
    latest_checksum_url: ${base}/CHECKSUM
    latest_url: ${base}/AlmaLinux-9-GenericCloud-latest.x86_64.qcow2
    versions:
      - version: '20260710'
        url: ${base}/AlmaLinux-9-GenericCloud-9.7-20260710.x86_64.qcow2
        checksum: sha256:${'1'.repeat(64)}
        build_date: 2026-07-10
`;
    writeFileSync(path.join(dir, 'alma.yml'), `images:\n${entry('AlmaLinux 9', alma)}`);
    writeFileSync(path.join(dir, 'gone.yml'), `images:\n${entry('AlmaLinux Gone', 'https://gone.test/images')}`);
    const upstream: FetchLike = async (url) => {
      const body =
        url === `${alma}/CHECKSUM`
          ? `${'a'.repeat(64)}  AlmaLinux-9-GenericCloud-9.8-20260810.x86_64.qcow2\n` +
            `${'a'.repeat(64)}  AlmaLinux-9-GenericCloud-latest.x86_64.qcow2\n`
          : undefined;
      return new Response(body ?? 'not found', { status: body === undefined ? 404 : 200 }) as never;
    };
    for (const dryRun of [true, false]) {
      const result = await run(
        ['update', '--images', dir, '--output', 'json', ...(dryRun ? ['--dry-run'] : [])],
        clouds,
        upstream,
      );
      expect(result.code, result.stderr).toBe(1);
      const document = expectShape(updateDocument, result.stdout);
      expect(document.definitions.map((definition) => definition.status)).toEqual(['new', 'failed']);
      expect(document.files).toEqual([expect.objectContaining({ changed: !dryRun, diff: expect.any(String) })]);
    }
  });
});

/** endoflife.date's API v0 as the fixtures answer it, at http://eol.test/ (else 404); other URLs the source's. */
const endOfLifeApi: FetchLike = async (url, init) => {
  if (!url.startsWith('http://eol.test/')) return sourceFetch(url, init);
  const product = /^http:\/\/eol\.test\/(v0\/[\w-]+\.json)$/.exec(url)?.[1];
  if (product === undefined) return new Response('not found', { status: 404 }) as never;
  return new Response(answerText(product)) as never;
};
const SHIPPED = path.resolve(import.meta.dirname, '../../../images');
const EOL_ARGS = [
  'eol',
  '--images',
  SHIPPED,
  '--today',
  '2026-12-07',
  '--eol-api',
  'http://eol.test/v0/{product}.json',
];

describe('the eol document', () => {
  it('the shipped catalogue: past, supported, unknown, releases not defined (exit 1)', async () => {
    const result = await run([...EOL_ARGS, '--output', 'json'], clouds, endOfLifeApi);
    expect(result.code, result.stderr).toBe(1);
    const document = expectShape(eolDocument, result.stdout);
    expect(new Set(document.definitions.map((entry) => entry.state))).toEqual(new Set(['supported', 'unknown']));
    expect(document.notDefined.some((release) => release.newer)).toBe(true);
    const past = await run(
      [...EOL_ARGS, '--filter', 'Debian', '--today', '2028-07-01', '--output', 'json'],
      clouds,
      endOfLifeApi,
    );
    expect(expectShape(eolDocument, past.stdout).definitions.map((entry) => entry.state)).toEqual([
      'past',
      'supported',
    ]);
  });

  it('an API that answers something else: the ERROR, kind upstream', async () => {
    const result = await run(
      [...EOL_ARGS, '--eol-api', 'http://eol.test/{product}', '--output', 'json'],
      clouds,
      endOfLifeApi,
    );
    expect(result.code).toBe(2);
    expect(expectShape(errorDocument, result.stdout).error.kind).toBe('upstream');
  });
});

describe('every error kind is the README ERROR', () => {
  const cases: Array<[(typeof ERROR_KINDS)[number], string[]]> = [
    ['usage', ['--no-such-flag']],
    ['usage', ['--all-clouds', '--cloud', 'good', '--images', images]],
    ['config', ['info', '--cloud', 'nope']],
    ['definition', ['--check-only', '--images', badDefinitions()]],
    ['authentication', ['info', '--cloud', 'broken']],
  ];

  it.each(cases)('%s (%j)', async (kind, args) => {
    const result = await run([...args, '--output', 'json']);
    expect(result.code).toBe(2);
    expect(expectShape(errorDocument, result.stdout).error.kind).toBe(kind);
  });

  it('connection: a Glance that does not answer; authentication: a Keystone that does not', async () => {
    const file = cloudsFile(stateful, [
      { name: 'silent', region: 'RegionThree' },
      { name: 'nokeystone', authUrl: `${DEAD}/v3` },
    ]);
    // The client's retry pauses pass on a fake clock: no real backoff is waited out, and the budget is spent.
    const clock = new FakeClock(undefined, { sleepsPass: true });
    const io = { env: { OS_CLIENT_CONFIG_FILE: file }, fetch: sourceFetch, clock };
    const [glance, keystone] = await Promise.all([
      runMain(['info', '--cloud', 'silent', '--output', 'json', '--retry-budget', '2'], io),
      runMain(['info', '--cloud', 'nokeystone', '--output', 'json', '--retry-budget', '2'], io),
    ]);
    expect(clock.sleeps).not.toEqual([]);
    expect(glance.code).toBe(2);
    expect(expectShape(errorDocument, glance.stdout).error).toMatchObject({
      kind: 'connection',
      message: expect.stringMatching(/; tried \d+ times over [\d.]+ s, its retry budget is 2 s$/),
    });
    expect(keystone.code).toBe(2);
    expect(expectShape(errorDocument, keystone.stdout).error).toMatchObject({
      kind: 'authentication',
      message: expect.stringMatching(
        /cannot reach Keystone: .*; tried \d+ times over [\d.]+ s, its retry budget is 2 s$/,
      ),
    });
  });

  it('http: a Glance that refuses (exit 1)', async () => {
    const file = cloudsFile(stateful, [{ name: 'forbidden', region: 'RegionTwo' }]);
    const result = await run(['info', '--cloud', 'forbidden', '--output', 'json'], file);
    expect(result.code).toBe(1);
    expect(expectShape(errorDocument, result.stdout).error).toMatchObject({ kind: 'http', exitCode: 1 });
  });

  it('a definition error lists its issues', async () => {
    const result = await run(['--images', badDefinitions(), '--output', 'json']);
    const { error } = expectShape(errorDocument, result.stdout);
    expect(error.issues?.length).toBeGreaterThan(0);
  });
});

function badDefinitions(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-shapes-bad-'));
  writeFileSync(path.join(dir, 'bad.yml'), 'images:\n  - name: X\n    format: qcow9\n');
  return dir;
}

describe('--log-format json: every line on both streams is JSON of the README shapes', () => {
  it.each([
    ['a dry run', ['--cloud', 'good', '--images', images, '--dry-run'], dryRunDocument],
    ['several clouds', ['--cloud', 'good', '--cloud', 'broken', '--images', images, '--dry-run'], cloudsDocument],
    ['--check-only', ['--check-only', '--images', images], checkOnlyDocument],
    ['info', ['info', '--cloud', 'good'], infoDocument],
    ['status', ['status', '--cloud', 'good', '--images', images], statusDocument],
    ['check', ['check', '--cloud', 'good'], checkDocument],
    ['eol', EOL_ARGS, eolDocument],
    ['a usage error', ['--parallel', '0'], errorDocument],
    ['a definition error', ['--images', badDefinitions()], errorDocument],
    ['an authentication error', ['--cloud', 'broken', '--images', images], errorDocument],
  ] as const)('%s', async (_name, args, document) => {
    const result = await run([...args, '--output', 'text', '--log-format', 'json'], clouds, endOfLifeApi);
    const lines = expectJsonLines(result, document);
    if (result.code === 2) expect(lines.at(-1)?.level).toBe('fatal');
  });

  it('a run that imports, its log lines naming fields of their own', async () => {
    const file = cloudsFile(stateful, [{ name: 'again' }]);
    const result = await run(
      ['--cloud', 'again', '--images', definitions(), '--tag', 'json-lines', '--log-format', 'json'],
      file,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = expectJsonLines(result, runDocument);
    expect(lines.some((line) => /Importing image Tiny/.test(String(line.msg)))).toBe(true);
  });
});

describe('the schemas reject what the README does not document', () => {
  const error = {
    message: 'm',
    exitCode: 2,
    meaning: 'usage, cloud or definition error: nothing changed',
    kind: 'usage',
  };
  const plan = {
    actions: [{ seq: 1, kind: 'import', definition: 'D', summary: 's', after: [] }],
    notes: [],
    definitions: [],
  };
  const report = { counts: { done: 1, failed: 0, skipped: 0, deferred: 0 }, results: [] };
  const time = '2026-01-01T00:00:00.000Z';
  const valid: Array<[string, z.ZodType, Record<string, unknown>]> = [
    ['error', errorDocument, { error }],
    ['run', runDocument, { dryRun: false, plan, report }],
    ['dry run', dryRunDocument, { dryRun: true, plan }],
    ['several clouds', cloudsDocument, { exitCode: 0, clouds: { a: { dryRun: true, plan } } }],
    ['--check-only', checkOnlyDocument, { checkOnly: true, valid: true, definitions: 1, selected: ['D'] }],
    ['info', infoDocument, { cloud: 'c', roles: [], imageEndpoint: 'http://g/', importMethods: [] }],
    [
      'check',
      checkDocument,
      { cloud: 'c', scsVersion: 'v2', verdict: 'PASS', images: [], standardImages: [], recencyNameWarnings: [] },
    ],
    ['update', updateDocument, { dryRun: false, definitions: [], files: [] }],
    [
      'eol',
      eolDocument,
      { today: '2026-12-07', warnDays: 90, api: 'a', findings: 0, definitions: [], notDefined: [], products: [] },
    ],
    ['fatal', fatalLine, { level: 'fatal', time, msg: 'm', exitCode: 2, meaning: error.meaning, kind: 'usage' }],
  ];

  it.each(valid)('%s: the minimal document passes, an extra key or a missing one fails', (_name, schema, document) => {
    expect(schema.safeParse(document).success).toBe(true);
    expect(schema.safeParse({ ...document, undocumented: 1 }).success).toBe(false);
    for (const key of Object.keys(document)) {
      const { [key]: _dropped, ...missing } = document;
      expect(schema.safeParse(missing).success, key).toBe(false);
    }
  });

  it('status: the document of a cloud in sync passes; an extra or a missing key fails', async () => {
    const result = await run(['status', '--cloud', 'good', '--images', images, '--output', 'json']);
    const view = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(statusDocument.safeParse(view).success).toBe(true);
    expect(statusDocument.safeParse({ ...view, undocumented: 1 }).success).toBe(false);
    const { readAt: _readAt, ...missing } = view;
    expect(statusDocument.safeParse(missing).success).toBe(false);
  });

  it('nested objects are checked too, and the enums', () => {
    const withAction = (action: Record<string, unknown>) => ({
      dryRun: true,
      plan: { actions: [action], notes: [], definitions: [] },
    });
    const action = plan.actions[0] as Record<string, unknown>;
    expect(dryRunDocument.safeParse(withAction({ ...action, more: 'allowed: the README writes …' })).success).toBe(
      true,
    );
    expect(dryRunDocument.safeParse(withAction({ ...action, kind: 'teleport' })).success).toBe(false);
    expect(dryRunDocument.safeParse(withAction({ ...action, after: undefined })).success).toBe(false);
    expect(errorDocument.safeParse({ error: { ...error, kind: 'weird' } }).success).toBe(false);
    expect(
      errorDocument.safeParse({ error: { ...error, issues: [{ file: 'f', path: 'p', message: 'm', x: 1 }] } }).success,
    ).toBe(false);
    const result = { seq: 1, kind: 'import', definition: 'D', summary: 's', status: 'lost' };
    expect(runDocument.safeParse({ dryRun: false, plan, report: { ...report, results: [result] } }).success).toBe(
      false,
    );
    expect(logLine.safeParse({ level: 'info', time, msg: 'm', cloud: 'c' }).success).toBe(true);
    expect(logLine.safeParse({ level: 30, time, msg: 'm' }).success).toBe(false);
    expect(logLine.safeParse({ level: 'info', time: 1767225600000, msg: 'm' }).success).toBe(false);
    expect(logLine.safeParse({ level: 'info', time }).success).toBe(false);
  });
});
