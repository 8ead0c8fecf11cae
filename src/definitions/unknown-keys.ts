import type { Report } from './coerce-text.js';
import { FILE_KEYS, IMAGE_KEYS, META_KEYS, VERSION_KEYS } from './schema.js';
import type { FieldPath } from '../yaml/source-map.js';

/**
 * OIM's yamale check is strict: any key outside its schema fails the whole run. Here an unknown key
 * is only a warning; unknown meta keys are kept (they become image properties), others are ignored.
 */
export function reportUnknownKeys(root: Record<string, unknown>, report: Report): void {
  warnAbout(root, [], FILE_KEYS, 'ignored', report);
  const images = root['images'];
  if (!Array.isArray(images)) return;
  images.forEach((image, i) => {
    if (!isPlainMap(image)) return;
    warnAbout(image, ['images', i], IMAGE_KEYS, 'ignored', report);
    warnAboutMeta(image['meta'], ['images', i, 'meta'], report);
    const versions = image['versions'];
    if (!Array.isArray(versions)) return;
    versions.forEach((version, j) => {
      if (!isPlainMap(version)) return;
      warnAbout(version, ['images', i, 'versions', j], VERSION_KEYS, 'ignored', report);
      warnAboutMeta(version['meta'], ['images', i, 'versions', j, 'meta'], report);
    });
  });
}

function warnAboutMeta(meta: unknown, path: FieldPath, report: Report): void {
  if (isPlainMap(meta)) warnAbout(meta, path, META_KEYS, 'kept and published as an image property', report);
}

function warnAbout(map: Record<string, unknown>, path: FieldPath, known: ReadonlySet<string>, fate: string, report: Report): void {
  for (const key of Object.keys(map)) {
    if (!known.has(key)) report('warning', [...path, key], `unknown key "${key}" (OIM's schema would reject it); ${fate}`);
  }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
