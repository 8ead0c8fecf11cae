import type { MirrorResult } from '../commands/mirror.js';
import { safeText } from '../safe-text.js';
import { type Format, jsonDocumentText, render } from './format.js';

/** What `mirror` prints: a line per version and per pruned object, and a summary; or the document. */
export function renderMirror(report: MirrorResult, format: Format): string {
  return render(format, { json: () => jsonDocumentText(report), text: () => mirrorText(report) });
}

function mirrorText(report: MirrorResult): string {
  const lines = report.objects.map((o) =>
    safeText(`${o.action.padEnd(12)} ${o.object}  ${o.mirrorUrl}${o.reason ? `  (${o.reason})` : ''}`),
  );
  lines.push(
    ...report.pruned.map((p) => safeText(`${p.action.padEnd(12)} ${p.object}${p.reason ? `  (${p.reason})` : ''}`)),
  );
  lines.push(...report.files.map((f) => safeText(f.error ?? `${f.file}: mirror_url written`)));
  const counts = new Map<string, number>();
  for (const entry of [...report.objects, ...report.pruned])
    counts.set(entry.action, (counts.get(entry.action) ?? 0) + 1);
  const summary = [...counts].map(([action, count]) => `${count} ${action}`).join(', ') || 'nothing selected';
  const interrupted = report.interrupted ? `Interrupted by ${report.interrupted}, ` : '';
  lines.push(safeText(`${interrupted}${report.dryRun ? 'Dry run, ' : ''}${report.store}: ${summary}`));
  return `${lines.join('\n')}\n`;
}
