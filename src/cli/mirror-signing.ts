import type { Redactor } from '../net/redact.js';
import { s3Presign, swiftTempUrl, type UrlSigner } from '../sources/signed-url.js';
import { UsageError } from './exit.js';
import type { MirrorSigning } from './options.js';

/**
 * The signer --mirror-signing asks for, its key or credentials read from the environment (never from a
 * definition) and made known to the redactor; a missing one is a usage error (exit 2).
 */
export function mirrorSignerOf(
  signing: MirrorSigning | undefined,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
): UrlSigner | undefined {
  if (signing === undefined) return undefined;
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new UsageError(`--mirror-signing ${signing} needs ${name} in the environment`);
    redactor.add(value);
    return value;
  };
  if (signing === 'swift-tempurl') return swiftTempUrl(need('IMAGE_MANAGER_TEMPURL_KEY'));
  const sessionToken = env.AWS_SESSION_TOKEN;
  redactor.add(sessionToken);
  return s3Presign({
    accessKeyId: need('AWS_ACCESS_KEY_ID'),
    secretAccessKey: need('AWS_SECRET_ACCESS_KEY'),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(sessionToken ? { sessionToken } : {}),
  });
}
