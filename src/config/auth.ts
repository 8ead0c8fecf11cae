import { cloudError, missingFieldError, type CloudOrigin } from './cloud-origin.js';
import { checkHttpUrl, requireField } from './fields.js';
import { compact } from '../util/objects.js';
import type { AuthEntry, CloudEntry } from './schema.js';
import type { ApplicationCredentialAuth, AuthConfig, PasswordAuth, Scope, TokenAuth } from './types.js';

type AuthKind = AuthConfig['type'];

/** clouds.yaml `auth_type` values (keystoneauth plugin names) this tool can authenticate with. */
const AUTH_KINDS: Readonly<Record<string, AuthKind>> = {
  password: 'password',
  v3password: 'password',
  v3applicationcredential: 'v3applicationcredential',
  token: 'token',
  v3token: 'token',
};

export function resolveAuth(cloud: CloudEntry, origin: CloudOrigin): AuthConfig {
  const { auth } = cloud;
  const kind = authKind(cloud.auth_type, auth, origin);
  const authUrl = checkHttpUrl(requireField(auth.auth_url, 'auth.auth_url', origin), 'auth.auth_url', origin);
  switch (kind) {
    case 'password':
      return passwordAuth(auth, authUrl, origin);
    case 'v3applicationcredential':
      return applicationCredentialAuth(auth, authUrl, origin);
    case 'token':
      return tokenAuth(auth, authUrl, origin);
  }
}

function authKind(authType: string | undefined, auth: AuthEntry, origin: CloudOrigin): AuthKind {
  if (authType === undefined) return inferAuthKind(auth);
  const kind = AUTH_KINDS[authType];
  if (kind === undefined) {
    const supported = Object.keys(AUTH_KINDS).join(', ');
    throw cloudError(origin, `auth_type "${authType}" is not supported (supported: ${supported})`);
  }
  return kind;
}

/**
 * Without `auth_type`, openstacksdk assumes password (the `openstack` CLI picks token when only a token is given).
 * An application credential without a password is also recognised, rather than failing for a missing password.
 */
function inferAuthKind(auth: AuthEntry): AuthKind {
  if (auth.password !== undefined) return 'password';
  const hasApplicationCredential =
    auth.application_credential_secret !== undefined ||
    auth.application_credential_id !== undefined ||
    auth.application_credential_name !== undefined;
  if (hasApplicationCredential) return 'v3applicationcredential';
  if (auth.token !== undefined) return 'token';
  return 'password';
}

function passwordAuth(auth: AuthEntry, authUrl: string, origin: CloudOrigin): PasswordAuth {
  const password = requireField(auth.password, 'auth.password', origin);
  const user = resolveUser(withDomainShorthand(auth), origin);
  return compact({ type: 'password', authUrl, ...user, password, scope: resolveScope(auth, origin) });
}

function tokenAuth(auth: AuthEntry, authUrl: string, origin: CloudOrigin): TokenAuth {
  const token = requireField(auth.token, 'auth.token', origin);
  return { type: 'token', authUrl, token, scope: resolveScope(auth, origin) };
}

/** Application credentials carry their own scope, so none is sent; a credential named (not by id) needs its user. */
function applicationCredentialAuth(auth: AuthEntry, authUrl: string, origin: CloudOrigin): ApplicationCredentialAuth {
  const secret = requireField(auth.application_credential_secret, 'auth.application_credential_secret', origin);
  const base = { type: 'v3applicationcredential', authUrl, applicationCredentialSecret: secret } as const;
  if (auth.application_credential_id !== undefined) {
    return { ...base, applicationCredentialId: auth.application_credential_id };
  }
  if (auth.application_credential_name === undefined) {
    throw missingFieldError(origin, 'auth.application_credential_id', {
      alternatives: ['auth.application_credential_name'],
    });
  }
  const user = resolveUser(withUserDomainDefault(auth), origin, 'auth.application_credential_name');
  return compact({ ...base, applicationCredentialName: auth.application_credential_name, ...user });
}

interface User {
  userId?: string;
  username?: string;
  userDomainId?: string;
  userDomainName?: string;
}

/** A user by id, or by name within a domain (Keystone cannot find a user by name alone). */
function resolveUser(auth: AuthEntry, origin: CloudOrigin, neededWith?: string): User {
  const user = {
    userId: auth.user_id,
    username: auth.username,
    userDomainId: auth.user_domain_id,
    userDomainName: auth.user_domain_name,
  };
  if (user.userId !== undefined) return user;
  if (user.username === undefined) {
    throw missingFieldError(origin, 'auth.username', { alternatives: ['auth.user_id'], neededWith });
  }
  if (user.userDomainId === undefined && user.userDomainName === undefined) {
    throw missingFieldError(origin, 'auth.user_domain_name', {
      alternatives: ['auth.user_domain_id'],
      neededWith: 'auth.username',
    });
  }
  return user;
}

function isProjectScoped(auth: AuthEntry): boolean {
  return auth.project_id !== undefined || auth.project_name !== undefined;
}

/**
 * openstacksdk: with a project, `domain_id`/`domain_name` stand for the user's and the project's domain
 * where those are not given; without a project they ask for a domain-scoped token.
 */
function withDomainShorthand(auth: AuthEntry): AuthEntry {
  if (!isProjectScoped(auth)) return auth;
  return { ...withProjectDomainDefault(withUserDomainDefault(auth)), domain_id: undefined, domain_name: undefined };
}

// A domain counts as given by id or by name: filling in the other would change which one Keystone uses.
function withUserDomainDefault(auth: AuthEntry): AuthEntry {
  if (auth.user_domain_id !== undefined || auth.user_domain_name !== undefined) return auth;
  return { ...auth, user_domain_id: auth.domain_id, user_domain_name: auth.domain_name };
}

function withProjectDomainDefault(auth: AuthEntry): AuthEntry {
  if (auth.project_domain_id !== undefined || auth.project_domain_name !== undefined) return auth;
  return { ...auth, project_domain_id: auth.domain_id, project_domain_name: auth.domain_name };
}

function resolveScope(rawAuth: AuthEntry, origin: CloudOrigin): Scope {
  const auth = withDomainShorthand(rawAuth);
  if (!isProjectScoped(auth)) {
    return compact({ domainId: auth.domain_id, domainName: auth.domain_name, systemScope: auth.system_scope });
  }
  const scope = compact({
    projectId: auth.project_id,
    projectName: auth.project_name,
    projectDomainId: auth.project_domain_id,
    projectDomainName: auth.project_domain_name,
    systemScope: auth.system_scope,
  });
  const projectDomainGiven = scope.projectDomainId !== undefined || scope.projectDomainName !== undefined;
  if (scope.projectId === undefined && !projectDomainGiven) {
    throw missingFieldError(origin, 'auth.project_domain_name', {
      alternatives: ['auth.project_domain_id', 'auth.domain_name'],
      neededWith: 'auth.project_name',
    });
  }
  return scope;
}
