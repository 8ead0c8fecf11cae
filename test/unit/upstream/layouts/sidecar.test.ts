import { describe, expect, it } from 'vitest';
import { UpstreamHttp } from '../../../../src/upstream/http.js';
import { sidecar } from '../../../../src/upstream/layouts/sidecar.js';
import { FakeUpstream, REAL, realRoutes } from '../fake-upstream.js';

describe('sidecar', () => {
  it('recognises a checksum file named after the image, beside it', () => {
    expect(sidecar.recognises(REAL.rocky!)).toBe(true);
    expect(sidecar.recognises(REAL.sidecar!)).toBe(true);
  });

  it('recognises neither a folder checksum file, nor a sidecar in another folder, nor a placeholder', () => {
    expect(sidecar.recognises(REAL.alma!)).toBe(false);
    const url = 'https://example.org/images/x.qcow2';
    expect(sidecar.recognises({ latestUrl: url, latestChecksumUrl: 'https://example.org/sums/x.qcow2.sha256' })).toBe(
      false,
    );
    const placeholder = String.raw`https://example.org/img/x-HEREBE\d+DRAGONS.qcow2`;
    expect(sidecar.recognises({ latestUrl: placeholder, latestChecksumUrl: `${placeholder}.sha256` })).toBe(false);
  });

  it('pins the image URL itself, with the digest of its sidecar', async () => {
    const real = REAL.sidecar!;
    const build = await sidecar.newestBuild(real, new UpstreamHttp(new FakeUpstream(realRoutes()).fetch));
    expect(build).toEqual({ url: real.url, checksum: real.checksum, ...(real.date ? { date: real.date } : {}) });
  });
});
