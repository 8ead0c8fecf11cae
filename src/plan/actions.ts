import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { diffImage } from './diff.js';
import { versionedName } from './names.js';
import { asCreated } from './new-image.js';
import type { Arrival, Deleted, Kept, Target } from './targets.js';
import type { Change, DesiredImage, Field, ImportSource } from './types.js';

interface DraftBase {
  definition: string;
  /** The drafts that must have succeeded first. */
  after: Draft[];
}

/** A new image: created under its versioned name, its data imported, then `changes` finish it. */
export interface ImportDraft extends DraftBase {
  kind: 'import';
  desired: DesiredImage;
  source: ImportSource;
  changes: Change[];
}

export interface ResumeDraft extends DraftBase {
  kind: 'resume-import';
  image: GlanceImage;
  desired: DesiredImage;
  source: ImportSource;
  changes: Change[];
}

export type ArrivalDraft = ImportDraft | ResumeDraft;

/** The image a draft writes: one found in the cloud, or the one an arrival draft brings. */
export type DraftImage = { found: GlanceImage } | { arriving: ArrivalDraft };

/** Changes to an image; a `rename` is one whose changes include the name. */
export interface ChangeDraft extends DraftBase {
  kind: 'update' | 'rename';
  image: DraftImage;
  changes: Change[];
}

export interface DeleteDraft extends DraftBase {
  kind: 'delete';
  image: GlanceImage;
  reason: string;
  /** What retires the image instead when Glance refuses (in use). */
  fallback: Change[];
}

export type Draft = ArrivalDraft | ChangeDraft | DeleteDraft;

/** The fields whose values follow an image's role: they change only once its successor is in (rule 5). */
const HANDOVER_FIELDS: ReadonlySet<Field> = new Set<Field>([
  'name',
  'properties.os_purpose',
  'visibility',
  'os_hidden',
  'status',
]);
const RETENTION_FIELDS: ReadonlySet<Field> = new Set<Field>(['status']);
const NOTHING_HELD: ReadonlySet<Field> = new Set<Field>();

/**
 * Stage 3: the drafts that bring one definition's slots to their targets. Every ordering is an `after` edge:
 * an image's later changes after its earlier ones and after the import they wait for, the plain name taken
 * only once every image leaving it has left, retention after every import and rename of the definition.
 */
export function actions(def: ImageDefinition, decided: Target[], tag: string): Draft[] {
  const arrivals = new Map<Arrival, ArrivalDraft>();
  for (const target of decided) {
    if (target.fate === 'import' || target.fate === 'resume') arrivals.set(target, arrivalDraft(def, target, tag));
  }
  // The arrival of the version that becomes current: the images current now hand over to it.
  const successor = def.multi ? [...arrivals].find(([target]) => target.role === 'current')?.[1] : undefined;
  const drafts: Draft[] = [...arrivals.values()];
  const retiring: Draft[] = [];
  for (const target of decided) {
    switch (target.fate) {
      case 'import':
      case 'resume':
        drafts.push(...takeFinalName(def, target, arrivals.get(target)));
        break;
      case 'keep':
        drafts.push(...keptDrafts(def, target, successor, retiring));
        break;
      case 'delete':
        retiring.push(deleteDraft(def, target));
        break;
    }
  }
  drafts.push(...retiring);
  orderPlainName(def, drafts);
  orderRetention(drafts, retiring);
  return drafts;
}

function arrivalDraft(def: ImageDefinition, target: Arrival, tag: string): ArrivalDraft {
  const desired = { ...target.desired, name: versionedName(def, target.slot.version) };
  const source = importSource(target.slot.defined);
  const base = { definition: def.name, after: [], desired, source };
  if (target.fate === 'import')
    return { kind: 'import', ...base, changes: diffImage(desired, asCreated(desired, tag)) };
  // Diffed as it will be once its import is through.
  return {
    kind: 'resume-import',
    ...base,
    image: target.image,
    changes: diffImage(desired, { ...target.image, status: 'active' }),
  };
}

function importSource(version: VersionDefinition | undefined): ImportSource {
  if (!version) throw new Error('planner bug: an import of a version the definition does not list');
  return {
    url: version.mirror_url ?? version.url,
    ...(version.checksum ? { checksum: version.checksum } : {}),
    ...(version.id ? { id: version.id } : {}),
  };
}

/** Rule 2: an arrival is imported under its versioned name; the current one then takes the plain name. */
function takeFinalName(def: ImageDefinition, target: Arrival, arrival: ArrivalDraft | undefined): ChangeDraft[] {
  if (!arrival || target.desired.name === arrival.desired.name) return [];
  const rename: Change = { field: 'name', before: arrival.desired.name, after: target.desired.name };
  return [{ kind: 'rename', definition: def.name, image: { arriving: arrival }, changes: [rename], after: [arrival] }];
}

/**
 * An image kept: its changes in one draft, or in two when part of them waits (rules 5 and 6): what holds
 * whatever the imports do at once, the rest after them. A draft that waits for retention goes to `retiring`.
 */
function keptDrafts(
  def: ImageDefinition,
  target: Kept,
  successor: ArrivalDraft | undefined,
  retiring: Draft[],
): ChangeDraft[] {
  const changes = diffImage(target.desired, target.image);
  const held =
    target.waits === 'rotation' && successor
      ? HANDOVER_FIELDS
      : target.waits === 'retention'
        ? RETENTION_FIELDS
        : NOTHING_HELD;
  const now = changes.filter((change) => !held.has(change.field));
  const later = changes.filter((change) => held.has(change.field));
  const first = now.length > 0 ? changeDraft(def, target.image, now, []) : undefined;
  if (later.length === 0) return first ? [first] : [];
  const after = [...(first ? [first] : []), ...(target.waits === 'rotation' && successor ? [successor] : [])];
  const second = changeDraft(def, target.image, later, after);
  if (target.waits === 'retention') {
    retiring.push(second);
    return first ? [first] : [];
  }
  return first ? [first, second] : [second];
}

function changeDraft(def: ImageDefinition, image: GlanceImage, changes: Change[], after: Draft[]): ChangeDraft {
  const kind = changes.some((change) => change.field === 'name') ? 'rename' : 'update';
  return { kind, definition: def.name, image: { found: image }, changes, after };
}

function deleteDraft(def: ImageDefinition, target: Deleted): DeleteDraft {
  const fallback = diffImage(target.fallback, target.image);
  return { kind: 'delete', definition: def.name, image: target.image, reason: target.why, fallback, after: [] };
}

/** Rule 5: the image that takes the plain name waits until every image leaving it has left. */
function orderPlainName(def: ImageDefinition, drafts: Draft[]): void {
  if (!def.multi) return;
  const renamesOf = (side: 'before' | 'after') =>
    drafts.filter(
      (draft) => draft.kind === 'rename' && draft.changes.some((c) => c.field === 'name' && c[side] === def.name),
    );
  const leaving = renamesOf('before');
  for (const taking of renamesOf('after')) taking.after.push(...leaving);
}

/**
 * Rule 6: retention last, after every import and rename of the definition, so a failed successor keeps its
 * predecessor.
 */
function orderRetention(drafts: Draft[], retiring: Draft[]): void {
  const awaited = drafts.filter(
    (draft) => draft.kind === 'import' || draft.kind === 'resume-import' || draft.kind === 'rename',
  );
  for (const draft of retiring) draft.after.push(...awaited);
}
