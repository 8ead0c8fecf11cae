import { cloudError, missingFieldError, type CloudContext } from './cloud-context.js';

export function requireField(value: string | undefined, field: string, context: CloudContext): string {
  if (value === undefined) throw missingFieldError(context, field);
  return value;
}

/** Checks that `value` is an http(s) URL and returns it unchanged. The value is not echoed: a URL may embed credentials. */
export function checkHttpUrl(value: string, field: string, context: CloudContext): string {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw cloudError(context, `${field} is not a valid URL`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw cloudError(context, `${field} is not an http(s) URL`);
  return value;
}

/** A copy of `object` without its undefined properties, so results carry only the settings that were given. */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
