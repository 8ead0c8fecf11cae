import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli, wwwPath } from './harness.js';

// Verified by default against the real Glance (issue 16): a catalogue with sha256 checksums, imported by
// web-download, ends `verified` (the tool read the source alongside Glance and compared Glance's sha512);
// a source with one byte changed and a qcow2 with a backing file are never published, exit 1.

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
});

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function importing(name: string, url: string, checksum: string) {
  const images = writeCatalogue([
    definition({
      name,
      multi: false,
      versions: [{ version: '1.0', url, checksum: `sha256:${checksum}`, build_date: '2025-01-01' }],
    }),
  ]);
  return runCli(['--cloud', e2e.adminCloud, '--images', images, '--tag', tag, '--output', 'json']);
}

interface Run {
  report: {
    results: Array<{ status: string; message?: string; verification?: { state: string; detail: string } }>;
  };
}

/** The run's import result, and the images of the run's tag called `name` Glance holds now. */
async function outcome(name: string, stdout: string) {
  const { report } = JSON.parse(stdout) as Run;
  const held = (await managedImages(glance, tag)).filter((image) => image.name?.startsWith(name));
  return { result: report.results[0], held };
}

describe('verified by default (web-download)', () => {
  it('a sha256 catalogue imports as verified, end to end', async () => {
    const file = makeQcow2(2);
    const name = `E2E Verified ${suffix}`;
    const run = importing(name, file.url, sha256(file.file));
    expect(run.status, run.stderr).toBe(0);
    const { result, held } = await outcome(name, run.stdout);
    expect(result).toMatchObject({
      status: 'done',
      message: 'verified',
      verification: { state: 'verified', detail: "source sha256 = the definition's; Glance's sha512 = the source's" },
    });
    expect(held.map((image) => [image.status, image.visibility])).toEqual([['active', 'public']]);
  });

  it('a source with one byte changed is never published: failed, exit 1', async () => {
    const file = makeQcow2(2);
    const checksum = sha256(file.file);
    const data = readFileSync(file.file);
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 1;
    writeFileSync(file.file, data);
    const name = `E2E Changed ${suffix}`;
    const run = importing(name, file.url, checksum);
    expect(run.status, run.stderr).toBe(1);
    const { result, held } = await outcome(name, run.stdout);
    expect(result?.status).toBe('failed');
    expect(result?.message).toMatch(/checksum mismatch .* the source's sha256 is .*; not published$/);
    expect(held).toEqual([]);
  });

  it('a qcow2 with a backing file is never published: refused, exit 1', async () => {
    const name = `e2e-${randomUUID()}.qcow2`;
    const file = wwwPath(name);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', '/etc/hostname', file, '1M']);
    const image = `E2E Backing ${suffix}`;
    const run = importing(image, `${e2e.httpBase}/${name}`, sha256(file));
    expect(run.status, run.stderr).toBe(1);
    const { result, held } = await outcome(image, run.stdout);
    expect(result?.status).toBe('failed');
    expect(result?.message).toMatch(
      /qcow2 with a backing file \(refused: it refers to other files\); .* not published$/,
    );
    expect(held).toEqual([]);
  });
});
