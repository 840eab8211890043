import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CapstanError, invalidParameter } from '../../../core/errors.js';
import { parseScopes, type Scope } from '../permissions.js';
import type { SecurityStores } from '../security-stores.js';
import { publicToken } from '../stores/token-store.js';
import { noteAudit } from './request-context.js';
import { optionalBoolean, optionalString, registerSecurityRoute, requireString, type Fields } from './security-route.js';

export function registerTokenRoutes(app: FastifyInstance, { users, tokens }: SecurityStores): void {
  registerSecurityRoute(app, 'createToken', { kind: 'authenticated', scope: 'write' }, async (fields, request) => {
    const p = request.principal;
    const owner = optionalString(fields, 'user') ?? p.username;
    if (owner !== p.username && !p.isAdmin) throw new CapstanError('PERMISSION_DENIED', 'Only administrators create tokens for other users');
    const scopes = parseScopes(fields.scopes);
    assertMayGrant(request, scopes);
    const user = await users.require(owner);
    if (scopes.includes('admin') && !user.isAdmin) throw invalidParameter(`${owner} is not an administrator; an admin-scoped token would be useless`);
    const name = requireString(fields, 'name');
    const created = await tokens.create({ userId: user.userId, name, scopes, expiresAt: expiresAt(fields), deployments: deployments(fields) });
    noteAudit(request, { target: `token:${created.record.tokenId}`, after: { user: owner, name, scopes, expires_at: created.record.expiresAt, deployments: created.record.deployments } });
    return { token: created.token, token_info: publicToken(created.record) };
  });

  registerSecurityRoute(app, 'listTokens', { kind: 'authenticated', scope: 'read' }, async (fields, request) => {
    const p = request.principal;
    const all = optionalBoolean(fields, 'all') ?? false;
    const user = optionalString(fields, 'user');
    if ((all || (user !== undefined && user !== p.username)) && !p.isAdmin) {
      throw new CapstanError('PERMISSION_DENIED', "Only administrators list other users' tokens");
    }
    if (p.userId === null && !all && user === undefined) return { tokens: [] };
    const userId = all ? undefined : user !== undefined ? (await users.require(user)).userId : (p.userId ?? undefined);
    return { tokens: (await tokens.list(userId)).map(publicToken) };
  });

  registerSecurityRoute(app, 'revokeToken', { kind: 'authenticated', scope: 'write' }, async (fields, request) => {
    const tokenId = requireString(fields, 'token_id');
    noteAudit(request, { target: `token:${tokenId}` });
    const token = await tokens.require(tokenId);
    if (token.userId !== request.principal.userId && !request.principal.isAdmin) {
      throw new CapstanError('PERMISSION_DENIED', 'Only the owner or an administrator may revoke this token');
    }
    const revoked = await tokens.revoke(tokenId);
    noteAudit(request, { before: { revoked_at: token.revokedAt }, after: { revoked_at: revoked.revokedAt } });
    return { token_info: publicToken(revoked) };
  });
}

/**
 * A credential cannot mint a stronger one: a read-only token cannot create a write token. People
 * signed in with a password or an identity-provider token may also mint `infer` tokens.
 */
function assertMayGrant(request: FastifyRequest, scopes: Scope[]): void {
  const p = request.principal;
  for (const scope of scopes) {
    const held = p.scopes.includes(scope) || (scope === 'read' && p.scopes.includes('write')) || (scope === 'infer' && p.authMethod !== 'token');
    if (!held) throw new CapstanError('PERMISSION_DENIED', `This credential cannot create a token with the '${scope}' scope`);
  }
  if (scopes.includes('admin') && !p.isAdmin) throw new CapstanError('PERMISSION_DENIED', 'Only administrators create admin-scoped tokens');
}

function expiresAt(fields: Fields): number | null {
  const value = fields.expires_at;
  if (value === undefined || value === null) return null;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalidParameter('expires_at must be epoch milliseconds');
  return n;
}

function deployments(fields: Fields): string[] | null {
  const value = fields.deployments;
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => typeof d === 'string' && d !== '')) {
    throw invalidParameter('deployments must be a non-empty list of deployment names');
  }
  return value as string[];
}
