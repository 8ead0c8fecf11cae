import os from 'node:os';
import { envValue } from '../config/environment.js';
import { loadS3Profile, type S3Profile } from '../config/s3-profile.js';
import type { Redactor } from '../net/redact.js';

/**
 * The S3 keys of `mirror --s3-bucket` and `--mirror-signing s3-presign`: from the environment or the AWS files'
 * profile (config/s3-profile.ts), the secret and token made known to the redactor before anything can log them.
 */
export function s3KeysOf(env: NodeJS.ProcessEnv, redactor: Redactor, profile: string | undefined): S3Profile {
  const keys = loadS3Profile({
    env,
    homeDir: envValue(env, 'HOME') ?? os.homedir(),
    ...(profile !== undefined && { profile }),
  });
  redactor.add(keys.secretAccessKey);
  redactor.add(keys.sessionToken);
  return keys;
}
