import { envValue, type Env } from './environment.js';
import type { Mapping } from '../util/objects.js';

type Binding = readonly [field: string, variables: readonly string[]];

/** OS_* variables for `auth.*` fields; when several are listed the first set one wins (later ones are legacy). */
const AUTH_BINDINGS: readonly Binding[] = [
  ['auth_url', ['OS_AUTH_URL']],
  ['username', ['OS_USERNAME']],
  ['user_id', ['OS_USER_ID']],
  ['password', ['OS_PASSWORD']],
  ['project_name', ['OS_PROJECT_NAME', 'OS_TENANT_NAME']],
  ['project_id', ['OS_PROJECT_ID', 'OS_TENANT_ID']],
  ['user_domain_name', ['OS_USER_DOMAIN_NAME']],
  ['user_domain_id', ['OS_USER_DOMAIN_ID']],
  ['project_domain_name', ['OS_PROJECT_DOMAIN_NAME']],
  ['project_domain_id', ['OS_PROJECT_DOMAIN_ID']],
  ['domain_name', ['OS_DOMAIN_NAME']],
  ['domain_id', ['OS_DOMAIN_ID']],
  ['system_scope', ['OS_SYSTEM_SCOPE']],
  ['application_credential_id', ['OS_APPLICATION_CREDENTIAL_ID']],
  ['application_credential_name', ['OS_APPLICATION_CREDENTIAL_NAME']],
  ['application_credential_secret', ['OS_APPLICATION_CREDENTIAL_SECRET']],
  ['token', ['OS_TOKEN', 'OS_AUTH_TOKEN']],
];

/** OS_* variables for top-level cloud fields. OS_ENDPOINT_TYPE is the legacy name of OS_INTERFACE. */
const CLOUD_BINDINGS: readonly Binding[] = [
  ['auth_type', ['OS_AUTH_TYPE']],
  ['region_name', ['OS_REGION_NAME']],
  ['interface', ['OS_INTERFACE', 'OS_ENDPOINT_TYPE']],
  ['image_endpoint_override', ['OS_IMAGE_ENDPOINT_OVERRIDE']],
  ['cacert', ['OS_CACERT']],
  ['cert', ['OS_CERT']],
  ['key', ['OS_KEY']],
  ['insecure', ['OS_INSECURE']],
];

/** The environment cloud ("envvars") exists when the environment says where to authenticate. */
export function hasEnvironmentCloud(env: Env): boolean {
  return envValue(env, 'OS_AUTH_URL') !== undefined;
}

/** The OS_* variables as a clouds.yaml cloud entry, to lay over a named cloud or to stand alone. */
export function environmentOverrides(env: Env): Mapping {
  const auth = pickBound(env, AUTH_BINDINGS);
  const cloud = pickBound(env, CLOUD_BINDINGS);
  return Object.keys(auth).length > 0 ? { ...cloud, auth } : cloud;
}

/** The variable that sets a clouds.yaml field, e.g. "auth.password" → "OS_PASSWORD", for hints in messages. */
export function environmentVariableFor(field: string): string | undefined {
  const [section, name] = field.startsWith('auth.') ? [AUTH_BINDINGS, field.slice(5)] : [CLOUD_BINDINGS, field];
  return section.find(([bound]) => bound === name)?.[1][0];
}

function pickBound(env: Env, bindings: readonly Binding[]): Mapping {
  const picked: Mapping = {};
  for (const [field, variables] of bindings) {
    const value = envValue(env, ...variables);
    if (value !== undefined) picked[field] = value;
  }
  return picked;
}
