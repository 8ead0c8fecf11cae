import type { ImageRule } from './image-metadata.js';

export type Verdict = 'PASS' | 'WARN' | 'FAIL';

/**
 * What a finding judges: one of scs-0102's per-image rules; `uniqueness`, scs-0102's rule across images;
 * scs-0104's `standard_image` (presence) and `standard_image_source` (origin of an image standing for one).
 */
export type Rule = ImageRule | 'uniqueness' | 'standard_image' | 'standard_image_source';

export interface Finding {
  rule: Rule;
  verdict: Verdict;
  message: string;
  /** The image's name (for standard_image: the standard image's name). */
  image?: string;
}

/** A rule's verdict and message, before the finding names its rule and image. */
export type Outcome = [Verdict, string];
export const pass = (message: string): Outcome => ['PASS', message];
export const warn = (message: string): Outcome => ['WARN', message];
export const fail = (message: string): Outcome => ['FAIL', message];

const SEVERITY: Readonly<Record<Verdict, number>> = { PASS: 0, WARN: 1, FAIL: 2 };

/** Orders verdicts from the mildest to the most severe: PASS, WARN, FAIL (swap the arguments for FAIL first). */
export function bySeverity(a: Verdict, b: Verdict): number {
  return SEVERITY[a] - SEVERITY[b];
}

/** FAIL over WARN over PASS; PASS for no findings. */
export function worstVerdict(findings: readonly Pick<Finding, 'verdict'>[]): Verdict {
  return findings.reduce<Verdict>((worst, f) => (bySeverity(f.verdict, worst) > 0 ? f.verdict : worst), 'PASS');
}
