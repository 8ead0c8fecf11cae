import { describe, expect, it } from 'vitest';
import { UpstreamHttp } from '../../../../src/upstream/http.js';
import { checksumFile } from '../../../../src/upstream/layouts/checksum-file.js';
import { FakeUpstream, REAL, realRoutes } from '../fake-upstream.js';

describe('checksum-file', () => {
  it('recognises a checksum file not named after the image, in any folder, and any placeholder', () => {
    expect(checksumFile.recognises(REAL.alma!)).toBe(true);
    expect(checksumFile.recognises(REAL.stream9!)).toBe(true);
    expect(checksumFile.recognises(REAL.fedora!)).toBe(true);
    const base = 'https://example.org/';
    expect(checksumFile.recognises({ latestUrl: `${base}current/x.img`, latestChecksumUrl: `${base}SUMS` })).toBe(true);
    const placeholder = String.raw`${base}x-HEREBE\d+DRAGONS.qcow2`;
    expect(checksumFile.recognises({ latestUrl: placeholder, latestChecksumUrl: `${placeholder}.sha256` })).toBe(true);
  });

  it("recognises no checksum file named after the image: that is the image's sidecar", () => {
    expect(checksumFile.recognises(REAL.sidecar!)).toBe(false);
    const url = 'https://example.org/images/x.qcow2';
    const source = { latestUrl: url, latestChecksumUrl: 'https://example.org/sums/x.qcow2.sha256' };
    expect(checksumFile.recognises(source)).toBe(false);
  });

  it('pins a -latest alias to its versioned twin, dated by its name', async () => {
    const real = REAL.alma!;
    const build = await checksumFile.newestBuild(real, new UpstreamHttp(new FakeUpstream(realRoutes()).fetch));
    expect(build).toEqual({ url: real.url, checksum: real.checksum, date: real.date });
  });
});
