import { plural } from '../../util/plural.js';
import type { Action, Change } from '../../plan/types.js';

/** The image an action works on, by the name it has when the action starts. */
export function imageOf(action: Action): string {
  switch (action.kind) {
    case 'import':
    case 'resume-import':
      return action.desired.name;
    case 'rename':
      return action.image.name;
    case 'update':
    case 'delete':
      return action.name;
  }
}

/** What an action does, in a few words: `import`, `rename to Debian 12`, `hide`, `update 3 fields`, `delete`. */
export function whatItDoes(action: Action): string {
  switch (action.kind) {
    case 'import':
      return 'import';
    case 'resume-import':
      return 'finish import';
    case 'delete':
      return 'delete';
    case 'rename':
      return [`rename to ${action.to}`, ...changeWords(action.changes.filter((c) => c.field !== 'name'))].join(', ');
    case 'update':
      return changeWords(action.changes).join(', ') || 'update';
  }
}

/** The changes as words: hide/unhide/publish, deactivate/reactivate, and how many other fields change. */
function changeWords(changes: Change[]): string[] {
  const words: string[] = [];
  let fields = 0;
  for (const change of changes) {
    const word = wordFor(change);
    if (word === undefined) fields++;
    else if (!words.includes(word)) words.push(word);
  }
  if (fields > 0) words.push(`update ${plural(fields, 'field')}`);
  return words;
}

function wordFor(change: Change): string | undefined {
  switch (change.field) {
    case 'os_hidden':
      return change.after ? 'hide' : 'unhide';
    case 'visibility':
      if (change.after === 'public') return change.before === 'private' ? 'publish' : 'unhide';
      return change.before === 'public' ? 'hide' : `visibility ${change.after}`;
    case 'status':
      return change.after === 'deactivated' ? 'deactivate' : 'reactivate';
    default:
      return undefined;
  }
}
