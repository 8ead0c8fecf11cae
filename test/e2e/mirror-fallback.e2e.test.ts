import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { definition, writeCatalogue } from './catalogue.js';
import { e2e, glanceFor, makeQcow2, managedImages, runCli, wwwPath } from './harness.js';

// Imports from the mirror, with a fallback to url (issue 18, part 2), against the real Glance: the mirror is a
// folder of the stack's web server (the one port its Glance may fetch from), where a test removes or
// corrupts the object.

const tag = `e2e-${randomUUID().slice(0, 8)}`;
const suffix = tag.slice(4);
const { glance } = glanceFor(e2e.adminCloud);
const mirrorDir = `e2e-mirror-${suffix}`;
const mirrorBase = `${e2e.httpBase}/${mirrorDir}`;
mkdirSync(wwwPath(mirrorDir), { recursive: true });

afterAll(async () => {
  for (const image of await managedImages(glance, tag)) await glance.deleteImage(image.id).catch(() => undefined);
});

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface Run {
  report: { results: Array<{ status: string; message?: string; verification?: { state: string; from?: string } }> };
}

/** A single-version definition of `shortname` at 1.0, from `url`, with the checksum of `file`. */
function catalogue(name: string, shortname: string, url: string, file: string, mirror_url?: string): string {
  const version = { version: '1.0', url, checksum: `sha256:${sha256(file)}`, build_date: '2025-01-01' };
  const spec = definition({ name, multi: false, versions: [version] });
  const versions = mirror_url ? [{ ...version, mirror_url }] : [version];
  return writeCatalogue([{ ...spec, shortname, versions }]);
}

function run(images: string, ...extra: string[]) {
  return runCli(['--cloud', e2e.adminCloud, '--images', images, '--tag', tag, '--output', 'json', ...extra]);
}

function runWith(env: Record<string, string>, images: string, ...extra: string[]) {
  const args = ['--cloud', e2e.adminCloud, '--images', images, '--tag', tag, '--output', 'json', ...extra];
  return runCli(args, env);
}

async function held(name: string) {
  return (await managedImages(glance, tag)).filter((image) => image.name?.startsWith(name));
}

describe('imports from the mirror, and the fallback to url', () => {
  it('the mirror object removed: a warning naming it, imported from url, verified; a second run is a no-op', async () => {
    const source = makeQcow2(2);
    const name = `E2E Mirror Gone ${suffix}`;
    const shortname = `gone-${suffix}`;
    const images = catalogue(name, shortname, source.url, source.file);
    const first = run(images, '--mirror-base', mirrorBase);
    expect(first.status, first.stderr).toBe(0);
    const mirrorUrl = `${mirrorBase}/${shortname}/1.0-${shortname}.qcow2`;
    expect(first.stderr).toContain(`The mirror ${mirrorUrl} cannot serve ${name}`);
    expect(first.stderr).toMatch(/Tested URL .*: 404/);
    const { report } = JSON.parse(first.stdout) as Run;
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    const [image, ...others] = await held(name);
    expect(others).toEqual([]);
    expect(image).toMatchObject({ status: 'active', visibility: 'public', image_source: source.url });
    expect(image?.image_verification).toMatch(/^verified: from url; /);

    const again = run(images, '--mirror-base', mirrorBase, '--dry-run');
    expect(again.status, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { plan: { actions: unknown[] } }).plan.actions).toEqual([]);
  });

  it('a corrupted mirror object: that image is never published, the import made again from url', async () => {
    const source = makeQcow2(2);
    const corrupt = makeQcow2(3);
    const name = `E2E Mirror Corrupt ${suffix}`;
    const shortname = `corrupt-${suffix}`;
    const object = path.join(wwwPath(mirrorDir), 'corrupt.qcow2');
    copyFileSync(corrupt.file, object);
    const images = catalogue(name, shortname, source.url, source.file, `${mirrorBase}/corrupt.qcow2`);
    const result = run(images);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/The mirror .*corrupt\.qcow2 cannot serve .*checksum mismatch/);
    expect(result.stderr).toMatch(/Deleted the unfinished image/);
    const { report } = JSON.parse(result.stdout) as Run;
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    const [image, ...others] = await held(name);
    expect(others).toEqual([]);
    expect(image?.image_verification).toMatch(/^verified: from url; /);
    expect(image?.os_hash_value).toBe(source.sha512);
  });

  it('url gone, the mirror has the object: imported from the mirror, no warning', async () => {
    const source = makeQcow2(2);
    const name = `E2E Mirror Serves ${suffix}`;
    const shortname = `serves-${suffix}`;
    mkdirSync(path.join(wwwPath(mirrorDir), shortname), { recursive: true });
    copyFileSync(source.file, path.join(wwwPath(mirrorDir), shortname, `1.0-${shortname}.qcow2`));
    const gone = `${e2e.httpBase}/vault-only-${suffix}.qcow2`;
    const result = run(catalogue(name, shortname, gone, source.file), '--mirror-base', mirrorBase);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/WARN/);
    const { report } = JSON.parse(result.stdout) as Run;
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from mirror, verified' });
    const [image] = await held(name);
    expect(image).toMatchObject({ status: 'active', image_source: gone });
    expect(image?.image_verification).toMatch(/^verified: from mirror; /);
  });

  it('--mirror-signing: Glance reads a signed URL; no log line, even with --debug, shows the key or the signature', async () => {
    const source = makeQcow2(2);
    const name = `E2E Mirror Signed ${suffix}`;
    const shortname = `signed-${suffix}`;
    mkdirSync(path.join(wwwPath(mirrorDir), shortname), { recursive: true });
    copyFileSync(source.file, path.join(wwwPath(mirrorDir), shortname, `1.0-${shortname}.qcow2`));
    const key = `tempurl-key-${randomUUID()}`;
    const images = catalogue(name, shortname, source.url, source.file);
    // The stack's web server ignores the query: it serves the object to whoever holds the signed URL.
    const result = runWith(
      { IMAGE_MANAGER_TEMPURL_KEY: key },
      images,
      '--mirror-base',
      mirrorBase,
      '--mirror-signing',
      'swift-tempurl',
      '--debug',
      '--log-format',
      'json',
    );
    expect(result.status, result.stderr).toBe(0);
    const { report } = JSON.parse(result.stdout) as Run;
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from mirror, verified' });
    // Glance's import task holds the URL it fetched: the signed one, valid for twice the import timeout.
    const [image] = await held(name);
    const tasks = JSON.stringify(await glance.listTasks(image?.id ?? ''));
    expect(tasks).toMatch(/temp_url_sig=[0-9a-f]{64}&temp_url_expires=\d+/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/temp_url_sig=[0-9a-f]/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(key);
  });
});
