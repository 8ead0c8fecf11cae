import { Writable } from 'node:stream';

/** What the live view needs of log-update: draw a frame, clear it, print above it. */
export interface FrameWriter {
  (text: string): void;
  clear(): void;
  persist(text: string): void;
  done(): void;
}

/** A terminal: where the live area is drawn and how wide it is. */
export interface Terminal {
  write(text: string): unknown;
  columns?: number;
}

/** What the live area shows: lines of at most `width` characters, none when there is nothing to show. */
export interface Board {
  lines(width: number): string[];
}

/** How often the live area is drawn again while something runs (elapsed times, bytes and rates move on). */
export const REDRAW_MS = 250;

/**
 * The live area at the bottom of the terminal: the board's lines (the imports of a run, the copies of a
 * mirror), redrawn every REDRAW_MS and at once when the board says it changed. Log lines (`logStream`) are
 * printed above it: the area is cleared, the line written, the area drawn again, so neither garbles the
 * other. While the board has no lines, nothing is drawn and log lines pass straight through.
 */
export class LiveView<B extends Board = Board> {
  /** The board, made with the function that tells the view it changed. */
  readonly board: B;
  private drawn = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly frames: FrameWriter,
    board: (changed: () => void) => B,
  ) {
    this.board = board(() => this.draw());
  }

  /** Where the logger writes its text lines while the view runs. */
  readonly logStream = new Writable({
    decodeStrings: false,
    write: (chunk: Buffer | string, _encoding, callback) => {
      this.log(String(chunk));
      callback();
    },
  });

  start(): void {
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    // The view never keeps the process alive.
    this.timer.unref();
  }

  /** Prints a log line (or several) above the live area. */
  log(text: string): void {
    if (!this.drawn) {
      this.terminal.write(text);
      return;
    }
    this.frames.persist(text.endsWith('\n') ? text.slice(0, -1) : text);
    this.drawn = false;
    this.draw();
  }

  /** Draws the board as it is now, or clears the area when it has no lines. */
  draw(): void {
    if (this.stopped) return;
    const lines = this.board.lines(this.width());
    if (lines.length === 0) {
      if (this.drawn) this.frames.clear();
      this.drawn = false;
      return;
    }
    this.frames(lines.join('\n'));
    this.drawn = true;
  }

  /** Clears the live area for good; later log lines pass straight through. */
  stop(): void {
    if (this.stopped) return;
    clearInterval(this.timer);
    if (this.drawn) this.frames.clear();
    this.drawn = false;
    this.stopped = true;
    this.frames.done();
  }

  /** The terminal's width less one column: a line that fills the last column wraps on some terminals. */
  private width(): number {
    return Math.max(20, (this.terminal.columns ?? 80) - 1);
  }
}
