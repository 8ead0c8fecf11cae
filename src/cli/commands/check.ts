import type { Logger } from 'pino';
import type { GlanceImage } from '../../openstack/image.js';
import { worstVerdict, type Finding, type Verdict } from '../../scs/findings.js';
import { checkImages, IMAGE_RULES } from '../../scs/image-metadata.js';
import type { ScsVersion } from '../../scs/image-subject.js';
import { checkStandardImages } from '../../scs/standard-images.js';
import { subjectOfImage } from '../../scs/subjects.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import { safeText } from '../safe-text.js';

export interface AuditedImage {
  id: string;
  name: string;
  visibility: string;
  verdict: Verdict;
  findings: Finding[];
}

export interface Audit {
  cloud: string;
  scsVersion: ScsVersion;
  verdict: Verdict;
  images: AuditedImage[];
  standardImages: Finding[];
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
  const standardImages = checkStandardImages(subjects);
  const verdict = worstVerdict([...audited.map((a) => ({ verdict: a.verdict }) as Finding), ...standardImages]);
  return { cloud: context.cloud.name, scsVersion: version, verdict, images: audited, standardImages };
}

export function auditExitCode(result: Audit): number {
  return result.verdict === 'FAIL' ? EXIT_FAILED : EXIT_OK;
}

const COLUMNS: Array<{ rule: Finding['rule']; title: string }> = [
  ...IMAGE_RULES.map((rule) => ({ rule, title: rule })),
  { rule: 'uniqueness', title: 'uniqueness' },
];

/** A table of image × rule (PASS/WARN/FAIL), then a line for every finding that is not a PASS; all escaped. */
export function formatAudit(result: Audit): string {
  const header = ['image', 'result', ...COLUMNS.map((c) => c.title)];
  const rows = result.images.map((image) => [
    safeText(image.name),
    image.verdict,
    ...COLUMNS.map((column) => {
      const found = image.findings.filter((f) => f.rule === column.rule);
      return found.length === 0 ? '-' : worstVerdict(found);
    }),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line), ''];
  for (const image of result.images) {
    for (const finding of image.findings) {
      if (finding.verdict === 'PASS') continue;
      out.push(safeText(`${finding.verdict} ${image.name}: ${finding.rule}: ${finding.message}`));
    }
  }
  for (const finding of result.standardImages) {
    if (finding.verdict === 'PASS') continue;
    const image = finding.image ? ` ${finding.image}` : '';
    out.push(safeText(`${finding.verdict} scs-0104 ${finding.rule}${image}: ${finding.message}`));
  }
  out.push(
    safeText(
      `cloud ${result.cloud}: ${result.images.length} public/community images audited against ` +
        `scs-0102 ${result.scsVersion} and scs-0104: ${result.verdict}`,
    ),
  );
  return `${out.join('\n')}\n`;
}

export function logAudit(result: Audit, log: Logger): void {
  const counts = { PASS: 0, WARN: 0, FAIL: 0 };
  for (const image of result.images) counts[image.verdict]++;
  log.info(`Audited ${result.images.length} images: ${counts.PASS} pass, ${counts.WARN} warn, ${counts.FAIL} fail`);
}
