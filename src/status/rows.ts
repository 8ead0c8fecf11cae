import {
  readVerificationRecord,
  VERIFICATION_PROPERTY,
  verificationPending,
} from '../definitions/verification-record.js';
import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { isRetention, reasonText } from '../plan/reasons.js';
import type { Action, Decision, DefinitionPlan, Reason, VersionPlan } from '../plan/types.js';
import { formatDay, parseBuildDate, parseTimestamp } from '../scs/dates.js';
import type { ImageSubject } from '../scs/image-subject.js';
import { replacementDue } from '../scs/recency.js';
import { subjectOfDefinition, subjectOfImage } from '../scs/subjects.js';
import { type ActionIndex, changesOf, importKey, nextOf } from './actions.js';
import type { ImageSummary, Recency, Role, VerificationStatus, VersionStatus } from './types.js';

const DAY_MS = 86_400_000;

/** What a definition's rows read besides the definition and its plan: the plan's actions, the clock. */
export interface RowContext {
  index: ActionIndex;
  now: number;
  /** Per image id, why the official SCS recency test would WARN about it; undefined: not judged. */
  scsRecencyWarnings?: ReadonlyMap<string, string>;
}

type ImageDecision = Extract<Decision, { fate: 'keep' | 'resume' | 'delete' }>;

/**
 * One row per version and per image of a definition, oldest version first, each with the role and the fate the
 * plan decided for it (`planned`: the plan's part for this definition). `names`: every name its images carry
 * now or will carry after the next run.
 */
export function versionRows(
  def: ImageDefinition,
  planned: DefinitionPlan,
  context: RowContext,
): { rows: VersionStatus[]; names: Set<string> } {
  const listed = new Map(def.versions.map((version) => [version.version, version]));
  const rows: VersionStatus[] = [];
  const names = new Set<string>();
  for (const version of planned.versions) {
    for (const decision of version.decisions) {
      const row = decisionRow(def, version, listed.get(version.version), decision, context);
      if (row) rows.push(row);
      if ('name' in decision) names.add(decision.name);
      if ('image' in decision && decision.image.name) names.add(decision.image.name);
    }
  }
  return { rows, names };
}

function decisionRow(
  def: ImageDefinition,
  { version, defined }: VersionPlan,
  listed: VersionDefinition | undefined,
  decision: Decision,
  context: RowContext,
): VersionStatus | undefined {
  const base = { version, defined };
  const recencyOfListed = () => (listed ? { recency: recencyOf(subjectOfDefinition(def, listed), context.now) } : {});
  switch (decision.fate) {
    case 'none': {
      // A version no longer listed whose only images failed: those are its left-alone rows.
      if (decision.reason.kind === 'not-listed') return undefined;
      const none = {
        role: 'none',
        plainName: { now: false, next: false },
        ...recencyOfListed(),
        next: 'none',
      } as const;
      return { ...base, ...none, why: reasonText(decision.reason), ...NO_WORK };
    }
    case 'import': {
      const actions = context.index.byImport.get(importKey(def.name, version)) ?? [];
      return {
        ...base,
        role: decision.role,
        plainName: { now: false, next: def.multi && decision.name === def.name },
        ...recencyOfListed(),
        ...retentionOf(decision.reason),
        next: nextOf(actions, []),
        changes: [],
        actions: actions.map((action) => action.seq),
      };
    }
    case 'leave':
      return leftAloneRow(base, decision.image, reasonText(decision.reason), context);
    default:
      return imageRow(def, base, decision, context);
  }
}

function imageRow(
  def: ImageDefinition,
  base: Pick<VersionStatus, 'version' | 'defined'>,
  decision: ImageDecision,
  context: RowContext,
): VersionStatus {
  const { image } = decision;
  const actions = context.index.byImage.get(image.id) ?? [];
  const changes = changesOf(actions);
  const duplicate = 'duplicateOf' in decision && decision.duplicateOf !== undefined;
  const role: Role = duplicate ? 'duplicate' : decision.fate === 'delete' ? 'outdated' : decision.role;
  const keepsName = decision.fate !== 'delete' && decision.name === def.name;
  const warning = context.scsRecencyWarnings?.get(image.id);
  return {
    ...base,
    image: summaryOf(image),
    verification: verificationOf(image),
    role,
    plainName: { now: def.multi && image.name === def.name, next: def.multi && keepsName },
    recency: recencyOf(subjectOfImage(image), context.now),
    ...(role === 'current' ? {} : retentionOf(decision.reason)),
    next: nextOf(actions, changes),
    changes,
    actions: actions.map((action: Action) => action.seq),
    ...(warning !== undefined ? { scsRecencyWarning: warning } : {}),
  };
}

function leftAloneRow(
  base: Pick<VersionStatus, 'version' | 'defined'>,
  image: GlanceImage,
  leftAlone: string,
  context: RowContext,
): VersionStatus {
  const warning = context.scsRecencyWarnings?.get(image.id);
  return {
    ...base,
    image: summaryOf(image),
    verification: verificationOf(image),
    role: 'left-alone',
    plainName: { now: false, next: false },
    recency: recencyOf(subjectOfImage(image), context.now),
    next: 'none',
    why: `${image.status}: ${leftAlone}`,
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

/** What the image's `image_verification` says; `not-recorded` for an image published without it. */
function verificationOf(image: GlanceImage): VerificationStatus {
  const recorded = readVerificationRecord(image[VERIFICATION_PROPERTY]);
  if (recorded) return recorded;
  if (verificationPending(image[VERIFICATION_PROPERTY])) {
    return { state: 'pending', detail: 'imported by a run that did not wait (--no-wait); the next run verifies it' };
  }
  return { state: 'not-recorded', detail: 'imported before verification by default, or by another tool' };
}
