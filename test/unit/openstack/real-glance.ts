import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, type HttpClientOptions } from '../../../src/openstack/http.js';
import { pathTemplate } from '../../../src/openstack/request-stats.js';
import { Session } from '../../../src/openstack/identity.js';
import { GlanceClient } from '../../../src/openstack/image.js';
import { Redactor } from '../../../src/net/redact.js';
import { FakeClock } from '../net/fake-clock.js';
import { captureLog, makeCloud, passwordAuth, type LogCall } from './helpers.js';

/** One request as the real server received it. */
export interface Received {
  method: string;
  /** Path and query. */
  url: string;
  /** `METHOD /v2/images/{id}/…`, as RequestStats counts it. */
  key: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** What the server does to the next requests of one kind (`METHOD template`), in order. */
export type Fault =
  /** Answer this status without acting. */
  | number
  /** Close the connection without acting: the request never took effect. */
  | 'drop'
  /** Act, then close the connection: the answer is lost. */
  | 'lose'
  /** Neither act nor answer: the client gives up (its timeout) and closes the connection. */
  | 'hang';

type Image = Record<string, unknown> & { id: string; status: string; tags: string[] };
interface Task {
  id: string;
  type: string;
  status: string;
  created_at: string;
  updated_at: string;
}

/**
 * Keystone and Glance on a real node:http server on 127.0.0.1, so that a lost answer is a real reset
 * (`socket.destroy()` after the server acted) seen by undici, not a mock's idea of one.
 */
export class RealGlance {
  readonly images = new Map<string, Image>();
  readonly tasks = new Map<string, Task[]>();
  readonly received: Received[] = [];
  readonly faults = new Map<string, Fault[]>();
  /** Bytes received by PUT …/stage, by image id. */
  readonly staged = new Map<string, number>();
  tokenLifetimeMs = 3_600_000;
  private server?: http.Server;
  base = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  fault(key: string, ...faults: Fault[]): void {
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...faults]);
  }

  count(key: string): number {
    return this.received.filter((r) => r.key === key).length;
  }

  image(fields: Partial<Image> = {}): Image {
    const image: Image = { id: randomUUID(), name: 'img', status: 'queued', tags: [], ...fields };
    this.images.set(image.id, image);
    return image;
  }

  /** A client as the CLI builds one: real undici, recorded backoff, a captured log. */
  client(options: Partial<HttpClientOptions> = {}): {
    glance: GlanceClient;
    http: HttpClient;
    session: Session;
    clock: FakeClock;
    delays: number[];
    calls: LogCall[];
  } {
    const { log, calls } = captureLog();
    const clock = options.clock instanceof FakeClock ? options.clock : new FakeClock(undefined, { sleepsPass: true });
    const http = new HttpClient({ redactor: new Redactor(), log, random: () => 0.5, ...options, clock });
    const session = new Session(http, makeCloud(passwordAuth({ authUrl: `${this.base}/v3` })));
    return { glance: new GlanceClient(session, this.base), http, session, clock, delays: clock.sleeps, calls };
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? '';
      const url = req.url ?? '';
      const key = `${method} ${pathTemplate(`http://x${url}`)}`;
      const received = { method, url, key, headers: req.headers, body: Buffer.concat(chunks) };
      this.received.push(received);
      void this.answer(received, res);
    });
  }

  private async answer(req: Received, res: http.ServerResponse): Promise<void> {
    const fault = this.faults.get(req.key)?.shift();
    if (fault === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (typeof fault === 'number') {
      res.writeHead(fault, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'fault' }));
      return;
    }
    if (fault === 'hang') return;
    const [status, body] = this.act(req);
    if (fault === 'lose') {
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (req.key === 'POST /v3/auth/tokens') headers['X-Subject-Token'] = `tok-${this.count(req.key)}-${'x'.repeat(20)}`;
    res.writeHead(status, headers).end(body === undefined ? '' : JSON.stringify(body));
  }

  private act(req: Received): [number, unknown] {
    const [, , , id, sub, tag] = req.url.split('?')[0]!.split('/').map(decodeURIComponent);
    const image = id ? this.images.get(id) : undefined;
    switch (req.key) {
      case 'POST /v3/auth/tokens':
        return [201, this.token()];
      case 'POST /v2/images':
        return this.create(JSON.parse(req.body.toString()) as Record<string, unknown>);
      case 'GET /v2/images/{id}':
        return image ? [200, image] : [404, { message: 'not found' }];
      case 'DELETE /v2/images/{id}':
        return image && this.images.delete(image.id) ? [204, undefined] : [404, { message: 'not found' }];
      case 'PATCH /v2/images/{id}':
        return image ? this.patch(image, JSON.parse(req.body.toString())) : [404, { message: 'not found' }];
      case 'PUT /v2/images/{id}/tags/{tag}':
        if (!image || !tag) return [404, { message: 'not found' }];
        if (!image.tags.includes(tag)) image.tags.push(tag);
        return [204, undefined];
      case 'DELETE /v2/images/{id}/tags/{tag}':
        if (!image || !tag || !image.tags.includes(tag)) return [404, { message: 'tag not found' }];
        image.tags = image.tags.filter((t) => t !== tag);
        return [204, undefined];
      case 'POST /v2/images/{id}/import':
        return image ? this.startImport(image) : [404, { message: 'not found' }];
      case 'GET /v2/images/{id}/tasks':
        return [200, { tasks: this.tasks.get(id ?? '') ?? [] }];
      case 'PUT /v2/images/{id}/stage':
        if (!image) return [404, { message: 'not found' }];
        this.staged.set(image.id, req.body.length);
        image.status = 'uploading';
        return [204, undefined];
    }
    return [404, { message: `no route for ${req.key} (${sub ?? ''})` }];
  }

  private token(): unknown {
    const expires = new Date(Date.now() + this.tokenLifetimeMs).toISOString();
    const catalog = [{ type: 'image', endpoints: [{ interface: 'public', region_id: 'R', url: this.base }] }];
    return { token: { expires_at: expires, catalog, user: { id: 'u' }, project: { id: 'p' }, roles: [] } };
  }

  private create(body: Record<string, unknown>): [number, unknown] {
    const id = typeof body.id === 'string' ? body.id : randomUUID();
    if (this.images.has(id)) return [409, { message: `Image with identifier ${id} already exists!` }];
    return [201, this.image({ tags: [], ...body, id, status: 'queued' })];
  }

  private patch(image: Image, ops: Array<{ op: string; path: string; value?: unknown }>): [number, unknown] {
    const copy: Image = { ...image };
    for (const { op, path, value } of ops) {
      const key = path.slice(1);
      if (op === 'remove' && !(key in copy)) return [409, { message: `Property ${key} does not exist.` }];
      if (op === 'remove') delete copy[key];
      else copy[key] = value;
    }
    this.images.set(image.id, copy);
    return [200, copy];
  }

  private startImport(image: Image): [number, unknown] {
    const tasks = this.tasks.get(image.id) ?? [];
    if (tasks.some((t) => t.status === 'pending' || t.status === 'processing'))
      return [409, { message: 'Image has active task' }];
    if (image.status !== 'queued' && image.status !== 'uploading')
      return [409, { message: `Image status transition from ${image.status} to importing is not allowed` }];
    const now = new Date().toISOString();
    tasks.unshift({
      id: randomUUID(),
      type: 'api_image_import',
      status: 'processing',
      created_at: now,
      updated_at: now,
    });
    this.tasks.set(image.id, tasks);
    image.status = 'importing';
    return [202, undefined];
  }
}
