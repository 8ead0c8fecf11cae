import type { ApplyObserver } from '../../apply/observer.js';
import type { Format } from '../render/format.js';

/** The progress display of one run: where its log lines go, who hears the executor, and how it ends. */
export interface Progress {
  /** The stream the run's logger writes to: stderr itself, or the live view's stream above its area. */
  stderr: NodeJS.WritableStream;
  /** Hears the executor's events; undefined when nothing is shown live. */
  observer?: ApplyObserver;
  /** Clears the live area (call it before anything else is printed, and on every way out). */
  stop(): void;
}

export interface ProgressOptions {
  logFormat: Format;
  /** false with --no-progress. */
  progress: boolean;
}

/**
 * The live view when a person watches: stderr is a terminal, the log lines are text and --no-progress is not
 * given. Otherwise log lines go to stderr exactly as they always did, without a single control character.
 * log-update is loaded only when the view is shown.
 */
export async function startProgress(options: ProgressOptions, stderr: NodeJS.WritableStream): Promise<Progress> {
  const terminal = stderr as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  if (!(options.progress && options.logFormat === 'text' && terminal.isTTY === true)) {
    return { stderr, stop: () => undefined };
  }
  const [{ createLogUpdate }, { LiveView }] = await Promise.all([import('log-update'), import('./live.js')]);
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
  const view = new LiveView(screen, frames);
  view.start();
  return { stderr: view.logStream, observer: view.observer, stop: () => view.stop() };
}
