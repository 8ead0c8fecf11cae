import { describe, expect, it } from 'vitest';
import { ConfigError, loadCloud, type AuthConfig } from '../../../src/config/index.js';
import { createWorkspace, thrownBy } from './workspace.js';

const AUTH_URL = 'https://keystone.example.com:5000';

/** Loads a single cloud whose `auth` (and other settings) are given. */
function authOf(auth: Record<string, unknown>, extra: Record<string, unknown> = {}): AuthConfig {
  const ws = createWorkspace();
  ws.write(ws.cwd, 'clouds.yaml', { clouds: { c: { auth: { auth_url: AUTH_URL, ...auth }, ...extra } } });
  return loadCloud(ws.options()).auth;
}

function errorOf(auth: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const ws = createWorkspace();
  const file = ws.write(ws.cwd, 'clouds.yaml', {
    clouds: { mycloud: { auth: { auth_url: AUTH_URL, ...auth }, ...extra } },
  });
  const error = thrownBy(() => loadCloud(ws.options()));
  expect(error).toBeInstanceOf(ConfigError);
  return { message: error.message, file };
}

describe('password auth', () => {
  it('is the default, with user and project by name within domains', () => {
    expect(
      authOf({
        username: 'alice',
        password: 'pw',
        user_domain_name: 'Users',
        project_name: 'images',
        project_domain_name: 'Projects',
      }),
    ).toEqual({
      type: 'password',
      authUrl: AUTH_URL,
      username: 'alice',
      userDomainName: 'Users',
      password: 'pw',
      scope: { projectName: 'images', projectDomainName: 'Projects' },
    });
  });

  it('takes user and project by id, needing no domains', () => {
    expect(authOf({ user_id: 'u-1', password: 'pw', project_id: 'p-1' }, { auth_type: 'v3password' })).toEqual({
      type: 'password',
      authUrl: AUTH_URL,
      userId: 'u-1',
      password: 'pw',
      scope: { projectId: 'p-1' },
    });
  });

  it('keeps auth_url exactly as given (no /v3 added or removed)', () => {
    expect(authOf({ user_id: 'u', password: 'pw', auth_url: 'https://k.example.com/identity/v3/' }).authUrl).toBe(
      'https://k.example.com/identity/v3/',
    );
  });

  it('lets domain_name stand for both the user and the project domain', () => {
    expect(authOf({ username: 'alice', password: 'pw', project_name: 'images', domain_name: 'Acme' })).toEqual({
      type: 'password',
      authUrl: AUTH_URL,
      username: 'alice',
      userDomainName: 'Acme',
      password: 'pw',
      scope: { projectName: 'images', projectDomainName: 'Acme' },
    });
  });

  it('lets domain_id fill only the domains not already given', () => {
    const auth = authOf({
      username: 'alice',
      password: 'pw',
      user_domain_name: 'Users',
      project_name: 'images',
      domain_id: 'd-1',
    });
    expect(auth).toMatchObject({ userDomainName: 'Users', scope: { projectName: 'images', projectDomainId: 'd-1' } });
    expect(auth).not.toHaveProperty('userDomainId');
  });

  it('reads domain_name without a project as a domain scope', () => {
    expect(authOf({ user_id: 'u-1', password: 'pw', domain_name: 'Acme' })).toMatchObject({
      scope: { domainName: 'Acme' },
    });
  });

  it('accepts legacy tenant_name, hyphenated keys and unquoted numeric ids', () => {
    expect(
      authOf({ 'user-id': 'u-1', password: 'pw', tenant_name: 'legacy', 'project-domain-id': 12345 }),
    ).toMatchObject({ userId: 'u-1', scope: { projectName: 'legacy', projectDomainId: '12345' } });
  });

  it('tolerates keys it does not use', () => {
    expect(
      authOf(
        { user_id: 'u', password: 'pw', project_id: 'p', trust_id: 't' },
        { identity_api_version: 3, image_api_version: '2', volume_api_version: '3', networks: [] },
      ),
    ).toMatchObject({ type: 'password', userId: 'u' });
  });

  it('names cloud, field and file when the password is missing', () => {
    const { message, file } = errorOf({ username: 'alice', user_domain_name: 'Default', project_id: 'p' });
    expect(message).toContain('"mycloud"');
    expect(message).toContain('auth.password');
    expect(message).toContain(file);
    expect(message).toContain('OS_PASSWORD');
  });

  it('needs a user', () => {
    expect(errorOf({ password: 'pw', project_id: 'p' }).message).toContain('auth.username or auth.user_id is missing');
  });

  it('needs the domain of a user given by name', () => {
    expect(errorOf({ username: 'alice', password: 'pw', project_id: 'p' }).message).toContain(
      'auth.user_domain_name or auth.user_domain_id is missing',
    );
  });

  it('needs the domain of a project given by name', () => {
    expect(errorOf({ user_id: 'u', password: 'pw', project_name: 'images' }).message).toContain(
      'auth.project_domain_name or auth.project_domain_id or auth.domain_name is missing',
    );
  });

  it('needs auth.auth_url, and an http(s) one', () => {
    const ws = createWorkspace();
    const file = ws.write(ws.cwd, 'clouds.yaml', { clouds: { c: { auth: { user_id: 'u', password: 'pw' } } } });
    const error = thrownBy(() => loadCloud(ws.options()));
    expect(error.message).toContain('auth.auth_url');
    expect(error.message).toContain(file);

    expect(errorOf({ user_id: 'u', password: 'pw', auth_url: 'keystone:5000' }).message).toContain(
      'auth.auth_url is not an http(s) URL',
    );
  });
});

describe('application credential auth', () => {
  it('by id sends no user and no scope', () => {
    expect(
      authOf(
        { application_credential_id: 'ac-1', application_credential_secret: 's', project_name: 'ignored' },
        { auth_type: 'v3applicationcredential' },
      ),
    ).toEqual({
      type: 'v3applicationcredential',
      authUrl: AUTH_URL,
      applicationCredentialId: 'ac-1',
      applicationCredentialSecret: 's',
    });
  });

  it('by name carries the user, by name and domain', () => {
    expect(
      authOf(
        {
          application_credential_name: 'uploader',
          application_credential_secret: 's',
          username: 'alice',
          user_domain_name: 'Default',
        },
        { auth_type: 'v3applicationcredential' },
      ),
    ).toEqual({
      type: 'v3applicationcredential',
      authUrl: AUTH_URL,
      applicationCredentialName: 'uploader',
      applicationCredentialSecret: 's',
      username: 'alice',
      userDomainName: 'Default',
    });
  });

  it('by name carries the user by id, and takes domain_name as the user domain', () => {
    const type = { auth_type: 'v3applicationcredential' };
    expect(
      authOf({ application_credential_name: 'up', application_credential_secret: 's', user_id: 'u-1' }, type),
    ).toMatchObject({ applicationCredentialName: 'up', userId: 'u-1' });
    expect(
      authOf(
        { application_credential_name: 'up', application_credential_secret: 's', username: 'al', domain_name: 'D' },
        type,
      ),
    ).toMatchObject({ username: 'al', userDomainName: 'D' });
  });

  it('is recognised without auth_type when there is a secret and no password', () => {
    expect(authOf({ application_credential_id: 'ac-1', application_credential_secret: 's' }).type).toBe(
      'v3applicationcredential',
    );
  });

  it('needs the secret', () => {
    const { message } = errorOf({ application_credential_id: 'ac-1' }, { auth_type: 'v3applicationcredential' });
    expect(message).toContain('auth.application_credential_secret is missing');
  });

  it('by name needs a user', () => {
    const { message } = errorOf(
      { application_credential_name: 'up', application_credential_secret: 's' },
      { auth_type: 'v3applicationcredential' },
    );
    expect(message).toContain('needed with auth.application_credential_name');
  });

  it('needs an id or a name', () => {
    const { message } = errorOf({ application_credential_secret: 's' }, { auth_type: 'v3applicationcredential' });
    expect(message).toContain('auth.application_credential_id or auth.application_credential_name is missing');
  });
});

describe('token auth', () => {
  it('takes auth.token with a project scope', () => {
    expect(authOf({ token: 'tok', project_id: 'p-1' }, { auth_type: 'v3token' })).toEqual({
      type: 'token',
      authUrl: AUTH_URL,
      token: 'tok',
      scope: { projectId: 'p-1' },
    });
  });

  it('is chosen without auth_type when only a token is given; auth_token is its legacy name', () => {
    expect(authOf({ auth_token: 'tok' })).toEqual({ type: 'token', authUrl: AUTH_URL, token: 'tok', scope: {} });
  });

  it('needs the token', () => {
    expect(errorOf({ project_id: 'p' }, { auth_type: 'token' }).message).toContain('auth.token is missing');
  });
});

describe('unsupported auth', () => {
  it('names the cloud and the auth_type', () => {
    const { message, file } = errorOf({ username: 'a', password: 'pw' }, { auth_type: 'v3oidcpassword' });
    expect(message).toContain('"mycloud"');
    expect(message).toContain('auth_type "v3oidcpassword" is not supported');
    expect(message).toContain(file);
  });

  it('rejects vendor profiles clearly', () => {
    const { message } = errorOf({ username: 'a', password: 'pw' }, { profile: 'vexxhost' });
    expect(message).toContain('"mycloud"');
    expect(message).toMatch(/profile "vexxhost"\) are not supported/);
  });
});
