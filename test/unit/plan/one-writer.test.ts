import { describe, expect, it } from 'vitest';
import type { ImageDefinition, MetaValue } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { plan } from '../../../src/plan/plan.js';
import type { Plan, PlanOptions } from '../../../src/plan/types.js';
import {
  applyToCloud,
  invariantBreaches,
  def,
  glanceImage,
  imports,
  options,
  PROJECT,
  run,
  unorderedWrites,
  writesByImage,
} from './helpers.js';

const BY_HAND = 'Ubuntu 24.04 (renamed by hand)';
const drifted = (image: GlanceImage): GlanceImage => ({ ...image, hw_disk_bus: 'ide', min_ram: 1 });
const writesPerImage = (result: Plan) => [...writesByImage(result).values()].map((onImage) => onImage.length);

describe('plan: one image, one writer (rule 9)', () => {
  const three = def({ versions: ['20240101', '20240201', '20240301'] });
  const two = def({ versions: ['20240101', '20240201'] });

  it('the plain-named image renamed by hand, with drift, while a new version arrives: its writes are ordered', () => {
    const old = glanceImage(three, '20240101');
    const current = drifted({ ...glanceImage(three, '20240201', { current: true }), name: BY_HAND });
    const result = run(three, [old, current], { hide: true });
    // No image holds the plain name any more: the new version is created under it (rule 2).
    expect(imports(result).map((a) => a.desired.name)).toEqual(['Ubuntu 24.04']);
    expect(unorderedWrites(result)).toEqual([]);
    const cloud = applyToCloud(result, [old, current]);
    expect(cloud.find((i) => i.id === current.id)).toMatchObject({ name: 'Ubuntu 24.04 (20240201)', min_ram: 512 });
    expect(run(three, cloud, { hide: true }).actions).toEqual([]);
  });

  it('two images that swapped names, both drifted: one action each, the plain name taken after it was left', () => {
    const old = drifted({ ...glanceImage(two, '20240101'), name: 'Ubuntu 24.04' });
    const current = drifted({ ...glanceImage(two, '20240201'), name: 'Ubuntu 24.04 (20240101)' });
    const result = run(two, [old, current], { hide: true, delete: true });
    expect(writesPerImage(result)).toEqual([1, 1]);
    const [away, toPlain] = result.actions;
    expect(away).toMatchObject({ kind: 'rename', image: { imageId: old.id }, to: 'Ubuntu 24.04 (20240101)' });
    expect(toPlain).toMatchObject({ kind: 'rename', image: { imageId: current.id }, to: 'Ubuntu 24.04' });
    expect(toPlain?.after).toEqual([away?.seq]);
    expect(run(two, applyToCloud(result, [old, current]), { hide: true, delete: true }).actions).toEqual([]);
  });

  it('two images that swapped names while a new version arrives: every image written in order', () => {
    const old = drifted({ ...glanceImage(three, '20240101'), name: 'Ubuntu 24.04' });
    const current = drifted({ ...glanceImage(three, '20240201'), name: 'Ubuntu 24.04 (20240101)' });
    const opts = { hide: true, deactivate: true };
    const result = run(three, [old, current], opts);
    expect(unorderedWrites(result)).toEqual([]);
    expect(run(three, applyToCloud(result, [old, current]), opts).actions).toEqual([]);
  });

  it('an import a restart left unfinished, beside a drifted image holding the plain name: ordered', () => {
    const old = drifted({ ...glanceImage(three, '20240101'), name: BY_HAND });
    const current = drifted(glanceImage(three, '20240201', { current: true }));
    const pending = { ...glanceImage(three, '20240301', { current: false }), status: 'importing' as const };
    const result = run(three, [old, current, pending], { hide: true });
    expect(result.actions[0]).toMatchObject({ kind: 'resume-import', image: { id: pending.id } });
    expect(unorderedWrites(result)).toEqual([]);
    expect(run(three, applyToCloud(result, [old, current, pending]), { hide: true }).actions).toEqual([]);
  });
});

type State = 'absent' | 'active' | 'hidden' | 'deactivated' | 'importing' | 'killed' | 'twice';
const STATES: State[] = ['absent', 'active', 'hidden', 'deactivated', 'importing', 'killed', 'twice'];
/** A version the definition no longer lists: present as it was left, or not. */
const GONE = '20231201';
const GONE_STATES: State[] = ['absent', 'active', 'hidden', 'deactivated', 'twice'];
const VERSIONS = ['20240101', '20240201', '20240301'];
const VALIDITIES: MetaValue[] = ['last-2', 'none', 'forever'];
const FLAG_SETS: Array<Partial<PlanOptions>> = [
  {},
  { hide: true },
  { delete: true },
  { deactivate: true },
  { latest: true },
  { delete: true, keep: true },
  { hide: true, delete: true, deactivate: true },
  { hide: true, useOsHidden: true, deactivate: true },
  { latest: true, delete: true, hide: true },
  { hide: true, hiddenVisibility: 'private' },
  { unhide: true, delete: true },
  { outdatedNames: 'scs' },
  { outdatedNames: 'scs', hide: true, delete: true },
];

interface Case {
  label: string;
  d: ImageDefinition;
  observed: GlanceImage[];
  opts: Partial<PlanOptions>;
}

/** A small deterministic generator (mulberry32): the same cases on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function product<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}

/** The images of one version in one state; `plain`: the version whose image holds the plain name. */
function imagesIn(d: ImageDefinition, v: string, state: State, plain: string | undefined): GlanceImage[] {
  const image = (extra: Partial<GlanceImage> = {}) => ({ ...glanceImage(d, v, { current: v === plain }), ...extra });
  switch (state) {
    case 'absent':
      return [];
    case 'active':
      return [image()];
    case 'hidden':
      return [image({ visibility: 'community', os_hidden: true })];
    case 'deactivated':
      return [image({ status: 'deactivated' })];
    case 'importing':
      return [{ ...glanceImage(d, v, { current: false }), status: 'importing', visibility: 'private' }];
    case 'killed':
      return [image({ status: 'killed' })];
    case 'twice':
      return [image(), image({ created_at: '2024-12-24T10:00:00Z' })];
  }
}

/**
 * The table: single-version and multi images, 1–3 versions defined and one no longer listed, every state of
 * each, every flag set; which image holds the plain name, which one was renamed by hand, which one drifted and
 * uuid_validity drawn per case.
 */
function* cases(): Generator<Case> {
  const random = seeded(9);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  for (const multi of [true, false]) {
    for (let n = 1; n <= (multi ? 3 : 2); n++) {
      const defined = VERSIONS.slice(0, n);
      for (const states of product([GONE_STATES, ...defined.map(() => STATES)])) {
        for (const opts of FLAG_SETS) {
          const validity = pick(VALIDITIES);
          const d = def({ versions: defined, multi, meta: { uuid_validity: validity } });
          const versions = [GONE, ...defined];
          const plain = pick([defined.at(-1), undefined, ...versions]);
          const observed = versions.flatMap((v, i) => imagesIn(d, v, states[i] as State, plain));
          const byHand = pick([undefined, undefined, ...observed]);
          const drift = pick([undefined, undefined, ...observed]);
          const label =
            `${multi ? 'multi' : 'single'} ${versions.map((v, i) => `${v}:${states[i]}`).join(' ')} ` +
            `plain=${plain} byHand=${byHand?.internal_version} drift=${drift?.internal_version} ` +
            `validity=${validity} ${JSON.stringify(opts)}`;
          const altered = observed.map((image) => {
            const renamed = image === byHand ? { ...image, name: BY_HAND } : image;
            return image === drift ? drifted(renamed) : renamed;
          });
          yield { label, d, observed: altered, opts };
        }
      }
    }
  }
}

const SHOWN = { private: 0, shared: 1, community: 2, public: 3 };

/**
 * Rule 10: an image shown more, or reactivated, by the plan is the current image of its version (or --unhide
 * asked for it). Rule 11: after the plan no two usable images share a name.
 */
function breachesAfter(c: Case, before: GlanceImage[], after: GlanceImage[]): string[] {
  const breaches: string[] = [];
  const current = (image: GlanceImage) =>
    c.d.multi ? image.name === c.d.name : c.d.versions.some((v) => v.version === image.internal_version);
  for (const was of before) {
    const now = after.find((image) => image.id === was.id);
    if (!now || current(now) || (was.status !== 'active' && was.status !== 'deactivated')) continue;
    const shown = SHOWN[now.visibility] > SHOWN[was.visibility] || (was.os_hidden && !now.os_hidden);
    if (shown && !c.opts.unhide) breaches.push(`${now.name} (${now.id}) is shown again`);
    if (was.status === 'deactivated' && now.status === 'active') breaches.push(`${now.name} (${now.id}) reactivated`);
  }
  const usableNames = after.filter((i) => i.status === 'active' || i.status === 'deactivated').map((i) => i.name);
  for (const name of new Set(usableNames.filter((name, i) => usableNames.indexOf(name) !== i)))
    breaches.push(`two usable images are called ${name}`);
  return breaches;
}

const AFTER_ACTIVE: ReadonlySet<string> = new Set(['visibility', 'status', 'name']);

/**
 * Rule 2: a new image is created fully described; its import's changes hold only what waits for active, and
 * after its import at most one action writes it. It is renamed only when an image of ours held its name.
 */
function newImageBreaches(result: Plan, observed: GlanceImage[]): string[] {
  const breaches: string[] = [];
  for (const imported of imports(result)) {
    const early = imported.changes.filter((change) => !AFTER_ACTIVE.has(change.field)).map((change) => change.field);
    if (early.length > 0) breaches.push(`#${imported.seq} changes ${early} after its import`);
    const later = result.actions.filter(
      (a) => a.kind === 'rename' && 'importSeq' in a.image && a.image.importSeq === imported.seq,
    );
    if ((imported.changes.length > 0 ? 1 : 0) + later.length > 1) breaches.push(`#${imported.seq}: two writes after`);
    const renamed = later.length > 0 || imported.changes.some((change) => change.field === 'name');
    if (renamed && !observed.some((image) => image.name === imported.desired.name.replace(/ \(.*\)$/, '')))
      breaches.push(`#${imported.seq} renamed though no image held its name`);
    if (observed.some((image) => image.name === imported.desired.name))
      breaches.push(`#${imported.seq} created under ${imported.desired.name}, which an image holds`);
  }
  return breaches;
}

function failureOf(c: Case): string | undefined {
  const planned = (observed: GlanceImage[]) =>
    plan({ definitions: [c.d], observed, projectId: PROJECT, options: options(c.opts) });
  try {
    const result = planned(c.observed);
    const cloud = applyToCloud(result, c.observed);
    const breaches = [
      ...invariantBreaches(result),
      ...breachesAfter(c, c.observed, cloud),
      ...newImageBreaches(result, c.observed),
    ];
    if (breaches.length > 0) return `${c.label}: ${breaches.join('; ')}`;
    const again = planned(cloud);
    if (again.actions.length > 0) return `${c.label}: the next run does ${again.actions.map((a) => a.summary)}`;
  } catch (error) {
    return `${c.label}: ${(error as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

describe('plan: every plan over the table of cases (rules 2, 5, 6, 8–11)', () => {
  it('holds the invariants (one writer per image, a new image written once after its import), shows no outdated image again, leaves one image a name and nothing for the next run', () => {
    let count = 0;
    const failures: string[] = [];
    for (const c of cases()) {
      count++;
      const failure = failureOf(c);
      if (failure) failures.push(failure);
    }
    expect(count).toBeGreaterThan(15_000);
    expect({ failures: failures.length, first: failures.slice(0, 8) }).toEqual({ failures: 0, first: [] });
  });
});
