import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { delay, http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalFileError, localFileProblem } from '../../../src/sources/local-file.js';
import { SourceFormatError, SourceReader } from '../../../src/sources/source.js';
import { FakeClock, until } from '../net/fake-clock.js';
import { testFetch, useMsw } from '../openstack/helpers.js';
import * as h from './headers.js';

const { server, seen } = useMsw();

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory (its real path) with the given files. */
function tempDir(files: Record<string, Uint8Array | string> = {}): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'im-sources-')));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('localFileProblem: file: URLs only under --allow-local-files', () => {
  it('refuses every file: URL when no directory is allowed, naming the path and the flag', () => {
    const dir = tempDir({ 'disk.qcow2': 'x' });
    const problem = localFileProblem(`file://${dir}/disk.qcow2`, []);
    expect(problem).toContain(`${dir}/disk.qcow2`);
    expect(problem).toContain('--allow-local-files');
  });

  it('allows a regular file under an allowed directory, in both URL forms', () => {
    const dir = tempDir({ 'sub/disk.qcow2': 'x' });
    expect(localFileProblem(`file://${dir}/sub/disk.qcow2`, [dir])).toBeUndefined();
    expect(localFileProblem(`file:${dir}/sub/disk.qcow2`, ['/nonexistent', dir])).toBeUndefined();
  });

  it('refuses a symlink inside the allowed directory that leads out of it, naming where it leads', () => {
    const outside = tempDir({ 'secret.img': 'y' });
    const allowed = tempDir();
    symlinkSync(path.join(outside, 'secret.img'), path.join(allowed, 'disk.qcow2'));
    const problem = localFileProblem(`file://${allowed}/disk.qcow2`, [allowed]);
    expect(problem).toContain(`${outside}/secret.img`);
    expect(problem).toContain('outside');
  });

  it('resolves .. and symlinked directories, and a directory named like the allowed one is not inside it', () => {
    const dir = tempDir({ 'ok/disk.qcow2': 'x', 'secret/disk.qcow2': 'y', 'ok-evil/disk.qcow2': 'z' });
    symlinkSync(path.join(dir, 'secret'), path.join(dir, 'ok', 'link'));
    const allowed = [path.join(dir, 'ok')];
    expect(localFileProblem(`file://${dir}/ok/../secret/disk.qcow2`, allowed)).toContain(`${dir}/secret/disk.qcow2`);
    expect(localFileProblem(`file://${dir}/ok/link/disk.qcow2`, allowed)).toContain(`${dir}/secret/disk.qcow2`);
    expect(localFileProblem(`file://${dir}/ok-evil/disk.qcow2`, allowed)).toContain('outside');
  });

  it('follows a symlinked allowed directory to its real path', () => {
    const real = tempDir({ 'disk.qcow2': 'x' });
    const links = tempDir();
    symlinkSync(real, path.join(links, 'images'));
    expect(localFileProblem(`file://${real}/disk.qcow2`, [path.join(links, 'images')])).toBeUndefined();
    expect(localFileProblem(`file://${links}/images/disk.qcow2`, [real])).toBeUndefined();
  });

  it('refuses what is not a regular file, and names a file that does not exist', () => {
    const dir = tempDir({ 'sub/x': '' });
    expect(localFileProblem(`file://${dir}/sub`, [dir])).toMatch(/not a regular file/);
    expect(localFileProblem(`file://${dir}/missing.qcow2`, [dir])).toMatch(/missing\.qcow2 does not exist/);
  });

  it('has nothing to say about other URLs', () => {
    expect(localFileProblem('https://images.example/x.qcow2', [])).toBeUndefined();
  });
});

describe('SourceReader and local files', () => {
  it('probe reports a refused file without reading it, and an allowed one with its size', async () => {
    const outside = tempDir({ 'disk.img': 'abc' });
    const allowed = tempDir({ 'disk.img': 'abcd' });
    const reader = new SourceReader(testFetch, { localFileDirs: [allowed] });
    const refused = await reader.probe(`file://${outside}/disk.img`);
    expect(refused).toMatchObject({ ok: false, status: 'file', message: expect.stringContaining('outside') });
    expect(await reader.probe(`file://${allowed}/disk.img`)).toEqual({ ok: true, status: 'file', size: 4 });
    expect((await new SourceReader(testFetch).probe(`file://${allowed}/disk.img`)).ok).toBe(false);
  });

  it('open refuses a file outside the allowed directories, and never opens what is not a regular file', async () => {
    const outside = tempDir({ 'disk.img': 'abc' });
    const allowed = tempDir();
    execFileSync('mkfifo', [path.join(allowed, 'fifo.img')]); // opening it would block until a writer comes
    const reader = new SourceReader(testFetch, { localFileDirs: [allowed] });
    const error = await rejection(reader.open(`file://${outside}/disk.img`));
    expect(error).toBeInstanceOf(LocalFileError);
    expect(error.message).toContain(`${outside}/disk.img`);
    expect(await rejection(reader.open(`file://${allowed}/fifo.img`))).toBeInstanceOf(LocalFileError);
  });
});

describe('SourceReader.open checks the declared format before handing out the stream', () => {
  it('hands out every byte of a file that is what it claims, the sniffed head included', async () => {
    const data = h.qcow2({ length: 3 * 65_536 + 17 });
    data.fill(9, 200);
    const dir = tempDir({ 'disk.qcow2': data });
    const reader = new SourceReader(testFetch, { localFileDirs: [dir] });
    const { stream, size } = await reader.open(`file://${dir}/disk.qcow2`, { format: 'qcow2' });
    expect(size).toBe(data.length);
    const got = await readAll(stream);
    expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it.each([
    ['qcow2', h.rawDisk(), 'raw data'],
    ['raw', h.qcow2(), 'qcow2'],
    ['iso', h.rawDisk(), 'raw data'],
    ['qcow2', h.qcow2({ backingFile: true }), 'qcow2 with a backing file'],
    ['raw', new Uint8Array(0), 'empty'],
  ])('declared %s: a file that is not fails, naming URL, declared and found format', async (format, data, found) => {
    const dir = tempDir({ 'disk.img': data });
    const reader = new SourceReader(testFetch, { localFileDirs: [dir] });
    const error = await rejection(reader.open(`file://${dir}/disk.img`, { format }));
    expect(error).toBeInstanceOf(SourceFormatError);
    expect(error.message).toContain(`file://${dir}/disk.img: declared ${format}, but the data is ${found}`);
  });

  it('sniffs an HTTP source served in small chunks, the ISO signature past the first 32 KiB', async () => {
    const data = h.iso(0x8800);
    server.use(
      http.get('http://images.test/live.iso', () => {
        let offset = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (offset >= data.length) return controller.close();
            controller.enqueue(data.slice(offset, offset + 1000));
            offset += 1000;
          },
        });
        return new HttpResponse(body, { headers: { 'Content-Length': String(data.length) } });
      }),
    );
    const reader = new SourceReader(testFetch);
    const { stream } = await reader.open('http://images.test/live.iso', { format: 'iso' });
    expect((await readAll(stream)).equals(Buffer.from(data))).toBe(true);
    const error = await rejection(reader.open('http://images.test/live.iso', { format: 'qcow2' }));
    expect(error.message).toBe('http://images.test/live.iso: declared qcow2, but the data is an ISO 9660 image');
  });
});

describe('SourceReader and credentials in a URL', () => {
  it('sends the user part as Basic authentication, never in the URL, and masks it in errors', async () => {
    server.use(
      http.head('http://images.test/x.img', () => new HttpResponse(null, { headers: { 'Content-Length': '5' } })),
      http.get('http://images.test/x.img', () => new HttpResponse('nope', { status: 404 })),
    );
    const reader = new SourceReader(testFetch);
    const url = 'http://reader:s3cret@images.test/x.img';
    expect(await reader.probe(url)).toEqual({ ok: true, status: 200, size: 5 });
    const error = await rejection(reader.open(url));
    expect(error.message).toBe('GET http://reader:***@images.test/x.img answered 404');
    const basic = `Basic ${Buffer.from('reader:s3cret').toString('base64')}`;
    expect(seen.map((r) => [r.method, r.url, r.headers.get('authorization')])).toEqual([
      ['HEAD', 'http://images.test/x.img', basic],
      ['GET', 'http://images.test/x.img', basic],
    ]);
  });

  it('a failing probe of such a URL does not show the password', async () => {
    server.use(http.head('http://127.0.0.1:9/x.img', () => HttpResponse.error()));
    const probe = await new SourceReader(testFetch).probe('http://reader:s3cret@127.0.0.1:9/x.img');
    expect(probe.ok).toBe(false);
    expect(JSON.stringify(probe)).not.toContain('s3cret');
  });
});

describe('SourceReader timeouts', () => {
  it('open gives up on a server that does not answer', async () => {
    server.use(
      http.get('http://images.test/slow.img', async () => {
        await delay('infinite');
        return new HttpResponse(null);
      }),
    );
    const clock = new FakeClock();
    const opening = rejection(
      new SourceReader(testFetch, { timeoutMs: 50, clock }).open('http://images.test/slow.img'),
    );
    await until(() => seen.some((request) => request.url === 'http://images.test/slow.img'));
    clock.advance(50);
    const error = await opening;
    expect(error.message).toBe('GET http://images.test/slow.img failed: no answer in time');
  });
});
