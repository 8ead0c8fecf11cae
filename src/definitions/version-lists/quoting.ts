import { parseDocument } from 'yaml';
import { pyyamlTags } from '../../yaml/pyyaml.js';

/** How a scalar is written: `date` is plain when it is a YYYY-MM-DD date or reads back as the same string. */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'date';

/** Characters a single-quoted or plain scalar cannot carry as they are (controls, YAML 1.1 line breaks, BOM). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** `value` as YAML text in `style`, falling back to single, then double quotes when the style cannot carry it. */
export function formatScalar(value: string, style: ScalarStyle): string {
  if (style === 'date' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return value;
  if ((style === 'plain' || style === 'date') && isSafePlain(value)) return value;
  if (style !== 'double' && !NEEDS_ESCAPE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, unicodeEscape);
}

/** Whether `value` may be written unquoted and still reads back (as PyYAML does) as that very string. */
function isSafePlain(value: string): boolean {
  if (!/^[A-Za-z0-9_./(+$][^\s]*$/.test(value) || NEEDS_ESCAPE.test(value) || value.endsWith(':')) return false;
  if (value === '=' || value === '<<') return false;
  const probe = parseDocument(`x: ${value}`, { version: '1.1', customTags: pyyamlTags });
  return probe.errors.length === 0 && probe.warnings.length === 0 && probe.get('x') === value;
}
