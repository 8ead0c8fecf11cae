import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlanceImage } from '../../src/openstack/image.js';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, repoRoot, runCli, wwwPath } from './harness.js';

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
  const file = wwwPath(name);
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
    expect(result.stdout.split('\n')[0]).toMatch(/^FAIL: \d+ of \d+ public\/community images fail scs-0102 v2/);
    const block = result.stdout.slice(result.stdout.search(/^FAIL architecture \(/m)).split('\n\n')[0];
    expect(block).toContain('FAIL: architecture="sparc"');
    expect(block).toContain('"Debian 12"');
  });
});

describe('outdated versions named the way the SCS recency test reads them', () => {
  const namesTag = `${tag}-names`;
  const name = `E2E Names ${namesTag}`;
  const today = new Date().toISOString().slice(0, 10);
  const catalogue = () => {
    // Built long ago, monthly, promised until 2099: outdated in the recency test's sense.
    const versions = [
      { date: '2025-01-01', file: makeQcow2() },
      { date: today, file: makeQcow2() },
    ].map(({ date, file }) => ({
      version: date.replace(/-/g, ''),
      url: file.url,
      checksum: `sha512:${file.sha512}`,
      build_date: date,
    }));
    const meta = { replace_frequency: 'monthly', provided_until: '2099-12-31', os_version: namesTag };
    return writeCatalogue([definition({ name, multi: true, versions, meta })]);
  };
  const oldDay = '20250101';
  const run = (images: string, ...extra: string[]) =>
    runCli(['--cloud', e2e.adminCloud, '--images', images, '--tag', namesTag, ...extra]);
  const namesNow = async () => (await managedImages(glance, namesTag)).map((image) => image.name).sort();
  const check = () => runCli(['--cloud', e2e.adminCloud, '--output', 'json', 'check']);
  const warned = () =>
    (JSON.parse(check().stdout) as { recencyNameWarnings: Array<{ name: string }> }).recencyNameWarnings
      .map((warning) => warning.name)
      .filter((warnedName) => warnedName.startsWith(name));
  let images = '';

  beforeAll(() => {
    images = catalogue();
  });
  afterAll(async () => {
    for (const image of await managedImages(glance, namesTag)) await glance.deleteImage(image.id).catch(() => {});
  });

  it("OIM's form by default, which check names as drawing the recency WARN; its text fits 120 columns", async () => {
    const result = run(images);
    expect(result.status, result.stderr).toBe(0);
    expect(await namesNow()).toEqual([name, `${name} (${oldDay})`]);
    expect(warned()).toEqual([`${name} (${oldDay})`]);
    const text = runCli(['--cloud', e2e.adminCloud, 'check']);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^(FAIL: \d+ of \d+|PASS( with \d+ warnings?)?:) .*\(cloud [^)]+\)$/);
    expect(lines.filter((line) => line.length > 120)).toEqual([]);
    expect(text.stdout).toContain(`"${name} (${oldDay})"`);
  });

  it('--outdated-names scs renames the outdated image NAME YYYYMMDD, which draws no WARN; then nothing to do', async () => {
    const dry = run(images, '--outdated-names', 'scs', '--dry-run');
    expect(dry.stdout).toContain(`rename ${name} (${oldDay}) to ${name} ${oldDay}`);
    expect(run(images, '--outdated-names', 'scs').status).toBe(0);
    expect(await namesNow()).toEqual([name, `${name} ${oldDay}`]);
    expect(warned()).toEqual([]);
    expect(run(images, '--outdated-names', 'scs', '--dry-run').stdout).toContain('Nothing to do');
    // Back to OIM's form: the image is known by its properties, so this is a rename too.
    expect(run(images).status).toBe(0);
    expect(await namesNow()).toEqual([name, `${name} (${oldDay})`]);
  });
});
