import type { Report } from './coerce-text.js';
import { FILE_KEYS, IMAGE_KEYS, META_KEYS, VERSION_KEYS } from './schema.js';
import type { FieldPath } from '../yaml/source-map.js';
import { isMapping, type Mapping } from '../util/objects.js';

/**
 * OIM's yamale check is strict: any key outside its schema fails the whole run. Here an unknown key
 * is only a warning; unknown meta keys are kept (they become image properties), others are ignored.
 */
export function reportUnknownKeys(root: Mapping, report: Report): void {
  warnAbout(root, [], FILE_KEYS, 'ignored', report);
  const images = root.images;
  if (!Array.isArray(images)) return;
  images.forEach((image, i) => {
    if (!isMapping(image)) return;
    warnAbout(image, ['images', i], IMAGE_KEYS, 'ignored', report);
    warnAboutMeta(image.meta, ['images', i, 'meta'], report);
    const versions = image.versions;
    if (!Array.isArray(versions)) return;
    versions.forEach((version, j) => {
      if (!isMapping(version)) return;
      warnAbout(version, ['images', i, 'versions', j], VERSION_KEYS, 'ignored', report);
      warnAboutMeta(version.meta, ['images', i, 'versions', j, 'meta'], report);
    });
  });
}

function warnAboutMeta(meta: unknown, path: FieldPath, report: Report): void {
  if (isMapping(meta)) warnAbout(meta, path, META_KEYS, 'kept and published as an image property', report);
}

function warnAbout(map: Mapping, path: FieldPath, known: ReadonlySet<string>, fate: string, report: Report): void {
  for (const key of Object.keys(map)) {
    if (known.has(key)) continue;
    report('warning', [...path, key], `unknown key "${key}" (OIM's schema would reject it); ${fate}`);
  }
}
