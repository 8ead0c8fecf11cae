import { ConfigError } from './errors.js';
import { environmentVariableFor } from './env-overrides.js';

/** Which cloud is being resolved and where its settings came from, for error messages. */
export interface CloudOrigin {
  name: string;
  /** The files the cloud is defined in; empty for the environment-only "envvars" cloud. */
  files: string[];
}

export function cloudError(origin: CloudOrigin, problem: string): ConfigError {
  const where = origin.files.length > 0 ? `in ${origin.files.join(' and ')}` : '(from OS_* environment variables)';
  return new ConfigError(`Cloud "${origin.name}" ${where}: ${problem}`);
}

/**
 * "auth.password is missing" plus how else to set it. `field` is spelled as in clouds.yaml;
 * `alternatives` are other fields that would do as well; `neededWith` says which setting requires it.
 */
export function missingFieldError(
  origin: CloudOrigin,
  field: string,
  { alternatives = [], neededWith }: { alternatives?: string[]; neededWith?: string } = {},
): ConfigError {
  const fields = [field, ...alternatives].join(' or ');
  const reason = neededWith === undefined ? '' : `, needed with ${neededWith}`;
  const variable = environmentVariableFor(field);
  const hint = variable === undefined ? '' : origin.files.length > 0 ? ` (or set ${variable})` : ` (set ${variable})`;
  return cloudError(origin, `${fields} is missing${reason}${hint}`);
}
