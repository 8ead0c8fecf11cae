import { createReadStream, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/openstack/errors.js';
import { e2e, glanceFor, makeQcow2, runCli, waitForStatus } from './harness.js';

const created: Array<{ cloud: string; id: string }> = [];

afterAll(async () => {
  for (const { cloud, id } of created) {
    await glanceFor(cloud)
      .glance.deleteImage(id)
      .catch(() => undefined);
  }
});

describe('the CLI against the real Keystone and Glance', () => {
  it('authenticates with the admin cloud and finds both import methods', () => {
    const result = runCli(['--cloud', e2e.adminCloud, '--output', 'json', 'info']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.cloud).toBe(e2e.adminCloud);
    expect(info.roles).toContain('admin');
    expect(info.imageEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.importMethods).toEqual(expect.arrayContaining(['web-download', 'glance-direct']));
  });

  it('authenticates with the member cloud, which is not admin', () => {
    const result = runCli(['--cloud', e2e.memberCloud, '--output', 'json', 'info']);
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout);
    expect(info.roles).toContain('member');
    expect(info.roles).not.toContain('admin');
  });

  it('refuses a wrong password with exit 2, naming the cloud and never printing the password', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-e2e-'));
    const wrong = 'Wr0ng-Secret-Value-42';
    const clouds = readFileSync(e2e.cloudsFile, 'utf8');
    const file = path.join(dir, 'clouds.yaml');
    writeFileSync(file, clouds);
    const result = runCli(['--cloud', e2e.memberCloud, '--debug', 'info'], {
      OS_CLIENT_CONFIG_FILE: file,
      OS_PASSWORD: wrong,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(e2e.memberCloud);
    expect(result.stderr + result.stdout).not.toContain(wrong);
  });

  it('names the clouds that exist when the cloud is unknown', () => {
    const result = runCli(['--cloud', 'no-such-cloud', 'info']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no-such-cloud');
    expect(result.stderr).toContain(e2e.adminCloud);
  });

  it('exits 2 with a clear message when Keystone cannot be reached', () => {
    // Tried again for 3 s (a refused connection sent nothing), not the 2 minutes of the default budget.
    const result = runCli(['info', '--retry-budget', '3'], {
      OS_CLIENT_CONFIG_FILE: undefined,
      HOME: mkdtempSync(path.join(os.tmpdir(), 'im-e2e-home-')),
      OS_AUTH_URL: 'http://127.0.0.1:65530/v3',
      OS_USERNAME: 'admin',
      OS_PASSWORD: 'unused-password',
      OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /connection refused \(ECONNREFUSED\); tried \d+ times over [\d.]+ s, its retry budget is 3 s/,
    );
    expect(result.stderr).toContain('cloud "envvars"');
    expect(result.stderr).not.toContain('unused-password');
  });
});

describe('an unreachable Glance', () => {
  it('exits 2, naming the cloud, before any change', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'im-e2e-'));
    const file = path.join(dir, 'clouds.yaml');
    const clouds = readFileSync(e2e.cloudsFile, 'utf8').replace(
      `  ${e2e.adminCloud}:\n`,
      `  ${e2e.adminCloud}:\n    image_endpoint_override: http://127.0.0.1:65531\n`,
    );
    expect(clouds).toContain('65531');
    writeFileSync(file, clouds);
    const result = runCli(['--cloud', e2e.adminCloud, '--images', 'images', '--retry-budget', '3'], {
      OS_CLIENT_CONFIG_FILE: file,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`cloud "${e2e.adminCloud}"`);
    expect(result.stderr).toMatch(/127\.0\.0\.1:65531.*connection refused.*its retry budget is 3 s/);
  });
});

describe('the Glance client against the real Glance', () => {
  it('creates, patches in one request, tags, hides and deletes an image', async () => {
    const { glance, http } = glanceFor(e2e.adminCloud);
    const image = await glance.createImage({
      name: `e2e-crud-${Date.now()}`,
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'private',
      min_disk: 1,
      min_ram: 128,
      tags: ['e2e'],
    });
    created.push({ cloud: e2e.adminCloud, id: image.id });
    expect(image.status).toBe('queued');

    const before = http.stats.entries().find((e) => e.request === 'PATCH /v2/images/{id}')?.count ?? 0;
    const patched = await glance.updateImage(image.id, [
      { op: 'add', path: '/os_distro', value: 'ubuntu' },
      { op: 'add', path: '/image_build_date', value: '2026-11-01' },
      { op: 'replace', path: '/min_ram', value: 512 },
    ]);
    const after = http.stats.entries().find((e) => e.request === 'PATCH /v2/images/{id}')?.count ?? 0;
    expect(after - before).toBe(1);
    expect(patched.os_distro).toBe('ubuntu');
    expect(patched.image_build_date).toBe('2026-11-01');
    expect(patched.min_ram).toBe(512);

    await glance.addTag(image.id, 'os:ubuntu');
    await glance.removeTag(image.id, 'e2e');
    const tagged = await glance.getImage(image.id);
    expect(tagged.tags).toEqual(['os:ubuntu']);

    const listed = await glance.listImages({ visibility: 'all', tags: ['os:ubuntu'], pageSize: 1 });
    expect(listed.map((i) => i.id)).toContain(image.id);

    await glance.updateImage(image.id, [{ op: 'replace', path: '/os_hidden', value: true }]);
    const hidden = await glance.listImages({ visibility: 'all', os_hidden: true });
    const visible = await glance.listImages({ visibility: 'all', os_hidden: false });
    expect(hidden.map((i) => i.id)).toContain(image.id);
    expect(visible.map((i) => i.id)).not.toContain(image.id);

    await glance.deleteImage(image.id);
    await expect(glance.getImage(image.id)).rejects.toMatchObject({ status: 404 });
  });

  it('pages through every image with a marker', async () => {
    const { glance } = glanceFor(e2e.adminCloud);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const image = await glance.createImage({
        name: `e2e-page-${i}`,
        disk_format: 'raw',
        container_format: 'bare',
        tags: ['e2e-page'],
      });
      created.push({ cloud: e2e.adminCloud, id: image.id });
      ids.push(image.id);
    }
    const listed = await glance.listImages({ visibility: 'all', tags: ['e2e-page'], pageSize: 1 });
    expect(listed.map((i) => i.id).sort()).toEqual([...ids].sort());
    for (const id of ids) await glance.deleteImage(id);
  });

  it('imports a qcow2 by web-download from the local HTTP server until it is active', async () => {
    const { glance } = glanceFor(e2e.adminCloud);
    const file = makeQcow2(1);
    const image = await glance.createImage({
      name: `e2e-web-${Date.now()}`,
      disk_format: 'qcow2',
      container_format: 'bare',
    });
    created.push({ cloud: e2e.adminCloud, id: image.id });
    await glance.importImage(image.id, { name: 'web-download', uri: file.url });
    const active = await waitForStatus(glance, image.id, 'active');
    expect(active.checksum).toBe(file.md5);
    expect(active.os_hash_algo).toBe('sha512');
    expect(active.os_hash_value).toBe(file.sha512);
    expect(active.size).toBe(statSync(file.file).size);
    const tasks = await glance.listTasks(image.id);
    expect(tasks[0]?.status).toBe('success');
    await glance.deactivate(image.id);
    expect((await glance.getImage(image.id)).status).toBe('deactivated');
    await glance.reactivate(image.id);
    expect((await glance.getImage(image.id)).status).toBe('active');
    await glance.deleteImage(image.id);
  });

  it('imports by glance-direct with a streamed stage upload', async () => {
    const { glance } = glanceFor(e2e.memberCloud);
    const file = makeQcow2(2);
    const image = await glance.createImage({
      name: `e2e-direct-${Date.now()}`,
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'private',
    });
    created.push({ cloud: e2e.memberCloud, id: image.id });
    const stream = Readable.toWeb(createReadStream(file.file)) as ReadableStream<Uint8Array>;
    await glance.stageImage(image.id, stream);
    expect((await glance.getImage(image.id)).status).toBe('uploading');
    await glance.importImage(image.id, { name: 'glance-direct' });
    const active = await waitForStatus(glance, image.id, 'active');
    expect(active.os_hash_value).toBe(file.sha512);
    expect(active.visibility).toBe('private');
    await glance.deleteImage(image.id);
  });

  it('maps a Glance refusal to an HttpError with the service message', async () => {
    const { glance } = glanceFor(e2e.memberCloud);
    const error = await glance
      .createImage({
        name: 'e2e-public-by-member',
        disk_format: 'qcow2',
        container_format: 'bare',
        visibility: 'public',
      })
      .then((image) => {
        created.push({ cloud: e2e.memberCloud, id: image.id });
        return undefined;
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(403);
    expect((error as HttpError).serviceMessage).not.toMatch(/<html|<h1/i);
  });
});
