import type { Action, Change } from '../plan/types.js';
import { SHOWN } from '../plan/desired.js';
import type { ActionBrief, Next } from './types.js';

/** The plan's actions, found by the image they write: an existing one by id, an import by its version. */
export interface ActionIndex {
  byImage: Map<string, Action[]>;
  /** `definition\0version`: the import of that version, and the renames that finish it. */
  byImport: Map<string, Action[]>;
  byDefinition: Map<string, number[]>;
}

export function importKey(definition: string, version: string): string {
  return `${definition}\0${version}`;
}

export function indexActions(actions: readonly Action[]): ActionIndex {
  const index: ActionIndex = { byImage: new Map(), byImport: new Map(), byDefinition: new Map() };
  const importOf = new Map<number, string>();
  for (const action of actions) {
    push(index.byDefinition, action.definition, action.seq);
    if (action.kind === 'import') {
      const key = importKey(action.definition, action.desired.version);
      importOf.set(action.seq, key);
      push(index.byImport, key, action);
    }
  }
  for (const action of actions) {
    if (action.kind === 'import') continue;
    const id = imageIdOf(action);
    if (id !== undefined) push(index.byImage, id, action);
    else if (action.kind === 'rename' && 'importSeq' in action.image) {
      const key = importOf.get(action.image.importSeq);
      if (key !== undefined) push(index.byImport, key, action);
    }
  }
  return index;
}

/** The existing image an action writes; undefined for an import and for a rename of an image it imports. */
export function imageIdOf(action: Action): string | undefined {
  switch (action.kind) {
    case 'update':
    case 'delete':
      return action.imageId;
    case 'resume-import':
      return action.image.id;
    case 'rename':
      return 'imageId' in action.image ? action.image.imageId : undefined;
    default:
      return undefined;
  }
}

/** What the actions change on an existing image: the drift the next run corrects (a delete's fallback is not). */
export function changesOf(actions: readonly Action[]): Change[] {
  return actions.flatMap((action) => (action.kind === 'delete' || action.kind === 'import' ? [] : action.changes));
}

/** The strongest thing the actions do to one version's image. */
export function nextOf(actions: readonly Action[], changes: readonly Change[]): Next {
  const kinds = new Set(actions.map((action) => action.kind));
  if (kinds.has('delete')) return 'delete';
  if (kinds.has('import')) return 'import';
  if (kinds.has('resume-import')) return 'resume';
  if (changes.some((change) => change.field === 'status' && change.after === 'deactivated')) return 'deactivate';
  if (changes.some(hides)) return 'hide';
  if (changes.some((change) => change.field === 'name')) return 'rename';
  return changes.length > 0 ? 'update' : 'none';
}

function hides(change: Change): boolean {
  if (change.field === 'os_hidden') return change.after;
  if (change.field !== 'visibility') return false;
  return SHOWN[change.after] < SHOWN[change.before];
}

export function briefOf(action: Action): ActionBrief {
  const imageId = imageIdOf(action);
  return {
    seq: action.seq,
    kind: action.kind,
    definition: action.definition,
    summary: action.summary,
    after: action.after,
    ...(imageId !== undefined ? { imageId } : {}),
    changes: action.kind === 'delete' ? [] : action.changes,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
