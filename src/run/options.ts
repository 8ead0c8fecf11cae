import type { OutdatedNameStyle, Visibility } from '../definitions/types.js';
import type { PlanOptions } from '../plan/types.js';

/** The flags that shape a plan, as the CLI gives them. */
export interface PlanFlags {
  tag: string;
  latest: boolean;
  hide: boolean;
  unhide: boolean;
  hiddenVisibility?: Visibility | undefined;
  useOsHidden: boolean;
  deactivate: boolean;
  delete: boolean;
  keep: boolean;
  outdatedNames?: OutdatedNameStyle | undefined;
  /** --mirror-base: the mirror a version without mirror_url is imported from first. */
  mirrorBase?: string | undefined;
}

/** What a run reads of the options before it changes anything: the plan's flags, and how upstreams are asked. */
export interface RunOptions extends PlanFlags {
  /** --update: discover new builds in memory. */
  update: boolean;
  /** Upstreams asked at once. */
  parallel: number;
  /** Timeout of each upstream request, in seconds. */
  timeout: number;
  /** --check-age and --max-age (days): warn about managed images built long before the newest definition. */
  checkAge: boolean;
  maxAge: number;
}

/** The plan's options: the flags, and `today` (YYYY-MM-DD, for date-valued uuid_validity). */
export function planOptionsOf(flags: PlanFlags, today: string): PlanOptions {
  const { tag, latest, hide, unhide, hiddenVisibility, useOsHidden, deactivate, delete: remove, keep } = flags;
  const plan = { tag, latest, hide, unhide, hiddenVisibility, useOsHidden, deactivate, delete: remove, keep, today };
  return {
    ...plan,
    ...(flags.outdatedNames ? { outdatedNames: flags.outdatedNames } : {}),
    ...(flags.mirrorBase ? { mirrorBase: flags.mirrorBase } : {}),
  };
}

/** The day of `now`, as the plan reads dates: YYYY-MM-DD, in UTC. */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}
