import { describe, expect, it } from 'vitest';
import { bareDigest, findEntry, parseChecksumFile, type ChecksumEntry } from '../../../src/upstream/checksums.js';
import { fixture } from './helpers.js';

const SHA256 = 'c397eed7023e92c841155831b1f47e26300e5bef0f0256c129322307c897a251';
const SHA512 =
  'fcc52bdff35697583f9331b64c688db6681fea98c024a1db185d8857b167f4e1838ead7037f18c12e432229354b1253f29e881a040ce0f5636801576e715b4b8';
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

describe('parseChecksumFile on real files', () => {
  it('reads GNU lines (AlmaLinux): the latest alias and the versioned file share a digest', () => {
    const entries = parseChecksumFile(fixture('almalinux9/CHECKSUM'));
    expect(entries).toHaveLength(6);
    expect(entries[0]).toEqual({
      name: 'AlmaLinux-9-GenericCloud-9.8-20260526.x86_64.qcow2',
      algo: 'sha256',
      hex: SHA256,
    });
    const alias = findEntry(entries, 'AlmaLinux-9-GenericCloud-latest.x86_64.qcow2');
    const versioned = findEntry(entries, 'AlmaLinux-9-GenericCloud-9.8-20260526.x86_64.qcow2');
    expect(alias?.hex).toBe(SHA256);
    expect(versioned?.hex).toBe(alias?.hex);
  });

  it('reads GNU lines (CentOS 7)', () => {
    const entries = parseChecksumFile(fixture('centos7/sha256sum.txt'));
    expect(entries).toHaveLength(180);
    expect(findEntry(entries, 'CentOS-7-x86_64-GenericCloud-2211.qcow2')).toEqual({
      name: 'CentOS-7-x86_64-GenericCloud-2211.qcow2',
      algo: 'sha256',
      hex: '284aab2b23d91318f169ff464bce4d53404a15a0618ceb34562838c59af4adea',
    });
  });

  it('reads BSD lines with `# NAME: N bytes` comments (CentOS Stream)', () => {
    const entries = parseChecksumFile(fixture('centos_stream9/CHECKSUM'));
    expect(entries).toHaveLength(96);
    expect(entries.every((entry) => entry.algo === 'sha256')).toBe(true);
    expect(findEntry(entries, 'CentOS-Stream-GenericCloud-9-20260714.1.x86_64.qcow2')?.hex).toBe(
      '2aa1716dc75fc5485df1b221d3d930f276024d70024f68f9ee047dad0e03d85d',
    );
  });

  it('reads a one-entry BSD file (Rocky)', () => {
    expect(parseChecksumFile(fixture('rocky9/CHECKSUM'))).toEqual([
      {
        name: 'Rocky-9-GenericCloud.latest.x86_64.qcow2',
        algo: 'sha256',
        hex: '92c206cc6f790c61583247eefe87890f8828420662c17cacf247cec78ab4eec8',
      },
    ]);
  });

  it('reads sha512 GNU lines (Debian)', () => {
    const entries = parseChecksumFile(fixture('debian13/SHA512SUMS'));
    expect(entries).toHaveLength(50);
    expect(findEntry(entries, 'debian-13-genericcloud-amd64-daily-20260717-2542.qcow2')).toEqual({
      name: 'debian-13-genericcloud-amd64-daily-20260717-2542.qcow2',
      algo: 'sha512',
      hex: SHA512,
    });
  });

  it('reads binary-mode `HASH *NAME` lines without the star (Ubuntu)', () => {
    const entries = parseChecksumFile(fixture('ubuntu2404/SHA256SUMS'));
    expect(entries).toHaveLength(66);
    expect(findEntry(entries, 'noble-server-cloudimg-amd64.img')).toEqual({
      name: 'noble-server-cloudimg-amd64.img',
      algo: 'sha256',
      hex: 'ffe6203da54deeb6db5d2a98a83f9ec8e55f149d3f7ba622e1abe5fa966ee3d6',
    });
    expect(entries.some((entry) => entry.name.startsWith('*'))).toBe(false);
  });

  it('reads the body of a clearsigned file (Fedora), not its armor', () => {
    const entries = parseChecksumFile(fixture('fedora44/Fedora-Cloud-44-1.7-x86_64-CHECKSUM'));
    expect(entries.map((entry) => entry.name)).toEqual([
      'Fedora-Cloud-Base-AmazonEC2-44-1.7.x86_64.raw.xz',
      'Fedora-Cloud-Base-Azure-44-1.7.x86_64.vhdfixed.xz',
      'Fedora-Cloud-Base-GCE-44-1.7.x86_64.tar.gz',
      'Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2',
      'Fedora-Cloud-Base-UEFI-UKI-44-1.7.x86_64.qcow2',
    ]);
    expect(findEntry(entries, 'Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2')).toEqual({
      name: 'Fedora-Cloud-Base-Generic-44-1.7.x86_64.qcow2',
      algo: 'sha256',
      hex: '7c628c39d1b1b379bc0c1cee29402967eee32f2d61d95862d81d44a968114ac6',
    });
  });
});

describe('parseChecksumFile line shapes', () => {
  it('reads GNU lines with two spaces, a star or a single space, and takes the algo from the length', () => {
    const text = [`${MD5}  a.img`, `${SHA1} *b.img`, `${SHA256} c.img`, `${SHA512}  d e.img`].join('\n');
    expect(parseChecksumFile(text)).toEqual([
      { name: 'a.img', algo: 'md5', hex: MD5 },
      { name: 'b.img', algo: 'sha1', hex: SHA1 },
      { name: 'c.img', algo: 'sha256', hex: SHA256 },
      { name: 'd e.img', algo: 'sha512', hex: SHA512 },
    ]);
  });

  it('reads BSD lines, taking the algo from the tag, with parentheses in the name', () => {
    const text = [
      `MD5 (a.img) = ${MD5}`,
      `SHA1 (b (1).img) = ${SHA1}`,
      `sha512 (c.img) = ${SHA512}`,
      `SHA384 (d.img) = ${'ab'.repeat(48)}`,
    ].join('\n');
    expect(parseChecksumFile(text)).toEqual([
      { name: 'a.img', algo: 'md5', hex: MD5 },
      { name: 'b (1).img', algo: 'sha1', hex: SHA1 },
      { name: 'c.img', algo: 'sha512', hex: SHA512 },
      { name: 'd.img', algo: 'sha384', hex: 'ab'.repeat(48) },
    ]);
  });

  it('lowercases hex digits', () => {
    expect(parseChecksumFile(`${SHA256.toUpperCase()}  a.img\nSHA256 (b.img) = ${SHA256.toUpperCase()}`)).toEqual([
      { name: 'a.img', algo: 'sha256', hex: SHA256 },
      { name: 'b.img', algo: 'sha256', hex: SHA256 },
    ]);
  });

  it('unescapes a GNU name marked with a leading backslash', () => {
    expect(parseChecksumFile(`\\${SHA256}  dir\\\\a\\nb.img`)).toEqual([
      { name: 'dir\\a\nb.img', algo: 'sha256', hex: SHA256 },
    ]);
  });

  it('tolerates CRLF and a byte order mark', () => {
    expect(parseChecksumFile(`\uFEFF# sums\r\n${SHA256}  a.img\r\nSHA256 (b.img) = ${SHA256}\r\n`)).toEqual([
      { name: 'a.img', algo: 'sha256', hex: SHA256 },
      { name: 'b.img', algo: 'sha256', hex: SHA256 },
    ]);
  });

  it('skips digests whose length fits no algo or not their tag', () => {
    const text = [
      `${SHA256.slice(1)}  short.img`,
      `${SHA256}0  long.img`,
      `SHA256 (c.img) = ${SHA512}`,
      `MD5 (d.img) = ${SHA256}`,
    ].join('\n');
    expect(parseChecksumFile(text)).toEqual([]);
  });

  it('unescapes dash-escaped lines of a clearsigned body and leaves the signature out', () => {
    const text = [
      '-----BEGIN PGP SIGNED MESSAGE-----',
      'Hash: SHA512',
      'Comment: not a checksum line',
      '',
      `- ${SHA256}  -leading-dash.img`,
      `SHA256 (b.img) = ${SHA256}`,
      '- -----BEGIN PGP SIGNATURE-----',
      `${SHA256}  after-escaped-armor.img`,
      '-----BEGIN PGP SIGNATURE-----',
      '',
      `${SHA256}  inside-signature.img`,
      '=abcd',
      '-----END PGP SIGNATURE-----',
    ].join('\n');
    expect(parseChecksumFile(text).map((entry) => entry.name)).toEqual([
      '-leading-dash.img',
      'b.img',
      'after-escaped-armor.img',
    ]);
  });

  it('does not treat the armor header of a clearsigned file as content', () => {
    const text = ['-----BEGIN PGP SIGNED MESSAGE-----', `${SHA256}  header.img`, '', `${SHA256}  body.img`].join('\n');
    expect(parseChecksumFile(text).map((entry) => entry.name)).toEqual(['body.img']);
  });

  it('gives [] for garbage', () => {
    expect(parseChecksumFile('')).toEqual([]);
    expect(parseChecksumFile('<html><body>404 Not Found</body></html>')).toEqual([]);
    expect(parseChecksumFile(`${SHA256}\nnot-hex  a.img\n${SHA256}\ta.img\n  ${SHA256}  indented.img`)).toEqual([]);
  });
});

describe('bareDigest', () => {
  it('reads a sidecar holding only a digest', () => {
    expect(bareDigest(fixture('sidecar/example-cloud-image.qcow2.sha256'))).toEqual({
      algo: 'sha256',
      hex: '12b5c20aafbf2c88907b40f4ab6eea91982aa37bf55bd41b1661c2b2ba67e209',
    });
  });

  it('takes the algo from the length and lowercases', () => {
    expect(bareDigest(`  ${MD5.toUpperCase()}\r\n`)).toEqual({ algo: 'md5', hex: MD5 });
    expect(bareDigest(SHA1)).toEqual({ algo: 'sha1', hex: SHA1 });
    expect(bareDigest(`${SHA512}\n`)).toEqual({ algo: 'sha512', hex: SHA512 });
  });

  it('gives undefined for anything but one bare digest', () => {
    expect(bareDigest('')).toBeUndefined();
    expect(bareDigest(`${SHA256}  a.img\n`)).toBeUndefined();
    expect(bareDigest(`${SHA256}\n${SHA256}\n`)).toBeUndefined();
    expect(bareDigest(`sha256:${SHA256}`)).toBeUndefined();
    expect(bareDigest(SHA256.slice(2))).toBeUndefined();
    expect(bareDigest(`${SHA256.slice(1)}g`)).toBeUndefined();
  });
});

describe('findEntry', () => {
  const entry = (name: string, algo: string, hex: string): ChecksumEntry => ({ name, algo, hex });

  it('gives undefined when the file does not list the name', () => {
    const entries = parseChecksumFile(fixture('almalinux9/CHECKSUM'));
    expect(findEntry(entries, 'AlmaLinux-10-GenericCloud-latest.x86_64.qcow2')).toBeUndefined();
    expect(findEntry([], 'a.img')).toBeUndefined();
  });

  it('matches the exact name only', () => {
    const entries = [entry('a.img.xz', 'sha256', SHA256), entry('./a.img', 'sha256', SHA256)];
    expect(findEntry(entries, 'a.img')).toBeUndefined();
  });

  it('prefers sha512 over sha256 over other algos, wherever they are listed', () => {
    const entries = [
      entry('a.img', 'sha256', SHA256),
      entry('a.img', 'sha512', SHA512),
      entry('a.img', 'md5', MD5),
      entry('b.img', 'sha512', SHA512),
    ];
    expect(findEntry(entries, 'a.img')).toBe(entries[1]);
    const weaker = [entry('a.img', 'md5', MD5), entry('a.img', 'sha256', SHA256), entry('a.img', 'sha1', SHA1)];
    expect(findEntry(weaker, 'a.img')?.algo).toBe('sha256');
  });

  it('takes the last of two entries with one algo', () => {
    const later = '0'.repeat(64);
    const entries = [entry('a.img', 'sha256', SHA256), entry('a.img', 'sha256', later)];
    expect(findEntry(entries, 'a.img')?.hex).toBe(later);
  });
});
