import { versionedName } from '../definitions/publishes.js';
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { diffImage, type SharedChanges } from './diff.js';
import { asCreated } from './new-image.js';
import { reasonText } from './reasons.js';
import type { Arrival, Deleted, Kept, Target } from './targets.js';
import { importSource } from './sources.js';
import type { Change, DesiredImage, Field, ImportSource, PlanOptions } from './types.js';

interface DraftBase {
  definition: string;
  /** The drafts that must have succeeded first. */
  after: Draft[];
}

/**
 * A new image: created fully described under `desired.name` (the name it ends with, or its versioned name while
 * another image holds that one), its data imported, then `changes` finish it (rule 2).
 */
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
/**
 * The fields an arrival that takes a name another image leaves in this run writes with the name, in one change
 * once that one has left (rule 2): a new image is not shown before it has its name.
 */
const TAKING_FIELDS: ReadonlySet<Field> = new Set<Field>(['name', 'visibility', 'os_hidden', 'status']);
const RETENTION_FIELDS: ReadonlySet<Field> = new Set<Field>(['status']);
const NOTHING_HELD: ReadonlySet<Field> = new Set<Field>();

/**
 * Stage 3: the drafts that bring one definition's slots to their targets. Every ordering is an `after` edge:
 * an image's later changes after its earlier ones and after the import they wait for, the plain name taken
 * only once every image leaving it has left, retention after every import and rename of the definition.
 */
/** What an arrival's drafts take from the plan's options: the managed tag, and --mirror-base. */
type ArrivalOptions = Pick<PlanOptions, 'tag' | 'mirrorBase'>;

export function actions(def: ImageDefinition, decided: Target[], options: ArrivalOptions): Draft[] {
  const shared: SharedChanges = new Map();
  const arrivals = new Map<Arrival, { arrival: ArrivalDraft; rename?: ChangeDraft }>();
  for (const target of decided) {
    if (target.fate === 'import' || target.fate === 'resume')
      arrivals.set(target, arrivalDrafts(def, target, namingOf(def, target, decided), options, shared));
  }
  // The arrival of the version that becomes current: the images current now hand over to it.
  const successor = def.multi ? [...arrivals].find(([target]) => target.role === 'current')?.[1].arrival : undefined;
  const drafts: Draft[] = [];
  for (const { arrival } of arrivals.values()) drafts.push(arrival);
  const retiring: Draft[] = [];
  for (const target of decided) {
    switch (target.fate) {
      case 'import':
      case 'resume': {
        const rename = arrivals.get(target)?.rename;
        if (rename) drafts.push(rename);
        break;
      }
      case 'keep':
        drafts.push(...keptDrafts(def, target, successor, retiring, shared));
        break;
      case 'delete':
        retiring.push(deleteDraft(def, target, shared));
        break;
    }
  }
  drafts.push(...retiring);
  orderPlainName(def, drafts);
  orderRetention(drafts, retiring);
  return drafts;
}

/**
 * How an arrival comes by the name it ends with (rule 2). `direct`: no other image of the definition holds
 * it; an import creates the image under it, a resume gives it with the rest. `fold`: another image holds it
 * and keeps it (a failed one, or one retention deletes): created under the versioned name, the name comes
 * with the import's changes. `rotation`: another image leaves it in this run: created under the versioned
 * name (a resume keeps its own), the name comes, with the exposure and status, in a rename after that one
 * has left.
 */
type Naming = 'direct' | 'fold' | 'rotation';

function namingOf(def: ImageDefinition, target: Arrival, decided: Target[]): Naming {
  const name = target.desired.name;
  const own = target.fate === 'resume' ? target.image : undefined;
  // Only the plain name of a multi image changes hands; a versioned name is the version's own.
  if (!def.multi || name !== def.name || own?.name === name) return 'direct';
  const leaves = (other: Target) =>
    (other.fate === 'keep' || other.fate === 'resume') &&
    other.image !== own &&
    other.image.name === name &&
    other.desired.name !== name;
  if (decided.some(leaves)) return 'rotation';
  const holds = (image: GlanceImage) => image !== own && image.name === name;
  const held = [...new Set(decided.map((other) => other.slot))].some(
    (slot) => (slot.image && holds(slot.image)) || slot.duplicates.some(holds) || slot.ignored.some(holds),
  );
  return held ? 'fold' : 'direct';
}

/**
 * An arrival's draft, and in a rotation the rename that gives it the name with its exposure and status.
 * An import's changes start from the image as `createRequest` creates it (see `asCreated`); a resume's from
 * the image as found, once its import is through.
 */
function arrivalDrafts(
  def: ImageDefinition,
  target: Arrival,
  naming: Naming,
  { tag, mirrorBase }: ArrivalOptions,
  shared: SharedChanges,
): { arrival: ArrivalDraft; rename?: ChangeDraft } {
  const name = startName(def, target, naming);
  const desired = name === target.desired.name ? target.desired : { ...target.desired, name };
  const version = target.slot.defined;
  if (!version) throw new Error('planner bug: an import of a version the definition does not list');
  const source = importSource(def, version, mirrorBase);
  const from = target.fate === 'import' ? asCreated(desired, tag) : { ...target.image, status: 'active' as const };
  const changes = diffImage(target.desired, from, shared);
  const [later, now] = naming === 'rotation' ? split(changes, TAKING_FIELDS) : [[], changes];
  const base = { definition: def.name, after: [], desired, source, changes: now };
  const arrival: ArrivalDraft =
    target.fate === 'import' ? { kind: 'import', ...base } : { kind: 'resume-import', ...base, image: target.image };
  if (later.length === 0) return { arrival };
  const rename: ChangeDraft = {
    kind: 'rename',
    definition: def.name,
    image: { arriving: arrival },
    changes: later,
    after: [arrival],
  };
  return { arrival, rename };
}

/** The name an arrival has through its import: the one it ends with, unless it waits for it (`Naming`). */
function startName(def: ImageDefinition, target: Arrival, naming: Naming): string {
  if (naming === 'direct' || (naming === 'fold' && target.fate === 'resume')) return target.desired.name;
  const versioned = versionedName(def, target.slot.version);
  return target.fate === 'resume' && naming === 'rotation' ? (target.image.name ?? versioned) : versioned;
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
  shared: SharedChanges,
): ChangeDraft[] {
  const changes = diffImage(target.desired, target.image, shared);
  const held =
    target.waits === 'rotation' && successor
      ? HANDOVER_FIELDS
      : target.waits === 'retention'
        ? RETENTION_FIELDS
        : NOTHING_HELD;
  const [later, now] = split(changes, held);
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

/**
 * The changes of the fields `of`, and the others, in their order. Each exactly as long as it needs to be: a plan
 * holds thousands of these (a filtered or pushed-to array keeps room for more).
 */
function split(changes: Change[], of: ReadonlySet<Field>): [Change[], Change[]] {
  const these: Change[] = [];
  const others: Change[] = [];
  for (const change of changes) (of.has(change.field) ? these : others).push(change);
  if (these.length === 0) return [these, changes];
  return [these.slice(), others.length > 0 ? others.slice() : others];
}

function changeDraft(def: ImageDefinition, image: GlanceImage, changes: Change[], after: Draft[]): ChangeDraft {
  const kind = changes.some((change) => change.field === 'name') ? 'rename' : 'update';
  return { kind, definition: def.name, image: { found: image }, changes, after };
}

function deleteDraft(def: ImageDefinition, target: Deleted, shared: SharedChanges): DeleteDraft {
  const fallback = diffImage(target.fallback, target.image, shared);
  return {
    kind: 'delete',
    definition: def.name,
    image: target.image,
    reason: reasonText(target.reason),
    fallback,
    after: [],
  };
}

/**
 * Rule 5: the image that takes the plain name waits until every image leaving it has left (an arrival never
 * takes it in its own draft while another leaves it, see `namingOf`).
 */
function orderPlainName(def: ImageDefinition, drafts: Draft[]): void {
  if (!def.multi) return;
  const leaving: Draft[] = [];
  const taking: ChangeDraft[] = [];
  for (const draft of drafts) {
    if (draft.kind === 'delete') continue;
    const name = draft.changes.find((change) => change.field === 'name');
    if (name?.before === def.name) leaving.push(draft);
    else if (name?.after === def.name && (draft.kind === 'rename' || draft.kind === 'update')) taking.push(draft);
  }
  if (leaving.length === 0) return;
  for (const draft of taking) draft.after.push(...leaving);
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
