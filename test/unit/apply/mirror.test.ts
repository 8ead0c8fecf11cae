import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/net/redact.js';
import { swiftTempUrl } from '../../../src/sources/signed-url.js';
import { diffImage } from '../../../src/plan/diff.js';
import type { ImportAction, ResumeImportAction } from '../../../src/plan/types.js';
import { useMsw } from '../openstack/helpers.js';
import { versionImageId } from '../../../src/apply/image-ids.js';
import { bytesOf, desired, digest, harness, importOf, PROJECT, SOURCES, TAG, type Harness } from './fake-cloud.js';

const { server } = useMsw();

const URL = `${SOURCES}/20240301.qcow2`;
const MIRROR = `${SOURCES}/mirror-20240301-ubuntu.qcow2`;
const DATA = bytesOf('qcow2 bytes of Ubuntu 24.04 built 2024-03-01, long enough to split');
const WANT = desired('Ubuntu 24.04', '20240301');
const CHECKSUM = digest('sha512', DATA);
const action = importOf(1, WANT, { mirror: MIRROR, checksum: CHECKSUM });

const imported = (h: Harness) => h.cloud.of('POST', '/import').map((r) => (r.body as { uri?: string }).uri);
const record = (h: Harness) =>
  h.cloud
    .of('PATCH')
    .flatMap((r) => (r.body as { path: string; value: unknown }[]).map((op) => op))
    .find((op) => op.path === '/image_verification')?.value;

/** The only image left, which must be public, and that no other image ever was. */
function onlyPublished(h: Harness): string {
  const ids = [...h.cloud.images.keys()];
  expect(ids).toHaveLength(1);
  expect([...h.cloud.firstPublic.keys()]).toEqual(ids);
  return ids[0] as string;
}

describe('import from the mirror, and the fallback to url', () => {
  it('the mirror serves: imported from it, the record and the result say so, no warning', async () => {
    const h = harness(server);
    h.cloud.sources.set(MIRROR, DATA);
    const report = await h.run([action]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from mirror, verified' });
    expect(report.results[0]?.verification).toMatchObject({ state: 'verified', from: 'mirror' });
    expect(imported(h)).toEqual([MIRROR]);
    expect(record(h)).toMatch(/^verified: from mirror; source sha512 = the definition's/);
    expect(h.warnings()).toEqual([]);
    // url is gone upstream: never asked, the mirror had it.
    expect(h.cloud.sourceRequests.some((r) => r.endsWith(URL))).toBe(false);
    onlyPublished(h);
  });

  it.each([
    ['404', 404],
    ['403', 403],
    ['500', 500],
  ])('the mirror answers %s: a warning naming it and why, no image from it, imported from url', async (_, code) => {
    const h = harness(server);
    h.cloud.sources.set(URL, DATA);
    if (code !== 404) h.cloud.refused.set(MIRROR, code);
    const report = await h.run([action]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    expect(h.cloud.of('POST', '/images')).toHaveLength(1);
    expect(imported(h)).toEqual([URL]);
    expect(record(h)).toMatch(/^verified: from url; /);
    const [warning, ...others] = h.warnings();
    expect(others).toEqual([]);
    expect(warning).toContain(`The mirror ${MIRROR} cannot serve Ubuntu 24.04`);
    expect(warning).toContain(String(code));
    expect(warning).toContain(`from the url ${URL} instead`);
    onlyPublished(h);
  });

  it("Glance's web-download of the mirror fails: that image is deleted, a new one imported from url", async () => {
    const h = harness(server);
    h.cloud.sources.set(MIRROR, DATA);
    h.cloud.sources.set(URL, DATA);
    h.cloud.webDownload = (image) =>
      h.cloud.of('POST', '/import').at(-1)?.imageId === image.id && imported(h).length === 1
        ? { outcome: { fail: 'mirror unreachable from Glance' } }
        : {};
    const report = await h.run([action]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    expect(imported(h)).toEqual([MIRROR, URL]);
    // The next id of the version's sequence: the discarded image's is not asked for again.
    expect(h.cloud.of('POST', '/images').map((r) => (r.body as { id: string }).id)).toEqual([
      versionImageId(PROJECT, WANT, 0),
      versionImageId(PROJECT, WANT, 1),
    ]);
    expect(h.warnings().join('\n')).toMatch(/The mirror .* cannot serve Ubuntu 24.04 \(.*mirror unreachable/);
    onlyPublished(h);
  });

  it('the mirror holds other bytes than the checksum: never published, imported again from url', async () => {
    const h = harness(server);
    h.cloud.sources.set(MIRROR, bytesOf('a corrupted copy on the mirror'));
    h.cloud.sources.set(URL, DATA);
    const report = await h.run([action]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    expect(imported(h)).toEqual([MIRROR, URL]);
    const [first] = h.cloud.of('POST', '/images').map((r) => r.imageId);
    const id = onlyPublished(h);
    expect(id).not.toBe(first);
    expect(h.cloud.images.get(id)?.checksum).toBeDefined();
    expect(h.warnings().join('\n')).toMatch(/The mirror .* cannot serve Ubuntu 24.04 \(.*sha512/);
  });

  it("Glance's web-download of the mirror stalls past the import timeout: a fresh image from url", async () => {
    const h = harness(server, { importTimeoutMs: 30_000 });
    h.cloud.sources.set(MIRROR, DATA);
    h.cloud.sources.set(URL, DATA);
    h.cloud.webDownload = () => (imported(h).length === 1 ? { outcome: 'stay' } : {});
    const report = await h.run([action]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    expect(imported(h)).toEqual([MIRROR, URL]);
    expect(h.warnings().join('\n')).toMatch(/The mirror .* cannot serve .*import timeout/);
    onlyPublished(h);
  });

  it('an import an earlier run left, failing from the mirror: discarded, imported afresh from url', async () => {
    const h = harness(server);
    h.cloud.sources.set(URL, DATA);
    const left = h.cloud.seed(
      h.cloud.image({
        name: WANT.name,
        status: 'importing',
        tags: [TAG],
        min_disk: 8,
        min_ram: 512,
        image_name: 'Ubuntu 24.04',
        internal_version: '20240301',
      }),
      { running: { method: 'web-download', script: { outcome: { fail: 'mirror object gone' } } } },
    );
    const resume: ResumeImportAction = {
      ...action,
      kind: 'resume-import',
      image: left,
      changes: diffImage(WANT, { ...left, status: 'active' }),
    };
    const report = await h.run([resume]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    expect(h.cloud.images.has(left.id)).toBe(false);
    expect(imported(h)).toEqual([URL]);
    onlyPublished(h);
  });

  it('both fail: the action fails naming both reasons, nothing left, nothing published', async () => {
    const h = harness(server);
    h.cloud.refused.set(MIRROR, 403);
    const report = await h.run([action]);
    expect(report.results[0]?.status).toBe('failed');
    const message = report.results[0]?.message ?? '';
    expect(message).toContain(`mirror ${MIRROR}: Tested URL ${MIRROR}: 403`);
    expect(message).toContain(`url ${URL}: Tested URL ${URL}: 404`);
    expect(h.cloud.images.size).toBe(0);
    expect(h.cloud.firstPublic.size).toBe(0);
  });
});

describe("a packed url's mirror, which holds the image unpacked (mirror_checksum)", () => {
  const GZ_URL = `${SOURCES}/20240301.qcow2.gz`;
  const PACKED = new Uint8Array(gzipSync(DATA));
  /** The version as `mirror --write-mirror-url` leaves it: checksum of the .gz, mirror_checksum of the image. */
  const packedAction = (packed: Uint8Array, mirrorChecksum = digest('sha256', DATA)): ImportAction => {
    const base = importOf(1, WANT, { url: GZ_URL, checksum: digest('sha256', packed) });
    const [url] = base.source.from;
    return { ...base, source: { ...base.source, from: [{ origin: 'mirror', url: MIRROR, mirrorChecksum }, url] } };
  };

  it('imported from the mirror, verified against mirror_checksum (its checksum is of the .gz)', async () => {
    const h = harness(server);
    h.cloud.sources.set(MIRROR, DATA);
    h.cloud.sources.set(GZ_URL, PACKED);
    const report = await h.run([packedAction(PACKED)]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from mirror, verified' });
    expect(imported(h)).toEqual([MIRROR]);
    expect(record(h)).toBe(
      "verified: from mirror; sha256 of the unpacked image = the definition's mirror_checksum; " +
        "Glance's sha512 = the source's",
    );
    expect(h.warnings()).toEqual([]);
    onlyPublished(h);
  });

  it('the mirror holds other bytes than mirror_checksum, the url another build: url verified by checksum', async () => {
    const h = harness(server);
    const rebuilt = bytesOf('qcow2 bytes of another build, which mirror_checksum is not of');
    const packed = new Uint8Array(gzipSync(rebuilt));
    h.cloud.sources.set(MIRROR, bytesOf('a corrupted copy on the mirror'));
    h.cloud.sources.set(GZ_URL, packed);
    const report = await h.run([packedAction(packed)]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    // The mirror by web-download, never published; then the .gz streamed unpacked through the tool.
    expect(h.cloud.of('POST', '/import').map((r) => (r.body as { name: string }).name)).toEqual([
      'web-download',
      'glance-direct',
    ]);
    expect(record(h)).toMatch(/^verified: from url; upstream sha256 of the \.gz = the definition's; /);
    const id = onlyPublished(h);
    expect(h.cloud.images.get(id)?.os_hash_value).toBe(digest('sha512', rebuilt).hex);
    expect(h.warnings().join('\n')).toMatch(
      /The mirror .* cannot serve Ubuntu 24.04 \(.*sha256 is [0-9a-f]{64}, the definition's mirror_checksum is /,
    );
  });
});

describe('a private mirror read through a signed URL (--mirror-signing)', () => {
  const KEY = 'tempurl-key-of-the-account';

  it('Glance and the tool read a TempURL made for the import; no log line or result shows its signature', async () => {
    const h = harness(server, {}, { signer: swiftTempUrl(KEY) });
    h.cloud.tempUrlKey = KEY;
    h.cloud.sources.set(MIRROR, DATA);
    const report = await h.run([action]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from mirror, verified' });
    const [uri] = imported(h);
    expect(new globalThis.URL(uri ?? '').searchParams.get('temp_url_sig')).toMatch(/^[0-9a-f]{64}$/);
    // Valid for twice the import timeout (a slot, then the import), from the run's clock.
    const expires = Number(new globalThis.URL(uri ?? '').searchParams.get('temp_url_expires'));
    expect(expires).toBe(Math.floor(1_000_000 / 1000) + 2 * 3600);
    expect(h.cloud.sourceRequests.every((r) => r.includes('temp_url_sig='))).toBe(true);
    const said = JSON.stringify([h.logs, report]);
    expect(said).not.toContain('temp_url_sig');
    expect(said).toContain(MIRROR);
  });

  it('without the signer the private mirror refuses (401): imported from url, and the warning says why', async () => {
    const h = harness(server);
    h.cloud.tempUrlKey = KEY;
    h.cloud.sources.set(MIRROR, DATA);
    h.cloud.sources.set(URL, DATA);
    const report = await h.run([action]);
    expect(report.results[0]).toMatchObject({ status: 'done', message: 'from url, verified' });
    expect(h.warnings().join('\n')).toMatch(/The mirror .* cannot serve Ubuntu 24.04 .*\(Tested URL .*: 401/);
  });

  it("a reader's error naming the signed URL reaches the result with the signature masked", async () => {
    const h = harness(server, {}, { signer: swiftTempUrl(KEY) });
    h.cloud.tempUrlKey = KEY;
    h.cloud.sources.set(MIRROR, DATA);
    // Glance's task message names the URI it could not fetch.
    h.cloud.webDownload = () => ({ outcome: { fail: `no route to ${imported(h).at(-1)}` } });
    const report = await h.run([action]);
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.message).toContain(`no route to ${MIRROR}?temp_url_sig=***&temp_url_expires=`);
    expect(JSON.stringify(report)).not.toMatch(/temp_url_sig=[0-9a-f]/);
    // Glance's own message in a log line: the run's logger passes every line through the redactor.
    expect(new Redactor().text(JSON.stringify(h.logs))).not.toMatch(/temp_url_sig=[0-9a-f]/);
  });
});
