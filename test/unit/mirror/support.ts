import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import type { ImageDefinition, VersionDefinition } from '../../../src/definitions/types.js';
import type { ObjectStore } from '../../../src/mirror/store.js';
import type { MirrorRequest } from '../../../src/mirror/mirror.js';
import { SourceReader } from '../../../src/sources/source.js';
import { testFetch } from '../openstack/helpers.js';
import { FakeClock } from '../net/fake-clock.js';
import type { Clock } from '../../../src/util/clock.js';

export const UPSTREAM = 'http://upstream.test';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Bytes that differ at every offset, so a segment out of place shows. */
export function bytes(length: number, seed = 1): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + seed) % 251;
  return data;
}

/**
 * Serves files at UPSTREAM, with their length as a web server says it; a function makes a body of its own (a
 * stream that errors, one that stalls), without a length.
 */
export function upstream(server: SetupServer, files: Record<string, Buffer | (() => ReadableStream<Uint8Array>)>) {
  server.use(
    http.get(`${UPSTREAM}/:file`, ({ params }) => {
      const file = files[String(params.file)];
      if (file === undefined) return new HttpResponse(null, { status: 404 });
      if (typeof file === 'function') return new HttpResponse(file());
      return new HttpResponse(file, { headers: { 'content-length': String(file.length) } });
    }),
  );
}

export function version(name: string, checksum: string | undefined, url = `${UPSTREAM}/${name}.raw`) {
  const entry: VersionDefinition = { line: 1, version: name, url, meta: {} };
  if (checksum) entry.checksum = { algo: 'sha256', hex: checksum };
  return entry;
}

export function definition(shortname: string | undefined, versions: VersionDefinition[]): ImageDefinition {
  return {
    file: 'test.yml',
    line: 1,
    name: `Image ${shortname}`,
    enable: true,
    format: 'raw',
    ...(shortname ? { shortname } : {}),
    versions,
  } as unknown as ImageDefinition;
}

export function request(
  store: ObjectStore,
  definitions: ImageDefinition[],
  extra: Partial<MirrorRequest> = {},
  clock: Clock = new FakeClock(),
) {
  const warnings: string[] = [];
  const req: MirrorRequest = {
    store,
    reader: new SourceReader(testFetch),
    dryRun: false,
    segmentBytes: 1000,
    definitions,
    latest: false,
    prune: false,
    warn: (message) => warnings.push(message),
    stallMs: 30_000,
    clock,
    ...extra,
  };
  return { req, warnings };
}

/** A source that sends `length` bytes, then nothing: it ends only when the run is interrupted. */
export function sendsThenWaits(length: number): () => ReadableStream<Uint8Array> {
  return () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(length));
      },
    });
}
