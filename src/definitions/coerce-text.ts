import type { FieldPath, SourceMap } from '../yaml/source-map.js';
import { YamlTimestamp } from '../yaml/pyyaml.js';
import { isMapping, type Mapping } from '../util/objects.js';

/** Text fields per kind of map; OIM's schema types them all str(). */
const TEXT_FIELDS = {
  image: ['name', 'login', 'password', 'shortname', 'separator'],
  meta: ['os_version', 'patchlevel', 'image_description'],
  version: ['version', 'os_version', 'image_description'],
} as const;

const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]*)$/;

export type Report = (severity: 'error' | 'warning', path: FieldPath, message: string) => void;

/**
 * YAML 1.1 turns unquoted `20240101`, `9.10`, `yes` or `2024-08-19` into numbers, booleans and dates,
 * which OIM's schema rejects for text fields. A plain decimal integer or a date is taken as the text
 * it was written as (with a warning); anything else whose text YAML has changed (`9.10` -> 9.1,
 * `010` -> 8, `yes` -> true) is an error, as guessing would be wrong. Works in place on the raw tree.
 */
export function coerceTextFields(root: Mapping, sourceMap: SourceMap, report: Report): void {
  const images = root.images;
  if (!Array.isArray(images)) return;
  images.forEach((image, i) => {
    if (!isMapping(image)) return;
    coerceFields(image, ['images', i], TEXT_FIELDS.image, sourceMap, report);
    const meta = image.meta;
    if (isMapping(meta)) coerceFields(meta, ['images', i, 'meta'], TEXT_FIELDS.meta, sourceMap, report);
    const versions = image.versions;
    if (!Array.isArray(versions)) return;
    versions.forEach((version, j) => {
      if (!isMapping(version)) return;
      const path = ['images', i, 'versions', j];
      coerceFields(version, path, TEXT_FIELDS.version, sourceMap, report);
      const versionMeta = version.meta;
      if (isMapping(versionMeta)) coerceFields(versionMeta, [...path, 'meta'], TEXT_FIELDS.meta, sourceMap, report);
    });
  });
}

function coerceFields(
  map: Mapping,
  path: FieldPath,
  fields: readonly string[],
  sourceMap: SourceMap,
  report: Report,
): void {
  for (const field of fields) {
    const value = map[field];
    const fieldPath = [...path, field];
    const written = sourceMap.source(fieldPath) ?? String(value);
    const quoted = `${field}: '${written.replace(/'/g, "''")}'`;
    if (value instanceof YamlTimestamp) {
      map[field] = value.text;
      const taken = `taken as the text "${value.text}", write ${quoted}`;
      report('warning', fieldPath, `unquoted ${written} is a date in YAML; ${taken}`);
    } else if (typeof value === 'number' && PLAIN_DECIMAL.test(written)) {
      map[field] = written;
      const taken = `taken as the text "${written}", write ${quoted}`;
      report('warning', fieldPath, `unquoted ${written} is a number in YAML; ${taken}`);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      map[field] = written;
      const read = `YAML reads unquoted ${written} as the ${typeof value} ${String(value)}`;
      report('error', fieldPath, `${read}, not as text; quote it: ${quoted}`);
    }
  }
}
