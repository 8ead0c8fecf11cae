import { mirrorObjectUrl } from '../definitions/mirror-object.js';
import type { SloSegment, SwiftClient } from '../openstack/object-store.js';
import type { Clock } from '../util/clock.js';
import { Segmenter } from './segments.js';
import { type AbandonedUpload, naming, type ObjectStore, storedObject, type UploadPlan } from './store.js';

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
      return found && storedObject(found.meta);
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
        const known = plan.verify();
        const replaced = plan.replacing ? await this.segmentsOfOurs(name) : [];
        await this.swift.putManifest(this.container, name, segments, { ...plan.metadata, ...known });
        await this.removeSegments(replaced.filter((path) => !path.startsWith(`/${this.container}/${prefix}`)));
      } catch (error) {
        await segmenter.cancel(error);
        await this.removeSegments(written.map((path) => `/${this.container}/${path}`));
        throw error;
      }
    });
  }

  /**
   * The segments of the object this upload replaces, when it is this tool's manifest: deleted once the new
   * manifest is in place, else every copy again leaves the old image's size behind. Only paths under this
   * object's own segment folder: a manifest may list any object, and nothing else is ever deleted.
   */
  private async segmentsOfOurs(name: string): Promise<string[]> {
    const found = await this.swift.head(this.container, name);
    if (!found?.manifest || !storedObject(found.meta).ours) return [];
    const own = `/${this.container}/${SEGMENT_PREFIX}${name}/`;
    return (await this.swift.manifestSegments(this.container, name)).filter(
      (path) => path.startsWith(own) && !path.slice(own.length).split('/').includes('..'),
    );
  }

  remove(name: string): Promise<void> {
    return naming(this.where, name, () => this.swift.delete(this.container, name, true));
  }

  list(prefix: string): Promise<string[]> {
    return naming(this.where, prefix, () => this.swift.list(this.container, prefix));
  }

  async urlOf(name: string): Promise<string> {
    return mirrorObjectUrl(await this.swift.account(), this.container, name);
  }

  /** Segment folders `<object>/<time>/` under SEGMENT_PREFIX, begun before `before`, that the object does not list. */
  abandoned(prefix: string, before: number): Promise<AbandonedUpload[]> {
    return naming(this.where, `${SEGMENT_PREFIX}${prefix}`, async () => {
      // The old folders by object: each object's manifest is read once.
      const folders = new Map<string, Set<string>>();
      for (const name of await this.swift.list(this.container, `${SEGMENT_PREFIX}${prefix}`)) {
        const parts = name.slice(SEGMENT_PREFIX.length).split('/');
        const time = parts.at(-2) ?? '';
        if (parts.length < 3 || !/^\d+$/.test(time) || Number(time) >= before) continue;
        const object = parts.slice(0, -2).join('/');
        folders.set(
          object,
          (folders.get(object) ?? new Set()).add(`${SEGMENT_PREFIX}${parts.slice(0, -1).join('/')}/`),
        );
      }
      const found: AbandonedUpload[] = [];
      for (const [object, ids] of folders) {
        const held = await this.segmentsOfOurs(object);
        for (const id of ids) {
          if (!held.some((path) => path.startsWith(`/${this.container}/${id}`))) found.push({ object, id });
        }
      }
      return found;
    });
  }

  discard(upload: AbandonedUpload): Promise<void> {
    return naming(this.where, upload.id, async () => {
      const names = await this.swift.list(this.container, upload.id);
      await this.removeSegments(names.map((name) => `/${this.container}/${name}`));
    });
  }

  /** Best effort: a segment that cannot be deleted is garbage under SEGMENT_PREFIX, never a wrong image. */
  private async removeSegments(paths: string[]): Promise<void> {
    const inContainer = `/${this.container}/`;
    for (const path of paths) {
      await this.swift.delete(this.container, path.slice(inContainer.length)).catch(() => undefined);
    }
  }
}
