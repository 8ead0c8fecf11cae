import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import type { OwnedImage } from '../plan/identify.js';
import { inventory, type VersionSlot } from '../plan/inventory.js';
import { type Target, targets } from '../plan/targets.js';
import { isRetention, reasonText } from '../plan/reasons.js';
import type { Action, PlanOptions, Reason } from '../plan/types.js';
import { formatDay, parseBuildDate, parseTimestamp } from '../scs/dates.js';
import type { ImageSubject } from '../scs/image-subject.js';
import { replacementDue } from '../scs/recency.js';
import { subjectOfDefinition, subjectOfImage } from '../scs/subjects.js';
import { type ActionIndex, changesOf, importKey, nextOf } from './actions.js';
import type { ImageSummary, Recency, Role, VersionStatus } from './types.js';

const DAY_MS = 86_400_000;

/** What a definition's rows read besides the definition: the plan's actions, the flags, the clock. */
export interface RowContext {
  index: ActionIndex;
  options: PlanOptions;
  now: number;
  /** Per image id, why the official SCS recency test would WARN about it; undefined: not judged. */
  scsRecencyWarnings?: ReadonlyMap<string, string>;
}

/**
 * One row per version and per image of a definition, oldest version first, each with the role and the fate the
 * planner's own stages give it (`inventory`, `targets`: called as `plan` calls them, so they cannot disagree).
 * `names`: every name its images carry now or will carry after the next run.
 */
export function versionRows(
  def: ImageDefinition,
  owned: OwnedImage[],
  context: RowContext,
): { rows: VersionStatus[]; names: Set<string> } {
  const slots = inventory(def, owned);
  const bySlot = new Map<VersionSlot, Target[]>();
  for (const target of targets(def, slots, context.options)) {
    const list = bySlot.get(target.slot);
    if (list) list.push(target);
    else bySlot.set(target.slot, [target]);
  }
  const rows: VersionStatus[] = [];
  const names = new Set<string>();
  for (const slot of slots) {
    for (const target of bySlot.get(slot) ?? []) {
      const row = targetRow(def, target, context);
      if (row) rows.push(row);
      if (target.fate !== 'none' && target.fate !== 'delete') names.add(target.desired.name);
    }
    for (const image of slot.ignored) rows.push(leftAloneRow(slot, image, context));
    for (const image of [slot.image, ...slot.duplicates, ...slot.ignored]) if (image?.name) names.add(image.name);
  }
  return { rows, names };
}

function targetRow(def: ImageDefinition, target: Target, context: RowContext): VersionStatus | undefined {
  const { slot } = target;
  const base = { version: slot.version, defined: slot.defined !== undefined };
  if (target.fate === 'none') {
    // A version no longer listed whose only images failed: those are its left-alone rows.
    if (!slot.defined) return undefined;
    const recency = recencyOf(subjectOfDefinition(def, slot.defined, context.options.tag), context.now);
    const why = reasonText(target.reason);
    return { ...base, role: 'none', plainName: { now: false, next: false }, recency, next: 'none', why, ...NO_WORK };
  }
  if (target.fate === 'import') {
    const actions = context.index.byImport.get(importKey(def.name, slot.version)) ?? [];
    const recency = slot.defined
      ? { recency: recencyOf(subjectOfDefinition(def, slot.defined, context.options.tag), context.now) }
      : {};
    return {
      ...base,
      role: target.role,
      plainName: { now: false, next: def.multi && target.desired.name === def.name },
      ...recency,
      ...retentionOf(target.reason),
      next: nextOf(actions, []),
      changes: [],
      actions: actions.map((action) => action.seq),
    };
  }
  return imageRow(def, target, context);
}

function imageRow(
  def: ImageDefinition,
  target: Exclude<Target, { fate: 'none' | 'import' }>,
  context: RowContext,
): VersionStatus {
  const { slot, image } = target;
  const actions = context.index.byImage.get(image.id) ?? [];
  const changes = changesOf(actions);
  const duplicate = target.fate !== 'resume' && target.duplicateOf !== undefined;
  const role: Role = duplicate ? 'duplicate' : target.fate === 'delete' ? 'outdated' : target.role;
  const keepsName = target.fate !== 'delete' && target.desired.name === def.name;
  const warning = context.scsRecencyWarnings?.get(image.id);
  return {
    version: slot.version,
    defined: slot.defined !== undefined,
    image: summaryOf(image),
    role,
    plainName: { now: def.multi && image.name === def.name, next: def.multi && keepsName },
    recency: recencyOf(subjectOfImage(image), context.now),
    ...(role === 'current' ? {} : retentionOf(target.reason)),
    next: nextOf(actions, changes),
    changes,
    actions: actions.map((action: Action) => action.seq),
    ...(warning !== undefined ? { scsRecencyWarning: warning } : {}),
  };
}

function leftAloneRow(slot: VersionSlot, image: GlanceImage, context: RowContext): VersionStatus {
  const warning = context.scsRecencyWarnings?.get(image.id);
  return {
    version: slot.version,
    defined: slot.defined !== undefined,
    image: summaryOf(image),
    role: 'left-alone',
    plainName: { now: false, next: false },
    recency: recencyOf(subjectOfImage(image), context.now),
    next: 'none',
    why: `${image.status}: left alone, delete by hand`,
    ...NO_WORK,
    ...(warning !== undefined ? { scsRecencyWarning: warning } : {}),
  };
}

const NO_WORK = { changes: [], actions: [] } as const satisfies Pick<VersionStatus, 'changes' | 'actions'>;

/** Rule 6: within uuid_validity (`kept`) or past it, and the planner's words. */
function retentionOf(reason: Reason): Pick<VersionStatus, 'retention'> {
  if (!isRetention(reason)) return {};
  return { retention: { state: reason.kind === 'kept' ? 'kept' : 'past', why: reasonText(reason) } };
}

/** scs-0102's recency (`replacementDue`), with the build date and age a person reads. */
export function recencyOf(subject: ImageSubject, now: number): Recency {
  const due = replacementDue(subject);
  const buildText = subject.properties.image_build_date;
  const built = (buildText === undefined ? undefined : parseBuildDate(buildText)) ?? parseTimestamp(subject.created_at);
  const frequency = subject.properties.replace_frequency;
  return {
    ...(built !== undefined ? { buildDate: formatDay(built), ageDays: Math.floor((now - built) / DAY_MS) } : {}),
    ...(frequency !== undefined ? { replaceFrequency: frequency } : {}),
    ...(due.due ? { replacementDue: formatDay(due.at) } : {}),
    overdue: due.due && now > due.at,
    why: due.due ? due.age : due.why,
  };
}

export function summaryOf(image: GlanceImage): ImageSummary {
  return {
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    hidden: image.os_hidden === true,
    protected: image.protected === true,
    owner: image.owner ?? null,
    createdAt: image.created_at,
  };
}
