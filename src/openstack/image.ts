// Over 300 lines: Glance's image API is one client, a few lines per call, with the types those calls carry.
import { isDeepStrictEqual } from 'node:util';
import { isHttpStatus } from './errors.js';
import type { Session } from './identity.js';
import { emptyResponse, type HttpResponse, type RequestBody } from './request.js';

export type ImageStatus =
  | 'queued'
  | 'saving'
  | 'uploading'
  | 'importing'
  | 'active'
  | 'deactivated'
  | 'killed'
  | 'deleted'
  | 'pending_delete';
export type Visibility = 'public' | 'private' | 'shared' | 'community';

/** A Glance v2 image: the core fields plus every additional property (all strings in Glance). */
export interface GlanceImage {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: Visibility;
  protected: boolean;
  os_hidden: boolean;
  tags: string[];
  min_disk: number;
  min_ram: number;
  disk_format: string | null;
  container_format: string | null;
  size: number | null;
  virtual_size?: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  owner: string | null;
  created_at: string;
  updated_at: string;
  [property: string]: unknown;
}

export interface ListFilters {
  visibility?: Visibility | 'all';
  os_hidden?: boolean;
  /** Images carrying all of these tags. */
  tags?: string[];
  name?: string;
  /**
   * `in:ID1,ID2,…` (or one id): the images with these ids. Glance 25 filters `id` with `in:` like `name`
   * (api-wg comma-separated values); the URL bounds how many fit, so a caller asks for a few dozen at a time.
   */
  id?: string;
  status?: ImageStatus;
  owner?: string;
  member_status?: 'accepted' | 'pending' | 'rejected' | 'all';
  /** Page size; Glance caps it at its api_limit_max (1000 by default). */
  pageSize?: number;
}

export interface CreateImage {
  /** A fixed id makes the create safe to repeat: a lost answer is recovered by reading the image. */
  id?: string;
  name: string;
  disk_format: string;
  container_format: string;
  visibility?: Visibility;
  min_disk?: number;
  min_ram?: number;
  tags?: string[];
  protected?: boolean;
  os_hidden?: boolean;
  [property: string]: unknown;
}

export type PatchOperation = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

export interface ImportInfo {
  methods: string[];
}

export type ImportMethod = { name: 'web-download'; uri: string } | { name: 'glance-direct' } | { name: 'copy-image' };

export interface ImageMember {
  member_id: string;
  image_id: string;
  status: 'pending' | 'accepted' | 'rejected';
  created_at?: string;
  updated_at?: string;
}

export interface ImageTask {
  id: string;
  type: string;
  status: 'pending' | 'processing' | 'success' | 'failure';
  message?: string;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

const JSON_PATCH = 'application/openstack-images-v2.1-json-patch';

/** Glance's image API v2, each call typed. No decisions here: the planner decides what to call. */
export class GlanceClient {
  constructor(
    private readonly session: Session,
    private readonly endpointOverride?: string,
  ) {}

  private async url(path: string): Promise<string> {
    return `${await this.session.endpoint('image', this.endpointOverride)}${path}`;
  }

  /**
   * Every image matching the filters, across pages. Glance's own `next` link is relative to its root and
   * breaks behind a path-prefixed endpoint, so the next page is asked for with a marker here.
   */
  async listImages(filters: ListFilters = {}): Promise<GlanceImage[]> {
    const query = new URLSearchParams();
    query.set('limit', String(filters.pageSize ?? 1000));
    if (filters.visibility) query.set('visibility', filters.visibility);
    if (filters.os_hidden !== undefined) query.set('os_hidden', String(filters.os_hidden));
    for (const tag of filters.tags ?? []) query.append('tag', tag);
    if (filters.name !== undefined) query.set('name', filters.name);
    if (filters.id !== undefined) query.set('id', filters.id);
    if (filters.status) query.set('status', filters.status);
    if (filters.owner) query.set('owner', filters.owner);
    if (filters.member_status) query.set('member_status', filters.member_status);
    query.set('sort', 'created_at:asc,id:asc');

    const images: GlanceImage[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = new URLSearchParams(query);
      if (marker) page.set('marker', marker);
      const response = await this.session.request({ method: 'GET', url: await this.url(`/v2/images?${page}`) });
      const body = response.json<{ images: GlanceImage[]; next?: string }>();
      images.push(...body.images);
      const last = body.images.at(-1);
      if (!body.next || !last) return images;
      marker = last.id;
    }
  }

  /**
   * Every image matching the filters, visible and hidden: Glance lists only one kind per request, so this
   * sends two listings at once. An image whose os_hidden changed between them is kept once.
   */
  async listAllImages(filters: Omit<ListFilters, 'visibility' | 'os_hidden'> = {}): Promise<GlanceImage[]> {
    const listing = (os_hidden: boolean) => this.listImages({ ...filters, visibility: 'all', os_hidden });
    const [visible, hidden] = await Promise.all([listing(false), listing(true)]);
    const seen = new Set<string>();
    return [...visible, ...hidden].filter((image) => !seen.has(image.id) && seen.add(image.id));
  }

  async getImage(id: string): Promise<GlanceImage> {
    const response = await this.session.request({ method: 'GET', url: await this.url(`/v2/images/${enc(id)}`) });
    return response.json<GlanceImage>();
  }

  /**
   * Never repeated blindly: a lost answer could leave two images behind. With a fixed `id` a create whose
   * outcome is unknown is recovered: the image with that id is the answer, and only when there is none is
   * the create sent again. Without an id the error goes to the caller (`outcomeUnknown` tells).
   */
  async createImage(image: CreateImage): Promise<GlanceImage> {
    const { id } = image;
    const response = await this.session.request({
      method: 'POST',
      url: await this.url('/v2/images'),
      json: image,
      idempotent: false,
      ...(typeof id === 'string' ? { recover: () => this.found(`/v2/images/${enc(id)}`) } : {}),
    });
    return response.json<GlanceImage>();
  }

  /**
   * Applies all operations in one request. Repeated freely when no operation is a `remove` (setting a value
   * twice is harmless); with a `remove` (which fails when repeated), a lost answer is recovered by reading
   * the image: when it shows every operation applied, that is the answer, else the patch is sent again.
   */
  async updateImage(id: string, operations: PatchOperation[]): Promise<GlanceImage> {
    const url = await this.url(`/v2/images/${enc(id)}`);
    const response = await this.session.request({
      method: 'PATCH',
      url,
      json: operations,
      contentType: JSON_PATCH,
      idempotent: operations.every((operation) => operation.op !== 'remove'),
      recover: async () => {
        const current = await this.session.request({ method: 'GET', url });
        return patchApplied(current.json<GlanceImage>(), operations) ? current : undefined;
      },
    });
    return response.json<GlanceImage>();
  }

  async addTag(id: string, tag: string): Promise<void> {
    await this.session.request({ method: 'PUT', url: await this.url(`/v2/images/${enc(id)}/tags/${enc(tag)}`) });
  }

  /** A 404 answering the repeat of a removal whose answer was lost means the first one did it. */
  async removeTag(id: string, tag: string): Promise<void> {
    await this.session.request({
      method: 'DELETE',
      url: await this.url(`/v2/images/${enc(id)}/tags/${enc(tag)}`),
      okOnRepeat: [404],
    });
  }

  async deactivate(id: string): Promise<void> {
    await this.session.request({
      method: 'POST',
      url: await this.url(`/v2/images/${enc(id)}/actions/deactivate`),
      idempotent: true,
    });
  }

  async reactivate(id: string): Promise<void> {
    await this.session.request({
      method: 'POST',
      url: await this.url(`/v2/images/${enc(id)}/actions/reactivate`),
      idempotent: true,
    });
  }

  /** A 404 on the first attempt is the caller's to judge; on the repeat of a lost one it means done. */
  async deleteImage(id: string): Promise<void> {
    await this.session.request({ method: 'DELETE', url: await this.url(`/v2/images/${enc(id)}`), okOnRepeat: [404] });
  }

  async importInfo(): Promise<ImportInfo> {
    const response = await this.session.request({ method: 'GET', url: await this.url('/v2/info/import') });
    const body = response.json<{ 'import-methods'?: { value?: string[] } }>();
    return { methods: body['import-methods']?.value ?? [] };
  }

  /**
   * Starts an import. Not repeated blindly (a second call could start a second task); when its outcome is
   * unknown, it is sent again only if Glance shows no sign of it: no pending or running task, the image
   * neither importing nor active, no import lock (`os_glance_import_task`).
   */
  async importImage(id: string, method: ImportMethod): Promise<void> {
    await this.session.request({
      method: 'POST',
      url: await this.url(`/v2/images/${enc(id)}/import`),
      json: { method },
      idempotent: false,
      recover: async () => ((await this.importUnderway(id)) ? emptyResponse(202) : undefined),
    });
  }

  private async importUnderway(id: string): Promise<boolean> {
    const image = await this.getImage(id);
    if (image.status === 'importing' || image.status === 'active' || image.os_glance_import_task) return true;
    const tasks = await this.listTasks(id).catch((error: unknown) => {
      if (isHttpStatus(error, 404)) return []; // Glance before API 2.12 has no image tasks
      throw error;
    });
    return tasks.some((task) => task.status === 'pending' || task.status === 'processing');
  }

  /**
   * Uploads the image data to the staging area for a later glance-direct import, with backpressure (memory
   * stays flat for any size). Sent once, never repeated. `timeoutMs` is the longest stall allowed (no byte
   * moved, or no answer after the last one; default the client's timeout), not a limit on the whole upload.
   */
  async stageImage(id: string, data: RequestBody, options: { size?: number; timeoutMs?: number } = {}): Promise<void> {
    await this.session.request({
      method: 'PUT',
      url: await this.url(`/v2/images/${enc(id)}/stage`),
      body: data,
      contentType: 'application/octet-stream',
      headers: options.size !== undefined ? { 'Content-Length': String(options.size) } : {},
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async listMembers(id: string): Promise<ImageMember[]> {
    const url = await this.url(`/v2/images/${enc(id)}/members`);
    const response = await this.session.request({ method: 'GET', url });
    return response.json<{ members: ImageMember[] }>().members;
  }

  /** A lost answer is recovered by reading the member: the share is the answer, or it is sent again. */
  async addMember(id: string, memberId: string): Promise<ImageMember> {
    const response = await this.session.request({
      method: 'POST',
      url: await this.url(`/v2/images/${enc(id)}/members`),
      json: { member: memberId },
      idempotent: false,
      recover: () => this.found(`/v2/images/${enc(id)}/members/${enc(memberId)}`),
    });
    return response.json<ImageMember>();
  }

  async updateMember(id: string, memberId: string, status: ImageMember['status']): Promise<ImageMember> {
    const response = await this.session.request({
      method: 'PUT',
      url: await this.url(`/v2/images/${enc(id)}/members/${enc(memberId)}`),
      json: { status },
    });
    return response.json<ImageMember>();
  }

  async removeMember(id: string, memberId: string): Promise<void> {
    await this.session.request({
      method: 'DELETE',
      url: await this.url(`/v2/images/${enc(id)}/members/${enc(memberId)}`),
      okOnRepeat: [404],
    });
  }

  /** The import tasks of an image, newest first: how a failed web-download is told from one still waiting. */
  async listTasks(id: string): Promise<ImageTask[]> {
    const response = await this.session.request({ method: 'GET', url: await this.url(`/v2/images/${enc(id)}/tasks`) });
    const tasks = response.json<{ tasks: ImageTask[] }>().tasks;
    return [...tasks].sort((a, b) => b.created_at.localeCompare(a.created_at));
  }

  /** The resource at the path, or undefined when Glance answers 404: how a lost create is recovered. */
  private async found(path: string): Promise<HttpResponse | undefined> {
    try {
      return await this.session.request({ method: 'GET', url: await this.url(path) });
    } catch (error) {
      if (isHttpStatus(error, 404)) return undefined;
      throw error;
    }
  }
}

/** Whether the image shows every operation of a patch applied (after a PATCH whose answer was lost). */
export function patchApplied(image: GlanceImage, operations: PatchOperation[]): boolean {
  return operations.every((operation) => {
    const key = operation.path.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
    if (operation.op === 'remove') return !Object.hasOwn(image, key);
    return Object.hasOwn(image, key) && isDeepStrictEqual(image[key], operation.value);
  });
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
