import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { ImageDefinition, Meta, VersionDefinition } from '../../../src/definitions/types.js';
import type { GlanceImage } from '../../../src/openstack/image.js';
import { type PlanInput, plan } from '../../../src/plan/plan.js';
import type {
  Action,
  Change,
  DeleteAction,
  ImportAction,
  Plan,
  PlanOptions,
  RenameAction,
  ResumeImportAction,
  UpdateAction,
} from '../../../src/plan/types.js';

export const PROJECT = 'project-ours';
export const TAG = 'managed_by_osism';
export const TODAY = '2025-06-15';
const GIB = 1024 ** 3;

export function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    tag: TAG,
    latest: false,
    hide: false,
    useOsHidden: false,
    deactivate: false,
    delete: false,
    keep: false,
    today: TODAY,
    ...overrides,
  };
}

/** `20240301` → `2024-03-01`; other versions have no build date. */
function dateOf(version: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

export function version(v: string, overrides: Partial<VersionDefinition> = {}): VersionDefinition {
  const buildDate = dateOf(v);
  return {
    line: 10,
    version: v,
    url: `https://images.example.com/img-${v}.qcow2`,
    checksum: { algo: 'sha256', hex: 'a'.repeat(64) },
    ...(buildDate ? { build_date: buildDate } : {}),
    meta: {},
    ...overrides,
  };
}

export type DefInput = Partial<Omit<ImageDefinition, 'versions'>> & { versions?: Array<string | VersionDefinition> };

/** An ImageDefinition as the loader returns it: multi, separator ' ', SCS meta, versions oldest first. */
export function def(input: DefInput = {}): ImageDefinition {
  const { versions = ['20240101'], meta, ...rest } = input;
  return {
    file: 'images.yml',
    line: 1,
    name: 'Ubuntu 24.04',
    enable: true,
    format: 'qcow2',
    login: 'ubuntu',
    min_disk: 8,
    min_ram: 512,
    multi: true,
    keep: false,
    status: 'active',
    separator: ' ',
    tags: [],
    visibility: 'public',
    ...rest,
    meta: {
      architecture: 'x86_64',
      hw_disk_bus: 'scsi',
      hypervisor_type: 'qemu',
      hw_qemu_guest_agent: true,
      os_distro: 'ubuntu',
      os_version: '24.04',
      os_purpose: 'generic',
      replace_frequency: 'quarterly',
      uuid_validity: 'last-3',
      provided_until: 'none',
      ...meta,
    },
    versions: versions.map((v) => (typeof v === 'string' ? version(v) : v)),
  };
}

let nextId = 0;

export interface ImageInput extends Partial<GlanceImage> {
  /** The image of the definition's plain name (multi) rather than `NAME (V)`; default: the newest version. */
  current?: boolean;
}

/**
 * A Glance image as the tool writes it for version `v` of `d`: written independently of src/plan, so
 * that a test compares the planner against the rules rather than against itself. `v` need not be defined.
 */
export function glanceImage(d: ImageDefinition, v: string, input: ImageInput = {}): GlanceImage {
  const { current: currentInput, ...overrides } = input;
  const defined = d.versions.find((candidate) => candidate.version === v);
  const current = d.multi ? (currentInput ?? v === d.versions.at(-1)?.version) : defined !== undefined;
  const name = d.multi ? (current ? d.name : `${d.name}${d.separator}(${v})`) : `${d.name}${d.separator}${v}`;
  const meta: Meta = { image_description: d.name, ...d.meta };
  if (!d.multi) meta.os_version = v;
  if (defined?.os_version !== undefined) meta.os_version = defined.os_version;
  if (defined?.image_description !== undefined) meta.image_description = defined.image_description;
  Object.assign(meta, {
    image_name: typeof d.meta.image_name === 'string' ? d.meta.image_name : d.name,
    internal_version: v,
    image_original_user: d.login,
    image_source: defined?.source ?? defined?.url ?? `https://images.example.com/img-${v}.qcow2`,
  });
  const buildDate = defined?.build_date ?? dateOf(v);
  if (buildDate) meta.image_build_date = buildDate;
  Object.assign(meta, defined?.meta ?? {});
  if (!current && meta.os_purpose === 'generic') meta.os_purpose = 'oldgeneric';
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value !== null) properties[key] = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  }
  const distro = d.meta.os_distro;
  const tags = [...new Set([...d.tags, TAG, ...(typeof distro === 'string' ? [`os:${distro}`] : [])])];
  const created = buildDate ?? '2024-06-01';
  nextId++;
  return {
    id: `img-${String(nextId).padStart(4, '0')}`,
    name,
    status: 'active',
    visibility: defined?.visibility ?? d.visibility,
    protected: false,
    os_hidden: false,
    tags,
    min_disk: d.min_disk,
    min_ram: d.min_ram,
    disk_format: d.format,
    container_format: 'bare',
    size: GIB / 2,
    virtual_size: 2 * GIB,
    checksum: 'c'.repeat(32),
    os_hash_algo: 'sha512',
    os_hash_value: 'd'.repeat(128),
    owner: PROJECT,
    created_at: `${created}T10:00:00Z`,
    updated_at: `${created}T10:05:00Z`,
    ...properties,
    ...overrides,
  };
}

/** Drops properties from an image (as an image written before the tool wrote them). */
/** An image uploaded by hand: public, untagged, another project's; `overrides` change it. */
export function stranger(name: string, overrides: Partial<GlanceImage> = {}): GlanceImage {
  return {
    id: `hand-${name.length}-${overrides.visibility ?? 'public'}`,
    name,
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    tags: [],
    min_disk: 0,
    min_ram: 0,
    disk_format: 'qcow2',
    container_format: 'bare',
    size: 1,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    owner: 'project-other',
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}

export function without(image: GlanceImage, ...keys: string[]): GlanceImage {
  const copy: GlanceImage = { ...image };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Plans with the test project and options, and checks the invariants every plan must hold. */
export function run(
  definitions: ImageDefinition | ImageDefinition[],
  observed: GlanceImage[],
  opts: Partial<PlanOptions> = {},
  extra: Pick<PlanInput, 'unmanagedNamed'> = {},
): Plan {
  const defs = Array.isArray(definitions) ? definitions : [definitions];
  const result = plan({ definitions: defs, observed, projectId: PROJECT, options: options(opts), ...extra });
  checkInvariants(result);
  return result;
}

/**
 * Rule 9: imports first, seqs 1..n in order, `after` only names earlier actions, two actions on one image are
 * ordered (one image, one writer), deletes wait for every import of their definition.
 */
export function checkInvariants(result: Plan): void {
  expect(invariantBreaches(result), 'rule 9').toEqual([]);
}

/** What breaks rule 9 in a plan, one line each (checked without `expect`, so that thousands of plans stay fast). */
export function invariantBreaches(result: Plan): string[] {
  const { actions } = result;
  const breaches: string[] = [];
  const at = (action: Action) => `#${action.seq} ${action.summary}`;
  actions.forEach((action, index) => {
    if (action.seq !== index + 1) breaches.push(`${at(action)}: seq ${index + 1} expected`);
  });
  const firstOther = actions.findIndex((a) => !isImport(a));
  if (firstOther >= 0)
    for (const late of actions.slice(firstOther).filter(isImport)) breaches.push(`${at(late)}: imports come first`);
  for (const action of actions) {
    for (const seq of action.after)
      if (seq < 1 || seq >= action.seq) breaches.push(`${at(action)}: after names #${seq}, not an earlier action`);
    if (action.kind === 'delete') {
      const imports = actions.filter((a) => isImport(a) && a.definition === action.definition).map((a) => a.seq);
      for (const seq of imports.filter((s) => !action.after.includes(s)))
        breaches.push(`${at(action)}: does not wait for import #${seq}`);
    }
    if (action.kind === 'rename' && 'importSeq' in action.image) {
      const { importSeq } = action.image;
      const target = actions.find((a) => a.seq === importSeq);
      if (!target || !isImport(target)) breaches.push(`${at(action)}: #${importSeq} is no import`);
      if (!action.after.includes(importSeq)) breaches.push(`${at(action)}: does not wait for its import`);
    }
  }
  breaches.push(...unorderedWrites(result).map((pair) => `unordered writes of one image: ${pair}`));
  for (const [key, onImage] of writesByImage(result))
    if (onImage.filter((a) => a.kind === 'delete').length > 1) breaches.push(`${key}: deleted twice`);
  return breaches;
}

/** Per image (its id, or for one an import of the plan creates, that import), the actions that write it. */
export function writesByImage(result: Plan): Map<string, Action[]> {
  const byImage = new Map<string, Action[]>();
  for (const action of result.actions) {
    const key = imageKey(action, result.actions);
    byImage.set(key, [...(byImage.get(key) ?? []), action]);
  }
  return byImage;
}

/**
 * Rule 9, one image, one writer: every two actions that write one image, the later waiting for the earlier
 * (directly or through others). Answers the pairs that do not, as `#a summary ~ #b summary`.
 */
export function unorderedWrites(result: Plan): string[] {
  const unordered: string[] = [];
  for (const onImage of writesByImage(result).values()) {
    onImage.forEach((later, i) => {
      for (const earlier of onImage.slice(0, i)) {
        if (!waitsFor(result, later, earlier.seq))
          unordered.push(`#${earlier.seq} ${earlier.summary} ~ #${later.seq} ${later.summary}`);
      }
    });
  }
  return unordered;
}

/** The image an action writes: its id, or for one an import of the plan creates, that import. */
function imageKey(action: Action, all: Action[]): string {
  switch (action.kind) {
    case 'import':
      return `import #${action.seq}`;
    case 'resume-import':
      return action.image.id;
    case 'rename': {
      if ('imageId' in action.image) return action.image.imageId;
      const { importSeq } = action.image;
      const arrival = all.find((a) => a.seq === importSeq);
      return arrival ? imageKey(arrival, all) : `import #${importSeq}`;
    }
    default:
      return action.imageId;
  }
}

function isImport(action: Action): action is ImportAction | ResumeImportAction {
  return action.kind === 'import' || action.kind === 'resume-import';
}

export const imports = (p: Plan) => p.actions.filter((a): a is ImportAction => a.kind === 'import');
export const resumes = (p: Plan) => p.actions.filter((a): a is ResumeImportAction => a.kind === 'resume-import');
export const updates = (p: Plan) => p.actions.filter((a): a is UpdateAction => a.kind === 'update');
export const renames = (p: Plan) => p.actions.filter((a): a is RenameAction => a.kind === 'rename');
export const deletes = (p: Plan) => p.actions.filter((a): a is DeleteAction => a.kind === 'delete');
export const kinds = (p: Plan) => p.actions.map((a) => a.kind);
export const noteTexts = (p: Plan) => p.notes.map((n) => `${n.image ?? n.definition ?? ''}: ${n.message}`);

/** Every image id an action of the plan touches. */
export function touched(p: Plan): string[] {
  return p.actions.flatMap((a) => {
    if (a.kind === 'update' || a.kind === 'delete') return [a.imageId];
    if (a.kind === 'resume-import') return [a.image.id];
    if (a.kind === 'rename' && 'imageId' in a.image) return [a.image.imageId];
    return [];
  });
}

/** Whether `action` waits for action `seq`, directly or through others. */
export function waitsFor(p: Plan, action: Action, seq: number): boolean {
  return action.after.some((s) => s === seq || waitsFor(p, p.actions.find((a) => a.seq === s) as Action, seq));
}

/** The change of a field, or undefined. */
export function changeOf(changes: Change[], field: Change['field']): Change | undefined {
  return changes.find((change) => change.field === field);
}

/**
 * Carries out a plan on an in-memory cloud as the applier would when everything succeeds (an import
 * creates the image as the importer does: private, with every property and tag, and its changes finish
 * it), and returns the images afterwards. Every change must start from what the image holds.
 */
export function applyToCloud(p: Plan, observed: GlanceImage[]): GlanceImage[] {
  const cloud = new Map(observed.map((image) => [image.id, copyOf(image)]));
  const created = new Map<number, string>();
  const get = (id: string) => {
    const image = cloud.get(id);
    if (!image) throw new Error(`no image in the cloud: ${id}`);
    return image;
  };
  for (const action of p.actions) {
    switch (action.kind) {
      case 'import':
      case 'resume-import': {
        const image =
          action.kind === 'resume-import' ? { ...copyOf(action.image), status: 'active' as const } : newImage(action);
        applyChanges(image, action.changes);
        cloud.set(image.id, image);
        created.set(action.seq, image.id);
        break;
      }
      case 'update':
        applyChanges(get(action.imageId), action.changes);
        break;
      case 'rename': {
        const id = 'imageId' in action.image ? action.image.imageId : created.get(action.image.importSeq);
        if (!id) throw new Error(`rename #${action.seq}: no image`);
        const image = get(id);
        applyChanges(image, action.changes);
        expectSame(image.name, action.to, `#${action.seq} renames to ${action.to}`);
        break;
      }
      case 'delete':
        get(action.imageId);
        cloud.delete(action.imageId);
        break;
    }
  }
  return [...cloud.values()];
}

function newImage(action: ImportAction): GlanceImage {
  const d = action.desired;
  nextId++;
  // Created fully described: every property (a null one left out) and every tag, private, under its name.
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(d.properties)) if (value !== null) properties[key] = value;
  return {
    ...properties,
    id: `new-${String(nextId).padStart(4, '0')}`,
    name: d.name,
    status: 'active',
    visibility: 'private',
    protected: false,
    os_hidden: d.os_hidden === true,
    tags: [...new Set([...(d.tags ?? []), TAG])],
    min_disk: d.min_disk ?? 0,
    min_ram: d.min_ram ?? 0,
    disk_format: d.disk_format ?? 'qcow2',
    container_format: 'bare',
    size: GIB / 2,
    virtual_size: 2 * GIB,
    checksum: 'c'.repeat(32),
    os_hash_algo: 'sha512',
    os_hash_value: 'd'.repeat(128),
    owner: PROJECT,
    created_at: `${TODAY}T12:00:00Z`,
    updated_at: `${TODAY}T12:00:00Z`,
  };
}

function applyChanges(image: GlanceImage, changes: Change[]): void {
  for (const change of changes) {
    if (change.field.startsWith('properties.')) {
      const key = change.field.slice('properties.'.length);
      expectSame(image[key] ?? null, change.before, `${image.id} ${key} before`);
      if (change.after === null) delete image[key];
      else image[key] = change.after;
    } else if (change.field === 'tags') {
      const { before, after } = change as { before: string[]; after: string[] };
      expectSame([...image.tags].sort(), [...before].sort(), `${image.id} tags before`);
      image.tags = [
        ...image.tags.filter((tag) => after.includes(tag)),
        ...after.filter((tag) => !image.tags.includes(tag)),
      ];
    } else {
      const record = image as Record<string, unknown>;
      expectSame(record[change.field], change.before, `${image.id} ${change.field} before`);
      record[change.field] = change.after;
    }
  }
}

/** `expect(actual).toEqual(expected)`, asked only when they differ: applying thousands of plans stays fast. */
function expectSame(actual: unknown, expected: unknown, label: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, label).toEqual(expected);
}

/** A copy to change: every field of a Glance image is a primitive but its tags. */
function copyOf(image: GlanceImage): GlanceImage {
  return { ...image, tags: [...image.tags] };
}
