import type { Logger } from 'pino';
import type { GlanceImage } from '../../openstack/image.js';
import { worstVerdict, type Finding, type Verdict } from '../../scs/findings.js';
import { checkImages, IMAGE_RULES } from '../../scs/image-metadata.js';
import type { ScsVersion } from '../../scs/image-subject.js';
import { recencyNameWarning } from '../../scs/outdated-names.js';
import { isOutdatedForRecency } from '../../scs/recency.js';
import { checkStandardImages } from '../../scs/standard-images.js';
import { subjectOfImage } from '../../scs/subjects.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import { safeText } from '../safe-text.js';
import { TEXT_WIDTH } from '../../util/text-width.js';
import { plural } from '../../util/plural.js';

export interface AuditedImage {
  id: string;
  name: string;
  visibility: string;
  verdict: Verdict;
  findings: Finding[];
}

/** An image the official recency test would warn about: outdated, not os_hidden, its name not marked as old. */
export interface RecencyNameWarning {
  id: string;
  name: string;
  message: string;
}

export interface Audit {
  cloud: string;
  scsVersion: ScsVersion;
  verdict: Verdict;
  /** Every image with every rule's finding (PASS too): the full matrix. */
  images: AuditedImage[];
  standardImages: Finding[];
  recencyNameWarnings: RecencyNameWarning[];
}

/**
 * Audits every public and community image the cloud shows, as the SCS conformance tests do: scs-0102 per
 * image and across images, scs-0104's standard images.
 */
export async function audit(context: CloudContext, version: ScsVersion, now: Date): Promise<Audit> {
  const images = (await context.glance.listAllImages()).filter(
    (image) => image.visibility === 'public' || image.visibility === 'community',
  );
  const subjects = images.map(subjectOfImage);
  const results = [...checkImages(subjects, { version, now }).values()];
  const audited = images.map((image: GlanceImage, i): AuditedImage => {
    const findings = results[i] ?? [];
    const { id, visibility } = image;
    return { id, name: image.name ?? id, visibility, verdict: worstVerdict(findings), findings };
  });
  const recencyNameWarnings = images.flatMap((image, i) => {
    const subject = subjects[i];
    const message = subject && recencyNameWarning(image, isOutdatedForRecency(subject, now.getTime()));
    return message ? [{ id: image.id, name: image.name ?? image.id, message }] : [];
  });
  const standardImages = checkStandardImages(subjects);
  const verdict = worstVerdict([...audited.map((a) => ({ verdict: a.verdict }) as Finding), ...standardImages]);
  const base = { cloud: context.cloud.name, scsVersion: version, verdict, images: audited, standardImages };
  return { ...base, recencyNameWarnings };
}

export function auditExitCode(result: Audit): number {
  return result.verdict === 'FAIL' ? EXIT_FAILED : EXIT_OK;
}

const RULES: readonly Finding['rule'][] = [...IMAGE_RULES, 'uniqueness'];
const RANK: Readonly<Record<Verdict, number>> = { FAIL: 0, WARN: 1, PASS: 2 };

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
    .sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
  for (const block of blocks) out.push(...block.lines);
  const passing = RULES.filter((rule) => !blocks.some((block) => block.rule === rule));
  if (passing.length > 0) out.push(...wrap(`PASS ${passing.join(', ')}`, '     '));
  out.push(...standardImageLines(result.standardImages), ...recencyNameLines(result.recencyNameWarnings));
  return `${out.join('\n')}\n`;
}

/** "FAIL: 2 of 14 images fail scs-0102 v2 (cloud X)", "PASS with 3 warnings: …", "PASS: …". */
export function verdictLine(result: Audit): string {
  const count = (verdict: Verdict) => result.images.filter((image) => image.verdict === verdict).length;
  const total = `${result.images.length} public/community image${result.images.length === 1 ? '' : 's'}`;
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
  const entries = [...byMessage].sort(([, a], [, b]) => RANK[a.verdict] - RANK[b.verdict]);
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
  const sorted = [...shown].sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
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

/**
 * `text` escaped and broken into lines of at most TEXT_WIDTH: at spaces where it can, inside a word longer than
 * a line where it must. The first line starts with `first`, the others with `rest`.
 */
export function wrap(text: string, rest: string, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of safeText(text).split(' ')) {
    const joined = fresh ? line + word : `${line} ${word}`;
    if (joined.length <= TEXT_WIDTH) {
      line = joined;
      fresh = false;
      continue;
    }
    if (!fresh) lines.push(line);
    let remaining = word;
    let start = fresh ? line : rest;
    while (start.length + remaining.length > TEXT_WIDTH) {
      const room = TEXT_WIDTH - start.length;
      lines.push(start + remaining.slice(0, room));
      remaining = remaining.slice(room);
      start = rest;
    }
    line = start + remaining;
    fresh = false;
  }
  lines.push(line);
  return lines;
}

export function logAudit(result: Audit, log: Logger): void {
  const counts = { PASS: 0, WARN: 0, FAIL: 0 };
  for (const image of result.images) counts[image.verdict]++;
  log.info(
    `Audited ${plural(result.images.length, 'image')}: ${counts.PASS} pass, ${counts.WARN} warn, ${counts.FAIL} fail`,
  );
}
