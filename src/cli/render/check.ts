import { type Finding, type Verdict, worstVerdict } from '../../scs/findings.js';
import { IMAGE_RULES } from '../../scs/image-metadata.js';
import { plural } from '../../util/plural.js';
import type { Audit, RecencyNameWarning } from '../commands/check.js';
import { safeText } from '../safe-text.js';
import { jsonDocumentText, render, type Format } from './format.js';
import { wrap } from './wrap.js';

/** What `check` prints: the audit for a person, or the full matrix. */
export function renderAudit(result: Audit, format: Format): string {
  return render(format, { json: () => jsonDocumentText(result), text: () => formatAudit(result) });
}

const RULES: readonly Finding['rule'][] = [...IMAGE_RULES, 'uniqueness'];
/** The order a person reads verdicts in, failures first (scs/findings.ts's RANK is the other way round). */
const DISPLAY_ORDER: Readonly<Record<Verdict, number>> = { FAIL: 0, WARN: 1, PASS: 2 };

/**
 * The audit for a person, no line over TEXT_WIDTH: the verdict first, then a block per rule that does not pass
 * (failing rules first; each finding once, with the images it concerns), the rules that pass, scs-0104, and
 * the images the recency test would warn about for their names. Everything escaped. `--output json` has the
 * full matrix.
 */
export function formatAudit(result: Audit): string {
  const out = [verdictLine(result), ''];
  const blocks = RULES.map((rule) => ruleBlock(result, rule))
    .filter((block) => block.verdict !== 'PASS')
    .sort((a, b) => DISPLAY_ORDER[a.verdict] - DISPLAY_ORDER[b.verdict]);
  for (const block of blocks) out.push(...block.lines);
  const passing = RULES.filter((rule) => !blocks.some((block) => block.rule === rule));
  if (passing.length > 0) out.push(...wrap(`PASS ${passing.join(', ')}`, '     '));
  out.push(...standardImageLines(result.standardImages), ...recencyNameLines(result.recencyNameWarnings));
  return `${out.join('\n')}\n`;
}

/** "FAIL: 2 of 14 images fail scs-0102 v2 (cloud X)", "PASS with 3 warnings: …", "PASS: …". */
function verdictLine(result: Audit): string {
  const count = (verdict: Verdict) => result.images.filter((image) => image.verdict === verdict).length;
  const total = plural(result.images.length, 'public/community image');
  const standard = result.standardImages.filter((finding) => finding.verdict === 'FAIL').length;
  const cloud = `(cloud ${result.cloud})`;
  const scs0102 = `scs-0102 ${result.scsVersion}`;
  if (result.verdict === 'FAIL') {
    const failing = count('FAIL');
    const parts = [
      ...(failing > 0 ? [`${failing} of ${total} fail ${scs0102}`] : []),
      ...(standard > 0 ? [`${plural(standard, 'finding')} of scs-0104 fail${standard === 1 ? 's' : ''}`] : []),
    ];
    return safeText(`FAIL: ${parts.join('; ')} ${cloud}`);
  }
  const warnings = countWarnings(result);
  const verdict = warnings > 0 ? `PASS with ${plural(warnings, 'warning')}` : 'PASS';
  return safeText(`${verdict}: ${total} pass ${scs0102} and scs-0104 ${cloud}`);
}

function countWarnings(result: Audit): number {
  const findings = [...result.images.flatMap((image) => image.findings), ...result.standardImages];
  return findings.filter((finding) => finding.verdict === 'WARN').length;
}

interface RuleBlock {
  rule: Finding['rule'];
  verdict: Verdict;
  lines: string[];
}

/** One rule: its worst verdict and how many images it fails or warns, then each finding once with its images. */
function ruleBlock(result: Audit, rule: Finding['rule']): RuleBlock {
  const byMessage = new Map<string, { verdict: Verdict; images: string[] }>();
  for (const image of result.images) {
    for (const finding of image.findings) {
      if (finding.rule !== rule || finding.verdict === 'PASS') continue;
      const key = `${finding.verdict}\0${finding.message}`;
      const entry = byMessage.get(key) ?? { verdict: finding.verdict, images: [] };
      entry.images.push(image.name);
      byMessage.set(key, entry);
    }
  }
  const entries = [...byMessage].sort(([, a], [, b]) => DISPLAY_ORDER[a.verdict] - DISPLAY_ORDER[b.verdict]);
  const verdict = worstVerdict(entries.map(([, entry]) => entry));
  const tally = (['FAIL', 'WARN'] as const)
    .map((v) => [v, entries.filter(([, e]) => e.verdict === v).reduce((n, [, e]) => n + e.images.length, 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v === 'FAIL' ? 'fail' : 'warn'}`);
  const lines = [`${verdict} ${rule} (${tally.join(', ')})`];
  for (const [key, entry] of entries) {
    const message = key.slice(key.indexOf('\0') + 1);
    lines.push(...wrap(`${entry.verdict}: ${message}`, '  ', '  '));
    lines.push(...wrap(entry.images.map((name) => `"${name}"`).join(', '), '      ', '    '));
  }
  return { rule, verdict, lines: [...lines, ''] };
}

function standardImageLines(findings: readonly Finding[]): string[] {
  const shown = findings.filter((finding) => finding.verdict !== 'PASS');
  if (shown.length === 0) return findings.length > 0 ? ['', 'PASS scs-0104 standard images'] : [];
  const sorted = [...shown].sort((a, b) => DISPLAY_ORDER[a.verdict] - DISPLAY_ORDER[b.verdict]);
  const lines = ['', `${worstVerdict(shown)} scs-0104 standard images`];
  for (const finding of sorted) {
    const image = finding.image ? ` "${finding.image}"` : '';
    lines.push(...wrap(`${finding.verdict} ${finding.rule}${image}: ${finding.message}`, '    ', '  '));
  }
  return lines;
}

function recencyNameLines(warnings: readonly RecencyNameWarning[]): string[] {
  if (warnings.length === 0) return [];
  const [is, them] = warnings.length === 1 ? ['is', 'it'] : ['are', 'them'];
  const why =
    `Recency-name WARN: ${plural(warnings.length, 'image')} ${is} outdated, not os_hidden, and not named as old ` +
    '(last word old, prev, YYYYMMDD or YYYY-MM-DD): the official recency test warns "seems outdated (acc. to its ' +
    `repl freq) but is not hidden or otherwise marked". Name ${them} NAME YYYYMMDD (--outdated-names scs) or set ` +
    `os_hidden (--use-os-hidden); visibility community does not hide ${them} from the test.`;
  const lines = ['', ...wrap(why, '')];
  for (const warning of warnings) lines.push(...wrap(`"${warning.name}" (${warning.id})`, '      ', '    '));
  return lines;
}
