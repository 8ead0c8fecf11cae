import { z } from 'zod';
import type { ConfigError } from './errors.js';

// Every schema that can fail carries its own message: zod's default messages are never shown,
// so no value from the file (a password, say) can reach an error.

/** A string setting; YAML numbers are accepted (an unquoted project id), empty and null mean "not set". */
const text = z
  .union([z.string(), z.number(), z.null()], { error: 'must be a string' })
  .optional()
  .transform((value) => (value === null || value === undefined || value === '' ? undefined : String(value)));

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/** A boolean setting; strings such as "true"/"false" are accepted (env variables, quoted YAML, PyYAML's yes/no). */
const flag = z
  .union([z.boolean(), z.string(), z.null()], { error: 'must be true or false' })
  .optional()
  .transform((value, context) => {
    if (typeof value !== 'string') return value ?? undefined;
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    context.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  });

const mapping = z.record(z.string(), z.unknown(), { error: 'must be a mapping' });

/** The top level of clouds.yaml / secure.yaml; other top-level sections (cache, client, metrics…) are ignored. */
export const configFileSchema = z.looseObject(
  { clouds: z.record(z.string(), mapping, { error: 'must be a mapping of cloud names' }).nullish() },
  { error: 'must be a mapping' },
);

/** `auth:` of a cloud. Unknown keys are tolerated, as keystoneauth plugins take many more. */
const authSchema = z.looseObject(
  {
    auth_url: text,
    username: text,
    user_id: text,
    password: text,
    user_domain_name: text,
    user_domain_id: text,
    project_name: text,
    project_id: text,
    project_domain_name: text,
    project_domain_id: text,
    domain_name: text,
    domain_id: text,
    system_scope: text,
    token: text,
    application_credential_id: text,
    application_credential_name: text,
    application_credential_secret: text,
  },
  { error: 'must be a mapping' },
);

export const AUTH_FIELDS: readonly string[] = Object.keys(authSchema.shape);

/** One cloud, after secure.yaml, the chosen region and OS_* overrides were merged and legacy keys rewritten. */
export const cloudEntrySchema = z.looseObject({
  auth: authSchema.prefault({}),
  auth_type: text,
  region_name: text,
  interface: text,
  image_endpoint_override: text,
  /** openstacksdk's fallback when `image_endpoint_override` is absent. */
  image_endpoint: text,
  cacert: text,
  cert: text,
  key: text,
  verify: flag,
  insecure: flag,
});

export type CloudEntry = z.output<typeof cloudEntrySchema>;
export type AuthEntry = CloudEntry['auth'];

/** Parses `value`, or throws the error `toError` makes of the first problem ("auth.password must be a string"). */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  toError: (problem: string) => ConfigError,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'the content';
  return throwError(toError(`${field} ${issue?.message ?? 'is invalid'}`));
}

function throwError(error: ConfigError): never {
  throw error;
}
