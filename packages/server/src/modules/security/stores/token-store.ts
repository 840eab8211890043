import { invalidParameter, notFound } from '../../../core/errors.js';
import type { ApiTokensTable, UsersTable } from '../tables.js';
import { generateToken, hashToken } from '../authentication/api-tokens.js';
import type { Scope } from '../permissions.js';
import type { SecurityContext } from '../security-context.js';

export interface TokenRecord {
  tokenId: string;
  userId: number;
  username: string;
  name: string;
  scopes: Scope[];
  deployments: string[] | null;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  /** The owner's standing, read with the token so a request needs one query, not two. */
  ownerIsAdmin: boolean;
  ownerDisabled: boolean;
  /** The owner's stored group memberships. */
  ownerGroupIds: number[];
}

/** last_used_at is a hint for humans; writing it more often than this would turn every read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class TokenStore {
  constructor(private readonly ctx: SecurityContext) {}

  async create(input: { userId: number; name: string; scopes: Scope[]; expiresAt?: number | null; deployments?: string[] | null }): Promise<{ token: string; record: TokenRecord }> {
    if (!input.name || input.name.length > 256) throw invalidParameter('Token name must be 1-256 characters');
    if (input.expiresAt != null && input.expiresAt <= this.ctx.now()) throw invalidParameter('expires_at must be in the future');
    const { token, tokenId, hash } = generateToken();
    await this.ctx.db
      .insertInto('api_tokens')
      .values({
        token_id: tokenId,
        user_id: input.userId,
        name: input.name,
        token_hash: hash,
        scopes: input.scopes.join(' '),
        deployments: input.deployments ? JSON.stringify(input.deployments) : null,
        created_at: this.ctx.now(),
        expires_at: input.expiresAt ?? null,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return { token, record: await this.require(tokenId) };
  }

  /**
   * The token behind a presented secret, if it exists (whether or not it is still valid), with its
   * owner's groups: one round trip per request, which matters on a networked database.
   */
  async findBySecret(secret: string): Promise<TokenRecord | undefined> {
    const rows = await this.base()
      .leftJoin('group_members', 'group_members.user_id', 'api_tokens.user_id')
      .select('group_members.group_id')
      .where('api_tokens.token_hash', '=', hashToken(secret))
      .execute();
    const first = rows[0];
    if (!first) return undefined;
    return { ...toRecord(first), ownerGroupIds: rows.flatMap((r) => (r.group_id === null ? [] : [Number(r.group_id)])) };
  }

  async require(tokenId: string): Promise<TokenRecord> {
    const row = await this.base().where('api_tokens.token_id', '=', tokenId).executeTakeFirst();
    if (!row) throw notFound(`Token ${tokenId} does not exist`);
    return toRecord(row);
  }

  async list(userId?: number): Promise<TokenRecord[]> {
    let query = this.base();
    if (userId !== undefined) query = query.where('api_tokens.user_id', '=', userId);
    return (await query.orderBy('api_tokens.created_at', 'desc').orderBy('api_tokens.token_id').execute()).map(toRecord);
  }

  /** Revocation is a timestamp, checked on every request: it takes effect on the next call. */
  async revoke(tokenId: string): Promise<TokenRecord> {
    const existing = await this.require(tokenId);
    if (existing.revokedAt === null) {
      await this.ctx.db.updateTable('api_tokens').set({ revoked_at: this.ctx.now() }).where('token_id', '=', tokenId).execute();
    }
    return this.require(tokenId);
  }

  async touch(token: TokenRecord): Promise<void> {
    const now = this.ctx.now();
    if (token.lastUsedAt !== null && now - token.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    await this.ctx.db.updateTable('api_tokens').set({ last_used_at: now }).where('token_id', '=', token.tokenId).execute();
  }

  private base() {
    return this.ctx.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.user_id', 'api_tokens.user_id')
      .select([
        'api_tokens.token_id',
        'api_tokens.user_id',
        'users.username',
        'api_tokens.name',
        'api_tokens.scopes',
        'api_tokens.deployments',
        'api_tokens.created_at',
        'api_tokens.expires_at',
        'api_tokens.last_used_at',
        'api_tokens.revoked_at',
        'users.is_admin',
        'users.disabled',
      ]);
  }
}

/** A token row joined with its owner's name and standing. */
type TokenRow = Omit<ApiTokensTable, 'token_hash'> & Pick<UsersTable, 'username' | 'is_admin' | 'disabled'>;

function toRecord(row: TokenRow): TokenRecord {
  return {
    tokenId: row.token_id,
    userId: Number(row.user_id),
    username: row.username,
    name: row.name,
    scopes: row.scopes.split(' ').filter(Boolean) as Scope[],
    deployments: row.deployments === null ? null : (JSON.parse(row.deployments) as string[]),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    ownerIsAdmin: row.is_admin === 1,
    ownerDisabled: row.disabled === 1,
    ownerGroupIds: [],
  };
}

/** A token as the API lists it: everything but the secret, which only its creation response ever shows. */
export function publicToken(t: TokenRecord) {
  return {
    token_id: t.tokenId,
    user: t.username,
    name: t.name,
    scopes: t.scopes,
    deployments: t.deployments,
    created_at: t.createdAt,
    expires_at: t.expiresAt,
    last_used_at: t.lastUsedAt,
    revoked_at: t.revokedAt,
  };
}
