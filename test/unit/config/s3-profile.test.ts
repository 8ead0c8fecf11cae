import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { loadS3Profile, parseAwsIni } from '../../../src/config/s3-profile.js';

const SECRET = 'file-secret-key-0123456789';

function home(files: { credentials?: string; config?: string }, mode = 0o600): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'im-aws-'));
  mkdirSync(path.join(dir, '.aws'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, '.aws', name);
    writeFileSync(file, text);
    chmodSync(file, mode);
  }
  return dir;
}

const CREDENTIALS = `# keys for the mirror
[default]
aws_access_key_id = DEFAULTID
aws_secret_access_key = default-secret

[rgw.prod]
aws_access_key_id = RGWID
aws_secret_access_key = ${SECRET}
aws_session_token = tok=en
`;

describe('S3 keys as the AWS CLI finds them', () => {
  it('takes both environment keys first, with region and endpoint from the environment', () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'ENVID',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_REGION: 'RegionOne',
      AWS_ENDPOINT_URL_S3: 'http://s3.local',
    };
    const profile = loadS3Profile({ env, homeDir: home({ credentials: CREDENTIALS }) });
    expect(profile).toMatchObject({
      accessKeyId: 'ENVID',
      secretAccessKey: 'env-secret',
      region: 'RegionOne',
      endpoint: 'http://s3.local',
      origin: 'the environment',
    });
  });

  it('reads a named profile (dots in its name) from the credentials file, and its region and endpoint from config', () => {
    const config =
      '[profile rgw.prod]\nregion = RegionOne\nendpoint_url = https://rgw.example\ns3 =\n  addressing_style = path\n';
    const dir = home({ credentials: CREDENTIALS, config });
    const profile = loadS3Profile({
      env: { AWS_ACCESS_KEY_ID: 'ignored', AWS_SECRET_ACCESS_KEY: 'x' },
      homeDir: dir,
      profile: 'rgw.prod',
    });
    expect(profile).toMatchObject({
      accessKeyId: 'RGWID',
      secretAccessKey: SECRET,
      sessionToken: 'tok=en',
      region: 'RegionOne',
      endpoint: 'https://rgw.example',
      origin: `${path.join(dir, '.aws', 'credentials')} [rgw.prod]`,
      warnings: [],
    });
  });

  it('falls back to AWS_PROFILE, then default, when the environment holds only one key', () => {
    const dir = home({ credentials: CREDENTIALS });
    expect(loadS3Profile({ env: { AWS_ACCESS_KEY_ID: 'ONLY' }, homeDir: dir }).accessKeyId).toBe('DEFAULTID');
    expect(loadS3Profile({ env: { AWS_PROFILE: 'rgw.prod' }, homeDir: dir }).accessKeyId).toBe('RGWID');
  });

  it('follows AWS_SHARED_CREDENTIALS_FILE', () => {
    const dir = home({});
    const file = path.join(dir, 'keys.ini');
    writeFileSync(file, CREDENTIALS, { mode: 0o600 });
    const profile = loadS3Profile({ env: { AWS_SHARED_CREDENTIALS_FILE: file }, homeDir: '/nonexistent' });
    expect(profile.origin).toBe(`${file} [default]`);
  });

  it('names the file and profile when the profile or a key is missing, never a value', () => {
    const dir = home({ credentials: CREDENTIALS.replace(`aws_secret_access_key = ${SECRET}\n`, '') });
    const file = path.join(dir, '.aws', 'credentials');
    expect(() => loadS3Profile({ env: {}, homeDir: dir, profile: 'nope' })).toThrow(
      new ConfigError(`S3 credentials: ${file} has no profile [nope]`),
    );
    expect(() => loadS3Profile({ env: {}, homeDir: dir, profile: 'rgw.prod' })).toThrow(
      `${file} [rgw.prod] has no aws_secret_access_key`,
    );
    expect(() => loadS3Profile({ env: {}, homeDir: home({}) })).toThrow(
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set',
    );
  });

  it('refuses a line that is no INI without quoting it, naming file and line', () => {
    const text = `[default]\naws_access_key_id = A\n${SECRET}\n`;
    let message = '';
    try {
      parseAwsIni(text, '/x/credentials');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('/x/credentials, line 3: neither [section] nor key = value under a section');
  });

  it('warns when others can read the credentials file', () => {
    const dir = home({ credentials: CREDENTIALS }, 0o644);
    const { warnings } = loadS3Profile({ env: {}, homeDir: dir });
    expect(warnings).toEqual([
      `${path.join(dir, '.aws', 'credentials')} can be read by others (mode 644); chmod 600 it`,
    ]);
  });
});
