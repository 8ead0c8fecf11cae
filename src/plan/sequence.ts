import type { ArrivalDraft, ChangeDraft, Draft } from './actions.js';
import { describeChanges } from './diff.js';
import type { Action, Change, ImageRef } from './types.js';

/**
 * The drafts as a numbered plan (rule 9): imports first, every draft after the drafts it names, otherwise in
 * the order given; `after` and an import's image become sequence numbers.
 */
export function sequence(drafts: Draft[]): Action[] {
  const ordered: Draft[] = [];
  const visited = new Map<Draft, 'open' | 'done'>();
  for (const draft of drafts)
    if (draft.kind === 'import' || draft.kind === 'resume-import') place(draft, visited, ordered);
  for (const draft of drafts) place(draft, visited, ordered);
  const seqOf = new Map(ordered.map((draft, index) => [draft, index + 1]));
  return ordered.map((draft) => numbered(draft, seqOf));
}

/** Depth first: what a draft comes after is placed before it. */
function place(draft: Draft, visited: Map<Draft, 'open' | 'done'>, ordered: Draft[]): void {
  const state = visited.get(draft);
  if (state === 'done') return;
  if (state === 'open') throw new Error(`planner bug: actions of ${draft.definition} wait for each other`);
  visited.set(draft, 'open');
  for (const before of draft.after) place(before, visited, ordered);
  visited.set(draft, 'done');
  ordered.push(draft);
}

function numbered(draft: Draft, seqOf: Map<Draft, number>): Action {
  const seq = (of: Draft) => seqOf.get(of) as number;
  const base = {
    seq: seq(draft),
    definition: draft.definition,
    after: [...new Set(draft.after.map(seq))].sort((a, b) => a - b),
  };
  switch (draft.kind) {
    case 'import': {
      const { desired, source, changes } = draft;
      return {
        kind: 'import',
        ...base,
        summary: `import ${desired.name} from ${source.url}`,
        desired,
        source,
        changes,
      };
    }
    case 'resume-import': {
      const { image, desired, source, changes } = draft;
      const summary = `finish the import of ${image.name ?? image.id} (${image.status})`;
      return { kind: 'resume-import', ...base, summary, image, desired, source, changes };
    }
    case 'update':
    case 'rename':
      return changeAction(draft, base, seqOf);
    case 'delete': {
      const { image, reason, fallback } = draft;
      const name = image.name ?? image.id;
      return {
        kind: 'delete',
        ...base,
        summary: `delete ${name} (${reason})`,
        imageId: image.id,
        name,
        reason,
        fallback,
      };
    }
  }
}

function changeAction(
  draft: ChangeDraft,
  base: { seq: number; definition: string; after: number[] },
  seqOf: Map<Draft, number>,
): Action {
  const { changes } = draft;
  const image = imageRef(draft.image, seqOf);
  const to = changes.find((change): change is Extract<Change, { field: 'name' }> => change.field === 'name')?.after;
  if (draft.kind === 'update' || to === undefined) {
    if (!('imageId' in image)) throw new Error(`planner bug: an update of ${image.name} before it exists`);
    return {
      kind: 'update',
      ...base,
      summary: `update ${image.name}: ${describeChanges(changes)}`,
      imageId: image.imageId,
      name: image.name,
      changes,
    };
  }
  const rest = describeChanges(changes.filter((change) => change.field !== 'name'));
  return {
    kind: 'rename',
    ...base,
    summary: `rename ${image.name} to ${to}${rest ? `, ${rest}` : ''}`,
    image,
    to,
    changes,
  };
}

function imageRef(image: ChangeDraft['image'], seqOf: Map<Draft, number>): ImageRef {
  if ('found' in image) return { imageId: image.found.id, name: image.found.name ?? image.found.id };
  const arrival: ArrivalDraft = image.arriving;
  return { importSeq: seqOf.get(arrival) as number, name: arrival.desired.name };
}
