import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../../src/openstack/image.js';
import type { StatusView } from '../../../src/status/types.js';
import { definition, writeCatalogue } from '../../e2e/catalogue.js';
import { runMain } from '../cli/run-main.js';
import { stranger } from './helpers.js';

const PROJECT = 'project-ours';
const TAG = 'managed_by_osism';

/**
 * Keystone and a read-only Glance on 127.0.0.1: it answers tokens, listings (tag, os_hidden and `name=in:`
 * filters) and the import methods, and records every request; any other request is a write and fails.
 */
class FakeCloud {
  readonly received: string[] = [];
  base = '';
  private server?: http.Server;

  constructor(private readonly images: GlanceImage[]) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => this.answer(req, res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    this.received.push(`${req.method} ${url.pathname}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/v3/auth/tokens') {
      const catalog = [{ type: 'image', endpoints: [{ interface: 'public', region_id: 'R', url: this.base }] }];
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      const token = { expires_at: expires, catalog, user: { id: 'u' }, project: { id: PROJECT }, roles: [] };
      json(201, { token }, { 'X-Subject-Token': 'tok-status-xxxxxxxxxxxxxxxx' });
    } else if (req.method === 'GET' && url.pathname === '/v2/info/import') {
      json(200, { 'import-methods': { value: ['web-download', 'glance-direct'] } });
    } else if (req.method === 'GET' && url.pathname === '/v2/images') {
      json(200, { images: this.list(url.searchParams) });
    } else {
      json(500, { message: `not a read: ${req.method} ${url.pathname}` });
    }
  }

  private list(query: URLSearchParams): GlanceImage[] {
    const tags = query.getAll('tag');
    const hidden = query.get('os_hidden') === 'true';
    const name = query.get('name');
    const names = name?.startsWith('in:') ? name.slice(3).split(',') : undefined;
    return this.images.filter(
      (image) =>
        tags.every((tag) => image.tags.includes(tag)) &&
        image.os_hidden === hidden &&
        (names === undefined || names.includes(`"${image.name}"`)),
    );
  }
}

/** The image a run of the tool left for version 20250101 of `Ubuntu 24.04`, since drifted by hand (min_ram). */
function managedImage(): GlanceImage {
  return {
    ...stranger('Ubuntu 24.04'),
    id: '11111111-aaaa-bbbb-cccc-000000000001',
    owner: PROJECT,
    tags: [TAG, 'os:ubuntu'],
    min_disk: 1,
    min_ram: 256,
    image_name: 'Ubuntu 24.04',
    internal_version: '20250101',
    image_build_date: '2025-01-01',
  };
}

let cloud: FakeCloud;
let env: Record<string, string>;
let images: string;

beforeAll(async () => {
  cloud = new FakeCloud([managedImage(), stranger('Ubuntu 24.04 (20250101)')]);
  await cloud.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-status-'));
  const auth = { auth_url: `${cloud.base}/v3`, username: 'u', password: 'secret-pw', project_name: 'p' };
  const file = path.join(dir, 'clouds.yaml');
  writeFileSync(file, JSON.stringify({ clouds: { fake: { auth: { ...auth, domain_name: 'Default' } } } }));
  env = { OS_CLIENT_CONFIG_FILE: file };
  const versions = ['20250101', '20250301'].map((version) => ({
    version,
    url: `https://images.example.com/ubuntu-${version}.qcow2`,
    build_date: `${version.slice(0, 4)}-${version.slice(4, 6)}-${version.slice(6)}`,
  }));
  images = writeCatalogue([definition({ name: 'Ubuntu 24.04', multi: true, versions })]);
});

afterAll(() => cloud.close());

describe('image-manager status (in-process, against a fake cloud)', () => {
  it('reads the cloud, prints its view and writes nothing, though the next run would import, rename and fix drift', async () => {
    cloud.received.length = 0;
    const result = await runMain(['status', '--cloud', 'fake', '--images', images], { env });
    expect(result.stderr).not.toContain('secret-pw');
    expect(result.code).toBe(0);
    expect(
      cloud.received.filter((request) => !request.startsWith('GET ') && request !== 'POST /v3/auth/tokens'),
    ).toEqual([]);
    expect(cloud.received).toContain('GET /v2/images');
    expect(result.stdout).toContain('The next run would import 1 image and change or retire 1 image');
    expect(result.stdout).toMatch(/^ {2}20250301 +\(not in the cloud\) .* import$/m);
    expect(result.stdout).toMatch(/^ {2}would change Ubuntu 24\.04: .*min_ram 256 → 512/m);
    expect(result.stdout).toContain('users see two');
  });

  it("--output json: one document whose actions are --dry-run's plan, action for action", async () => {
    const status = await runMain(['status', '--cloud', 'fake', '--images', images, '--output', 'json'], { env });
    const dryRun = await runMain(['--cloud', 'fake', '--images', images, '--dry-run', '--output', 'json'], { env });
    expect([status.code, dryRun.code]).toEqual([0, 0]);
    const view = JSON.parse(status.stdout) as StatusView;
    const plan = (JSON.parse(dryRun.stdout) as { plan: { actions: Array<{ seq: number; summary: string }> } }).plan;
    expect(view.actions.map((a) => `#${a.seq} ${a.summary}`)).toEqual(
      plan.actions.map((a) => `#${a.seq} ${a.summary}`),
    );
    expect(view.actions.length).toBeGreaterThan(0);
    expect(view.collisions.map((c) => c.image.name)).toEqual(['Ubuntu 24.04 (20250101)']);
  });

  it('refuses two clouds: status talks to one at a time (exit 2)', async () => {
    const result = await runMain(['status', '--cloud', 'fake', '--cloud', 'other', '--images', images], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('status talks to one cloud at a time');
  });
});
