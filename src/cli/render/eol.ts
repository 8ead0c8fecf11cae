import type { EndOfLifeReport } from '../../run/eol.js';
import { plural } from '../../util/plural.js';
import { table } from '../../util/table.js';
import { findingsOf } from '../commands/eol.js';
import { safeText } from '../safe-text.js';
import { type Format, jsonDocumentText, render } from './format.js';

/** What `eol` prints: the verdict, a row per judged definition and cycle, the releases not defined; or the document. */
export function renderEol(report: EndOfLifeReport, format: Format): string {
  return render(format, { json: () => jsonDocumentText(eolDocument(report)), text: () => eolText(report) });
}

function eolDocument(report: EndOfLifeReport) {
  const { today, warnDays, api, verdicts, notDefined, products } = report;
  return { today, warnDays, api, findings: findingsOf(report), definitions: verdicts, notDefined, products };
}

function eolText(report: EndOfLifeReport): string {
  const lines = [...headline(report), ''];
  if (report.verdicts.length > 0) {
    const rows = report.verdicts.map((verdict) => [
      safeText(verdict.definition),
      verdict.product ?? '-',
      safeText(verdict.cycle ?? '-'),
      verdict.state,
      verdict.endOfLife ?? '-',
      verdict.daysLeft === null ? '-' : String(verdict.daysLeft),
      verdict.judgedOn ?? '-',
    ]);
    lines.push(...table(DEFINITION_COLUMNS, rows));
    const notes = report.verdicts.filter((verdict) => verdict.state !== 'supported');
    lines.push(...notes.map((verdict) => safeText(`  ${verdict.state} ${verdict.definition}: ${verdict.why}`)));
  }
  if (report.notDefined.length > 0) {
    lines.push('', 'Supported releases no definition defines (new: released after the newest one defined):');
    const rows = report.notDefined.map((release) => [
      release.product,
      safeText(release.cycle),
      release.releaseDate ?? '-',
      release.endOfLife ?? '-',
      release.newer ? 'new' : 'older',
    ]);
    lines.push(...table(RELEASE_COLUMNS, rows));
  }
  return `${lines.join('\n')}\n`;
}

function headline(report: EndOfLifeReport): string[] {
  const count = (state: string) => report.verdicts.filter((verdict) => verdict.state === state).length;
  const newer = report.notDefined.filter((release) => release.newer).length;
  const verdict = findingsOf(report) > 0 ? 'FINDINGS' : 'OK';
  return [
    `${verdict} on ${report.today}: ${plural(count('past'), 'definition')} past the end of life, ` +
      `${plural(newer, 'new release')} not defined`,
    `${count('near')} near it (within ${report.warnDays} days), ${count('supported')} supported, ` +
      `${count('unknown')} unknown; ${report.notDefined.length - newer} older supported not defined`,
  ];
}

const DEFINITION_COLUMNS = [
  { title: 'DEFINITION', flex: true },
  { title: 'PRODUCT' },
  { title: 'CYCLE', max: 12 },
  { title: 'STATE' },
  { title: 'ENDS' },
  { title: 'DAYS', alignRight: true },
  { title: 'JUDGED ON' },
];

const RELEASE_COLUMNS = [
  { title: 'PRODUCT' },
  { title: 'CYCLE', max: 12 },
  { title: 'RELEASED' },
  { title: 'ENDS' },
  { title: 'KIND' },
];
