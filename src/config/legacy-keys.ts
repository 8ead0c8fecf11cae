import { isMapping, type Mapping } from '../util/objects.js';

/** Legacy spellings openstacksdk still accepts, mapped to current ones; the current spelling wins when both are set. */
const LEGACY_CLOUD_KEYS: Record<string, string> = {
  auth_plugin: 'auth_type',
  endpoint_type: 'interface',
};

const LEGACY_AUTH_KEYS: Record<string, string> = {
  tenant_name: 'project_name',
  tenant_id: 'project_id',
  auth_token: 'token',
};

/**
 * Rewrites legacy spellings in a cloud entry (keys already normalised to `_`), including auth fields
 * written at the top level of the cloud instead of under `auth:` (`authFields` names them).
 */
export function rewriteLegacyKeys(cloud: Mapping, authFields: readonly string[]): Mapping {
  const rewritten = renameKeys(cloud, LEGACY_CLOUD_KEYS);
  if (isSet(rewritten.auth) && !isMapping(rewritten.auth)) return rewritten; // validation reports it
  const auth: Mapping = isMapping(rewritten.auth) ? { ...rewritten.auth } : {};
  for (const field of [...authFields, ...Object.keys(LEGACY_AUTH_KEYS)]) {
    if (!(field in rewritten)) continue;
    if (!isSet(auth[field])) auth[field] = rewritten[field];
    delete rewritten[field];
  }
  return { ...rewritten, auth: renameKeys(auth, LEGACY_AUTH_KEYS) };
}

function renameKeys(mapping: Mapping, renames: Record<string, string>): Mapping {
  const renamed: Mapping = { ...mapping };
  for (const [legacy, current] of Object.entries(renames)) {
    if (!(legacy in renamed)) continue;
    if (!isSet(renamed[current])) renamed[current] = renamed[legacy];
    delete renamed[legacy];
  }
  return renamed;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
