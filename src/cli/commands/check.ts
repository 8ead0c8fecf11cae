import type { Logger } from 'pino';
import type { GlanceImage } from '../../openstack/image.js';
import { worstVerdict, type Finding, type Verdict } from '../../scs/findings.js';
import { checkImages } from '../../scs/image-metadata.js';
import type { ScsVersion } from '../../scs/image-subject.js';
import { recencyNameWarning } from '../../scs/outdated-names.js';
import { isOutdatedForRecency } from '../../scs/recency.js';
import { checkStandardImages } from '../../scs/standard-images.js';
import { subjectOfImage } from '../../scs/subjects.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
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

export function logAudit(result: Audit, log: Logger): void {
  const counts = { PASS: 0, WARN: 0, FAIL: 0 };
  for (const image of result.images) counts[image.verdict]++;
  log.info(
    `Audited ${plural(result.images.length, 'image')}: ${counts.PASS} pass, ${counts.WARN} warn, ${counts.FAIL} fail`,
  );
}
