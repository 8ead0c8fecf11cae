import { describe, expect, it } from 'vitest';
import type { ImageDefinition, VersionDefinition } from '../../../src/definitions/types.js';
import type { OwnedImage } from '../../../src/definitions/identify.js';
import { UpstreamHttp } from '../../../src/upstream/http.js';
import { LATEST, latestPointer } from '../../../src/definitions/latest-version.js';
import { UPSTREAM_CHECKSUM, resolveLatestPointer } from '../../../src/upstream/latest-pointer.js';
import { glanceImage } from '../plan/helpers.js';
import { FakeUpstream, upstreamDefinition, writtenVersion } from './fake-upstream.js';
import { failure, fixture } from './helpers.js';

const DEBIAN = 'https://cloud.debian.org/images/cloud/trixie/latest/';
const DEBIAN_URL = `${DEBIAN}debian-13-genericcloud-amd64.qcow2`;
const DEBIAN_HEX = 'e'.repeat(128);
// GNU form, as Debian writes its SHA512SUMS.
const DEBIAN_SUMS = [
  `${'d'.repeat(128)}  debian-13-generic-amd64.qcow2`,
  `${DEBIAN_HEX}  debian-13-genericcloud-amd64.qcow2`,
  `${'f'.repeat(128)}  debian-13-genericcloud-arm64.qcow2`,
  '',
].join('\n');

const SIDECAR_URL = 'https://images.example.org/cloud/example-cloud-image.qcow2';
const SIDECAR_HEX = '12b5c20aafbf2c88907b40f4ab6eea91982aa37bf55bd41b1661c2b2ba67e209';

const LAST_MODIFIED = 'Tue, 25 Nov 2026 10:00:00 GMT';

function pointer(overrides: Partial<VersionDefinition> = {}): VersionDefinition {
  return {
    line: 30,
    version: LATEST,
    url: DEBIAN_URL,
    checksums_url: `${DEBIAN}SHA512SUMS`,
    meta: { os_version: '13' },
    ...overrides,
  };
}

function debian(...versions: VersionDefinition[]): ImageDefinition {
  return upstreamDefinition('Debian 13', undefined, versions.length > 0 ? versions : [pointer()]);
}

/** The fake upstream; `lastModified` null serves the image without a Last-Modified header. */
function upstream(lastModified: string | null = LAST_MODIFIED) {
  const headers: Record<string, string> = lastModified === null ? {} : { 'Last-Modified': lastModified };
  const fake = new FakeUpstream({
    [`${DEBIAN}SHA512SUMS`]: DEBIAN_SUMS,
    [DEBIAN_URL]: { headers },
    [`${SIDECAR_URL}.sha256`]: fixture('sidecar/example-cloud-image.qcow2.sha256'),
    [SIDECAR_URL]: { headers },
  });
  return { fake, http: new UpstreamHttp(fake.fetch) };
}

/** An image in the cloud that was imported for `version` of the definition, with OIM's upstream_checksum. */
function owned(def: ImageDefinition, version: string, upstreamChecksum: string, buildDate: string): OwnedImage {
  const image = glanceImage(def, version, { [UPSTREAM_CHECKSUM]: upstreamChecksum, image_build_date: buildDate });
  return { image, version, via: 'properties' };
}

function resolvedPointer(def: ImageDefinition): VersionDefinition {
  const found = def.versions.find((version) => version.line === 30);
  if (found === undefined) throw new Error('no resolved pointer');
  return found;
}

describe('latestPointer', () => {
  it('is the latest version with a checksums_url or checksum_url', () => {
    expect(latestPointer(debian())?.version).toBe(LATEST);
    expect(
      latestPointer(debian(pointer({ checksums_url: undefined, checksum_url: `${SIDECAR_URL}.sha256` })))?.version,
    ).toBe(LATEST);
    const { checksums_url: _dropped, ...plain } = pointer();
    expect(latestPointer(debian(plain))).toBeUndefined();
    expect(latestPointer(debian(writtenVersion('20260101')))).toBeUndefined();
  });
});

describe('resolveLatestPointer', () => {
  it('leaves a definition without a pointer alone and asks nothing', async () => {
    const { fake, http } = upstream();
    const def = debian(writtenVersion('20260101'));
    expect(await resolveLatestPointer(def, [], http)).toBe(def);
    expect(fake.requests).toEqual([]);
  });

  it('checksums_url (GNU file), nothing imported: the version is the Last-Modified day', async () => {
    const { fake, http } = upstream();
    const resolved = await resolveLatestPointer(debian(), [], http);
    expect(resolved.versions).toEqual([
      {
        line: 30,
        version: '20261125',
        url: DEBIAN_URL,
        checksums_url: `${DEBIAN}SHA512SUMS`,
        checksum: { algo: 'sha512', hex: DEBIAN_HEX },
        build_date: '2026-11-25',
        meta: { os_version: '13', [UPSTREAM_CHECKSUM]: DEBIAN_HEX },
      },
    ]);
    expect(fake.log()).toEqual([`GET ${DEBIAN}SHA512SUMS`, `HEAD ${DEBIAN_URL}`]);
  });

  it('checksum_url (a bare digest file)', async () => {
    const { fake, http } = upstream();
    const def = debian(pointer({ url: SIDECAR_URL, checksums_url: undefined, checksum_url: `${SIDECAR_URL}.sha256` }));
    const version = resolvedPointer(await resolveLatestPointer(def, [], http));
    expect(version.version).toBe('20261125');
    expect(version.build_date).toBe('2026-11-25');
    expect(version.checksum).toEqual({ algo: 'sha256', hex: SIDECAR_HEX });
    expect(version.meta[UPSTREAM_CHECKSUM]).toBe(SIDECAR_HEX);
    expect(fake.log()).toEqual([`GET ${SIDECAR_URL}.sha256`, `HEAD ${SIDECAR_URL}`]);
  });

  it('checksum_url holding a single GNU line is read too', async () => {
    const { fake, http } = upstream();
    fake.serve(`${SIDECAR_URL}.sha256`, `${'b'.repeat(64)}  example-cloud-image.qcow2\n`);
    const def = debian(pointer({ url: SIDECAR_URL, checksums_url: undefined, checksum_url: `${SIDECAR_URL}.sha256` }));
    expect(resolvedPointer(await resolveLatestPointer(def, [], http)).checksum).toEqual({
      algo: 'sha256',
      hex: 'b'.repeat(64),
    });
  });

  it('an image imported with the same digest keeps its version and build date, without a HEAD', async () => {
    const { fake, http } = upstream();
    const def = debian();
    const images = [
      owned(def, '20261001', 'a'.repeat(128), '2026-10-01'),
      owned(def, '20261101', DEBIAN_HEX, '2026-11-01'),
    ];
    const version = resolvedPointer(await resolveLatestPointer(def, images, http));
    expect(version.version).toBe('20261101');
    expect(version.build_date).toBe('2026-11-01');
    expect(version.checksum).toEqual({ algo: 'sha512', hex: DEBIAN_HEX });
    expect(version.meta[UPSTREAM_CHECKSUM]).toBe(DEBIAN_HEX);
    expect(fake.requests.some((request) => request.method === 'HEAD')).toBe(false);
    expect(http.requests).toBe(1);
  });

  it('a changed digest is a new version: the Last-Modified day', async () => {
    const { fake, http } = upstream();
    const def = debian();
    const version = resolvedPointer(
      await resolveLatestPointer(def, [owned(def, '20261101', 'a'.repeat(128), '2026-11-01')], http),
    );
    expect(version.version).toBe('20261125');
    expect(version.build_date).toBe('2026-11-25');
    expect(version.meta[UPSTREAM_CHECKSUM]).toBe(DEBIAN_HEX);
    expect(fake.log()).toEqual([`GET ${DEBIAN}SHA512SUMS`, `HEAD ${DEBIAN_URL}`]);
  });

  it('a changed digest on a day an image already has is DATE.1, then DATE.2', async () => {
    const def = debian();
    const first = owned(def, '20261125', 'a'.repeat(128), '2026-11-25');
    const once = resolvedPointer(await resolveLatestPointer(def, [first], upstream().http));
    expect(once.version).toBe('20261125.1');
    expect(once.build_date).toBe('2026-11-25');

    const second = owned(def, '20261125.1', 'b'.repeat(128), '2026-11-25');
    const twice = resolvedPointer(await resolveLatestPointer(def, [first, second], upstream().http));
    expect(twice.version).toBe('20261125.2');
  });

  it('a day a written version holds is taken too', async () => {
    const def = debian(writtenVersion('20261125'), pointer());
    const resolved = await resolveLatestPointer(def, [], upstream().http);
    expect(resolved.versions.map((version) => version.version)).toEqual(['20261125', '20261125.1']);
    // The written version is untouched.
    expect(resolved.versions[0]).toBe(def.versions[0]);
  });

  it('a missing entry in the checksums file is an UpstreamError naming the file and the name', async () => {
    const { http } = upstream();
    const def = debian(pointer({ url: `${DEBIAN}debian-13-genericcloud-riscv64.qcow2` }));
    const error = await failure(resolveLatestPointer(def, [], http));
    expect(error.message).toBe(`${DEBIAN}SHA512SUMS: does not list debian-13-genericcloud-riscv64.qcow2`);
  });

  it('a checksum_url with several entries is an UpstreamError', async () => {
    const { fake, http } = upstream();
    fake.serve(`${SIDECAR_URL}.sha256`, `${'b'.repeat(64)}  one.qcow2\n${'c'.repeat(64)}  two.qcow2\n`);
    const def = debian(pointer({ url: SIDECAR_URL, checksums_url: undefined, checksum_url: `${SIDECAR_URL}.sha256` }));
    const error = await failure(resolveLatestPointer(def, [], http));
    expect(error.message).toBe(`${SIDECAR_URL}.sha256: holds no single checksum`);
  });

  it('a 404 on the checksums file is an UpstreamError', async () => {
    const def = debian(pointer({ checksums_url: `${DEBIAN}SHA256SUMS` }));
    const error = await failure(resolveLatestPointer(def, [], upstream().http));
    expect(error.message).toBe(`${DEBIAN}SHA256SUMS: answered HTTP 404`);
  });

  it('a new digest without Last-Modified, or with garbage, is an UpstreamError naming the URL', async () => {
    const missing = await failure(resolveLatestPointer(debian(), [], upstream(null).http));
    expect(missing.message).toBe(`${DEBIAN_URL}: answered without Last-Modified, so the new build's date is unknown`);
    const garbage = await failure(resolveLatestPointer(debian(), [], upstream('soon').http));
    expect(garbage.message).toBe(`${DEBIAN_URL}: answered Last-Modified "soon", so the new build's date is unknown`);
  });
});
