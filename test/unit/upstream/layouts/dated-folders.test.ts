import { describe, expect, it } from 'vitest';
import { UpstreamHttp } from '../../../../src/upstream/http.js';
import { datedFolders } from '../../../../src/upstream/layouts/dated-folders.js';
import { FakeUpstream, REAL, realRoutes } from '../fake-upstream.js';

describe('dated-folders', () => {
  const base = 'https://cloud-images.ubuntu.com/noble/';

  it('recognises an alias or dated folder holding the image and its checksum file', () => {
    for (const folder of ['current', 'release', 'latest', '20260705', 'release-20260618', '20251127-2309']) {
      const source = { latestUrl: `${base}${folder}/x.img`, latestChecksumUrl: `${base}${folder}/SHA256SUMS` };
      expect(datedFolders.recognises(source), folder).toBe(true);
    }
  });

  it('recognises no other folder, a checksum file elsewhere, or a placeholder', () => {
    expect(datedFolders.recognises({ latestUrl: `${base}images/x.img`, latestChecksumUrl: `${base}images/S` })).toBe(
      false,
    );
    expect(datedFolders.recognises({ latestUrl: `${base}current/x.img`, latestChecksumUrl: `${base}SHA256SUMS` })).toBe(
      false,
    );
    const placeholder = String.raw`${base}current/x-HEREBE\d+DRAGONS.img`;
    expect(datedFolders.recognises({ latestUrl: placeholder, latestChecksumUrl: `${base}current/S` })).toBe(false);
  });

  it('pins the file in the newest dated folder, dated by the folder', async () => {
    const real = REAL.debian!;
    const build = await datedFolders.newestBuild(real, new UpstreamHttp(new FakeUpstream(realRoutes()).fetch));
    expect(build).toEqual({ url: real.url, checksum: real.checksum, date: real.date });
  });
});
