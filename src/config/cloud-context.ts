import { ConfigError } from './errors.js';
import { environmentVariableFor } from './env-overrides.js';

/** Which cloud is being resolved and where its settings came from, for error messages. */
export interface CloudContext {
  name: string;
  /** The files the cloud is defined in; empty for the environment-only "envvars" cloud. */
  files: string[];
}

export function cloudError(context: CloudContext, problem: string): ConfigError {
  const where =
    context.files.length > 0 ? `in ${context.files.join(' and ')}` : '(from OS_* environment variables)';
  return new ConfigError(`Cloud "${context.name}" ${where}: ${problem}`);
}

/**
 * "auth.password is missing" plus how else to set it. `field` is spelled as in clouds.yaml;
 * `alternatives` are other fields that would do as well; `neededWith` says which setting requires it.
 */
export function missingFieldError(
  context: CloudContext,
  field: string,
  { alternatives = [], neededWith }: { alternatives?: string[]; neededWith?: string } = {},
): ConfigError {
  const fields = [field, ...alternatives].join(' or ');
  const reason = neededWith === undefined ? '' : `, needed with ${neededWith}`;
  const variable = environmentVariableFor(field);
  const hint = variable === undefined ? '' : context.files.length > 0 ? ` (or set ${variable})` : ` (set ${variable})`;
  return cloudError(context, `${fields} is missing${reason}${hint}`);
}
