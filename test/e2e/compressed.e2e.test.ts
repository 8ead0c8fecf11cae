import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, managedImages, runCli, wwwPath } from './harness.js';

// Compressed artifacts (issue 17, part 3), served by the stack's web server as upstreams publish them:
// a Talos-like `.raw.xz`, a Flatcar-like `.qcow2.bz2`, a `.raw.gz`, a `.raw.zst` and a Garden Linux-like `.tar.xz`
// holding the qcow2 among other members; the checksums are of the compressed files. Each is imported into the
// real Glance decompressed (Glance's size and sha512 are the image's), published, and a second run does nothing.

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
});

const hex = (algo: string, data: Uint8Array) => createHash(algo).update(data).digest('hex');
const compress = (program: string, data: Uint8Array) => execFileSync(program, ['-c'], { input: data });

/** A raw disk of 3 MiB: mostly repeated blocks, some noise, so that it compresses but not to nothing. */
function rawDisk(seed: string): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i < 48; i++) {
    const noise = createHash('sha512').update(`${seed}${i}`).digest();
    blocks.push(i % 3 === 0 ? Buffer.concat(Array(1024).fill(noise)) : Buffer.alloc(64 * 1024, i));
  }
  return Buffer.concat(blocks);
}

/** A qcow2 of 4 MiB virtual size with a little data in it, as qemu-img writes it. */
function qcow2(seed: string): Buffer {
  const raw = wwwPath(`e2e-${randomUUID()}.raw`);
  const file = wwwPath(`e2e-${randomUUID()}.qcow2`);
  writeFileSync(raw, rawDisk(seed).subarray(0, 4 * 2 ** 20));
  execFileSync('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, file]);
  return readFileSync(file);
}

/** A tar of `members` (name → bytes), made with the system's tar in a folder of the web root. */
function tarOf(members: Record<string, Uint8Array>): Buffer {
  const dir = wwwPath(`e2e-${randomUUID()}`);
  execFileSync('mkdir', ['-p', `${dir}/gardenlinux`]);
  for (const [name, data] of Object.entries(members)) writeFileSync(`${dir}/gardenlinux/${name}`, data);
  return execFileSync('tar', ['-C', dir, '-cf', '-', 'gardenlinux'], { maxBuffer: 2 ** 26 });
}

interface Artifact {
  label: string;
  format: 'raw' | 'qcow2';
  file: string;
  published: Buffer;
  image: Buffer;
  chain: string;
}

function serve(label: string, file: string, published: Buffer, image: Buffer, format: 'raw' | 'qcow2', chain: string) {
  writeFileSync(wwwPath(file), published);
  return { label, format, file, published, image, chain };
}

function artifacts(): Artifact[] {
  const id = randomUUID().slice(0, 8);
  const raw = (seed: string) => rawDisk(`${id}${seed}`);
  const xz = raw('xz');
  const bz2 = qcow2(`${id}bz2`);
  const gz = raw('gz');
  const zst = raw('zst');
  const inTar = qcow2(`${id}tar`);
  const tar = tarOf({
    'README.md': Buffer.from('Garden Linux'),
    'disk.qcow2': inTar,
    'disk.qcow2.sha256': Buffer.from('x'),
  });
  return [
    serve('xz', `e2e-${id}-openstack-amd64.raw.xz`, compress('xz', xz), xz, 'raw', 'decompressed bytes'),
    serve('bz2', `e2e-${id}-flatcar.qcow2.bz2`, compress('bzip2', bz2), bz2, 'qcow2', 'decompressed bytes'),
    serve('gz', `e2e-${id}-disk.raw.gz`, compress('gzip', gz), gz, 'raw', 'decompressed bytes'),
    serve('zst', `e2e-${id}-disk.raw.zst`, compress('zstd', zst), zst, 'raw', 'decompressed bytes'),
    serve('tar.xz', `e2e-${id}-gardener.tar.xz`, compress('xz', tar), inTar, 'qcow2', 'member'),
  ];
}

function catalogueOf(list: Artifact[], withChecksum = true): string {
  return writeCatalogue(
    list.map((artifact) => ({
      ...definition({
        name: `E2E Packed ${artifact.label} ${suffix}`,
        multi: false,
        versions: [
          {
            version: '1.0',
            url: `${e2e.httpBase}/${artifact.file}`,
            ...(withChecksum ? { checksum: `sha256:${hex('sha256', artifact.published)}` } : {}),
            build_date: '2025-01-01',
          },
        ],
      }),
      format: artifact.format,
    })),
  );
}

interface Run {
  plan: { actions: unknown[] };
  report: {
    results: Array<{ definition: string; status: string; message?: string; verification?: { detail: string } }>;
  };
}

const run = (images: string, ...extra: string[]) =>
  runCli(['--cloud', e2e.adminCloud, '--images', images, '--tag', tag, '--output', 'json', ...extra]);

describe('compressed artifacts', () => {
  it('each kind is imported decompressed, verified, published; a second run does nothing', async () => {
    const list = artifacts();
    const images = catalogueOf(list);
    const first = run(images, '--prefetch', 'never');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('Glance cannot unpack it, so this tool streams the image inside it');
    expect(first.stderr).toContain('whatever --prefetch never says');
    const { report } = JSON.parse(first.stdout) as Run;
    const held = await managedImages(glance, tag);
    for (const artifact of list) {
      const name = `E2E Packed ${artifact.label} ${suffix}`;
      const result = report.results.find((r) => r.definition === name);
      const ending = artifact.label === 'tar.xz' ? '.tar.xz' : `.${artifact.label}`;
      expect(result, name).toMatchObject({ status: 'done', message: 'verified' });
      expect(result?.verification?.detail).toBe(
        `upstream sha256 of the ${ending} = the definition's; Glance's sha512 = the ${artifact.chain === 'member' ? 'member the tool unpacked and sent' : 'decompressed bytes the tool sent'}`,
      );
      const image = held.find((candidate) => candidate.name === `${name} 1.0`);
      expect(image, name).toMatchObject({
        status: 'active',
        visibility: 'public',
        disk_format: artifact.format,
        size: artifact.image.length,
        os_hash_algo: 'sha512',
        os_hash_value: hex('sha512', artifact.image),
      });
      expect(image?.image_source).toBe(`${e2e.httpBase}/${artifact.file}`);
    }
    expect(held).toHaveLength(list.length);

    const second = run(images);
    expect(second.status, second.stderr).toBe(0);
    expect((JSON.parse(second.stdout) as Run).plan.actions).toEqual([]);
    expect((await managedImages(glance, tag)).map((image) => image.id).sort()).toEqual(held.map((i) => i.id).sort());
  });

  it('a cut .xz, a .gz with trailing garbage, a .zst checksum mismatch: never published, exit 1, the URL named', async () => {
    const [xz, , gz, zst] = artifacts().map((artifact) => ({ ...artifact, label: `${artifact.label} bad` }));
    if (!xz || !gz || !zst) throw new Error('no artifacts');
    writeFileSync(wwwPath(xz.file), xz.published.subarray(0, xz.published.length - 100));
    writeFileSync(wwwPath(gz.file), Buffer.concat([gz.published, Buffer.from('garbage after the end')]));
    const images = catalogueOf([xz, gz], false);
    const bad = run(images);
    expect(bad.status, bad.stderr).toBe(1);
    const { report } = JSON.parse(bad.stdout) as Run;
    expect(report.results.map((r) => r.status)).toEqual(['failed', 'failed']);
    for (const [artifact, ending] of [
      [xz, '.xz'],
      [gz, '.gz'],
    ] as const) {
      const result = report.results.find((r) => r.definition === `E2E Packed ${artifact.label} ${suffix}`);
      expect(result?.message).toContain(`unpacking ${e2e.httpBase}/${artifact.file} (${ending}) failed`);
      expect(result?.message).toMatch(/not published$/);
    }
    const mismatch = catalogueOf([{ ...zst, published: Buffer.from('other bytes') }]);
    const wrong = run(mismatch);
    expect(wrong.status, wrong.stderr).toBe(1);
    expect((JSON.parse(wrong.stdout) as Run).report.results[0]?.message).toMatch(
      /checksum mismatch .*: the \.zst's sha256 is [0-9a-f]{64}, the definition expects .*; not published$/,
    );
    const names = new Set([xz, gz, zst].map((a) => `E2E Packed ${a.label} ${suffix} 1.0`));
    expect((await managedImages(glance, tag)).filter((image) => names.has(image.name ?? ''))).toEqual([]);
  });
});
