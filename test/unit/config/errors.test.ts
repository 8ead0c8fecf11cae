import { describe, expect, it } from 'vitest';
import { ConfigError, loadCloud } from '../../../src/config/index.js';
import { createWorkspace, thrownBy } from './workspace.js';

const SECRET = 'Sup3r-S3cret-Value';

/** Writes `text` as clouds.yaml (or another name) and returns the error loading it and the file's path. */
function failureFor(text: string, name = 'clouds.yaml', env: Record<string, string> = {}) {
  const ws = createWorkspace();
  const file = ws.write(ws.cwd, name, text);
  const error = thrownBy(() => loadCloud(ws.options(env)));
  expect(error).toBeInstanceOf(ConfigError);
  return { message: error.message, file };
}

describe('broken files', () => {
  it('names the file and the line of a YAML syntax error', () => {
    const { message, file } = failureFor(
      ['clouds:', '  mycloud:', '    auth:', `      password: ${SECRET}`, '     username: [alice'].join('\n'),
    );
    expect(message).toContain(file);
    expect(message).toMatch(/line 5\b/);
    expect(message).not.toContain(SECRET);
  });

  it('reports duplicate keys in YAML', () => {
    const { message } = failureFor('clouds:\n  a: {}\n  a: {}\n');
    expect(message).toMatch(/line 3.*duplicated mapping key/);
  });

  it('names the file and the line of a JSON syntax error, without quoting it', () => {
    const text = `{\n  "clouds": {\n    "c": {"auth": {"password": "${SECRET}",}}\n  }\n}`;
    const { message, file } = failureFor(text, 'clouds.json');
    expect(message).toContain(file);
    expect(message).toContain('line 3');
    expect(message).not.toContain(SECRET);
  });

  it('keeps JSON errors without a position free of the source excerpt too', () => {
    const { message } = failureFor(`{"clouds": {"c": {"auth": {"password": ${SECRET}}}}}`, 'clouds.json');
    expect(message).toContain('Invalid JSON');
    expect(message).not.toContain(SECRET);
  });

  it('rejects a file that is not a mapping, or clouds that are not mappings', () => {
    expect(failureFor('- a\n- b\n').message).toContain('must be a mapping');
    expect(failureFor('clouds:\n  c: just-a-string\n', 'clouds.yaml', { OS_CLOUD: 'c' }).message).toContain(
      'clouds.c must be a mapping',
    );
  });

  it('names the secure file when it is the broken one', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', 'clouds:\n  c:\n    auth: {}\n');
    const secure = ws.write(ws.userDir, 'secure.yaml', `clouds:\n  c:\n    auth:\n      password: "${SECRET}\n`);
    const error = thrownBy(() => loadCloud(ws.options()));
    expect(error.message).toContain(secure);
    expect(error.message).not.toContain(SECRET);
  });
});

describe('secret values never appear in error messages', () => {
  const secretFields = {
    password: SECRET,
    token: `${SECRET}-token`,
    application_credential_secret: `${SECRET}-ac`,
  };

  /** Every failure below happens with all secret fields set; none of them may be quoted. */
  const cases: Array<[string, Record<string, unknown>]> = [
    ['a missing auth_url', { auth: { ...secretFields, user_id: 'u' } }],
    ['a bad auth_url', { auth: { ...secretFields, user_id: 'u', auth_url: 'nonsense' } }],
    ['a missing user', { auth: { ...secretFields, auth_url: 'https://k' } }],
    ['an unknown auth_type', { auth_type: 'v3totp', auth: { ...secretFields, auth_url: 'https://k' } }],
    ['a wrongly typed secret', { auth: { auth_url: 'https://k', user_id: 'u', password: [SECRET, { x: SECRET }] } }],
    ['a wrongly typed auth', { auth: [SECRET] }],
    ['a bad flag', { insecure: SECRET, auth: { ...secretFields, auth_url: 'https://k', user_id: 'u' } }],
    [
      'a bad interface next to secrets',
      { interface: 'x', auth: { ...secretFields, auth_url: 'https://k', user_id: 'u' } },
    ],
    ['a profile', { profile: 'p', auth: secretFields }],
    ['a bad region list', { regions: [{ name: 1, values: { auth: secretFields } }], auth: secretFields }],
  ];

  it.each(cases)('with %s', (_, cloud) => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', { clouds: { c: cloud } });
    const error = thrownBy(() => loadCloud(ws.options()));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain(SECRET);
  });

  it('with secrets from the environment', () => {
    const ws = createWorkspace();
    const error = thrownBy(() =>
      loadCloud(ws.options({ OS_AUTH_URL: 'not a url', OS_PASSWORD: SECRET, OS_TOKEN: SECRET, OS_USER_ID: 'u' })),
    );
    expect(error.message).toContain('auth.auth_url');
    expect(error.message).not.toContain(SECRET);
  });
});
