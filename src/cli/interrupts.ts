/** The signals a run winds down on: Ctrl-C, and what `timeout`, systemd and cron's killers send. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** Hears interrupts until the returned function is called: the first of them calls `first`. */
export type Interrupts = (first: (signal: InterruptSignal) => void) => () => void;

/** The shell's exit code of a process ended by the signal: 128 + its number. */
export function interruptedExitCode(signal: string): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

/**
 * The process's interrupts: the first SIGINT or SIGTERM calls `first` (the run winds down and undoes what is
 * half done); a second ends the process at once, as the signal would have without this handler.
 */
export const processInterrupts: Interrupts = (first) => {
  let heard = false;
  const handler = (signal: InterruptSignal) => {
    if (heard) process.exit(interruptedExitCode(signal));
    heard = true;
    first(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
};
