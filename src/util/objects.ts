/** A YAML or JSON mapping, read as a plain object. */
export type Mapping = Record<string, unknown>;

/** A plain object: not null, an array, a date, a YamlTimestamp or another class instance. */
export function isMapping(value: unknown): value is Mapping {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A copy of `object` without its undefined properties, so results carry only what was given. */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
