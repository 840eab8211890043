import { CapstanApiError, CapstanNetworkError } from '@capstan/sdk';

/** A mistake in the command line that commander's own checks cannot express. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The one line printed for a failed command: `error: <CODE>: <message>`. */
export function describeError(err: unknown): string {
  if (err instanceof CapstanApiError) return `error: ${err.code}: ${err.message}`;
  if (err instanceof CapstanNetworkError) return `error: NETWORK_ERROR: ${err.message}`;
  if (err instanceof UsageError) return `error: INVALID_ARGUMENT: ${err.message}`;
  // The server's CapstanError and Node's system errors (EADDRINUSE...) carry their own code.
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return `error: ${typeof code === 'string' ? code : 'INTERNAL_ERROR'}: ${message}`;
}
