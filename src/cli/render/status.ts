import { formatStatus } from './status-text.js';
import type { StatusView } from '../../status/types.js';
import { type Format, jsonDocumentText, render } from './format.js';

/** What `status` prints: per definition what is defined, held and planned; or the view as the document. */
export function renderStatus(view: StatusView, format: Format): string {
  return render(format, { json: () => jsonDocumentText(view), text: () => formatStatus(view) });
}
