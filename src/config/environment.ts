/** The process environment, passed in rather than read from `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The first of `names` that is set to a non-empty value (empty counts as unset, as in the `openstack` CLI). */
export function envValue(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
