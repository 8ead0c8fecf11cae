/** The service answered with an error status. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    /** The service's own message, cleaned of HTML; may be empty. */
    readonly serviceMessage: string,
    readonly requestId?: string,
  ) {
    super(`${method} ${url} failed: ${status}${serviceMessage ? ` ${serviceMessage}` : ''}`);
  }
}

/** An HttpError with one of these statuses. */
export function isHttpStatus(error: unknown, ...statuses: number[]): error is HttpError {
  return error instanceof HttpError && statuses.includes(error.status);
}

/** No answer: the connection failed, was reset, or the request timed out. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly reason: string,
    /** true when the request never reached the server, so repeating it cannot do anything twice. */
    readonly notSent: boolean,
    readonly timedOut = false,
  ) {
    super(`${method} ${url} failed: ${reason}`);
  }
}

/**
 * Whether a failed request may have taken effect all the same: no answer after it was sent (a reset, a
 * timeout), or a gateway's 502/503/504 (the service behind it may have acted before the gateway gave up).
 * A request that is not safe to repeat (the create POST, the import POST) must be checked before it is sent
 * again; an answer such as 409 or 400 proves the service did not act.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof ConnectionError) return !error.notSent;
  return isHttpStatus(error, 502, 503, 504);
}

/**
 * A request's last error, saying how long it was tried: it failed on every attempt within its retry budget
 * (`budgetMs`), or its next pause would have ended past it.
 */
export function retriesSpent<E extends HttpError | ConnectionError>(
  error: E,
  attempts: number,
  elapsedMs: number,
  budgetMs: number,
): E {
  const tried = attempts === 1 ? 'tried once' : `tried ${attempts} times`;
  error.message += `; ${tried} over ${seconds(elapsedMs)} s, its retry budget is ${seconds(budgetMs)} s`;
  return error;
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Authentication or endpoint discovery failed in a way the operator must fix (credentials, catalog). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
}

/**
 * Turns an error body (JSON from Keystone or Glance, or Glance's HTML pages) into one readable line.
 * `scrub` (the redactor) runs on the raw and the decoded text, before whitespace is collapsed and the line
 * clipped, so that neither can leave a partial secret behind.
 */
export function serviceMessageOf(
  body: string,
  contentType: string | null,
  scrub: (text: string) => string = (t) => t,
): string {
  const text = scrub(body.trim());
  if (!text) return '';
  if (contentType?.includes('json') || text.startsWith('{')) {
    try {
      const message = messageInJson(JSON.parse(text));
      if (message) return clip(collapse(scrub(message)));
    } catch {
      // not JSON after all: clean it as text
    }
  }
  return clip(collapse(scrub(stripHtml(text))));
}

function messageInJson(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (!data || typeof data !== 'object') return undefined;
  const obj = data as Record<string, unknown>;
  for (const key of ['message', 'detail', 'title', 'description']) {
    if (typeof obj[key] === 'string') return stripHtml(obj[key] as string);
  }
  // Keystone: {"error": {...}}; some Glance errors nest one level under a name.
  for (const value of Object.values(obj)) {
    const nested = messageInJson(value);
    if (nested) return nested;
  }
  return undefined;
}

function stripHtml(text: string): string {
  if (!/<[a-z!/]/i.test(text)) return text;
  // Glance's webob pages repeat the status in <title> and <h1>; the body after them is the message.
  const withoutTitle = text.replace(/<title>[\s\S]*?<\/title>/gi, ' ').replace(/<h1>[\s\S]*?<\/h1>/gi, ' ');
  return decodeEntities(withoutTitle.replace(/<[^>]*>/g, ' '));
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
