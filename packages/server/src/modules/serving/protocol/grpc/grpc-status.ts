/**
 * Renders any failure as a gRPC status. Errors are read structurally (`status`, and
 * `retryAfterSeconds` for ServingError's 429/503), so ServingError, OipBadRequest and whatever an
 * `authorize` hook throws (401/403) all map without this file importing their types.
 */
import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

const CODE_OF_STATUS: ReadonlyMap<number, GrpcStatus> = new Map([
  [400, GrpcStatus.INVALID_ARGUMENT],
  [401, GrpcStatus.UNAUTHENTICATED],
  [403, GrpcStatus.PERMISSION_DENIED],
  [404, GrpcStatus.NOT_FOUND],
  [429, GrpcStatus.RESOURCE_EXHAUSTED],
  [503, GrpcStatus.UNAVAILABLE],
  [504, GrpcStatus.DEADLINE_EXCEEDED],
]);

function numberField(error: unknown, key: string): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/** The status a handler answers with; anything without a known `status` is INTERNAL. */
export function toServiceError(error: unknown): Partial<ServiceError> {
  const status = numberField(error, 'status');
  const code = (status === undefined ? undefined : CODE_OF_STATUS.get(status)) ?? GrpcStatus.INTERNAL;
  const details = error instanceof Error ? error.message : String(error);
  const retryAfter = numberField(error, 'retryAfterSeconds');
  if (retryAfter === undefined) return { code, details };
  // The HTTP surfaces send Retry-After; gRPC clients find the same hint in the trailers.
  const metadata = new Metadata();
  metadata.set('retry-after', String(retryAfter));
  return { code, details, metadata };
}
