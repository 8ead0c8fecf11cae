import { describe, expect, it } from 'vitest';
import { buildDate, findNewestBuild } from '../../../src/upstream/discover.js';
import type { UpstreamBuild } from '../../../src/upstream/layouts/layout.js';
import { UpstreamHttp } from '../../../src/upstream/http.js';
import { FakeUpstream, REAL, realRoutes } from './fake-upstream.js';
import { failure } from './helpers.js';

function upstream(
  extra: Record<string, string | { status?: number; body?: string; headers?: Record<string, string> }> = {},
) {
  const fake = new FakeUpstream({ ...realRoutes(), ...extra });
  const http = new UpstreamHttp(fake.fetch);
  return { fake, http };
}

const ALIAS_FOLDER = /\/(current|release|latest)\//;

describe('findNewestBuild on the real shapes', () => {
  for (const real of Object.values(REAL)) {
    it(`${real.name}: ${real.layout}, pinned to the newest build`, async () => {
      const { fake, http } = upstream();
      const build = await findNewestBuild(real, http);
      const expected: UpstreamBuild = { layout: real.layout, url: real.url, checksum: real.checksum };
      if (real.date !== undefined) expected.date = real.date;
      expect(build).toEqual(expected);
      // Only GETs of index pages and checksum files: the date comes later, and only when needed.
      expect(fake.requests.every((request) => request.method === 'GET')).toBe(true);
      expect(http.requests).toBe(real.layout === 'dated-folders' ? 2 : 1);
      expect(fake.requests).toHaveLength(http.requests);
    });
  }

  it('never offers a URL inside an alias folder', async () => {
    for (const real of Object.values(REAL).filter((entry) => entry.layout === 'dated-folders')) {
      expect(real.latestUrl, real.name).toMatch(ALIAS_FOLDER);
      const build = await findNewestBuild(real, upstream().http);
      expect(build.url, real.name).not.toMatch(ALIAS_FOLDER);
    }
  });

  it('Debian: reads the listing, then the SHA512SUMS of the newest folder, and finds the stamped name', async () => {
    const { fake, http } = upstream();
    await findNewestBuild(REAL.debian!, http);
    expect(fake.log()).toEqual([
      'GET https://cdimage.debian.org/cdimage/cloud/trixie/daily/',
      'GET https://cdimage.debian.org/cdimage/cloud/trixie/daily/20260717-2542/SHA512SUMS',
    ]);
  });

  it('Debian: a URL into a dated folder finds the newest folder and its stamped name', async () => {
    const base = 'https://cdimage.debian.org/cdimage/cloud/trixie/daily/';
    const build = await findNewestBuild(
      {
        latestUrl: `${base}20260319-2421/debian-13-genericcloud-amd64-daily-20260319-2421.qcow2`,
        latestChecksumUrl: `${base}20260319-2421/SHA512SUMS`,
      },
      upstream().http,
    );
    expect(build.url).toBe(REAL.debian!.url);
    expect(build.date).toBe('20260717');
  });

  it('Ubuntu: takes the plain name of the newest folder over other files that share its prefix', async () => {
    const build = await findNewestBuild(REAL.ubuntu!, upstream().http);
    expect(build.url.endsWith('/noble-server-cloudimg-amd64.img')).toBe(true);
  });

  it('AlmaLinux: pins the -latest alias to its versioned twin, not the ext4 or OpenNebula one', async () => {
    const build = await findNewestBuild(REAL.alma!, upstream().http);
    expect(build.url).toBe(
      'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/AlmaLinux-9-GenericCloud-9.8-20260526.x86_64.qcow2',
    );
    const ext4 = await findNewestBuild(
      {
        latestUrl:
          'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/AlmaLinux-9-GenericCloud-ext4-latest.x86_64.qcow2',
        latestChecksumUrl: REAL.alma!.latestChecksumUrl,
      },
      upstream().http,
    );
    expect(ext4).toEqual({
      layout: 'checksum-file',
      url: 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/AlmaLinux-9-GenericCloud-ext4-9.8-20260526.x86_64.qcow2',
      checksum: { algo: 'sha256', hex: '53a20d1d73d739f437b45e34fcbda48b7b9856c648fcc9730ce9653e27712092' },
      date: '20260526',
    });
  });

  it('CentOS Stream: the placeholder picks the newest matching file, never the -latest alias', async () => {
    const build = await findNewestBuild(REAL.stream9!, upstream().http);
    expect(build.url).not.toContain('latest');
    expect(build.url).toBe(
      'https://cloud.centos.org/centos/9-stream/x86_64/images/CentOS-Stream-GenericCloud-9-20260714.1.x86_64.qcow2',
    );
  });

  it('Fedora: a placeholder over the clearsigned CHECKSUM picks the Generic image, not UEFI-UKI', async () => {
    const base = 'https://download.fedoraproject.org/pub/fedora/linux/releases/44/Cloud/x86_64/images/';
    const build = await findNewestBuild(
      {
        latestUrl: String.raw`${base}Fedora-Cloud-Base-Generic-44-HEREBE[\d.]+DRAGONS.x86_64.qcow2`,
        latestChecksumUrl: REAL.fedora!.latestChecksumUrl,
      },
      upstream().http,
    );
    expect(build).toEqual({ layout: 'checksum-file', url: REAL.fedora!.url, checksum: REAL.fedora!.checksum });
  });

  it('a sidecar that lists several files takes the entry of its own file', async () => {
    const url = 'https://images.example.org/multi/image.qcow2';
    const sums = `${'a'.repeat(64)}  other.qcow2\n${'b'.repeat(64)}  image.qcow2\n`;
    const { http } = upstream({ [`${url}.sha256`]: sums });
    const build = await findNewestBuild({ latestUrl: url, latestChecksumUrl: `${url}.sha256` }, http);
    expect(build).toEqual({ layout: 'sidecar', url, checksum: { algo: 'sha256', hex: 'b'.repeat(64) } });
  });
});

describe('findNewestBuild failures', () => {
  it('a source no layout recognises names its URLs, and fetches nothing', async () => {
    const { fake, http } = upstream();
    const latestUrl = 'https://example.org/images/x.qcow2';
    const error = await failure(
      findNewestBuild({ latestUrl, latestChecksumUrl: 'https://example.org/sums/x.qcow2.sha256' }, http),
    );
    expect(error.url).toBe(latestUrl);
    expect(error.message).toMatch(/^https:\/\/example\.org\/images\/x\.qcow2: no upstream layout recognises/);
    expect(fake.requests).toEqual([]);
  });

  it('a listing without a dated folder names the listing', async () => {
    const base = 'https://mirror.example.org/empty/';
    const { http } = upstream({
      [base]:
        '<html><body><a href="../">../</a><a href="current/">current/</a><a href="SHA256SUMS">SHA256SUMS</a></body></html>',
    });
    const error = await failure(
      findNewestBuild({ latestUrl: `${base}current/x.img`, latestChecksumUrl: `${base}current/SHA256SUMS` }, http),
    );
    expect(error.url).toBe(base);
    expect(error.message).toBe(`${base}: lists no dated build folder (YYYYMMDD/, release-YYYYMMDD/ or YYYYMMDD-N/)`);
    expect(http.requests).toBe(1);
  });

  it('a checksum file of the newest folder without the file names both names it looked for', async () => {
    const base = 'https://cdimage.debian.org/cdimage/cloud/trixie/daily/';
    const { http } = upstream();
    const error = await failure(
      findNewestBuild(
        {
          latestUrl: `${base}latest/debian-13-genericcloud-s390x-daily.qcow2`,
          latestChecksumUrl: `${base}latest/SHA512SUMS`,
        },
        http,
      ),
    );
    expect(error.message).toBe(
      `${base}20260717-2542/SHA512SUMS: does not list debian-13-genericcloud-s390x-daily.qcow2 or debian-13-genericcloud-s390x-daily-20260717-2542.qcow2`,
    );
  });

  it('a 404 on the checksum file names that file and the status', async () => {
    const { http } = upstream({
      'https://cloud-images.ubuntu.com/noble/20260705/SHA256SUMS': { status: 404, body: 'gone' },
    });
    const error = await failure(findNewestBuild(REAL.ubuntu!, http));
    expect(error.message).toBe('https://cloud-images.ubuntu.com/noble/20260705/SHA256SUMS: answered HTTP 404');
  });

  it('an invalid placeholder regex names the URL and the regex, and fetches nothing', async () => {
    const { fake, http } = upstream();
    const latestUrl = String.raw`https://cloud.centos.org/centos/9-stream/x86_64/images/CentOS-Stream-GenericCloud-9-HEREBE(\d+DRAGONS.x86_64.qcow2`;
    const error = await failure(
      findNewestBuild({ latestUrl, latestChecksumUrl: REAL.stream9!.latestChecksumUrl }, http),
    );
    expect(error.url).toBe(latestUrl);
    expect(error.message.startsWith(`${latestUrl}: invalid placeholder: "(\\\\d+" is no valid regex`)).toBe(true);
    expect(fake.requests).toEqual([]);
  });

  it('a placeholder that matches nothing names the checksum file and the pattern', async () => {
    const latestUrl = String.raw`https://cloud.centos.org/centos/9-stream/x86_64/images/CentOS-Stream-GenericCloud-10-HEREBE\d+\.\dDRAGONS.x86_64.qcow2`;
    const error = await failure(
      findNewestBuild({ latestUrl, latestChecksumUrl: REAL.stream9!.latestChecksumUrl }, upstream().http),
    );
    expect(error.message).toBe(
      String.raw`https://cloud.centos.org/centos/9-stream/x86_64/images/CHECKSUM: lists no file matching ^CentOS-Stream-GenericCloud-10-(?:\d+\.\d)\.x86_64\.qcow2$`,
    );
  });

  it('a folder checksum file without the file names the file', async () => {
    const latestUrl =
      'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/AlmaLinux-9-GenericCloud-9.9-20261101.x86_64.qcow2';
    const error = await failure(
      findNewestBuild({ latestUrl, latestChecksumUrl: REAL.alma!.latestChecksumUrl }, upstream().http),
    );
    expect(error.message).toBe(
      'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/CHECKSUM: does not list AlmaLinux-9-GenericCloud-9.9-20261101.x86_64.qcow2',
    );
  });

  it('a sidecar without a digest names the sidecar and the file', async () => {
    const url = 'https://images.example.org/cloud/example-cloud-image.qcow2';
    const { http } = upstream({ [`${url}.sha256`]: '<html>Not the file you are looking for</html>\n' });
    const error = await failure(findNewestBuild({ latestUrl: url, latestChecksumUrl: `${url}.sha256` }, http));
    expect(error.message).toBe(`${url}.sha256: holds no checksum of example-cloud-image.qcow2`);
  });

  it('a sidecar with the digest of another file is no digest of this one', async () => {
    const url = 'https://images.example.org/cloud/example-cloud-image.qcow2';
    const { http } = upstream({ [`${url}.sha256`]: `${'c'.repeat(64)}  another-image.qcow2\n` });
    const error = await failure(findNewestBuild({ latestUrl: url, latestChecksumUrl: `${url}.sha256` }, http));
    expect(error.message).toBe(`${url}.sha256: holds no checksum of example-cloud-image.qcow2`);
  });

  it('masks a password in the URL it names', async () => {
    const base = 'https://reader:secret-pass@private.example.org/images/';
    const { http } = upstream();
    const error = await failure(
      findNewestBuild({ latestUrl: `${base}x.qcow2`, latestChecksumUrl: `${base}x.qcow2.sha256` }, http),
    );
    expect(error.message).toBe('https://reader:***@private.example.org/images/x.qcow2.sha256: answered HTTP 404');
    expect(error.message).not.toContain('secret');
  });
});

describe('buildDate', () => {
  const build = (url: string, date?: string): UpstreamBuild => ({
    layout: 'sidecar',
    url,
    checksum: { algo: 'sha256', hex: 'a'.repeat(64) },
    ...(date ? { date } : {}),
  });

  it('takes the date the URL tells without a request', async () => {
    const { fake, http } = upstream();
    expect(await buildDate(build('https://example.org/x.qcow2', '20260101'), http)).toBe('20260101');
    expect(fake.requests).toEqual([]);
  });

  it('asks Last-Modified with one HEAD otherwise', async () => {
    const { fake, http } = upstream();
    expect(await buildDate(build(REAL.rocky!.url), http)).toBe('20260601');
    expect(fake.log()).toEqual([`HEAD ${REAL.rocky!.url}`]);
  });

  it('reads the obsolete HTTP date forms too', async () => {
    const url = 'https://example.org/x.qcow2';
    const { http } = upstream({ [url]: { headers: { 'Last-Modified': 'Sunday, 06-Sep-26 23:59:59 GMT' } } });
    expect(await buildDate(build(url), http)).toBe('20260906');
  });

  it('fails naming the URL when Last-Modified is missing', async () => {
    const url = 'https://example.org/no-date.qcow2';
    const { http } = upstream({ [url]: { body: '' } });
    const error = await failure(buildDate(build(url), http));
    expect(error.message).toBe(`${url}: answered without Last-Modified, so the build date is unknown`);
  });

  it('fails naming the URL and the value when Last-Modified is garbage', async () => {
    const url = 'https://example.org/bad-date.qcow2';
    const { http } = upstream({ [url]: { headers: { 'Last-Modified': 'last Tuesday' } } });
    const error = await failure(buildDate(build(url), http));
    expect(error.message).toBe(`${url}: answered Last-Modified "last Tuesday", which is no HTTP date`);
  });

  it('fails naming the URL when the HEAD is not answered 2xx', async () => {
    const url = 'https://example.org/gone.qcow2';
    const error = await failure(buildDate(build(url), upstream().http));
    expect(error.message).toBe(`${url}: answered HTTP 404`);
  });
});

describe('a file name upstream with control characters', () => {
  it('is not taken: the definition fails naming the checksum file', async () => {
    const base = 'https://mirror.example.org/images';
    const fake = new FakeUpstream({
      [`${base}/CHECKSUM`]: {
        status: 200,
        body: `${'a'.repeat(64)}  evil-\u001b[31m-latest.qcow2\n${'a'.repeat(64)}  evil-20261120\u001b[2J.qcow2\n`,
      },
    });
    const http = new UpstreamHttp(fake.fetch);
    await expect(
      findNewestBuild(
        { latestUrl: `${base}/evil-\u001b[31m-latest.qcow2`, latestChecksumUrl: `${base}/CHECKSUM` },
        http,
      ),
    ).rejects.toThrow(/CHECKSUM: offers a file whose name holds U\+001B: not taken/);
  });
});
