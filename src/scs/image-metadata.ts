/*
 * scs-0102 "Image Metadata" (v1, and the v2 draft that makes os_purpose mandatory) applied to images as plain
 * data: the per-image rules, and the rules that need the other images too (recency's replacement, uniqueness).
 */

import type { Finding } from './findings.js';
import type { CheckOptions, ImageSubject } from './image-subject.js';
import { PROPERTY_RULES } from './property-rules.js';
import { checkRecency } from './recency.js';
import { uniquenessFindings } from './uniqueness.js';

/** The per-image rules, in the order checkImage reports them. */
export const IMAGE_RULES = [
  'architecture',
  'min_disk',
  'min_ram',
  'os_distro',
  'os_version',
  'os_purpose',
  'hw_disk_bus',
  'hypervisor_type',
  'hw_rng_model',
  'replace_frequency',
  'provided_until',
  'uuid_validity',
  'hotfix_hours',
  'image_source',
  'image_description',
  'image_original_user',
  'image_build_date',
  'os_hash_algo',
  'recency',
] as const;
export type ImageRule = (typeof IMAGE_RULES)[number];

function imageFindings(
  image: ImageSubject,
  options: CheckOptions,
  byName: ReadonlyMap<string, readonly ImageSubject[]>,
): Finding[] {
  return IMAGE_RULES.map((rule) => {
    const [verdict, message] =
      rule === 'recency' ? checkRecency(image, byName, options.now.getTime()) : PROPERTY_RULES[rule](image, options);
    return { rule, verdict, message, image: image.name };
  });
}

/**
 * The per-image rules of scs-0102, one Finding per rule (PASS too), in IMAGE_RULES order.
 * Alone, an outdated image has no replacement: use checkImages to let a current namesake count.
 */
export function checkImage(image: ImageSubject, options: CheckOptions): Finding[] {
  return imageFindings(image, options, new Map());
}

function groupByName(images: readonly ImageSubject[]): Map<string, ImageSubject[]> {
  const byName = new Map<string, ImageSubject[]>();
  for (const image of images) {
    const namesakes = byName.get(image.name);
    if (namesakes) namesakes.push(image);
    else byName.set(image.name, [image]);
  }
  return byName;
}

/**
 * Per image, in the order given: its per-image findings, where a current image named like an outdated one less
 * its last word replaces it, then its uniqueness finding.
 */
export function checkImages(images: readonly ImageSubject[], options: CheckOptions): Finding[][] {
  const byName = groupByName(images);
  const uniqueness = uniquenessFindings(images, options.version);
  return images.map((image, i) => [...imageFindings(image, options, byName), ...uniqueness.slice(i, i + 1)]);
}
