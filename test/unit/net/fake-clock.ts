import type { Clock } from '../../../src/util/clock.js';

interface Timer {
  at: number;
  fire: () => void;
}

/**
 * Time that moves only when a test moves it (`advance`), firing the timers and timeout signals that fall
 * due on the way. A sleep is recorded in `sleeps` and returns at once, without moving time, unless the clock
 * is made with `sleepsPass`: then a sleep moves time on by its length (what a time budget is measured by).
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private time: number;
  private timers: Timer[] = [];

  /** `start`: by default a fixed day in this tool's lifetime, so that dates in answers compare as they would. */
  constructor(
    start = Date.parse('2025-06-01T00:00:00Z'),
    private readonly options: { sleepsPass?: boolean } = {},
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    if (this.options.sleepsPass) this.advance(ms);
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = { at: this.time + ms, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  timeoutSignal(ms: number): AbortSignal {
    const controller = new AbortController();
    this.setTimer(ms, () =>
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    );
    return controller.signal;
  }

  /**
   * A sleep during which time passes, for code that takes a sleep function: moves time on by `ms`, then
   * lets the event loop turn once, so that real work (a request, an upload) moves on meanwhile.
   */
  async pass(ms: number): Promise<void> {
    this.advance(ms);
    await turn();
  }

  /** Moves time on by `ms`, firing each timer due on the way at its time, earliest first. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.fire();
    }
    this.time = end;
  }
}

/** Lets the event loop turn (I/O, streams, promises) until the condition holds; a test timeout ends a wait in vain. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await turn();
}

/** Lets the event loop turn `count` times. */
export async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await turn();
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
