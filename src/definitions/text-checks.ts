import type { Report } from './coerce-text.js';
import { firstControlCharacter } from '../util/control-characters.js';
import type { FieldPath } from '../yaml/source-map.js';
import { isMapping } from '../util/objects.js';

const WHY =
  'control characters (and bidi or line-separator characters) are not allowed: the text is published to ' +
  'Glance and printed in logs and on terminals';

/**
 * Every text of a definition file (names, tags, logins, versions, descriptions, URLs, meta keys and values)
 * ends up in Glance, in a log line or on a terminal: none may carry a control character.
 */
export function reportControlCharacters(value: unknown, path: FieldPath, report: Report): void {
  if (typeof value === 'string') {
    const found = firstControlCharacter(value);
    if (found !== undefined) report('error', path, `contains the control character ${found}; ${WHY}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      reportControlCharacters(item, [...path, i], report);
    });
  } else if (isMapping(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = firstControlCharacter(key);
      if (found !== undefined)
        report('error', [...path, key], `the key contains the control character ${found}; ${WHY}`);
      reportControlCharacters(item, [...path, key], report);
    }
  }
}
