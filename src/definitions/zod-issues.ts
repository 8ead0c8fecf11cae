import type { z } from 'zod';
import type { FieldPath } from '../yaml/source-map.js';
import { YamlTimestamp } from '../yaml/pyyaml.js';
import { isMapping } from '../util/objects.js';
import { maskUserinfo } from '../net/redact.js';

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  boolean: 'a boolean (true or false)',
  // Every number in OIM's schema is an integer; zod says `number` for a non-number and `int` for a fraction.
  int: 'an integer',
  number: 'an integer',
  array: 'a list',
  object: 'a map',
};

/** A readable message for a zod issue; `root` is the raw data, to tell a missing field from a wrong one. */
export function describeZodIssue(issue: z.core.$ZodIssue, root: unknown, path: FieldPath): string {
  const parent = valueAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (typeof key === 'string' && isMapping(parent) && !Object.hasOwn(parent, key)) return 'required field is missing';
  const input = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(showAllowed).join(', ')}; got ${describeValue(input)}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} entries`;
      return `must be at least ${String(issue.minimum)}, got ${describeValue(input)}`;
    case 'invalid_format':
    case 'custom':
      return `${issue.message}; got ${describeValue(input)}`;
    default:
      return issue.message;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (value instanceof YamlTimestamp) return `the date ${value.text}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(maskUserinfo(value));
  return `the ${typeof value} ${String(value)}`;
}

function showAllowed(value: unknown): string {
  return value === null ? 'null' : String(value);
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
