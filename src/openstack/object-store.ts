import { isHttpStatus } from './errors.js';
import type { Session } from './identity.js';
import type { StreamBody } from '../net/upload.js';

/** What a HEAD of an object says: its user metadata (`X-Object-Meta-<key>`, by key) and size. */
export interface SwiftObject {
  meta(key: string): string | undefined;
  size?: number;
  /** A static large object: a manifest whose segments are objects of their own. */
  manifest: boolean;
}

/** One segment of a static large object, as its manifest lists it. */
export interface SloSegment {
  path: string;
  etag: string;
  size_bytes: number;
}

const META = 'x-object-meta-';

/** Swift's object API (the catalog's `object-store` endpoint, the account URL), each call typed. */
export class SwiftClient {
  constructor(
    private readonly session: Session,
    private readonly endpointOverride?: string,
  ) {}

  /** The account URL: what a public object's URL starts with. */
  account(): Promise<string> {
    return this.session.endpoint('object-store', this.endpointOverride, true);
  }

  private async url(container: string, name = '', query = ''): Promise<string> {
    const object = name === '' ? '' : `/${name.split('/').map(encodeURIComponent).join('/')}`;
    return `${await this.account()}/${encodeURIComponent(container)}${object}${query}`;
  }

  /** The object's metadata, or undefined when there is none of that name. */
  async head(container: string, name: string): Promise<SwiftObject | undefined> {
    try {
      const response = await this.session.request({ method: 'HEAD', url: await this.url(container, name) });
      const meta = (key: string) => response.headers.get(`${META}${key}`) ?? undefined;
      const size = Number(response.headers.get('content-length'));
      const manifest = response.headers.get('x-static-large-object')?.toLowerCase() === 'true';
      return { meta, manifest, ...(Number.isFinite(size) ? { size } : {}) };
    } catch (error) {
      if (isHttpStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** Creates the container if there is none (Swift answers 201 or, when it exists, 202; its ACLs stay). */
  async createContainer(container: string): Promise<void> {
    await this.session.request({ method: 'PUT', url: await this.url(container) });
  }

  /** Streams one object (a segment) of unknown length; never repeated. Resolves with Swift's ETag (its MD5). */
  async putStream(container: string, name: string, body: StreamBody): Promise<string> {
    const response = await this.session.request({
      method: 'PUT',
      url: await this.url(container, name),
      body,
      contentType: 'application/octet-stream',
    });
    return (response.headers.get('etag') ?? '').replaceAll('"', '');
  }

  /** Puts a static large object's manifest with its metadata: the object appears under its name only now. */
  async putManifest(
    container: string,
    name: string,
    segments: SloSegment[],
    metadata: Record<string, string>,
  ): Promise<void> {
    await this.session.request({
      method: 'PUT',
      url: await this.url(container, name, '?multipart-manifest=put'),
      headers: metaHeaders(metadata),
      body: JSON.stringify(segments),
      contentType: 'application/json',
    });
  }

  /** The segments a static large object's manifest lists (`/container/name` paths); none when it is gone. */
  async manifestSegments(container: string, name: string): Promise<string[]> {
    try {
      const url = await this.url(container, name, '?multipart-manifest=get&format=raw');
      const response = await this.session.request({ method: 'GET', url });
      const listed = response.json<unknown>();
      if (!Array.isArray(listed)) return [];
      return listed.flatMap((entry) => (typeof entry?.path === 'string' ? [entry.path as string] : []));
    } catch (error) {
      if (isHttpStatus(error, 404)) return [];
      throw error;
    }
  }

  /** Deletes an object; a manifest with its segments (`manifest`). Gone already counts as done. */
  async delete(container: string, name: string, manifest = false): Promise<void> {
    const query = manifest ? '?multipart-manifest=delete' : '';
    await this.session.request({ method: 'DELETE', url: await this.url(container, name, query), okOnRepeat: [404] });
  }

  /** The names of the container's objects under `prefix`, across pages. */
  async list(container: string, prefix: string): Promise<string[]> {
    const names: string[] = [];
    for (;;) {
      const query = new URLSearchParams({ format: 'json', prefix, limit: '10000' });
      const last = names.at(-1);
      if (last !== undefined) query.set('marker', last);
      const response = await this.session.request({ method: 'GET', url: await this.url(container, '', `?${query}`) });
      const page = response.json<{ name: string }[]>() ?? [];
      if (page.length === 0) return names;
      names.push(...page.map((entry) => entry.name));
    }
  }
}

function metaHeaders(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [`X-Object-Meta-${key}`, value]));
}
