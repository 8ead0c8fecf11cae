import { propertiesFor } from '../definitions/publishes.js';
import type { ImageDefinition, MetaValue } from '../definitions/types.js';
import type { Cycle, End } from './cycles.js';
import { PRODUCTS, type Product, productOf } from './products.js';

// Pure: definitions, endoflife.date's cycles and a day in, the end-of-life findings out. No clock, no HTTP.

/** Versions of one definition whose images publish the same os_distro and os_version: judged together. */
export interface Subject {
  definition: string;
  file: string;
  enabled: boolean;
  versions: string[];
  osVersion?: string;
  mapped: { product: Product } | { why: string };
}

export type State = 'past' | 'near' | 'supported' | 'unknown';

export interface Verdict {
  definition: string;
  file: string;
  enabled: boolean;
  versions: string[];
  product: string | null;
  cycle: string | null;
  state: State;
  /** The day free support ends (ended), YYYY-MM-DD; null when no day is known. */
  endOfLife: string | null;
  judgedOn: 'eol' | 'extendedSupport' | null;
  /** Days from today to endOfLife, negative once past; null without a day. */
  daysLeft: number | null;
  why: string;
}

/** A released, supported cycle of a product the definitions follow that none of them defines. */
export interface NotDefined {
  product: string;
  cycle: string;
  releaseDate: string | null;
  endOfLife: string | null;
  /** Released after the newest cycle the definitions define: a new release to add, a finding. */
  newer: boolean;
}

export interface Judgement {
  verdicts: Verdict[];
  notDefined: NotDefined[];
}

export interface JudgeOptions {
  /** YYYY-MM-DD */
  today: string;
  /** An end within this many days is `near`. */
  warnDays: number;
}

/**
 * Each definition's versions grouped by the os_distro and os_version their images publish, each group mapped
 * to a product or not (a definition no product is known for is one group). A definition without versions is
 * judged by its meta: it still says which product and cycle the operator follows.
 */
export function subjectsOf(definitions: readonly ImageDefinition[]): Subject[] {
  return definitions.flatMap((def) => {
    const names = [def.name, ...(def.shortname === undefined ? [] : [def.shortname])];
    const groups = new Map<string, Subject>();
    for (const { version, osDistro, osVersion } of published(def)) {
      const mapped = productOf(osDistro, names);
      const key = JSON.stringify('product' in mapped ? [osDistro, osVersion] : [osDistro]);
      const group = groups.get(key) ?? {
        definition: def.name,
        file: def.file,
        enabled: def.enable,
        versions: [],
        ...(osVersion ? { osVersion } : {}),
        mapped,
      };
      groups.set(key, group);
      if (version !== undefined) group.versions.push(version);
    }
    return [...groups.values()];
  });
}

interface Published {
  version?: string;
  osDistro?: string;
  osVersion?: string;
}

function published(def: ImageDefinition): Published[] {
  if (def.versions.length === 0) return [{ osDistro: text(def.meta.os_distro), osVersion: text(def.meta.os_version) }];
  return def.versions.map((version) => {
    const properties = propertiesFor(def, version);
    return {
      version: version.version,
      osDistro: properties.os_distro ?? undefined,
      osVersion: properties.os_version ?? undefined,
    };
  });
}

function text(value: MetaValue | undefined): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** The products the subjects follow, each once, in the table's order. */
export function productsOf(subjects: readonly Subject[]): Product[] {
  const followed = new Set(
    subjects.flatMap((subject) => ('product' in subject.mapped ? [subject.mapped.product] : [])),
  );
  return PRODUCTS.filter((product) => followed.has(product));
}

/**
 * `judged` are the subjects reported (enabled ones, or all with --force); `all` also holds the disabled ones,
 * which count as defined: a release defined but disabled is known to the operator, not new.
 */
export function judge(
  judged: readonly Subject[],
  all: readonly Subject[],
  cycles: ReadonlyMap<string, readonly Cycle[]>,
  options: JudgeOptions,
): Judgement {
  const verdicts = judged.map((subject) => verdictOf(subject, cycles, options));
  const notDefined = productsOf(all).flatMap((product) =>
    missingReleases(product, cycles.get(product.id) ?? [], definedCycles(product, all, cycles), options),
  );
  return { verdicts, notDefined };
}

function verdictOf(subject: Subject, cycles: ReadonlyMap<string, readonly Cycle[]>, options: JudgeOptions): Verdict {
  const base = { definition: subject.definition, file: subject.file, enabled: subject.enabled };
  const unknown = (product: string | null, why: string): Verdict => ({
    ...base,
    versions: subject.versions,
    product,
    cycle: null,
    state: 'unknown',
    endOfLife: null,
    judgedOn: null,
    daysLeft: null,
    why,
  });
  if (!('product' in subject.mapped)) return unknown(null, subject.mapped.why);
  const { product } = subject.mapped;
  if (subject.osVersion === undefined) return unknown(product.id, 'no os_version: the cycle is not known');
  const cycle = cycleFor(subject.osVersion, cycles.get(product.id) ?? []);
  if (cycle === undefined) {
    return unknown(product.id, `os_version ${subject.osVersion} is no cycle of ${product.id} on endoflife.date`);
  }
  const { end, field } = endOf(product, cycle);
  const state = stateOf(end, options);
  return {
    ...base,
    versions: subject.versions,
    product: product.id,
    cycle: cycle.cycle,
    state,
    endOfLife: end.kind === 'date' ? end.date : null,
    judgedOn: field,
    daysLeft: end.kind === 'date' ? daysBetween(options.today, end.date) : null,
    why: describe(product, cycle.cycle, end, field, state, options.today),
  };
}

/** The os_version's cycle: one named exactly so, else the longest whose name and a dot begin it (12.8 → 12). */
export function cycleFor(osVersion: string, cycles: readonly Cycle[]): Cycle | undefined {
  const exact = cycles.find((cycle) => cycle.cycle === osVersion);
  if (exact) return exact;
  const prefixes = cycles.filter((cycle) => osVersion.startsWith(`${cycle.cycle}.`));
  return prefixes.sort((a, b) => b.cycle.length - a.cycle.length)[0];
}

/** The end of free support: Debian's extendedSupport where the cycle has it, else eol. */
function endOf(product: Product, cycle: Cycle): { end: End; field: 'eol' | 'extendedSupport' } {
  if (product.judgedOn === 'extendedSupport' && cycle.extendedSupport !== undefined) {
    return { end: cycle.extendedSupport, field: 'extendedSupport' };
  }
  return { end: cycle.eol, field: 'eol' };
}

function stateOf(end: End, { today, warnDays }: JudgeOptions): Exclude<State, 'unknown'> {
  if (end.kind === 'ended') return 'past';
  if (end.kind === 'not-announced') return 'supported';
  const left = daysBetween(today, end.date);
  if (left <= 0) return 'past';
  return left <= warnDays ? 'near' : 'supported';
}

function describe(product: Product, cycle: string, end: End, field: string, state: State, today: string): string {
  const what = `${product.label} ${cycle} (${field})`;
  if (end.kind === 'ended') return `${what} has ended; endoflife.date gives no day`;
  if (end.kind === 'not-announced') return `${what}: no end announced`;
  if (state === 'past') return `${what} ended on ${end.date}`;
  const left = daysBetween(today, end.date);
  return `${what} ends on ${end.date}, in ${left} ${left === 1 ? 'day' : 'days'}`;
}

function definedCycles(
  product: Product,
  all: readonly Subject[],
  cycles: ReadonlyMap<string, readonly Cycle[]>,
): Cycle[] {
  const known = cycles.get(product.id) ?? [];
  return all.flatMap((subject) => {
    if (!('product' in subject.mapped) || subject.mapped.product !== product || subject.osVersion === undefined) {
      return [];
    }
    const cycle = cycleFor(subject.osVersion, known);
    return cycle ? [cycle] : [];
  });
}

/** Released cycles still supported (LTS ones only for Ubuntu) that no definition defines. */
function missingReleases(
  product: Product,
  cycles: readonly Cycle[],
  defined: readonly Cycle[],
  options: JudgeOptions,
): NotDefined[] {
  const definedNames = new Set(defined.map((cycle) => cycle.cycle));
  const newestDefined = defined
    .map((cycle) => cycle.releaseDate)
    .filter((date) => date !== undefined)
    .sort()
    .at(-1);
  return cycles
    .filter((cycle) => !definedNames.has(cycle.cycle) && supported(product, cycle, options))
    .map((cycle) => {
      const { end } = endOf(product, cycle);
      return {
        product: product.id,
        cycle: cycle.cycle,
        releaseDate: cycle.releaseDate ?? null,
        endOfLife: end.kind === 'date' ? end.date : null,
        newer: newestDefined === undefined || (cycle.releaseDate ?? '') > newestDefined,
      };
    })
    .sort((a, b) => (a.releaseDate ?? '').localeCompare(b.releaseDate ?? ''));
}

function supported(product: Product, cycle: Cycle, options: JudgeOptions): boolean {
  if (cycle.releaseDate === undefined || cycle.releaseDate > options.today) return false;
  if (product.ltsOnly && !cycle.lts) return false;
  return stateOf(endOf(product, cycle).end, options) !== 'past';
}

/** Whole days from `from` to `to` (both YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
