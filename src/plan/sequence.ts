import type { ArrivalDraft, ChangeDraft, Draft } from './actions.js';
import { describeChanges } from './diff.js';
import type {
  Action,
  Change,
  DeleteAction,
  ImageRef,
  ImportAction,
  RenameAction,
  ResumeImportAction,
  UpdateAction,
} from './types.js';

/**
 * The drafts as a numbered plan (rule 9): imports first, every draft after the drafts it names, otherwise in
 * the order given; `after` and an import's image become sequence numbers. One definition's drafts at a time:
 * no `after` edge crosses definitions, so each batch is numbered as it comes and its drafts are done with (a
 * plan of thousands of images never holds every draft at once).
 * The imports of all batches come first; the other actions are numbered from the end of the imports once
 * their count is known (`plan`): until then they carry provisional negative numbers.
 */
export class Sequencer {
  private readonly arrivals: Action[] = [];
  private readonly others: Action[] = [];
  private done = false;

  add(drafts: Draft[]): void {
    const seqOf = new Map<Draft, number>();
    for (const draft of ordered(drafts)) {
      const arrival = isArrival(draft);
      seqOf.set(draft, arrival ? this.arrivals.length + 1 : -(this.others.length + 1));
      (arrival ? this.arrivals : this.others).push(numbered(draft, seqOf));
    }
  }

  /** The plan: the imports, then the other actions, their provisional numbers made final. Once. */
  plan(): Action[] {
    if (this.done) throw new Error('planner bug: a sequence numbered twice');
    this.done = true;
    const shift = this.arrivals.length;
    const final = (seq: number) => (seq < 0 ? shift - seq : seq);
    const actions = this.arrivals.concat(this.others);
    for (const action of actions) {
      action.seq = final(action.seq);
      const { after } = action;
      for (let i = 0; i < after.length; i++) after[i] = final(after[i] as number);
      if (after.length > 1) after.sort((a, b) => a - b);
    }
    return actions;
  }
}

function isArrival(draft: Draft): draft is ArrivalDraft {
  return draft.kind === 'import' || draft.kind === 'resume-import';
}

/** Imports first, then the rest, each after what it waits for (depth first), otherwise in the order given. */
function ordered(drafts: Draft[]): Draft[] {
  const out: Draft[] = [];
  const visited = new Map<Draft, 'open' | 'done'>();
  for (const draft of drafts) if (isArrival(draft)) place(draft, visited, out);
  for (const draft of drafts) place(draft, visited, out);
  return out;
}

/** Depth first: what a draft comes after is placed before it. */
function place(draft: Draft, visited: Map<Draft, 'open' | 'done'>, out: Draft[]): void {
  const state = visited.get(draft);
  if (state === 'done') return;
  if (state === 'open') throw new Error(`planner bug: actions of ${draft.definition} wait for each other`);
  visited.set(draft, 'open');
  for (const before of draft.after) place(before, visited, out);
  visited.set(draft, 'done');
  out.push(draft);
}

/**
 * The action of a draft. Its summary is written when read (--dry-run, the log), not for each of the thousands
 * of actions a large plan has (see `withSummary`).
 */
function numbered(draft: Draft, seqOf: Map<Draft, number>): Action {
  // Exactly as long as it needs to be (one of thousands of arrays a plan holds; `map` makes it so, `filter` not).
  const listed = draft.after.map((before) => seqOf.get(before) as number);
  const unique = listed.every((seq, index) => listed.indexOf(seq) === index) ? listed : [...new Set(listed)];
  const head = { seq: seqOf.get(draft) as number, definition: draft.definition, after: unique };
  switch (draft.kind) {
    case 'import': {
      const { desired, source, changes } = draft;
      return withSummary<ImportAction>({ kind: 'import', ...head }, { desired, source, changes });
    }
    case 'resume-import': {
      const { image, desired, source, changes } = draft;
      return withSummary<ResumeImportAction>({ kind: 'resume-import', ...head }, { image, desired, source, changes });
    }
    case 'update':
    case 'rename':
      return changeAction(draft, head, seqOf);
    case 'delete': {
      const { image, reason, fallback } = draft;
      const rest = { imageId: image.id, name: image.name ?? image.id, reason, fallback };
      return withSummary<DeleteAction>({ kind: 'delete', ...head }, rest);
    }
  }
}

type Head<A extends Action> = Pick<A, 'kind' | 'seq' | 'definition' | 'after'>;
type Rest<A extends Action> = Omit<A, keyof Head<A> | 'summary'>;

/**
 * `head`, then `summary`, then `rest`, in the order --output json shows them. The summary is a getter, one for
 * every action (per-object getters would cost each object a hidden class of its own), enumerable, so that
 * JSON and copies see a string.
 */
function withSummary<A extends Action>(head: Head<A>, rest: Rest<A>): A {
  const action = { kind: head.kind, seq: head.seq, definition: head.definition, after: head.after };
  Object.defineProperty(action, 'summary', SUMMARY);
  return Object.assign(action, rest) as unknown as A;
}

const SUMMARY: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Action): string {
    return summaryOf(this);
  },
};

/** The one line --dry-run and the log show for an action. */
function summaryOf(action: Action): string {
  switch (action.kind) {
    case 'import':
      return `import ${action.desired.name} from ${action.source.from.map((option) => option.url).join(', else ')}`;
    case 'resume-import':
      return `finish the import of ${action.image.name ?? action.image.id} (${action.image.status})`;
    case 'update':
      return `update ${action.name}: ${describeChanges(action.changes)}`;
    case 'rename': {
      const rest = describeChanges(action.changes.filter((change) => change.field !== 'name'));
      return `rename ${action.image.name} to ${action.to}${rest ? `, ${rest}` : ''}`;
    }
    case 'delete':
      return `delete ${action.name} (${action.reason})`;
  }
}

function changeAction(draft: ChangeDraft, head: Omit<Head<Action>, 'kind'>, seqOf: Map<Draft, number>): Action {
  const { changes } = draft;
  const image = imageRef(draft.image, seqOf);
  const to = changes.find((change): change is Extract<Change, { field: 'name' }> => change.field === 'name')?.after;
  if (draft.kind === 'update' || to === undefined) {
    if (!('imageId' in image)) throw new Error(`planner bug: an update of ${image.name} before it exists`);
    return withSummary<UpdateAction>(
      { kind: 'update', ...head },
      { imageId: image.imageId, name: image.name, changes },
    );
  }
  return withSummary<RenameAction>({ kind: 'rename', ...head }, { image, to, changes });
}

function imageRef(image: ChangeDraft['image'], seqOf: Map<Draft, number>): ImageRef {
  if ('found' in image) return { imageId: image.found.id, name: image.found.name ?? image.found.id };
  const arrival: ArrivalDraft = image.arriving;
  return { importSeq: seqOf.get(arrival) as number, name: arrival.desired.name };
}
