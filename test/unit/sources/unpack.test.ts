import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pack } from 'tar-stream';
import { type Codec, packingOf } from '../../../src/sources/packing.js';
import { SourceUnpackError, unpacked } from '../../../src/sources/unpack.js';

// Every fixture is made here from small data by the system's xz, bzip2, gzip and zstd (Debian's packages; a
// codec whose program is missing is skipped) and tar-stream's packer: nothing is read from disk.

const PROGRAMS: Record<Codec, string> = { xz: 'xz', bz2: 'bzip2', gz: 'gzip', zst: 'zstd' };
const present = (program: string) => spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;

/** Some MiB of mixed data (random blocks between repeated ones), so every codec makes several blocks. */
function imageBytes(mib = 1): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < mib * 4; i++) {
    parts.push(
      i % 2 === 0
        ? createHash('sha512')
            .update(String(i))
            .digest()
            .subarray(0, 64)
            .fill(i % 251, 8)
        : Buffer.alloc(0),
    );
    parts.push(Buffer.alloc(2 ** 18 - (i % 2 === 0 ? 64 : 0), i % 7));
  }
  const random = Buffer.alloc(2 ** 16);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
  return Buffer.concat([...parts, random]);
}

function compress(codec: Codec, data: Uint8Array): Buffer {
  return execFileSync(PROGRAMS[codec], ['-c'], { input: data, maxBuffer: 2 ** 28 });
}

function streamOf(data: Uint8Array, piece = 65_536): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.subarray(at, at + piece));
      at += piece;
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function unpack(url: string, data: Uint8Array, format = 'raw', maxBytes = 2 ** 30) {
  const packing = packingOf(url);
  if (!packing) throw new Error(`${url} is not packed`);
  return unpacked(streamOf(data), url, packing, { format, maxBytes });
}

const image = imageBytes();
const codecs = (Object.keys(PROGRAMS) as Codec[]).filter((codec) => present(PROGRAMS[codec]));

describe.each(codecs)('a .%s source', (codec) => {
  const url = `https://x.example/image.raw.${codec}`;
  const packed = compress(codec, image);

  it('unpacks to exactly the image', async () => {
    expect((await readAll((await unpack(url, packed)).stream)).equals(image)).toBe(true);
  });

  it('cut short: an error naming the URL, and fault() is that error', async () => {
    const read = await unpack(url, packed.subarray(0, Math.floor(packed.length * 0.6)));
    const error = await readAll(read.stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnpackError);
    expect(String(error)).toContain(`unpacking ${url} (.${codec}) failed`);
    expect(read.fault()).toBe(error);
  });

  it('cut at the last bytes: an error', async () => {
    await expect(readAll((await unpack(url, packed.subarray(0, packed.length - 3))).stream)).rejects.toThrow(
      SourceUnpackError,
    );
  });

  it('bytes after its end: an error', async () => {
    const trailing = Buffer.concat([packed, Buffer.from('trailing garbage, not a frame')]);
    await expect(readAll((await unpack(url, trailing)).stream)).rejects.toThrow(SourceUnpackError);
  });

  it('a byte changed in the middle: an error', async () => {
    const corrupt = Buffer.from(packed);
    const at = Math.floor(corrupt.length / 2);
    corrupt[at] = (corrupt[at] ?? 0) ^ 0x55;
    await expect(readAll((await unpack(url, corrupt)).stream)).rejects.toThrow(SourceUnpackError);
  });

  it('a bomb: more than the bound unpacked is refused', async () => {
    const bomb = compress(codec, Buffer.alloc(8 * 2 ** 20));
    expect(bomb.length).toBeLessThan(2 ** 20);
    const error = await readAll((await unpack(url, bomb, 'raw', 4 * 2 ** 20)).stream).catch((e: unknown) => e);
    expect(String(error)).toMatch(/decompresses to more than 0.004 GiB .*decompression bomb/);
  });

  it('not this codec at all: an error', async () => {
    await expect(readAll((await unpack(url, image.subarray(0, 100_000))).stream)).rejects.toThrow(SourceUnpackError);
  });
});

interface Member {
  name: string;
  type?: 'file' | 'symlink' | 'link' | 'character-device' | 'directory';
  data?: Uint8Array;
}

async function tarOf(members: Member[]): Promise<Buffer> {
  const packer = pack();
  for (const { name, type = 'file', data } of members) {
    if (type === 'file') packer.entry({ name }, Buffer.from(data ?? ''));
    else packer.entry({ name, type, linkname: type === 'symlink' || type === 'link' ? '/etc/shadow' : '' });
  }
  packer.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of packer) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.skipIf(!codecs.includes('xz'))('a .tar.xz source', () => {
  const url = 'https://x.example/gardener.tar.xz';
  const qcow2 = Buffer.concat([Buffer.from('QFI\xfb', 'latin1'), image.subarray(4)]);
  const unpackTar = async (members: Member[], format: string) =>
    readAll((await unpack(url, compress('xz', await tarOf(members)), format)).stream);

  it('streams the one member of the declared format among several', async () => {
    const members: Member[] = [
      { name: 'gardener/', type: 'directory' },
      { name: 'gardener/README', data: Buffer.from('read me') },
      { name: 'gardener/disk.qcow2', data: qcow2 },
      { name: 'gardener/disk.raw.sha256', data: Buffer.from('abc') },
      { name: 'gardener/kernel', data: image.subarray(0, 1000) },
    ];
    expect((await unpackTar(members, 'qcow2')).equals(qcow2)).toBe(true);
    await expect(unpackTar(members, 'raw')).rejects.toThrow(
      /no member is a raw image \(a regular file named \*\.raw or \.img\); members: gardener\/, gardener\/README, gardener\/disk\.qcow2/,
    );
  });

  it('two candidates: an error naming both', async () => {
    const members = [
      { name: 'a.img', data: image },
      { name: 'b.raw', data: image },
    ];
    await expect(unpackTar(members, 'raw')).rejects.toThrow(/two members could be the raw image: a\.img, b\.raw/);
  });

  it('a hostile archive: links, devices, .. and absolute names are never chosen', async () => {
    const hostile: Member[] = [
      { name: 'link.raw', type: 'symlink' },
      { name: 'hard.raw', type: 'link' },
      { name: 'dev.raw', type: 'character-device' },
      { name: '../escape.raw', data: image },
      { name: 'x/../../up.raw', data: image },
      { name: '/etc/abs.raw', data: image },
    ];
    const error = await unpackTar(hostile, 'raw').catch((e: unknown) => e);
    expect(String(error)).toContain('no member is a raw image');
    expect(String(error)).toContain('link.raw, hard.raw, dev.raw, ../escape.raw, x/../../up.raw, /etc/abs.raw');
    const withImage = [...hostile, { name: 'disk.img', data: image }];
    expect((await unpackTar(withImage, 'raw')).equals(image)).toBe(true);
  });

  it('an archive cut short: an error, though the member was whole', async () => {
    const archive = compress('xz', await tarOf([{ name: 'disk.img', data: image }]));
    const whole = await readAll((await unpack(url, archive)).stream);
    expect(whole.equals(image)).toBe(true);
    await expect(readAll((await unpack(url, archive.subarray(0, archive.length - 8))).stream)).rejects.toThrow(
      SourceUnpackError,
    );
  });
});

describe('a plain .tar source', () => {
  it('streams its member', async () => {
    const archive = await tarOf([
      { name: 'disk.raw', data: image },
      { name: 'notes.txt', data: Buffer.from('x') },
    ]);
    expect((await readAll((await unpack('file:///srv/a.tar', archive)).stream)).equals(image)).toBe(true);
  });
});
