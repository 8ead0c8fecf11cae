import type { ApplyObserver } from '../../apply/observer.js';
import type { MirrorObserver } from '../../mirror/observer.js';
import type { Clock } from '../../util/clock.js';
import type { Format } from '../render/format.js';
import type { Board } from './live.js';

/** The progress display of one run: where its log lines go, who hears the run's events, and how it ends. */
export interface Progress<O> {
  /** The stream the run's logger writes to: stderr itself, or the live view's stream above its area. */
  stderr: NodeJS.WritableStream;
  /** Hears the run's events; undefined when nothing is shown live. */
  observer?: O;
  /** Clears the live area (call it before anything else is printed, and on every way out). */
  stop(): void;
}

export interface ProgressOptions {
  logFormat: Format;
  /** false with --no-progress. */
  progress: boolean;
}

/** A kind of board: loaded only when the view is shown, made with the time and what tells the view. */
type BoardKind<O> = () => Promise<new (now: () => number, changed: () => void) => O & Board>;

/** The imports of a run (manage). */
export const IMPORTS: BoardKind<ApplyObserver> = async () => (await import('./board.js')).ProgressBoard;
/** The copies of `mirror`. */
export const COPIES: BoardKind<MirrorObserver> = async () => (await import('./mirror-board.js')).MirrorBoard;

/**
 * The live view when a person watches: stderr is a terminal, the log lines are text and --no-progress is not
 * given. Otherwise log lines go to stderr exactly as they always did, without a single control character.
 * log-update and the board are loaded only when the view is shown.
 */
export async function startProgress<O>(
  options: ProgressOptions,
  stderr: NodeJS.WritableStream,
  kind: BoardKind<O>,
  clock?: Clock,
): Promise<Progress<O>> {
  const terminal = stderr as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  if (!(options.progress && options.logFormat === 'text' && terminal.isTTY === true)) {
    return { stderr, stop: () => undefined };
  }
  const [{ createLogUpdate }, { LiveView }, Made, { systemClock }] = await Promise.all([
    import('log-update'),
    import('./live.js'),
    kind(),
    import('../../util/clock.js'),
  ]);
  const now = () => (clock ?? systemClock).now();
  // A pseudo-terminal nobody sized reports 0 columns and rows: taken as 80 × 24.
  const screen = {
    isTTY: true,
    write: (text: string) => terminal.write(text),
    get columns() {
      return terminal.columns || 80;
    },
    get rows() {
      return (terminal as { rows?: number }).rows || 24;
    },
  };
  // The cursor stays visible: hiding it would need a hook on process exit to show it again.
  const frames = createLogUpdate(screen as unknown as NodeJS.WriteStream, { showCursor: true });
  const view = new LiveView(screen, frames, (changed) => new Made(now, changed));
  view.start();
  return { stderr: view.logStream, observer: view.board, stop: () => view.stop() };
}
