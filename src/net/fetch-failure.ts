/**
 * Why a fetch failed. undici rejects with "fetch failed" and puts the system error (ECONNREFUSED, a TLS
 * error…) in `cause`: its code, if any, and the most specific message.
 */
export function fetchFailure(error: unknown): { code?: string; message: string } {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const own = error instanceof Error ? error.message : String(error);
  const message = typeof cause?.message === 'string' ? cause.message : own;
  return typeof cause?.code === 'string' ? { code: cause.code, message } : { message };
}
