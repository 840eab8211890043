import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { invalidParameter } from '../../../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { noteAudit } from './request-context.js';
import { optionalString, registerSecurityRoute, type Fields } from './security-route.js';

type AuditFilter = NonNullable<Parameters<AuditLog['query']>[0]>;

const OUTCOMES = ['success', 'failure', 'denied'];

function filterFrom(fields: Fields): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of ['actor', 'action', 'target', 'workspace'] as const) {
    const value = optionalString(fields, key);
    if (value !== undefined && value !== '') filter[key] = value;
  }
  const outcome = optionalString(fields, 'outcome');
  if (outcome !== undefined) {
    if (!OUTCOMES.includes(outcome)) throw invalidParameter(`outcome must be one of ${OUTCOMES.join(', ')}`);
    filter.outcome = outcome;
  }
  const since = optionalTime(fields, 'since');
  const until = optionalTime(fields, 'until');
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  return filter;
}

/** Epoch milliseconds or an ISO-8601 time. */
function optionalTime(fields: Fields, name: string): number | undefined {
  const value = optionalString(fields, name);
  if (value === undefined || value === '') return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw invalidParameter(`${name} must be epoch milliseconds or an ISO-8601 time`);
  return n;
}

/** Reading the audit trail is itself recorded: who looked at what is a security fact. */
export function registerAuditRoutes(app: FastifyInstance, audit: AuditLog): void {
  registerSecurityRoute(app, 'queryAudit', { kind: 'admin' }, async (fields, request) => {
    noteAudit(request, { force: true });
    // Entries of requests answered a moment ago may still sit in the write batch.
    await audit.flush();
    const filter = filterFrom(fields);
    const maxResults = optionalString(fields, 'max_results');
    if (maxResults !== undefined) {
      const n = Number(maxResults);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalidParameter('max_results must be an integer between 1 and 1000');
      filter.limit = n;
    }
    const order = optionalString(fields, 'order');
    if (order !== undefined) {
      if (order !== 'asc' && order !== 'desc') throw invalidParameter("order must be 'asc' or 'desc'");
      filter.order = order;
    }
    const pageToken = optionalString(fields, 'page_token');
    const page = await audit.query({ ...filter, ...(pageToken ? { pageToken } : {}) });
    return { events: page.events, ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });

  registerSecurityRoute(app, 'exportAudit', { kind: 'admin' }, async (fields, request, reply) => {
    noteAudit(request, { force: true });
    const filter = filterFrom(fields);
    await audit.flush();
    // Streamed page by page: an export of millions of entries never sits in memory.
    const body = new PassThrough();
    audit
      .exportJsonLines(filter, async (line) => {
        if (!body.write(`${line}\n`)) await once(body, 'drain');
      })
      .then(
        () => body.end(),
        (err: unknown) => body.destroy(err as Error),
      );
    return reply.type('application/x-ndjson').send(body);
  });

  registerSecurityRoute(app, 'verifyAudit', { kind: 'admin' }, async (_fields, request) => {
    noteAudit(request, { force: true });
    await audit.flush();
    return audit.verify();
  });
}
