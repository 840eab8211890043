import type { Principal } from '../principal.js';

/** What a handler may add to its audit entry: the object it changed and a summary of the change. */
export interface AuditNote {
  target?: string;
  workspace?: string;
  before?: unknown;
  after?: unknown;
  /** Extra facts (never secrets), e.g. why authentication failed. */
  details?: Record<string, unknown>;
  /** Record the request even though it does not change state (a read that is itself a security event). */
  force?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by the authentication hook before any handler runs. */
    principal: Principal;
    auditNote: AuditNote | null;
  }
}

export function noteAudit(request: { auditNote: AuditNote | null }, note: AuditNote): void {
  request.auditNote = { ...request.auditNote, ...note };
}
