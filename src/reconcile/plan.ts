import { naturalCompare } from '../definitions/natural-sort.js';
import type { ImageDefinition, VersionDefinition } from '../definitions/types.js';
import type { GlanceImage, PatchOperation } from '../openstack/image.js';
import { desiredForUndefinedVersion, desiredForVersion, type RetentionState, type Role } from './desired.js';
import { diffImage, hasChanges, type ImageChanges } from './diff.js';
import { assignOwnership, type OwnedImage } from './identify.js';
import { imageName, versionedName } from './names.js';
import { describeValidity, outdatedToKeep } from './retention.js';
import { applyDesired } from './simulate.js';
import type { Action, DesiredImage, ImageRef, ImportSource, Plan, PlanNote, PlanOptions } from './types.js';

export interface PlanInput {
  /** The definitions to reconcile (already filtered and enabled). */
  definitions: ImageDefinition[];
  /** Every image the project can see. */
  observed: GlanceImage[];
  /** The project of the token: images of other projects are only ours when public (as OIM decides). */
  projectId?: string;
  options: PlanOptions;
}

const IN_PROGRESS = new Set(['queued', 'saving', 'uploading', 'importing']);
const USABLE = new Set(['active', 'deactivated']);

/**
 * The pure planner: definitions plus observed images in, an ordered list of actions out. Imports come
 * first; what depends on an import (the rotation of names, retention) names it in `after`.
 */
export function plan(input: PlanInput): Plan {
  const ownership = assignOwnership(input.definitions, input.observed, input.options.tag, input.projectId);
  const builder = new PlanBuilder();
  for (const def of input.definitions) {
    planDefinition(def, ownership.byDefinition.get(def.name) ?? [], input.options, builder);
  }
  return builder.build();
}

type Phase = 0 | 1 | 2;
const PHASE_IMPORT: Phase = 0;
const PHASE_UPDATE: Phase = 1;
const PHASE_ROTATE: Phase = 2;

interface Draft {
  phase: Phase;
  order: number;
  action: DistributiveOmit<Action, 'seq' | 'after'>;
  after: Draft[];
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

class PlanBuilder {
  private readonly drafts: Draft[] = [];
  private readonly notes: PlanNote[] = [];

  add(phase: Phase, action: Draft['action'], after: Draft[] = []): Draft {
    const draft: Draft = { phase, order: this.drafts.length, action, after };
    this.drafts.push(draft);
    return draft;
  }

  note(note: PlanNote): void {
    this.notes.push(note);
  }

  build(): Plan {
    const ordered = [...this.drafts].sort((a, b) => a.phase - b.phase || a.order - b.order);
    const seqOf = new Map<Draft, number>(ordered.map((draft, index) => [draft, index + 1]));
    const actions = ordered.map((draft) => {
      const action = { ...draft.action, seq: seqOf.get(draft) ?? 0, after: draft.after.map((d) => seqOf.get(d) ?? 0) } as Action;
      if (action.kind === 'rename' && 'importSeq' in action.image) {
        const importDraft = draft.after.find((d) => d.action.kind === 'import' || d.action.kind === 'resume-import');
        action.image = { importSeq: importDraft ? (seqOf.get(importDraft) ?? 0) : 0, name: action.image.name };
      }
      return action;
    });
    return { actions, notes: this.notes };
  }
}

/** One image of a definition as the plan sees it: one that exists, or one this run imports. */
interface Slot {
  version: string;
  defined?: VersionDefinition;
  existing?: GlanceImage;
  /** Imported (or finished) by this run: its draft. */
  pending?: Draft;
}

function planDefinition(def: ImageDefinition, owned: OwnedImage[], options: PlanOptions, builder: PlanBuilder): void {
  const note = (level: PlanNote['level'], message: string, image?: string) =>
    builder.note({ level, definition: def.name, message, ...(image ? { image } : {}) });

  const { primary: byVersion, dead } = primaryPerVersion(def, owned, builder);
  const definedByVersion = new Map(def.versions.map((v) => [v.version, v]));
  const newestDefined = def.versions.at(-1)?.version;
  // A plain-named image with no internal_version only has its creation date as a version: no measure of age.
  const standIns = new Set(owned.filter((o) => o.via === 'created_at').map((o) => o.version));
  const newestExisting = [...byVersion.keys()].filter((version) => !standIns.has(version)).sort(naturalCompare).at(-1);

  // Which missing versions to import. For a multi image, never one older than a version already there:
  // retention may have deleted it on purpose (OIM imports those again on every run). Every version of a
  // single-version image is current, so a missing one is always imported.
  const toImport: VersionDefinition[] = [];
  for (const version of def.versions) {
    if (byVersion.has(version.version)) continue;
    if (dead.has(version.version)) {
      // Its failed image is left for a human to look at; importing again would only pile up more of them.
      note('info', `version ${version.version} not imported: delete its failed image first`);
    } else if (options.latest && version.version !== newestDefined) {
      note('info', `version ${version.version} not imported: --latest imports only ${newestDefined}`);
    } else if (def.multi && newestExisting !== undefined && naturalCompare(version.version, newestExisting) < 0) {
      note('info', `version ${version.version} not imported: the newer version ${newestExisting} exists`);
    } else {
      toImport.push(version);
    }
  }

  const slots = new Map<string, Slot>();
  for (const [version, image] of byVersion) slots.set(version, { version, defined: definedByVersion.get(version), existing: image });
  for (const version of toImport) slots.set(version.version, { version: version.version, defined: version });

  const usable = (slot: Slot) => slot.existing !== undefined && USABLE.has(slot.existing.status);
  const current0 = currentVersion(def, [...slots.values()].filter(usable));
  const current1 = currentVersion(def, [...slots.values()].filter((slot) => slot.defined !== undefined));
  const final = decide(def, slots, current1, options);

  // Drop imports that retention would delete straight away.
  for (const version of toImport) {
    if (final.get(version.version)?.delete) {
      note('info', `version ${version.version} not imported: ${final.get(version.version)?.why}`);
      slots.delete(version.version);
    }
  }

  const imports: Draft[] = [];
  for (const slot of slots.values()) {
    const desired = final.get(slot.version)?.desired;
    if (!slot.defined || !desired) continue;
    const staged = { ...desired, name: versionedName(def, slot.version) };
    const source = importSource(slot.defined);
    if (!slot.existing) {
      slot.pending = builder.add(PHASE_IMPORT, {
        kind: 'import',
        definition: def.name,
        summary: `import ${staged.name} from ${source.url}`,
        desired: staged,
        source,
      });
      imports.push(slot.pending);
    } else if (IN_PROGRESS.has(slot.existing.status)) {
      slot.pending = builder.add(PHASE_IMPORT, {
        kind: 'resume-import',
        definition: def.name,
        summary: `finish the import of ${slot.existing.name ?? slot.existing.id} (${slot.existing.status})`,
        image: slot.existing,
        desired: staged,
        source,
      });
      imports.push(slot.pending);
    }
  }

  const settled = [...slots.values()].filter((slot) => slot.existing && !slot.pending);
  const rotationPending = imports.length > 0;
  const before = rotationPending ? decide(def, new Map([...slots].filter(([, s]) => usable(s))), current0, { ...options, delete: false }) : final;
  const currentImport = [...slots.values()].find((slot) => slot.version === current1 && slot.pending)?.pending;

  // Changes that hold whether or not this run's imports succeed. While a rotation is pending, names stay.
  const afterNow = new Map<string, GlanceImage>();
  for (const slot of settled) {
    const image = slot.existing as GlanceImage;
    afterNow.set(slot.version, image);
    const desired = before.get(slot.version)?.desired;
    if (!desired || final.get(slot.version)?.delete) continue;
    // The image that holds the plain name stays the current one until its successor is in, even when its
    // version is no longer defined (a single-version multi image): its role changes in the rotation below.
    if (rotationPending && def.multi && image.name === def.name && slot.version !== current0) continue;
    const target = rotationPending ? agreedChanges(desired, final.get(slot.version)?.desired, image) : desired;
    const changes = diffImage(target, image);
    if (changes.minDiskRaisedTo !== undefined) {
      note('warn', `min_disk ${desired.min_disk} is too small for the stored image; using ${changes.minDiskRaisedTo}`, image.name ?? image.id);
    }
    if (changes.patch.some((op) => op.path === '/name')) continue; // the whole change becomes a rename below
    afterNow.set(slot.version, applyDesired(image, target));
    if (!hasChanges(changes)) continue;
    builder.add(PHASE_UPDATE, updateAction(def, image, changes));
  }

  // The rotation: what changes once the new versions are in. Names leave the plain name first.
  const gate = currentImport ? [currentImport] : [];
  const renames: Draft[] = [];
  const toPlainName: Array<() => void> = [];
  for (const slot of settled) {
    const state = final.get(slot.version);
    const image = afterNow.get(slot.version) as GlanceImage;
    if (!state || state.delete) continue;
    const changes = diffImage(state.desired, image);
    if (!hasChanges(changes)) continue;
    const renaming = changes.patch.some((op) => op.path === '/name');
    const takesPlainName = renaming && state.desired.name === def.name;
    const add = (after: Draft[]) => {
      if (!renaming) return builder.add(PHASE_ROTATE, updateAction(def, image, changes), after);
      const rename = builder.add(
        PHASE_ROTATE,
        {
          kind: 'rename',
          definition: def.name,
          summary: `rename ${image.name} to ${state.desired.name}${describePatchTail(changes.patch)}`,
          image: { imageId: image.id, name: image.name ?? image.id } satisfies ImageRef,
          to: state.desired.name,
          patch: changes.patch,
        },
        after,
      );
      // A rename carries only its patch: tag and status changes (--deactivate) follow once it is done.
      if (changes.addTags.length > 0 || changes.removeTags.length > 0 || changes.statusChange) {
        const renamed = { ...image, name: state.desired.name };
        builder.add(PHASE_ROTATE, updateAction(def, renamed, { ...changes, patch: [] }), [rename]);
      }
      return rename;
    };
    if (takesPlainName) toPlainName.push(() => renames.push(add([...gate, ...renames])));
    else if (renaming) renames.push(add(gate));
    else add(rotationPending ? gate : []);
  }
  if (currentImport && def.multi) {
    const slot = [...slots.values()].find((s) => s.pending === currentImport) as Slot;
    toPlainName.push(() =>
      renames.push(
        builder.add(
          PHASE_ROTATE,
          {
            kind: 'rename',
            definition: def.name,
            summary: `rename ${versionedName(def, slot.version)} to ${def.name}`,
            image: { importSeq: 0, name: versionedName(def, slot.version) },
            to: def.name,
            patch: [{ op: 'replace', path: '/name', value: def.name }],
          },
          [currentImport, ...renames],
        ),
      ),
    );
  }
  for (const rename of toPlainName) rename();

  // Retention last: after every import of this definition, so a failed successor keeps its predecessor.
  for (const slot of slots.values()) {
    const state = final.get(slot.version);
    if (!state) continue;
    const image = slot.existing;
    if (state.delete && image && !slot.pending) {
      builder.add(
        PHASE_ROTATE,
        {
          kind: 'delete',
          definition: def.name,
          summary: `delete ${image.name ?? image.id} (${state.why})`,
          imageId: image.id,
          name: image.name ?? image.id,
          reason: state.why,
          fallback: { patch: state.fallback ? diffImage(state.fallback, image).patch : [], deactivate: true },
        },
        [...imports, ...renames],
      );
    } else if (state.why && image) {
      note('info', state.why, image.name ?? image.id);
    }
  }
}

/** Of several images claiming one version, the one to keep working with: usable first, then newest. */
function primaryPerVersion(
  def: ImageDefinition,
  owned: OwnedImage[],
  builder: PlanBuilder,
): { primary: Map<string, GlanceImage>; dead: Set<string> } {
  const rank = (image: GlanceImage) => (USABLE.has(image.status) ? 0 : IN_PROGRESS.has(image.status) ? 1 : 2);
  const groups = new Map<string, GlanceImage[]>();
  for (const { image, version } of owned) groups.set(version, [...(groups.get(version) ?? []), image]);
  const primary = new Map<string, GlanceImage>();
  const dead = new Set<string>();
  for (const [version, images] of groups) {
    const sorted = [...images].sort((a, b) => rank(a) - rank(b) || b.created_at.localeCompare(a.created_at));
    const first = sorted[0] as GlanceImage;
    if (rank(first) === 2) {
      builder.note({
        level: 'warn',
        definition: def.name,
        image: first.name ?? first.id,
        message: `version ${version} exists only as ${first.status} image(s) (${sorted.map((i) => i.id).join(', ')}): left alone, delete by hand`,
      });
      dead.add(version);
      continue;
    }
    primary.set(version, first);
    for (const extra of sorted.slice(1)) {
      builder.note({
        level: 'warn',
        definition: def.name,
        image: extra.name ?? extra.id,
        message: `image ${extra.id} (${extra.status}) also claims version ${version}; using ${first.id}, leaving this one alone`,
      });
    }
  }
  return { primary, dead };
}

/** The version that carries the plain name: the newest defined version present (or arriving). */
function currentVersion(def: ImageDefinition, slots: Slot[]): string | undefined {
  const defined = slots.filter((slot) => slot.defined !== undefined).map((slot) => slot.version);
  return defined.sort(naturalCompare).at(-1);
}

interface FinalState {
  desired: DesiredImage;
  delete: boolean;
  /** Why it is deleted or kept, for the plan's notes. */
  why: string;
  /** For an image to delete: the retired state it gets instead when Glance refuses (the image is in use). */
  fallback?: DesiredImage;
}

/**
 * The state every image of the definition should reach, with `current` carrying the plain name: roles,
 * names, properties, and what retention does with the outdated ones (newest first, per uuid_validity).
 */
function decide(def: ImageDefinition, slots: Map<string, Slot>, current: string | undefined, options: PlanOptions): Map<string, FinalState> {
  const states = new Map<string, FinalState>();
  const roleOf = (slot: Slot): Role =>
    slot.defined && (def.multi ? slot.version === current : true) ? 'current' : 'outdated';
  const outdated = [...slots.values()].filter((slot) => roleOf(slot) === 'outdated').sort((a, b) => naturalCompare(b.version, a.version));
  const validity = def.meta.uuid_validity;
  const keepCount = outdatedToKeep(validity, options.today);

  for (const slot of slots.values()) {
    if (roleOf(slot) !== 'current' || !slot.defined) continue;
    states.set(slot.version, { desired: desiredForVersion(def, slot.defined, 'current', options), delete: false, why: '' });
  }
  outdated.forEach((slot, index) => {
    const pastRetention = index >= keepCount;
    const protectedImage = slot.existing?.protected === true;
    const kept = options.keep || def.keep;
    const deleting = pastRetention && options.delete && !kept && !protectedImage;
    let why: string;
    if (!pastRetention) why = `kept: uuid_validity ${describeValidity(validity)}`;
    else if (!options.delete) why = `past its retention (uuid_validity ${describeValidity(validity)}); --delete would delete it`;
    else if (protectedImage) why = 'past its retention but protected: not deleted';
    else if (kept) why = `past its retention but kept (${options.keep ? '--keep' : 'keep: true'})`;
    else why = `uuid_validity ${describeValidity(validity)}`;
    const outdatedState = (opts: PlanOptions, retention: RetentionState) =>
      slot.defined
        ? desiredForVersion(def, slot.defined, 'outdated', opts, retention)
        : desiredForUndefinedVersion(
            def,
            slot.version,
            slot.existing?.name ?? imageName(def, slot.version, false),
            slot.existing?.os_purpose,
            opts,
            retention,
          );
    const desired = outdatedState(options, { hidden: true, deactivated: pastRetention && !deleting });
    // Should Glance refuse the delete (the image is in use), it is retired as far as it can be instead.
    const fallback = deleting ? outdatedState({ ...options, hide: true }, { hidden: true, deactivated: false }) : undefined;
    states.set(slot.version, { desired, delete: deleting, why, ...(fallback ? { fallback } : {}) });
  });
  return states;
}

/**
 * While a rotation waits for an import, only the changes both states agree on are made now; the rest
 * (the name, os_purpose, exposure) follow the import, so that a failed import changes nothing it needed.
 */
function agreedChanges(now: DesiredImage, later: DesiredImage | undefined, image: GlanceImage): DesiredImage {
  if (!later) return { ...now, name: image.name ?? now.name };
  const keep = <T>(a: T | undefined, b: T | undefined, observed: T): T | undefined => (a === b ? a : observed);
  const properties: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(now.properties)) {
    if (later.properties[key] === value) properties[key] = value;
  }
  const agreed: DesiredImage = { ...now, name: image.name ?? now.name, properties };
  const visibility = keep(now.visibility, later.visibility, image.visibility);
  const osHidden = keep(now.os_hidden, later.os_hidden, image.os_hidden);
  const status = keep(now.status, later.status, image.status === 'deactivated' ? 'deactivated' : 'active');
  return { ...agreed, visibility, os_hidden: osHidden, status } as DesiredImage;
}

function importSource(version: VersionDefinition): ImportSource {
  return {
    url: version.mirror_url ?? version.url,
    ...(version.checksum ? { checksum: version.checksum } : {}),
    ...(version.id ? { id: version.id } : {}),
  };
}

function updateAction(def: ImageDefinition, image: GlanceImage, changes: ImageChanges): Draft['action'] {
  return {
    kind: 'update',
    definition: def.name,
    summary: describeUpdate(image, changes.patch, changes.addTags, changes.removeTags, changes.statusChange),
    imageId: image.id,
    name: image.name ?? image.id,
    patch: changes.patch,
    addTags: changes.addTags,
    removeTags: changes.removeTags,
    ...(changes.statusChange ? { statusChange: changes.statusChange } : {}),
  };
}

function describeUpdate(
  image: GlanceImage,
  patch: PatchOperation[],
  addTags: string[],
  removeTags: string[],
  statusChange: string | undefined,
): string {
  const parts = patch.map((op) => (op.op === 'remove' ? `-${op.path.slice(1)}` : `${op.path.slice(1)}=${JSON.stringify(op.value)}`));
  parts.push(...addTags.map((tag) => `+tag ${tag}`), ...removeTags.map((tag) => `-tag ${tag}`));
  if (statusChange) parts.push(statusChange);
  return `update ${image.name ?? image.id}: ${parts.join(', ')}`;
}

function describePatchTail(patch: PatchOperation[]): string {
  const rest = patch.filter((op) => op.path !== '/name');
  if (rest.length === 0) return '';
  return `, ${rest.map((op) => (op.op === 'remove' ? `-${op.path.slice(1)}` : `${op.path.slice(1)}=${JSON.stringify(op.value)}`)).join(', ')}`;
}
