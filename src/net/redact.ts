const MASK = '***';

// Keys whose values are secrets wherever they appear in a JSON body or a log object.
const SECRET_KEY =
  /^(password|secret|token|application_credential_secret|x-auth-token|x-subject-token|authorization|auth_token)$/i;

/**
 * Removes secrets from text and objects before they reach a log line, an error message or the output.
 * Knows the exact secret values (registered when they are read or received) and the keys that hold them.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would mask innocent text; no real password or token is this short.
    if (!secret || secret.length < 4) return;
    this.secrets.add(secret);
    // As it appears in a URL: percent-encoded (path, encodeURIComponent) or form-encoded (URLSearchParams).
    this.secrets.add(encodeURIComponent(secret));
    this.secrets.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }

  /**
   * The text with every known secret, the user part of every URL in it (`https://user:***@host`) and the
   * signature of every signed URL (`?temp_url_sig=***`) masked.
   */
  text(input: string): string {
    let out = input;
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    return maskSignatures(maskUserinfo(out));
  }

  /** A deep copy with secret keys masked and known secret values removed from strings. */
  value<T>(input: T): T {
    return this.walk(input, 0) as T;
  }

  private walk(input: unknown, depth: number): unknown {
    if (typeof input === 'string') return this.text(input);
    if (depth > 20 || input === null || typeof input !== 'object') return input;
    if (Array.isArray(input)) return input.map((item) => this.walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(input)) {
      out[key] = SECRET_KEY.test(key) && val !== undefined && val !== null ? MASK : this.walk(val, depth + 1);
    }
    return out;
  }
}

/**
 * A URL in text, up to the last `@` of its authority: the scheme (any case) and the user part. Quotes,
 * brackets and backslashes end it, so that a URL inside JSON or HTML text cannot swallow what follows.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>\\]*)@/gi;

/**
 * Masks the user part of every URL in the text: a password (`https://user:***@host/`), or the whole user
 * part when it has no password, since a lone user part is often a token (`https://***@host/`).
 */
export function maskUserinfo(text: string): string {
  return text.replace(USERINFO, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK}@`;
  });
}

/**
 * The query parameters of a signed URL that let anyone read the object: Swift TempURL's signature, S3's
 * presigned signature and session token. Their value ends where the URL or the parameter does.
 */
const SIGNATURE = /([?&](?:temp_url_sig|x-amz-signature|x-amz-security-token)=)[^&\s"'<>#\\]*/gi;

/** Masks the signature of every signed URL in the text: `?temp_url_sig=***&temp_url_expires=…`. */
export function maskSignatures(text: string): string {
  return text.replace(SIGNATURE, `$1${MASK}`);
}

/** Whether the text holds a URL with a user part (`https://user:password@host/`, or a token as the user). */
export function hasUserinfo(text: string): boolean {
  return maskUserinfo(text) !== text;
}
