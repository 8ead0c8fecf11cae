import type { Redactor } from '../net/redact.js';
import { s3Presign, swiftTempUrl, type UrlSigner } from '../sources/signed-url.js';
import { UsageError } from './exit.js';
import { s3KeysOf } from './s3-keys.js';
import type { MirrorSigning } from './options.js';

/**
 * The signer --mirror-signing asks for, its key read from the environment, its S3 keys as `mirror` finds them
 * (config/s3-profile.ts), never from a definition, and made known to the redactor; a missing one is a usage or
 * configuration error (exit 2).
 */
export function mirrorSignerOf(
  signing: MirrorSigning | undefined,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  s3Profile?: string,
): UrlSigner | undefined {
  if (signing === undefined) return undefined;
  if (signing === 'swift-tempurl') {
    const key = env.IMAGE_MANAGER_TEMPURL_KEY;
    if (!key) throw new UsageError(`--mirror-signing ${signing} needs IMAGE_MANAGER_TEMPURL_KEY in the environment`);
    redactor.add(key);
    return swiftTempUrl(key);
  }
  const keys = s3KeysOf(env, redactor, s3Profile);
  const { accessKeyId, secretAccessKey, sessionToken } = keys;
  return s3Presign({
    accessKeyId,
    secretAccessKey,
    region: keys.region ?? 'us-east-1',
    ...(sessionToken ? { sessionToken } : {}),
  });
}
