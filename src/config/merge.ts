import { isMapping, type Mapping } from '../util/objects.js';

/** Merges `over` into `base` recursively, as openstacksdk merges secure.yaml: mappings merge, the rest is replaced. */
export function deepMerge(base: Mapping, over: Mapping): Mapping {
  const merged: Mapping = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isMapping(value) && isMapping(current) ? deepMerge(current, value) : value;
  }
  return merged;
}

/** Replaces `-` by `_` in keys at every depth (openstacksdk accepts `project-name` for `project_name`). */
export function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (!isMapping(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key.replaceAll('-', '_'), normalizeKeys(child)]),
  );
}
