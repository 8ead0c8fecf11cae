import { describe, expect, it } from 'vitest';
import { useMsw } from '../openstack/helpers.js';
import * as headers from '../sources/headers.js';
import { bytesOf, desired, digest, harness, importOf, SOURCES, type Harness } from './fake-cloud.js';
import type { Checksum } from '../../../src/definitions/types.js';
import type { ImportSettings } from '../../../src/apply/importer.js';

const { server } = useMsw();

// Verified by default (issue 16): every import is checked against the tool's own read of its source before the
// final PATCH publishes it; what fails the check is deleted, never published.

const URL = `${SOURCES}/20240301.qcow2`;
const DATA = bytesOf('qcow2 bytes of Ubuntu 24.04 built 2024-03-01, long enough to split');
const WANT = desired('Ubuntu 24.04', '20240301');

function serving(bytes: Uint8Array, settings: Partial<ImportSettings> = {}): Harness {
  const h = harness(server, settings);
  h.cloud.sources.set(URL, bytes);
  return h;
}

async function runOne(h: Harness, checksum?: Checksum) {
  const report = await h.run([importOf(1, WANT, checksum ? { checksum } : {})]);
  return report.results[0];
}

/** Never public, nothing left behind: the image the run created was deleted again. */
function neverPublished(h: Harness): void {
  expect(h.cloud.firstPublic.size).toBe(0);
  expect(h.cloud.images.size).toBe(0);
  expect(h.cloud.of('PATCH')).toEqual([]);
}

const METHODS = [
  ['web-download', {}],
  ['glance-direct (--prefetch always)', { prefetch: 'always' }],
] as const;

describe('verified by default', () => {
  it.each(METHODS)('a matching sha256 by %s: verified end to end, then published', async (method, settings) => {
    const h = serving(DATA, settings);
    const result = await runOne(h, digest('sha256', DATA));
    expect(result).toMatchObject({
      status: 'done',
      message: 'verified',
      verification: { state: 'verified', detail: "source sha256 = the definition's; Glance's sha512 = the source's" },
    });
    expect(h.cloud.firstPublic.size).toBe(1);
    const expected = method === 'web-download' ? 'web-download' : 'glance-direct';
    expect(h.cloud.of('POST', '/import').map((r) => (r.body as { name: string }).name)).toEqual([expected]);
    // One read of the source by the tool: alongside Glance's web-download, or the one streamed into Glance.
    expect(h.cloud.sourceRequests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
  });

  it.each(METHODS)('one byte changed, by %s: failed, deleted, never published', async (_method, settings) => {
    const changed = DATA.slice();
    changed[DATA.length - 1] = (changed[DATA.length - 1] ?? 0) ^ 1;
    const h = serving(changed, settings);
    const expected = digest('sha256', DATA);
    const result = await runOne(h, expected);
    expect(result?.status).toBe('failed');
    expect(result?.message).toMatch(/checksum mismatch for Ubuntu 24.04 \(20240301\): the source's sha256 is/);
    expect(result?.message).toContain(`the definition expects ${expected.hex}; not published`);
    neverPublished(h);
  });

  it('without a checksum: not verifiable, said why; the format and Glance’s copy still checked', async () => {
    const h = serving(DATA);
    const result = await runOne(h);
    expect(result).toMatchObject({
      status: 'done',
      message: "not verifiable: no checksum in the definition; format checked; Glance's sha512 = the source's",
      verification: { state: 'not-verifiable' },
    });
    expect(h.cloud.firstPublic.size).toBe(1);
  });

  it('Glance holding other bytes than the source served the tool: failed, never published', async () => {
    const h = serving(DATA);
    h.cloud.stores = (bytes) => ({ bytes: Uint8Array.from([...bytes, 0]) });
    const result = await runOne(h, digest('sha256', DATA));
    expect(result?.status).toBe('failed');
    expect(result?.message).toMatch(/Glance holds other data than the source for .*: its sha512 is .*; not published/);
    neverPublished(h);
  });

  const CONVERTED = [
    ['web-download', {}, 'its own copy of the source'],
    ['glance-direct (--prefetch always)', { prefetch: 'always' }, 'the bytes the tool sent'],
  ] as const;

  it.each(CONVERTED)(
    'a converting Glance (image_conversion to raw), by %s: source verified, the link not checked named',
    async (_method, settings, what) => {
      const h = serving(DATA, settings);
      h.cloud.stores = (bytes) => ({ bytes: Uint8Array.from(bytes).reverse(), disk_format: 'raw' });
      const result = await runOne(h, digest('sha256', DATA));
      const glance = `Glance converted ${what} to raw; its sha512 is of the raw data, not compared`;
      expect(result).toMatchObject({
        status: 'done',
        message: `source verified, not end to end: ${glance}`,
        verification: {
          state: 'source-verified',
          detail: `source sha256 = the definition's; not end to end: ${glance}`,
        },
      });
      expect(h.cloud.firstPublic.size).toBe(1);
    },
  );
});

describe('the format inspector on every method', () => {
  const html = new TextEncoder().encode('<!DOCTYPE html><html><body>503 Service Unavailable</body></html>\n');
  const cases = [
    ['an HTML error page declared qcow2', html, /declared qcow2, but the data is raw data/],
    ['a qcow2 with a backing file', headers.qcow2({ backingFile: true }), /qcow2 with a backing file \(refused/],
    ['a qcow2 with an external data file', headers.qcow2({ dataFile: true }), /external data file \(refused/],
  ] as const;

  for (const [method, settings] of METHODS) {
    it.each(cases)(`${method}: %s is refused, never published`, async (_name, bytes, why) => {
      const h = serving(bytes, settings);
      const result = await runOne(h, digest('sha256', bytes));
      expect(result?.status).toBe('failed');
      expect(result?.message).toMatch(why);
      expect(result?.message).toMatch(/not published$/);
      neverPublished(h);
    });
  }
});
