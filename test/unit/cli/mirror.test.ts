import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testFetch, useMsw } from '../openstack/helpers.js';
import { fakeS3, S3 } from '../mirror/fake-stores.js';
import { bytes, sha256, UPSTREAM, upstream } from '../mirror/support.js';
import { mirrorDocument } from './json-shapes.js';
import { runMain } from './run-main.js';
import { acquireMirrorLock } from '../../../src/cli/lock.js';
import { hasControl } from '../progress/fixtures.js';

const { server } = useMsw();
const SECRET = 'cli-secret-access-key-1234';
const ENV = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: SECRET };
const DATA = bytes(3000);

function definitions(url = `${UPSTREAM}/1.0.raw`, checksum = sha256(DATA)): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-mirror-'));
  writeFileSync(
    path.join(dir, 'demo.yml'),
    `images:
  - name: Demo
    shortname: demo
    format: raw
    login: demo
    min_disk: 1
    min_ram: 128
    status: active
    visibility: public
    multi: true
    meta:
      architecture: x86_64
      hw_disk_bus: virtio
      hypervisor_type: qemu
      os_distro: demo
      os_version: '1.0'
      os_purpose: minimal
      replace_frequency: never
      uuid_validity: none
      provided_until: none
    tags: []
    versions:
      - version: '1.0'
        url: ${url}
        checksum: sha256:${checksum}
        build_date: 2025-01-01
`,
  );
  return dir;
}

const S3_ARGS = ['--s3-bucket', 'images', '--s3-endpoint', S3, '--no-check'];

describe('image-manager mirror', () => {
  it('mirrors into S3 and prints the documented JSON; a second run copies nothing', async () => {
    const fake = fakeS3(server);
    upstream(server, { '1.0.raw': DATA });
    const args = ['mirror', '--images', definitions(), ...S3_ARGS.slice(0, 4), '--output', 'json'];
    const first = await runMain(args, { env: ENV, fetch: testFetch });
    expect(first.code, first.stderr).toBe(0);
    const document = mirrorDocument.parse(JSON.parse(first.stdout));
    expect(document.objects).toMatchObject([{ action: 'copied', object: 'demo/1.0-demo.raw', size: 3000 }]);
    expect(fake.objects.get('images/demo/1.0-demo.raw')?.data.equals(DATA)).toBe(true);
    const second = await runMain(args, { env: ENV, fetch: testFetch });
    expect(mirrorDocument.parse(JSON.parse(second.stdout)).objects[0]?.action).toBe('present');
  });

  it('writes mirror_url into the definition file with --write-mirror-url (--mirror-base), once', async () => {
    fakeS3(server);
    upstream(server, { '1.0.raw': DATA });
    const dir = definitions();
    const file = path.join(dir, 'demo.yml');
    const before = readFileSync(file, 'utf8');
    const args = ['mirror', '--images', dir, ...S3_ARGS.slice(0, 4), '--mirror-base', 'https://m.example/img'];
    const dry = await runMain([...args, '--write-mirror-url', '--dry-run'], { env: ENV, fetch: testFetch });
    expect(dry.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const result = await runMain([...args, '--write-mirror-url', '--output', 'json'], { env: ENV, fetch: testFetch });
    expect(result.code, result.stderr).toBe(0);
    expect(mirrorDocument.parse(JSON.parse(result.stdout)).files).toEqual([{ file, changed: true }]);
    const url = `        url: ${UPSTREAM}/1.0.raw\n`;
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace(url, `${url}        mirror_url: https://m.example/img/demo/1.0-demo.raw\n`),
    );
    const again = await runMain([...args, '--write-mirror-url', '--output', 'json'], { env: ENV, fetch: testFetch });
    expect(mirrorDocument.parse(JSON.parse(again.stdout)).files).toEqual([]);
  });

  it('writes mirror_checksum after mirror_url for a packed source, the second time without copying', async () => {
    const fake = fakeS3(server);
    const packed = gzipSync(DATA);
    upstream(server, { '1.0.raw.gz': packed });
    const dir = definitions(`${UPSTREAM}/1.0.raw.gz`, sha256(packed));
    const file = path.join(dir, 'demo.yml');
    const before = readFileSync(file, 'utf8');
    const args = ['mirror', '--images', dir, ...S3_ARGS.slice(0, 4), '--mirror-base', 'https://m.example/img'];
    const result = await runMain([...args, '--write-mirror-url', '--output', 'json'], { env: ENV, fetch: testFetch });
    expect(result.code, result.stderr).toBe(0);
    const url = `        url: ${UPSTREAM}/1.0.raw.gz\n`;
    const written =
      `${url}        mirror_url: https://m.example/img/demo/1.0-demo.raw\n` +
      `        mirror_checksum: sha256:${sha256(DATA)}\n`;
    expect(readFileSync(file, 'utf8')).toBe(before.replace(url, written));
    fake.seen.length = 0;
    const again = await runMain([...args, '--write-mirror-url', '--output', 'json'], { env: ENV, fetch: testFetch });
    expect(mirrorDocument.parse(JSON.parse(again.stdout)).objects[0]?.action).toBe('present');
    expect(fake.seen).toEqual(['HEAD images/demo/1.0-demo.raw']);
  });

  it("never writes the object's own record as mirror_checksum: a file without it is filled from a new copy", async () => {
    const fake = fakeS3(server);
    const packed = gzipSync(DATA);
    upstream(server, { '1.0.raw.gz': packed });
    const dir = definitions(`${UPSTREAM}/1.0.raw.gz`, sha256(packed));
    const file = path.join(dir, 'demo.yml');
    const before = readFileSync(file, 'utf8');
    const args = ['mirror', '--images', dir, ...S3_ARGS.slice(0, 4), '--mirror-base', 'https://m.example/img'];
    expect((await runMain(args, { env: ENV, fetch: testFetch })).code).toBe(0);
    // Someone who can write the store puts other bytes there and records their digest.
    const object = fake.objects.get('images/demo/1.0-demo.raw') as { data: Buffer; meta: Record<string, string> };
    object.data = bytes(3000, 7);
    object.meta['image-sha256'] = sha256(object.data);
    const result = await runMain([...args, '--write-mirror-url', '--output', 'json'], { env: ENV, fetch: testFetch });
    expect(result.code, result.stderr).toBe(0);
    const [outcome] = mirrorDocument.parse(JSON.parse(result.stdout)).objects;
    expect(outcome).toMatchObject({ action: 'recopied', reason: expect.stringContaining('mirror_checksum') });
    expect(fake.objects.get('images/demo/1.0-demo.raw')?.data.equals(DATA)).toBe(true);
    const url = `        url: ${UPSTREAM}/1.0.raw.gz\n`;
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace(
        url,
        `${url}        mirror_url: https://m.example/img/demo/1.0-demo.raw\n` +
          `        mirror_checksum: sha256:${sha256(DATA)}\n`,
      ),
    );
  });

  it('on SIGINT undoes the copy under way, prints the report, exits 130 and stops listening', async () => {
    const fake = fakeS3(server);
    let fire: ((signal: 'SIGINT' | 'SIGTERM') => void) | undefined;
    let listening = false;
    const interrupts = (first: (signal: 'SIGINT' | 'SIGTERM') => void) => {
      fire = first;
      listening = true;
      return () => {
        listening = false;
      };
    };
    // The source sends a first chunk; asked for more, it is as if the operator pressed Ctrl-C.
    const source = () =>
      new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(bytes(40_500)),
        pull: () => fire?.('SIGINT'),
      });
    upstream(server, { '1.0.raw': source });
    const args = ['mirror', '--images', definitions(), ...S3_ARGS.slice(0, 4), '--output', 'json'];
    const result = await runMain(args, { env: ENV, fetch: testFetch, interrupts });
    expect(result.code, result.stderr).toBe(130);
    const document = mirrorDocument.parse(JSON.parse(result.stdout));
    expect(document.interrupted).toBe('SIGINT');
    expect(document.objects[0]?.reason).toContain('interrupted (SIGINT)');
    expect(result.stderr).toContain('SIGINT: stopping; the copy under way is undone');
    expect(fake.objects.size).toBe(0);
    expect(fake.uploads.size).toBe(0);
    expect(listening).toBe(false);
  });

  it('refuses a second mirror into the same bucket while one runs (exit 2, the lock named), not a dry run', async () => {
    const fake = fakeS3(server);
    upstream(server, { '1.0.raw': DATA });
    const lock = acquireMirrorLock(`${S3}/images/`, 's3 bucket images');
    try {
      const args = ['mirror', '--images', definitions(), ...S3_ARGS.slice(0, 4)];
      const refused = await runMain(args, { env: ENV, fetch: testFetch });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /another image-manager run \(pid \d+, since .*\) is mirroring into s3 bucket images/,
      );
      expect(refused.stderr).toContain(lock.path);
      expect(fake.objects.size).toBe(0);
      expect((await runMain([...args, '--dry-run'], { env: ENV, fetch: testFetch })).code).toBe(0);
    } finally {
      lock.release();
    }
    const args = ['mirror', '--images', definitions(), ...S3_ARGS.slice(0, 4)];
    expect((await runMain(args, { env: ENV, fetch: testFetch })).code).toBe(0);
  });

  it('exits 1 naming the URL when the source lies, and leaves no object', async () => {
    const fake = fakeS3(server);
    upstream(server, { '1.0.raw': bytes(3000, 9) });
    const result = await runMain(['mirror', '--images', definitions(), ...S3_ARGS.slice(0, 4)], {
      env: ENV,
      fetch: testFetch,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${UPSTREAM}/1.0.raw`);
    expect(fake.objects.size).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('shows the copies live when stderr is a terminal; into a pipe, or with --no-progress, not a control character', async () => {
    fakeS3(server);
    upstream(server, { '1.0.raw': DATA });
    const args = ['mirror', '--images', definitions(), ...S3_ARGS.slice(0, 4), '--output', 'json'];
    const live = await runMain(args, { env: ENV, fetch: testFetch }, true);
    expect(live.code, live.stderr).toBe(0);
    expect(hasControl(live.stderr)).toBe(true);
    expect(live.stderr).toContain('mirroring 1 of 1 version');
    expect(live.stderr).toMatch(/demo\/1\.0-demo\.raw +checking/);
    expect(live.stderr).toContain('demo/1.0-demo.raw: copied');
    expect(hasControl(live.stdout)).toBe(false);
    expect(mirrorDocument.parse(JSON.parse(live.stdout)).objects[0]?.action).toBe('copied');
    for (const [extra, terminal] of [
      [[], false],
      [['--no-progress'], true],
    ] as const) {
      const plain = await runMain([...args, ...extra], { env: ENV, fetch: testFetch }, terminal);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stderr).toContain('demo/1.0-demo.raw: present');
      expect(hasControl(plain.stderr)).toBe(false);
      expect(plain.stderr).not.toContain('mirroring');
    }
  });

  it('refuses to run without exactly one store, or without credentials (exit 2)', async () => {
    const images = ['--images', definitions()];
    expect((await runMain(['mirror', ...images], { env: ENV })).code).toBe(2);
    expect((await runMain(['mirror', ...images, '--container', 'c', ...S3_ARGS.slice(0, 4)], { env: ENV })).code).toBe(
      2,
    );
    for (const bad of [
      ['--container', '..'],
      ['--s3-bucket', 'a/b'],
    ]) {
      const refused = await runMain(['mirror', ...images, ...bad], { env: ENV });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('a container or bucket name is one path segment');
    }
    const empty = mkdtempSync(path.join(os.tmpdir(), 'im-home-'));
    const noKeys = await runMain(['mirror', ...images, ...S3_ARGS.slice(0, 4)], { env: { HOME: empty } });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain('AWS_ACCESS_KEY_ID');
    expect(noKeys.stderr).toContain(`${empty}/.aws/credentials has no profile [default]`);
    const noEndpoint = await runMain(['mirror', ...images, '--s3-bucket', 'images'], { env: ENV });
    expect(noEndpoint.code).toBe(2);
    expect(noEndpoint.stderr).toContain('--s3-bucket needs --s3-endpoint URL');
  });

  it("takes the keys and the endpoint from the AWS files' profile (--s3-profile), never showing the secret", async () => {
    const fake = fakeS3(server, { buckets: [] });
    upstream(server, { '1.0.raw': DATA });
    const home = mkdtempSync(path.join(os.tmpdir(), 'im-home-'));
    mkdirSync(path.join(home, '.aws'));
    const credentials = `[mirror]\naws_access_key_id = FILEID\naws_secret_access_key = ${SECRET}\n`;
    writeFileSync(path.join(home, '.aws', 'credentials'), credentials, { mode: 0o600 });
    writeFileSync(path.join(home, '.aws', 'config'), `[profile mirror]\nendpoint_url = ${S3}\nregion = RegionOne\n`);
    const args = ['mirror', '--images', definitions(), '--s3-bucket', 'images', '--s3-profile', 'mirror'];
    const result = await runMain([...args, '--output', 'json', '--debug'], {
      env: { HOME: home },
      fetch: testFetch,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(fake.objects.get('images/demo/1.0-demo.raw')?.data.equals(DATA)).toBe(true);
    expect(fake.bodies[0]).toContain('<LocationConstraint>RegionOne</LocationConstraint>');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });
});
