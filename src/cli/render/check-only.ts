import type { LoadedSelection } from '../commands/selection.js';
import { type Format, jsonDocumentText, render } from './format.js';

/** What --check-only prints: nothing as text (the log says the definitions are valid), else the document. */
export function renderCheckOnly(selection: LoadedSelection, format: Format): string {
  return render(format, { json: () => jsonDocumentText(checkOnlyDocument(selection)), text: () => '' });
}

/** The definitions are valid (else the run ends with an error): how many, and which are selected. */
function checkOnlyDocument({ all, selected }: LoadedSelection) {
  return { checkOnly: true, valid: true, definitions: all.length, selected: selected.map((image) => image.name) };
}
