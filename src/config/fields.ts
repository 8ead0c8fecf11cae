import { cloudError, missingFieldError, type CloudOrigin } from './cloud-origin.js';

export function requireField(value: string | undefined, field: string, origin: CloudOrigin): string {
  if (value === undefined) throw missingFieldError(origin, field);
  return value;
}

/** Checks that `value` is an http(s) URL and returns it unchanged. The value is not echoed: it may hold credentials. */
export function checkHttpUrl(value: string, field: string, origin: CloudOrigin): string {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw cloudError(origin, `${field} is not a valid URL`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw cloudError(origin, `${field} is not an http(s) URL`);
  return value;
}
