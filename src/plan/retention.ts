/**
 * How many outdated versions `uuid_validity` keeps (scs-0102): `last-N` keeps the newest N including the
 * current one, so N-1 outdated; `none` promises nothing, so none; `forever` and `notice` keep all (never
 * deleted automatically); a date keeps all until it has passed. Unknown values keep all: a delete cannot
 * be undone.
 */
export function outdatedToKeep(uuidValidity: unknown, today: string): number {
  if (uuidValidity === 'none') return 0;
  if (typeof uuidValidity !== 'string') return Infinity;
  const last = /^last-(\d+)$/.exec(uuidValidity);
  if (last) return Math.max(Number(last[1]) - 1, 0);
  if (/^\d{4}-\d{2}-\d{2}$/.test(uuidValidity)) return today > uuidValidity ? 0 : Infinity;
  return Infinity;
}

export function describeValidity(uuidValidity: unknown): string {
  return uuidValidity === undefined || uuidValidity === null ? 'unset' : String(uuidValidity);
}
