import { createHash, createHmac } from 'node:crypto';
import { http, HttpResponse, type PathParams } from 'msw';
import type { SetupServer } from 'msw/node';
import { pino, type Logger } from 'pino';
import { type ApplyLimits, applyPlan, type RunReport } from '../../../src/apply/executor.js';
import { type ImportDeps, Importer, type ImportSettings } from '../../../src/apply/importer.js';
import { diffImage } from '../../../src/plan/diff.js';
import { asCreated } from '../../../src/plan/new-image.js';
import type { Action, DesiredImage, ImportAction } from '../../../src/plan/types.js';
import type { Checksum } from '../../../src/definitions/types.js';
import { Session } from '../../../src/openstack/identity.js';
import { GlanceClient, type GlanceImage, type ImageTask, type PatchOperation } from '../../../src/openstack/image.js';
import { SourceReader } from '../../../src/sources/source.js';
import type { Clock } from '../../../src/util/clock.js';
import { FakeClock } from '../net/fake-clock.js';
import { GLANCE, keystoneTokens, makeCloud, makeHttp, passwordAuth, testFetch } from '../openstack/helpers.js';

export const TAG = 'managed_by_osism';
/** The project the harness's runs work in (the fake's images are owned by it). */
export const PROJECT = 'p-1';
export const SOURCES = 'http://images.test';
/** The files of the source server a private mirror holds (see FakeCloud.tempUrlKey): `${SOURCES}/mirror-…`. */
const MIRRORED = '/mirror-';
const JSON_PATCH = 'application/openstack-images-v2.1-json-patch';

/**
 * How the fake Glance carries out one import request. The image shows `status` on the next `gets` looks at
 * it (a GET of the image, or a listing that shows it), or, with `ms`, until that much fake time has passed,
 * then the outcome: `active` (hashes from the bytes: the source's for web-download, the staged ones for
 * glance-direct), `fail` (back to `queued`, the task a failure with this message), or `stay` (forever).
 * While an import with a task runs, the image carries Glance's import lock (`os_glance_import_task`).
 */
export interface ImportScript {
  gets?: number;
  /** The import takes this long (fake time) instead of `gets` looks. */
  ms?: number;
  /** The import runs until this is true (instead of `gets` or `ms`): for tests of what runs at once. */
  until?: () => boolean;
  status?: 'importing' | 'queued';
  outcome?: 'active' | 'stay' | { fail: string };
  /** false: Glance records no task for the request (an import it lost). */
  task?: boolean;
  /**
   * true (default): the task's updated_at moves on with every GET while the import runs, as Glance's progress
   * callback saves it. false: it stops moving (Glance restarted mid-import and the task was orphaned).
   */
  heartbeat?: boolean;
}

/**
 * A lost answer on the way between the tool and Glance: `before`, the request never reached Glance; `after`,
 * Glance carried it out and the answer was lost. Either way the tool sees `status` (503 unless given).
 */
export interface Fault {
  method: string;
  /** Matches the path below /v2 when it ends with this string (`/images` is the create only), or the pattern. */
  path: string | RegExp;
  lose: 'before' | 'after';
  status?: number;
  /** How many matching requests it hits; default 1. */
  times?: number;
}

/** One request as the fake Glance received it, in arrival order. */
export interface GlanceRequest {
  method: string;
  /** Path below /v2, e.g. `/images/ID/import`. */
  path: string;
  imageId?: string;
  /** PATCH operations, POST /import's method, POST /images' body. */
  body?: unknown;
  /** The fake clock when the request arrived. */
  at: number;
  /** The image's status when the request arrived. */
  status?: string;
}

interface Pending {
  method: string;
  script: Required<Omit<ImportScript, 'ms' | 'until'>> & Pick<ImportScript, 'ms' | 'until'>;
  seen: number;
  startedAt: number;
  task?: ImageTask;
  bytes?: Uint8Array;
}

const READ_ONLY = new Set([
  'id',
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
  'owner',
  'created_at',
  'updated_at',
  'file',
  'schema',
  'self',
  'direct_url',
  'locations',
]);
const CORE = new Set([
  'name',
  'visibility',
  'os_hidden',
  'protected',
  'min_disk',
  'min_ram',
  'disk_format',
  'container_format',
  'tags',
]);

function error(status: number, message: string) {
  return HttpResponse.json({ message, code: status, title: 'fake glance' }, { status });
}

/** An in-memory Glance v2 (the parts the importer and the executor use) plus the image source server. */
export class FakeCloud {
  readonly images = new Map<string, GlanceImage>();
  readonly tasks = new Map<string, ImageTask[]>();
  readonly requests: GlanceRequest[] = [];
  /** Image ids Glance refuses to delete (in use by a server). */
  readonly inUse = new Set<string>();
  /** Bytes the source server holds, by URL; any other URL answers 404. */
  readonly sources = new Map<string, Uint8Array>();
  /** URLs the source server refuses with this status (403: a mirror that does not let the reader in). */
  readonly refused = new Map<string, number>();
  /** A private mirror: URLs under MIRRORED serve only with a Swift TempURL signed with this key. */
  tempUrlKey?: string;
  readonly sourceRequests: string[] = [];
  /** The bytes that arrived in each image's staging area. */
  readonly staged = new Map<string, Uint8Array>();
  /** Import methods the fake accepts. */
  methods = ['web-download', 'glance-direct'];
  /** Script of a web-download request; attempt counts earlier web-download requests for the image. */
  webDownload: (image: GlanceImage, attempt: number) => ImportScript = () => ({});
  glanceDirect: (image: GlanceImage) => ImportScript = () => ({});
  /**
   * What Glance stores of the bytes it imported: as they are by default; a converting Glance (image_conversion
   * to raw, as on Ceph) other bytes under another disk_format; a Glance that got other bytes, just other bytes.
   */
  stores: (bytes: Uint8Array) => { bytes: Uint8Array; disk_format?: string } = (bytes) => ({ bytes });
  /** Each image as it was when it first became public. */
  readonly firstPublic = new Map<string, GlanceImage>();
  /** Imports started and not yet finished (active or failed), and the most there were at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Uploads to staging areas under way, and the most there were at once. */
  uploading = 0;
  maxUploading = 0;
  /** Ids of deleted images: Glance never gives an id out again (a create with one answers 409). */
  readonly deletedIds = new Set<string>();
  /** Lost answers still to happen, and the ones that did ("METHOD /path before|after"). */
  readonly faults: Fault[] = [];
  readonly lostAnswers: string[] = [];
  /** A flaky proxy: every n-th request to Glance is answered 503, alternately before and after Glance saw it. */
  flakyEvery = 0;
  /** Glance's image_property_quota: more additional properties than this answer 413. */
  propertyQuota = Number.POSITIVE_INFINITY;
  /** false: Glance before API 2.12, no image tasks (GET /images/ID/tasks answers 404). */
  tasksApi = true;

  private readonly pending = new Map<string, Pending>();
  private readonly attempts = new Map<string, number>();
  private nextId = 0;
  private nextTask = 0;
  private glanceRequests = 0;

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** A bare image as Glance shows one; `seed` puts it in the cloud. */
  image(extra: Partial<GlanceImage> = {}): GlanceImage {
    const id = extra.id ?? this.newId();
    return {
      id,
      name: `image ${id}`,
      status: 'active',
      visibility: 'private',
      protected: false,
      os_hidden: false,
      tags: [],
      min_disk: 0,
      min_ram: 0,
      disk_format: 'qcow2',
      container_format: 'bare',
      size: null,
      checksum: null,
      os_hash_algo: null,
      os_hash_value: null,
      owner: 'p-1',
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
      ...extra,
    };
  }

  seed(
    image: GlanceImage,
    options: { running?: { method: string; script?: ImportScript; bytes?: Uint8Array } } = {},
  ): GlanceImage {
    this.images.set(image.id, structuredClone(image));
    if (options.running) {
      const task = this.addTask(image.id, options.running.method);
      this.startPending(image.id, options.running.method, options.running.script ?? {}, task, options.running.bytes);
    }
    return image;
  }

  /** Requests by method and path suffix, e.g. `of('POST', '/import')`. */
  of(method: string, suffix = ''): GlanceRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.endsWith(suffix));
  }

  /** "METHOD /path" of every request for an image, GETs left out. */
  writesTo(id: string): string[] {
    return this.requests
      .filter((r) => r.imageId === id && r.method !== 'GET')
      .map((r) => `${r.method} ${r.path.replace(id, 'ID')}`);
  }

  handlers() {
    const base = `${GLANCE}/v2`;
    return [
      http.post(
        `${base}/images`,
        this.faulty('POST', async ({ request }) => {
          const body = (await request.json()) as Record<string, unknown>;
          this.record('POST', '/images', undefined, body);
          return this.create(body);
        }),
      ),
      http.get(
        `${base}/images`,
        this.faulty('GET', ({ request }) => this.list(new URL(request.url).searchParams)),
      ),
      http.get(
        `${base}/images/:id`,
        this.faulty('GET', ({ params }) => {
          const id = String(params.id);
          this.record('GET', `/images/${id}`, id);
          const image = this.images.get(id);
          if (!image) return error(404, `No image found with ID ${id}`);
          this.advance(id, image);
          return HttpResponse.json(image);
        }),
      ),
      http.patch(
        `${base}/images/:id`,
        this.faulty('PATCH', async ({ request, params }) => {
          const id = String(params.id);
          const ops = (await request.json()) as PatchOperation[];
          this.record('PATCH', `/images/${id}`, id, ops);
          if (request.headers.get('content-type') !== JSON_PATCH) return error(415, 'wrong content type for PATCH');
          const image = this.images.get(id);
          if (!image) return error(404, `No image found with ID ${id}`);
          const result = applyPatch(image, ops);
          if (typeof result === 'string') return error(result.startsWith('403') ? 403 : 409, result);
          if (this.overQuota(result)) return error(413, 'Maximum number of image properties exceeded');
          this.images.set(id, result);
          this.notePublic(result);
          return HttpResponse.json(result);
        }),
      ),
      http.put(
        `${base}/images/:id/tags/:tag`,
        this.faulty('PUT', ({ params }) => {
          const id = String(params.id);
          this.record('PUT', `/images/${id}/tags/${String(params.tag)}`, id);
          const image = this.images.get(id);
          if (!image) return error(404, `No image found with ID ${id}`);
          if (!image.tags.includes(String(params.tag))) image.tags.push(String(params.tag));
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.delete(
        `${base}/images/:id/tags/:tag`,
        this.faulty('DELETE', ({ params }) => {
          const id = String(params.id);
          this.record('DELETE', `/images/${id}/tags/${String(params.tag)}`, id);
          const image = this.images.get(id);
          if (!image) return error(404, `No image found with ID ${id}`);
          if (!image.tags.includes(String(params.tag))) return error(404, `Tag ${String(params.tag)} not found`);
          image.tags = image.tags.filter((t) => t !== String(params.tag));
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.post(
        `${base}/images/:id/import`,
        this.faulty('POST', async ({ request, params }) => {
          const id = String(params.id);
          const body = (await request.json()) as { method?: { name?: string; uri?: string } };
          this.record('POST', `/images/${id}/import`, id, body.method);
          return this.startImport(id, body.method ?? {});
        }),
      ),
      http.put(
        `${base}/images/:id/stage`,
        this.faulty('PUT', async ({ request, params }) => {
          const id = String(params.id);
          this.record('PUT', `/images/${id}/stage`, id);
          const image = this.images.get(id);
          if (!image) return error(404, `No image found with ID ${id}`);
          this.dropLost(id);
          if (image.status !== 'queued')
            return error(409, `Image status transition from ${image.status} to uploading is not allowed`);
          this.uploading++;
          this.maxUploading = Math.max(this.maxUploading, this.uploading);
          try {
            this.staged.set(id, new Uint8Array(await request.arrayBuffer()));
          } finally {
            this.uploading--;
          }
          image.status = 'uploading';
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.post(
        `${base}/images/:id/actions/:action`,
        this.faulty('POST', ({ params }) => {
          const id = String(params.id);
          const action = String(params.action);
          this.record('POST', `/images/${id}/actions/${action}`, id);
          const image = this.images.get(id);
          if (!image) return error(404, `No image found with ID ${id}`);
          if (action === 'deactivate' && (image.status === 'active' || image.status === 'deactivated'))
            image.status = 'deactivated';
          else if (action === 'reactivate' && (image.status === 'active' || image.status === 'deactivated'))
            image.status = 'active';
          else return error(403, `Not allowed to ${action} an image in status ${image.status}`);
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.delete(
        `${base}/images/:id`,
        this.faulty('DELETE', ({ params }) => {
          const id = String(params.id);
          this.record('DELETE', `/images/${id}`, id);
          if (!this.images.has(id)) return error(404, `No image found with ID ${id}`);
          if (this.images.get(id)?.protected) return error(403, `Image ${id} is protected and cannot be deleted`);
          if (this.inUse.has(id)) return error(409, `Image ${id} is in use`);
          this.images.delete(id);
          this.deletedIds.add(id);
          if (this.pending.delete(id)) this.inFlight--;
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.get(
        `${base}/images/:id/tasks`,
        this.faulty('GET', ({ params }) => {
          const id = String(params.id);
          this.record('GET', `/images/${id}/tasks`, id);
          if (!this.tasksApi) return error(404, 'The resource could not be found.');
          if (!this.images.has(id)) return error(404, `No image found with ID ${id}`);
          // Oldest first: the client must sort them itself.
          return HttpResponse.json({ tasks: this.tasks.get(id) ?? [] });
        }),
      ),
      http.head(`${SOURCES}/:file`, ({ request }) => {
        this.sourceRequests.push(`HEAD ${request.url}`);
        const refused = this.refused.get(request.url) ?? this.unsigned(request.url);
        if (refused) return new HttpResponse(null, { status: refused });
        const bytes = this.sourceBytes(request.url);
        if (!bytes) return new HttpResponse(null, { status: 404 });
        return new HttpResponse(null, { status: 200, headers: { 'Content-Length': String(bytes.length) } });
      }),
      http.get(`${SOURCES}/:file`, ({ request }) => {
        this.sourceRequests.push(`GET ${request.url}`);
        const refused = this.refused.get(request.url) ?? this.unsigned(request.url);
        if (refused) return new HttpResponse('refused', { status: refused });
        const bytes = this.sourceBytes(request.url);
        if (!bytes) return new HttpResponse('not here', { status: 404 });
        // In two chunks, so that a hash over the stream has to see both.
        const half = Math.floor(bytes.length / 2);
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes.slice(0, half));
            controller.enqueue(bytes.slice(half));
            controller.close();
          },
        });
        return new HttpResponse(stream, { status: 200, headers: { 'Content-Length': String(bytes.length) } });
      }),
    ];
  }

  /** Wraps a handler in the faults (and the flaky proxy): the request may never arrive, or its answer be lost. */
  private faulty(
    method: string,
    resolver: (args: { request: Request; params: PathParams }) => Response | Promise<Response>,
  ): (args: { request: Request; params: PathParams }) => Promise<Response> {
    return async (args) => {
      const path = new URL(args.request.url).pathname.replace(/^.*?\/v2/, '');
      const fault = this.takeFault(method, path);
      if (fault?.lose === 'before') return this.lose(method, path, fault);
      const response = await resolver(args);
      return fault ? this.lose(method, path, fault) : response;
    };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    this.glanceRequests++;
    if (this.flakyEvery > 0 && this.glanceRequests % this.flakyEvery === 0) {
      return { method, path, lose: (this.glanceRequests / this.flakyEvery) % 2 === 1 ? 'before' : 'after' };
    }
    const index = this.faults.findIndex(
      (f) => f.method === method && (typeof f.path === 'string' ? path.endsWith(f.path) : f.path.test(path)),
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private lose(method: string, path: string, fault: Fault): Response {
    this.lostAnswers.push(`${method} ${path} ${fault.lose}`);
    return error(fault.status ?? 503, 'Service Unavailable (fake proxy)');
  }

  private overQuota(image: GlanceImage): boolean {
    const bare = new Set([...Object.keys(this.image({ id: 'x' })), 'virtual_size']);
    const properties = Object.keys(image).filter((key) => !bare.has(key) && !key.startsWith('os_glance_'));
    return properties.length > this.propertyQuota;
  }

  /**
   * GET /v2/images: the filters the tool sends (`id=in:…`, `tag`, `os_hidden`, false unless given), one page.
   * Every image listed counts as a look at it, as a GET of it does.
   */
  private list(query: URLSearchParams) {
    const ids = query.get('id')?.replace(/^in:/, '').split(',');
    const hidden = query.get('os_hidden') === 'true';
    const tags = query.getAll('tag');
    this.record('GET', '/images', undefined, { ...(ids ? { ids } : {}), os_hidden: hidden });
    const images = [...this.images.values()].filter(
      (image) =>
        (!ids || ids.includes(image.id)) && image.os_hidden === hidden && tags.every((tag) => image.tags.includes(tag)),
    );
    for (const image of images) this.advance(image.id, image);
    return HttpResponse.json({ images });
  }

  /** The listings (`GET /v2/images`) the fake answered, with the ids each asked for. */
  listings(): Array<GlanceRequest & { body: { ids?: string[]; os_hidden: boolean } }> {
    return this.requests.filter((r) => r.method === 'GET' && r.path === '/images') as Array<
      GlanceRequest & { body: { ids?: string[]; os_hidden: boolean } }
    >;
  }

  private record(method: string, path: string, imageId: string | undefined, body?: unknown): void {
    const status = imageId ? this.images.get(imageId)?.status : undefined;
    this.requests.push({
      method,
      path,
      ...(imageId ? { imageId } : {}),
      ...(body !== undefined ? { body } : {}),
      at: this.clock.now(),
      ...(status ? { status } : {}),
    });
  }

  private newId(): string {
    this.nextId++;
    return `00000000-0000-4000-8000-${String(this.nextId).padStart(12, '0')}`;
  }

  private create(body: Record<string, unknown>) {
    const id = typeof body.id === 'string' ? body.id : this.newId();
    if (this.images.has(id) || this.deletedIds.has(id))
      return error(409, `Image with identifier ${id} already exists!`);
    const image = this.image({
      id,
      name: (body.name as string | undefined) ?? null,
      status: 'queued',
      visibility: (body.visibility as GlanceImage['visibility'] | undefined) ?? 'shared',
      tags: [...((body.tags as string[] | undefined) ?? [])],
      min_disk: (body.min_disk as number | undefined) ?? 0,
      min_ram: (body.min_ram as number | undefined) ?? 0,
      disk_format: (body.disk_format as string | undefined) ?? null,
      container_format: (body.container_format as string | undefined) ?? null,
    });
    for (const [key, value] of Object.entries(body)) {
      if (CORE.has(key) || key === 'id') continue;
      if (READ_ONLY.has(key)) return error(403, `Attribute '${key}' is read-only.`);
      if (typeof value !== 'string') return error(400, `Property ${key} must be a string`);
      image[key] = value;
    }
    if (this.overQuota(image)) return error(413, 'Maximum number of image properties exceeded');
    this.images.set(id, image);
    this.notePublic(image);
    return HttpResponse.json(image, { status: 201 });
  }

  private startImport(id: string, method: { name?: string; uri?: string }) {
    const image = this.images.get(id);
    if (!image) return error(404, `No image found with ID ${id}`);
    const name = method.name ?? '';
    if (!this.methods.includes(name)) return error(400, `Import method ${name} is not enabled`);
    this.dropLost(id);
    if (this.pending.has(id)) return error(409, `Image ${id} is being imported already`);
    let script: ImportScript;
    let bytes: Uint8Array | undefined;
    if (name === 'web-download') {
      if (image.status !== 'queued') return error(409, `Image status ${image.status} is not queued`);
      const attempt = this.attempts.get(id) ?? 0;
      this.attempts.set(id, attempt + 1);
      script = this.webDownload(image, attempt);
      // web-download fetches nothing here: the bytes are the ones the source server holds for the URI.
      bytes = method.uri && !this.unsigned(method.uri) ? this.sourceBytes(method.uri) : undefined;
    } else if (name === 'glance-direct') {
      if (image.status !== 'uploading') return error(409, `Image ${id} has no staged data (status ${image.status})`);
      script = this.glanceDirect(image);
      bytes = this.staged.get(id);
    } else {
      return error(400, `unsupported method ${name}`);
    }
    const task = script.task === false ? undefined : this.addTask(id, name);
    this.startPending(id, name, script, task, bytes);
    return new HttpResponse(null, { status: 202 });
  }

  /** The bytes a source URL serves: a signed one's are those of the URL without its query. */
  private sourceBytes(url: string): Uint8Array | undefined {
    const plain = new URL(url);
    plain.search = '';
    return this.sources.get(url) ?? this.sources.get(plain.toString());
  }

  /** 401 for a private mirror's URL without a valid TempURL signature, as Swift's tempurl middleware answers. */
  private unsigned(url: string): number | undefined {
    const target = new URL(url);
    if (!this.tempUrlKey || !target.pathname.startsWith(MIRRORED)) return undefined;
    const expires = target.searchParams.get('temp_url_expires') ?? '';
    const want = createHmac('sha256', this.tempUrlKey).update(`GET\n${expires}\n${target.pathname}`).digest('hex');
    return target.searchParams.get('temp_url_sig') === want ? undefined : 401;
  }

  private startPending(
    id: string,
    method: string,
    script: ImportScript,
    task: ImageTask | undefined,
    bytes: Uint8Array | undefined,
  ) {
    const full: Pending['script'] = {
      gets: 2,
      status: 'importing',
      outcome: 'active',
      task: true,
      heartbeat: true,
      ...script,
    };
    const startedAt = this.clock.now();
    const pending: Pending = { method, script: full, seen: 0, startedAt, ...(task ? { task } : {}) };
    this.pending.set(id, { ...pending, ...(bytes ? { bytes } : {}) });
    const image = this.images.get(id);
    if (image) image.status = full.status;
    // Glance's import lock: taken with the task, dropped when the task ends.
    if (image && task) image.os_glance_import_task = task.id;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  /** An import Glance lost (no task) holds nothing: a new request may start over. */
  private dropLost(id: string): void {
    const pending = this.pending.get(id);
    if (pending && !pending.task) {
      this.pending.delete(id);
      this.inFlight--;
    }
  }

  private addTask(id: string, method: string): ImageTask {
    this.nextTask++;
    const at = `2025-01-01T00:${String(Math.floor(this.nextTask / 60)).padStart(2, '0')}:${String(this.nextTask % 60).padStart(2, '0')}Z`;
    const task: ImageTask = {
      id: `task-${this.nextTask}`,
      type: 'api_image_import',
      status: 'processing',
      created_at: at,
      updated_at: at,
      image_id: id,
      input: { import_req: { method: { name: method } } },
    };
    this.tasks.set(id, [...(this.tasks.get(id) ?? []), task]);
    return task;
  }

  /** A GET of an image with an import under way: counts it and, when it is time, applies the outcome. */
  private advance(id: string, image: GlanceImage): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    const { ms, gets, until, outcome } = pending.script;
    const running = until
      ? !until()
      : ms !== undefined
        ? this.clock.now() - pending.startedAt < ms
        : pending.seen < gets;
    if (running || outcome === 'stay') {
      pending.seen++;
      if (pending.task && pending.script.heartbeat) pending.task.updated_at = new Date(this.clock.now()).toISOString();
      return;
    }
    this.pending.delete(id);
    this.inFlight--;
    if (pending.task && image.os_glance_import_task === pending.task.id) delete image.os_glance_import_task;
    if (outcome === 'active') {
      const stored = this.stores(pending.bytes ?? new Uint8Array());
      const { bytes } = stored;
      if (stored.disk_format) image.disk_format = stored.disk_format;
      image.status = 'active';
      image.size = bytes.length;
      image.checksum = createHash('md5').update(bytes).digest('hex');
      image.os_hash_algo = 'sha512';
      image.os_hash_value = createHash('sha512').update(bytes).digest('hex');
      if (pending.task) pending.task.status = 'success';
    } else {
      image.status = 'queued';
      if (pending.task) Object.assign(pending.task, { status: 'failure', message: outcome.fail });
    }
  }

  private notePublic(image: GlanceImage): void {
    if (image.visibility === 'public' && !this.firstPublic.has(image.id))
      this.firstPublic.set(image.id, structuredClone(image));
  }
}

/** Glance's JSON patch: all or nothing; `replace`/`remove` of an absent property and read-only fields refused. */
function applyPatch(image: GlanceImage, ops: PatchOperation[]): GlanceImage | string {
  const next = structuredClone(image);
  for (const op of ops) {
    const key = op.path.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
    if (READ_ONLY.has(key)) return `403 Attribute '${key}' is read-only.`;
    if (op.op === 'remove') {
      if (CORE.has(key)) return `403 Cannot remove the core attribute '${key}'`;
      if (!(key in next)) return `Property ${key} does not exist.`;
      delete next[key];
      continue;
    }
    if (op.op === 'replace' && !CORE.has(key) && !(key in next)) return `Property ${key} does not exist.`;
    if (key === 'visibility' && !['public', 'private', 'shared', 'community'].includes(String(op.value)))
      return `bad visibility ${String(op.value)}`;
    if (!CORE.has(key) && typeof op.value !== 'string') return `Property ${key} must be a string`;
    next[key] = op.value;
  }
  return next;
}

// ---------------------------------------------------------------------------------------------------------
// Plans and the run harness

export interface LogLine {
  level: number;
  msg: string;
}

export interface Harness {
  cloud: FakeCloud;
  /** Fake time: the importer's sleeps pass it (FakeClock.pass). */
  clock: FakeClock;
  logs: LogLine[];
  glance: GlanceClient;
  log: Logger;
  warnings(): string[];
  /** Runs the actions; `limits` is --parallel and --max-importing (default: 1 and 16). */
  run(actions: Action[], limits?: ApplyLimits): Promise<RunReport>;
}

/** The fake cloud on the msw server, a Glance client on it, and an Importer with fake time. */
export function harness(
  server: SetupServer,
  settings: Partial<ImportSettings> = {},
  deps: Pick<ImportDeps, 'signer'> = {},
): Harness {
  const clock = new FakeClock(1_000_000);
  const cloud = new FakeCloud(clock);
  const { handler } = keystoneTokens();
  server.use(handler, ...cloud.handlers());
  const glance = new GlanceClient(new Session(makeHttp().http, makeCloud(passwordAuth())));
  const logs: LogLine[] = [];
  const log: Logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
  );
  const importer = new Importer(
    {
      glance,
      sources: new SourceReader(testFetch),
      log,
      // Fake time moves on at once; the turn of the event loop lets real work (an upload) move on meanwhile.
      sleep: (ms) => clock.pass(ms),
      now: () => clock.now(),
      ...deps,
    },
    {
      tag: TAG,
      wait: true,
      importTimeoutMs: 3_600_000,
      stuckRetry: 0,
      prefetch: 'never',
      methods: ['web-download', 'glance-direct'],
      stuckAfterMs: 60_000,
      projectId: PROJECT,
      ...settings,
    },
  );
  return {
    cloud,
    clock,
    logs,
    glance,
    log,
    warnings: () => logs.filter((l) => l.level === 40).map((l) => l.msg),
    run: (actions, limits = { parallel: 1 }) =>
      applyPlan(
        { actions, notes: [], definitions: [] },
        { glance, importer, log, now: () => clock.now(), sleep: (ms) => clock.pass(ms) },
        limits,
      ),
  };
}

/** Image data as a source serves it: a qcow2 (version 3) header, so the format check passes, then `text`. */
export function bytesOf(text: string): Uint8Array {
  const header = new Uint8Array(112);
  header.set([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]);
  return new Uint8Array([...header, ...new TextEncoder().encode(text)]);
}

export function digest(algo: string, bytes: Uint8Array): Checksum {
  return { algo, hex: createHash(algo).update(bytes).digest('hex') };
}

/** The image of version `version` of `definition`, as the planner describes a new current version. */
export function desired(definition: string, version: string, overrides: Partial<DesiredImage> = {}): DesiredImage {
  return {
    definition,
    version,
    name: `${definition} (${version})`,
    properties: {
      image_name: definition,
      internal_version: version,
      image_original_user: 'ubuntu',
      os_distro: 'ubuntu',
      os_purpose: 'generic',
      hw_disk_bus: 'scsi',
      image_source: `${SOURCES}/${version}.qcow2`,
      replace_frequency: 'quarterly',
    },
    disk_format: 'qcow2',
    min_disk: 8,
    min_ram: 512,
    tags: [TAG, 'os:ubuntu'],
    visibility: 'public',
    os_hidden: false,
    status: 'active',
    ...overrides,
  };
}

export function importOf(
  seq: number,
  want: DesiredImage,
  source: { url?: string; mirror?: string; checksum?: Checksum } = {},
  after: number[] = [],
): ImportAction {
  const url = { origin: 'url' as const, url: source.url ?? `${SOURCES}/${want.version}.qcow2` };
  return {
    kind: 'import',
    seq,
    definition: want.definition,
    summary: `import ${want.name}`,
    after,
    desired: want,
    source: {
      from: source.mirror ? [{ origin: 'mirror', url: source.mirror }, url] : [url],
      ...(source.checksum ? { checksum: source.checksum } : {}),
    },
    // As the planner finishes a new image: from the image as created to `want`.
    changes: diffImage(want, asCreated(want, TAG)),
  };
}
