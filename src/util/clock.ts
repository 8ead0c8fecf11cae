/**
 * Time as the code that waits or measures sees it: the system's in production, a fake in tests, so that no
 * test waits for real time to pass.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now. */
  now(): number;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
  /** Calls `fire` after `ms`; the returned function cancels it. */
  setTimer(ms: number, fire: () => void): () => void;
  /** A signal that aborts with a TimeoutError after `ms`, as AbortSignal.timeout. */
  timeoutSignal(ms: number): AbortSignal;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  setTimer(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
  // AbortSignal.timeout's timer keeps no process alive, however long the timeout: a run ends when its work does.
  timeoutSignal: (ms) => AbortSignal.timeout(ms),
};
