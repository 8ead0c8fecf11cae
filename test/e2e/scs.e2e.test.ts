import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../src/openstack/image.js';
import { e2e, glanceFor, managedImages, repoRoot, runCli } from './harness.js';

// The whole shipped catalogue, downloaded from 127.0.0.1: each version gets a tiny file of its format as
// `mirror_url` (the tool downloads from there) and that file's checksum; `url` stays upstream, so that
// image_source is the official one scs-0104 asks for. Build dates are moved to the last days, since
// recency is a property of the catalogue's age, not of what the tool writes.
const tag = `e2e-scs-${randomUUID().slice(0, 8)}`;
const { glance } = glanceFor(e2e.adminCloud);
const DAY = 86_400_000;

interface Version {
  version: string;
  url: string;
  mirror_url?: string;
  checksum?: string;
  build_date: string | Date;
}
interface Image {
  name: string;
  enable?: boolean;
  format: string;
  multi: boolean;
  versions: Version[];
}

function localFile(format: string, label: string): { url: string; sha512: string } {
  const name = `${tag}-${label.replace(/[^A-Za-z0-9.-]/g, '_')}.${format}`;
  const file = path.join(e2e.wwwDir, name);
  execFileSync('qemu-img', ['create', '-q', '-f', format === 'raw' ? 'raw' : 'qcow2', file, '1M']);
  return { url: `${e2e.httpBase}/${name}`, sha512: createHash('sha512').update(readFileSync(file)).digest('hex') };
}

function shippedCatalogue(extraVersion?: { image: string; daysAgo: number }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-scs-'));
  const imagesDir = path.join(repoRoot, 'images');
  for (const file of readdirSync(imagesDir).filter((f) => f.endsWith('.yml'))) {
    const data = parse(readFileSync(path.join(imagesDir, file), 'utf8')) as { images: Image[] };
    for (const image of data.images) {
      if (image.enable === false) continue;
      if (extraVersion?.image === image.name) {
        const last = image.versions.at(-1) as Version;
        image.versions.push({ ...last, version: `${last.version}.1` });
      }
      const count = image.versions.length;
      image.versions.forEach((version, i) => {
        const local = localFile(image.format, `${image.name}-${version.version}`);
        version.mirror_url = local.url;
        version.checksum = `sha512:${local.sha512}`;
        const daysAgo = extraVersion?.image === image.name ? count - i : count - i + 1;
        version.build_date = new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
      });
    }
    writeFileSync(path.join(dir, file), stringify(data, { version: '1.1', lineWidth: 300 }));
  }
  return dir;
}

interface AuditJson {
  verdict: string;
  images: Array<{
    id: string;
    name: string;
    verdict: string;
    findings: Array<{ rule: string; verdict: string; message: string }>;
  }>;
  standardImages: Array<{ rule: string; verdict: string; image?: string; message: string }>;
}

async function ourIds(): Promise<Set<string>> {
  return new Set((await managedImages(glance, tag)).map((image) => image.id));
}

function auditOf(ids: Set<string>): { ours: AuditJson['images']; standard: AuditJson['standardImages'] } {
  const result = runCli(['--cloud', e2e.adminCloud, '--output', 'json', 'check']);
  expect([0, 1]).toContain(result.status);
  const parsed = JSON.parse(result.stdout) as AuditJson;
  return { ours: parsed.images.filter((image) => ids.has(image.id)), standard: parsed.standardImages };
}

const failures = (images: AuditJson['images']) =>
  images.flatMap((image) =>
    image.findings.filter((f) => f.verdict === 'FAIL').map((f) => `${image.name}: ${f.rule}: ${f.message}`),
  );

afterAll(async () => {
  for (const id of await ourIds()) await glance.deleteImage(id).catch(() => undefined);
});

describe('the shipped catalogue, imported, passes the SCS audit', () => {
  beforeAll(() => {
    const result = runCli(['--cloud', e2e.adminCloud, '--images', shippedCatalogue(), '--tag', tag]);
    expect(result.status, result.stderr).toBe(0);
  });

  it('imports every enabled image and the audit reports no FAIL for them, scs-0104 included', async () => {
    const ids = await ourIds();
    expect(ids.size).toBe(13);
    const { ours, standard } = auditOf(ids);
    expect(ours.map((image) => image.name)).toEqual(
      expect.arrayContaining(['Ubuntu 24.04', 'Debian 12', 'Rocky 9', 'Cirros 0.6.3']),
    );
    expect(failures(ours)).toEqual([]);
    expect(standard.filter((f) => f.verdict === 'FAIL').map((f) => f.message)).toEqual([]);
    expect(standard.find((f) => f.rule === 'standard_image' && f.image === 'Ubuntu 24.04')?.verdict).toBe('PASS');
  });

  it('still reports no FAIL after a rotation that leaves the old versions visible', async () => {
    const result = runCli([
      '--cloud',
      e2e.adminCloud,
      '--images',
      shippedCatalogue({ image: 'Ubuntu 24.04', daysAgo: 0 }),
      '--tag',
      tag,
    ]);
    expect(result.status, result.stderr).toBe(0);
    const ids = await ourIds();
    const { ours } = auditOf(ids);
    const ubuntu = ours.filter((image) => image.name.startsWith('Ubuntu 24.04'));
    expect(ubuntu.map((image) => image.name).sort()).toEqual(['Ubuntu 24.04', 'Ubuntu 24.04 (20260926)']);
    expect(failures(ours)).toEqual([]);
  });

  it('reports FAIL for an image whose properties were broken by hand', async () => {
    const ids = await ourIds();
    const [debian] = (await glance.listImages({ visibility: 'all', name: 'Debian 12', tags: [tag] })) as GlanceImage[];
    expect(debian).toBeDefined();
    await glance.updateImage((debian as GlanceImage).id, [
      { op: 'replace', path: '/architecture', value: 'sparc' },
      { op: 'remove', path: '/os_version' },
    ]);
    const { ours } = auditOf(ids);
    const broken = ours.find((image) => image.id === debian?.id);
    expect(broken?.verdict).toBe('FAIL');
    expect(
      broken?.findings
        .filter((f) => f.verdict === 'FAIL')
        .map((f) => f.rule)
        .sort(),
    ).toEqual(['architecture', 'os_version']);
    const result = runCli(['--cloud', e2e.adminCloud, 'check']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FAIL Debian 12: architecture/);
  });
});
