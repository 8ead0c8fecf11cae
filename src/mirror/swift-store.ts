import type { SloSegment, SwiftClient } from '../openstack/object-store.js';
import type { Clock } from '../util/clock.js';
import { Segmenter } from './segments.js';
import type { ObjectStore, UploadPlan } from './store.js';
import { CHECKSUM_KEY, MARKER_KEY, MARKER_VALUE, naming, objectUrl } from './store.js';

/** Where segments live: in the same container (so a public container serves them), apart from the images. */
export const SEGMENT_PREFIX = '.image-manager-segments/';

/**
 * A Swift container. Every object is a static large object: its segments are streamed (chunked, no length
 * needed, memory flat) under SEGMENT_PREFIX, and the manifest, the only thing under the final name, is put
 * only after the source's checksum was verified. A lying source thus never leaves a wrong object under the
 * name (a plain PUT would replace a good object before its bytes could be checked); its segments are deleted.
 */
export class SwiftStore implements ObjectStore {
  readonly where: string;
  /** The container made sure of, once per run, before the first upload (a missing one is created). */
  private created?: Promise<void>;

  constructor(
    private readonly swift: SwiftClient,
    private readonly container: string,
    private readonly clock: Clock,
  ) {
    this.where = `swift container ${container}`;
  }

  head(name: string) {
    return naming(this.where, name, async () => {
      const found = await this.swift.head(this.container, name);
      if (!found) return undefined;
      const checksum = found.meta(CHECKSUM_KEY);
      return { ours: found.meta(MARKER_KEY) === MARKER_VALUE, ...(checksum ? { checksum } : {}) };
    });
  }

  upload(name: string, stream: ReadableStream<Uint8Array>, plan: UploadPlan): Promise<void> {
    return naming(this.where, name, async () => {
      this.created ??= this.swift.createContainer(this.container);
      await this.created;
      const prefix = `${SEGMENT_PREFIX}${name}/${this.clock.now()}/`;
      const segmenter = new Segmenter(stream, plan.segmentBytes);
      const written: string[] = [];
      const segments: SloSegment[] = [];
      try {
        while (await segmenter.more()) {
          const path = `${prefix}${String(segments.length + 1).padStart(6, '0')}`;
          written.push(path);
          const etag = await this.swift.putStream(this.container, path, segmenter.segment());
          segments.push({ path: `/${this.container}/${path}`, etag, size_bytes: segmenter.lastSize });
        }
        plan.verify();
        await this.swift.putManifest(this.container, name, segments, plan.metadata);
      } catch (error) {
        await segmenter.cancel(error);
        await this.removeSegments(written);
        throw error;
      }
    });
  }

  remove(name: string): Promise<void> {
    return naming(this.where, name, () => this.swift.delete(this.container, name, true));
  }

  list(prefix: string): Promise<string[]> {
    return naming(this.where, prefix, () => this.swift.list(this.container, prefix));
  }

  async urlOf(name: string): Promise<string> {
    return objectUrl(await this.swift.account(), this.container, name);
  }

  /** Best effort: a segment that cannot be deleted is garbage under SEGMENT_PREFIX, never a wrong image. */
  private async removeSegments(paths: string[]): Promise<void> {
    for (const path of paths) await this.swift.delete(this.container, path).catch(() => undefined);
  }
}
