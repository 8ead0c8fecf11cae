/**
 * Why a fetch failed: its system error code (ECONNREFUSED, a TLS error…), if any, and the most specific
 * message. undici's fetch rejects with "fetch failed" and puts the system error in `cause`; `undici.request`
 * throws it (or its own error with a code) as it is.
 */
export function fetchFailure(error: unknown): { code?: string; message: string } {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const own = error instanceof Error ? error.message : String(error);
  const message = typeof cause?.message === 'string' ? cause.message : own;
  const ownCode = (error as { code?: unknown } | null)?.code;
  const code = typeof cause?.code === 'string' ? cause.code : typeof ownCode === 'string' ? ownCode : undefined;
  return code === undefined ? { message } : { code, message };
}
