/**
 * A problem with the cloud configuration (clouds.yaml, secure.yaml or OS_* variables).
 * Messages name the cloud, the field and the file, and never contain secret values.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
