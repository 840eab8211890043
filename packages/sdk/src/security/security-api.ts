import {
  CAPSTAN_API_PREFIX,
  SECURITY_ROUTES,
  type AuditEvent,
  type AuditQuery,
  type SecurityApi,
  type SecurityRouteName,
} from '@capstan/contracts';
import { encodeQuery, fillPath } from '../http/query.js';
import { readJson, type Transport } from '../http/transport.js';
import { paginate } from '../paging.js';
import { readLines } from './lines.js';

/**
 * An audit query as this client takes it: the contract's, except that `since` and `until` may
 * also be ISO-8601 strings, which the server parses as it does epoch milliseconds.
 */
export type AuditEventQuery = Omit<AuditQuery, 'since' | 'until'> & { since?: number | string; until?: number | string };
/** The filters of an export; it always runs oldest first over every match, so paging fields do not apply. */
export type AuditExportQuery = Omit<AuditEventQuery, 'max_results' | 'page_token' | 'order'>;

/** Request body (or query) of a security route. */
export type SecurityRequest<K extends SecurityRouteName> = K extends 'queryAudit' ? AuditEventQuery : K extends 'exportAudit' ? AuditExportQuery : SecurityApi[K][0];
/** Response of a security route. */
export type SecurityResponse<K extends SecurityRouteName> = SecurityApi[K][1];
/** Routes answering JSON; `exportAudit` answers JSON lines and has its own methods. */
export type SecurityJsonRouteName = Exclude<SecurityRouteName, 'exportAudit'>;

/**
 * Capstan's security API (`/api/capstan/v1`): users, groups, API tokens, workspaces, grants and
 * the audit trail, one typed method per route. GET routes send their fields in the query string,
 * the others as a JSON body; `{name}` path segments are filled from the field of that name.
 */
export class SecurityClient {
  constructor(private readonly transport: Transport) {}

  /** Sends any JSON security route by name; the named methods below are shorthands for it. */
  call<K extends SecurityJsonRouteName>(name: K, request: SecurityRequest<K>): Promise<SecurityResponse<K>> {
    const { method, path: template } = SECURITY_ROUTES[name];
    const { path, rest } = fillPath(template, request);
    const inQuery = method === 'GET';
    const url = withQuery(`${CAPSTAN_API_PREFIX}${path}`, inQuery ? rest : {});
    return this.transport.send({
      method,
      path: url,
      // A repeated POST creates twice (or fails with ALREADY_EXISTS after succeeding); PUT and DELETE set a final state.
      idempotent: method !== 'POST' && method !== 'PATCH',
      ...(inQuery ? {} : { body: () => ({ data: JSON.stringify(rest), contentType: 'application/json' }) }),
      read: (response) => readJson<SecurityResponse<K>>(response, `${method} ${url}`),
    });
  }

  /** Who the server takes this client's credentials for. */
  whoami() { return this.call('whoami', {}); }
  /** Changes the signed-in user's own password. */
  changePassword(req: SecurityRequest<'changePassword'>) { return this.call('changePassword', req); }

  // Users (administrators)
  createUser(req: SecurityRequest<'createUser'>) { return this.call('createUser', req); }
  listUsers() { return this.call('listUsers', {}); }
  getUser(req: SecurityRequest<'getUser'>) { return this.call('getUser', req); }
  updateUser(req: SecurityRequest<'updateUser'>) { return this.call('updateUser', req); }
  deleteUser(req: SecurityRequest<'deleteUser'>) { return this.call('deleteUser', req); }

  // Groups (administrators)
  createGroup(req: SecurityRequest<'createGroup'>) { return this.call('createGroup', req); }
  listGroups() { return this.call('listGroups', {}); }
  getGroup(req: SecurityRequest<'getGroup'>) { return this.call('getGroup', req); }
  deleteGroup(req: SecurityRequest<'deleteGroup'>) { return this.call('deleteGroup', req); }
  addGroupMember(req: SecurityRequest<'addGroupMember'>) { return this.call('addGroupMember', req); }
  removeGroupMember(req: SecurityRequest<'removeGroupMember'>) { return this.call('removeGroupMember', req); }

  // API tokens
  /** The response carries the secret; the server keeps only a hash, so it cannot be shown again. */
  createToken(req: SecurityRequest<'createToken'>) { return this.call('createToken', req); }
  listTokens(req: SecurityRequest<'listTokens'> = {}) { return this.call('listTokens', req); }
  revokeToken(req: SecurityRequest<'revokeToken'>) { return this.call('revokeToken', req); }

  // Workspaces
  createWorkspace(req: SecurityRequest<'createWorkspace'>) { return this.call('createWorkspace', req); }
  listWorkspaces() { return this.call('listWorkspaces', {}); }
  listWorkspaceMembers(req: SecurityRequest<'listWorkspaceMembers'>) { return this.call('listWorkspaceMembers', req); }
  setWorkspaceMember(req: SecurityRequest<'setWorkspaceMember'>) { return this.call('setWorkspaceMember', req); }
  removeWorkspaceMember(req: SecurityRequest<'removeWorkspaceMember'>) { return this.call('removeWorkspaceMember', req); }

  // Per-object grants
  setGrant(req: SecurityRequest<'setGrant'>) { return this.call('setGrant', req); }
  deleteGrant(req: SecurityRequest<'deleteGrant'>) { return this.call('deleteGrant', req); }
  listGrants(req: SecurityRequest<'listGrants'>) { return this.call('listGrants', req); }

  // Audit trail (administrators)
  /** One page, newest first unless `order: 'asc'`; follow `next_page_token`, or use `auditEvents`. */
  queryAudit(req: SecurityRequest<'queryAudit'> = {}) { return this.call('queryAudit', req); }
  /** Checks the hash chain of the whole trail. */
  verifyAudit() { return this.call('verifyAudit', {}); }

  /** Every matching audit event, page after page. */
  auditEvents(query: Omit<AuditEventQuery, 'page_token'> = {}): AsyncGenerator<AuditEvent, void, undefined> {
    return paginate(
      (pageToken) => this.queryAudit({ ...query, ...(pageToken ? { page_token: pageToken } : {}) }),
      (page) => page.events,
    );
  }

  /** The export as the server wrote it: JSON lines, one event per line, oldest first. Held in memory. */
  exportAudit(query: AuditExportQuery = {}): Promise<string> {
    const url = withQuery(`${CAPSTAN_API_PREFIX}${SECURITY_ROUTES.exportAudit.path}`, query);
    return this.transport.send({
      method: 'GET',
      path: url,
      idempotent: true,
      // The server streams the export for as long as the trail is; a per-request limit would cut a large one off.
      timeoutMs: 0,
      read: (response) => response.text(),
    });
  }

  /** The export's lines, verbatim and unparsed, as they arrive; stopping early ends the download. */
  async *exportAuditLines(query: AuditExportQuery = {}): AsyncGenerator<string, void, undefined> {
    const url = withQuery(`${CAPSTAN_API_PREFIX}${SECURITY_ROUTES.exportAudit.path}`, query);
    const body = await this.transport.send({
      method: 'GET',
      path: url,
      idempotent: true,
      timeoutMs: 0,
      // Read after `send` returns, so lines reach the caller without the whole export in memory.
      read: async (response) => response.body,
    });
    if (body) yield* readLines(body, `GET ${url}`);
  }

  /** The export's events, parsed, as they arrive. */
  async *exportAuditEvents(query: AuditExportQuery = {}): AsyncGenerator<AuditEvent, void, undefined> {
    for await (const line of this.exportAuditLines(query)) yield JSON.parse(line) as AuditEvent;
  }
}

function withQuery(path: string, fields: object): string {
  const query = encodeQuery(fields);
  return query ? `${path}?${query}` : path;
}
