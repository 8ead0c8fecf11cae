import { z } from 'zod';
import { calendarDate } from '../yaml/pyyaml.js';

/**
 * A release cycle as the judgement reads it, from either of endoflife.date's API versions. The API is
 * outside this tool: its answer is parsed strictly (real calendar dates, bounded sizes, no cycle twice) and
 * refused whole when it is not one of the two shapes.
 */
export interface Cycle {
  cycle: string;
  /** YYYY-MM-DD; undefined when not known (the cycle then counts as not released). */
  releaseDate?: string;
  lts: boolean;
  eol: End;
  /** The end of extended support; undefined when the product or the cycle has none (or the API does not say). */
  extendedSupport?: End;
}

/** When a phase ends: on a day, already (no day given), or not announced. */
export type End = { kind: 'date'; date: string } | { kind: 'ended' } | { kind: 'not-announced' };

/** More cycles than any product has had by far: an answer with more is not a product's. */
const MAX_CYCLES = 2000;
const MAX_TEXT = 200;

const day = z
  .string()
  .max(10)
  .refine((text) => isDay(text), { message: 'not a real YYYY-MM-DD date' });
const name = z.union([z.string().min(1).max(MAX_TEXT), z.number().finite()]).transform(String);

/** v0, `/api/{product}.json`: what OIM's check_updates.py reads. Booleans stand where no date is known. */
const v0Cycle = z.looseObject({
  cycle: name,
  releaseDate: day.nullish(),
  lts: z.union([z.boolean(), day]).nullish(),
  eol: z.union([z.boolean(), day]),
  extendedSupport: z.union([z.boolean(), day]).nullish(),
});
const v0 = z.array(v0Cycle).min(1).max(MAX_CYCLES);

/** v1, `/api/v1/products/{product}/`: a date and a flag for each phase. */
const v1Release = z.looseObject({
  name,
  releaseDate: day.nullish(),
  isLts: z.boolean(),
  isEol: z.boolean(),
  eolFrom: day.nullish(),
  isEoes: z.boolean().nullish(),
  eoesFrom: day.nullish(),
});
const v1 = z.looseObject({ result: z.looseObject({ releases: z.array(v1Release).min(1).max(MAX_CYCLES) }) });

/** The cycles of an answer of either API version, or what is wrong with it (one line). */
export function readCycles(answer: unknown): { cycles: Cycle[] } | { problem: string } {
  const parsed = Array.isArray(answer) ? v0.safeParse(answer) : v1.safeParse(answer);
  if (!parsed.success) return { problem: describeIssue(parsed.error, Array.isArray(answer) ? 'v0' : 'v1') };
  const cycles = Array.isArray(parsed.data) ? parsed.data.map(fromV0) : parsed.data.result.releases.map(fromV1);
  const seen = new Set<string>();
  for (const { cycle } of cycles) {
    if (seen.has(cycle)) return { problem: `cycle ${JSON.stringify(cycle)} is listed twice` };
    seen.add(cycle);
  }
  return { cycles };
}

function fromV0(entry: z.infer<typeof v0Cycle>): Cycle {
  const extended = entry.extendedSupport;
  return {
    cycle: entry.cycle,
    ...(entry.releaseDate ? { releaseDate: entry.releaseDate } : {}),
    lts: entry.lts === true || typeof entry.lts === 'string',
    // eol: true means it has ended, false that no end is announced.
    eol: typeof entry.eol === 'string' ? dated(entry.eol) : entry.eol ? { kind: 'ended' } : { kind: 'not-announced' },
    // extendedSupport: true means it still runs; false that there is none, or (v0 cannot tell) that it ended,
    // which the cycle's eol then tells.
    ...(typeof extended === 'string'
      ? { extendedSupport: dated(extended) }
      : extended === true
        ? { extendedSupport: { kind: 'not-announced' } }
        : {}),
  };
}

function fromV1(release: z.infer<typeof v1Release>): Cycle {
  const eol: End = release.eolFrom ? dated(release.eolFrom) : flag(release.isEol);
  // isEoes null or absent: the cycle has no extended support (or the product none).
  const extended = release.eoesFrom
    ? dated(release.eoesFrom)
    : typeof release.isEoes === 'boolean'
      ? flag(release.isEoes)
      : undefined;
  return {
    cycle: release.name,
    ...(release.releaseDate ? { releaseDate: release.releaseDate } : {}),
    lts: release.isLts,
    eol,
    ...(extended ? { extendedSupport: extended } : {}),
  };
}

function dated(date: string): End {
  return { kind: 'date', date };
}

function flag(over: boolean): End {
  return over ? { kind: 'ended' } : { kind: 'not-announced' };
}

function isDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match !== null && calendarDate(Number(match[1]), Number(match[2]), Number(match[3])) === text;
}

function describeIssue(error: z.ZodError, version: 'v0' | 'v1'): string {
  const issue = error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  const shape = version === 'v0' ? 'an array of cycles (API v0)' : 'a product document (API v1)';
  return `not endoflife.date's answer, ${shape}: ${issue?.message ?? 'invalid'}${at}`;
}
