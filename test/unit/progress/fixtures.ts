import type { ActionResult, RunReport } from '../../../src/apply/executor.js';
import type { Action, DeleteAction, ImportAction, RenameAction, UpdateAction } from '../../../src/plan/types.js';

export function importOf(seq: number, name: string): ImportAction {
  return {
    seq,
    kind: 'import',
    definition: name.split(' (')[0] ?? name,
    summary: `import ${name} from https://example.org/${seq}.qcow2`,
    after: [],
    desired: { definition: 'd', version: 'v', name, properties: {} },
    source: { from: [{ origin: 'url', url: `https://example.org/${seq}.qcow2` }] },
    changes: [{ field: 'visibility', before: 'private', after: 'public' }],
  };
}

export function renameOf(seq: number, from: string, to: string, after: number[] = []): RenameAction {
  return {
    seq,
    kind: 'rename',
    definition: to,
    summary: `rename ${from} to ${to}`,
    after,
    image: { importSeq: 1, name: from },
    to,
    changes: [{ field: 'name', before: from, after: to }],
  };
}

export function hideOf(seq: number, name: string): UpdateAction {
  return {
    seq,
    kind: 'update',
    definition: name,
    summary: `update ${name}`,
    after: [],
    imageId: `id-${seq}`,
    name,
    changes: [
      { field: 'visibility', before: 'public', after: 'community' },
      { field: 'properties.hidden_reason', before: null, after: 'outdated' },
    ],
  };
}

export function deleteOf(seq: number, name: string): DeleteAction {
  return {
    seq,
    kind: 'delete',
    definition: name,
    summary: `delete ${name}`,
    after: [],
    imageId: `id-${seq}`,
    name,
    reason: 'past uuid_validity',
    fallback: [],
  };
}

export function resultOf(action: Action, status: ActionResult['status'], extra: Partial<ActionResult> = {}) {
  const result: ActionResult = {
    seq: action.seq,
    kind: action.kind,
    definition: action.definition,
    summary: action.summary,
    status,
    ...extra,
  };
  return result;
}

export function reportOf(results: ActionResult[]): RunReport {
  const counts = { done: 0, failed: 0, skipped: 0, deferred: 0 };
  for (const result of results) counts[result.status]++;
  return { results, counts };
}

/** Whether the text holds an escape sequence or a carriage return: what a file must never receive. */
export function hasControl(text: string): boolean {
  return text.includes('\u001b') || text.includes('\r');
}
