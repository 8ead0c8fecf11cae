import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultOptions {
  /** Share of requests answered 503 without reaching the upstream. */
  unavailable: number;
  /** Share of writes (POST, PUT, PATCH, DELETE) carried out upstream whose answer is then lost (socket reset), evenly spread. */
  lostWriteAnswers: number;
  /** Seed of the pseudo-random sequence, so that a run can be repeated. */
  seed: number;
}

export interface FaultCounts {
  forwarded: number;
  unavailable: number;
  lostAnswers: number;
}

/**
 * An HTTP proxy in front of one upstream (Glance) that fails requests as a flaky load balancer does: some are
 * answered 503 at once, and some writes are carried out but their answer never arrives.
 */
export class FaultProxy {
  readonly counts: FaultCounts = { forwarded: 0, unavailable: 0, lostAnswers: 0 };
  private readonly server: Server;
  private state: number;
  private writes = 0;

  constructor(
    private readonly upstream: URL,
    private readonly options: FaultOptions,
  ) {
    // xorshift starts poorly from a small state (1 gives tiny numbers for a while): spread the seed, warm up.
    this.state = Math.imul(options.seed, 0x9e3779b1) >>> 0 || 1;
    for (let i = 0; i < 16; i++) this.random();
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.random() < this.options.unavailable) {
      this.counts.unavailable++;
      req.resume();
      res
        .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '0' })
        .end('503 Service Unavailable (fault proxy)');
      return;
    }
    const isWrite = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '');
    // Evenly, not by chance: a run of a few dozen writes always loses its share (one in 1/lostWriteAnswers).
    const every = Math.round(1 / this.options.lostWriteAnswers);
    const loseAnswer = isWrite && ++this.writes % every === Math.floor(every / 2);
    this.counts.forwarded++;
    const upstreamRequest = request(
      new URL(req.url ?? '/', this.upstream),
      { method: req.method, headers: { ...req.headers, host: this.upstream.host } },
      (upstreamResponse) => {
        if (loseAnswer) {
          this.counts.lostAnswers++;
          upstreamResponse.resume();
          upstreamResponse.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => res.socket?.destroy());
    req.pipe(upstreamRequest);
  }

  /** xorshift32: deterministic, so a failing run can be repeated with its seed. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}
