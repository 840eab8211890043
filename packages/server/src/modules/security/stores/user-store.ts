import type { Selectable } from 'kysely';
import { alreadyExists, invalidParameter, notFound } from '../../../core/errors.js';
import type { UsersTable } from '../tables.js';
import { hashPassword, validateNewPassword } from '../authentication/passwords.js';
import { isUniqueViolation, type SecurityContext } from '../security-context.js';

export interface UserRecord {
  userId: number;
  username: string;
  passwordHash: string | null;
  isAdmin: boolean;
  source: 'local' | 'jwt';
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

export function validateUsername(value: unknown): string {
  if (typeof value !== 'string' || !USERNAME.test(value)) {
    throw invalidParameter('username must be 1-128 characters: letters, digits and . _ @ + - (starting with a letter or digit)');
  }
  if (value === 'anonymous') throw invalidParameter('"anonymous" is reserved');
  return value;
}

export class UserStore {
  constructor(private readonly ctx: SecurityContext) {}

  async create(input: { username: string; password?: string; isAdmin?: boolean; source?: 'local' | 'jwt' }): Promise<UserRecord> {
    const username = validateUsername(input.username);
    const passwordHash = input.password === undefined ? null : await hashPassword(validateNewPassword(input.password));
    const now = this.ctx.now();
    try {
      await this.ctx.db
        .insertInto('users')
        .values({ username, password_hash: passwordHash, is_admin: input.isAdmin ? 1 : 0, source: input.source ?? 'local', disabled: 0, created_at: now, updated_at: now })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`User ${username} already exists`);
      throw err;
    }
    return this.require(username);
  }

  /** Identity-provider users get a row on first sight, so grants and the audit log can name them. */
  async ensureExternal(username: string): Promise<UserRecord> {
    const existing = await this.find(username);
    if (existing) return existing;
    try {
      return await this.create({ username, source: 'jwt' });
    } catch (err) {
      const raced = await this.find(username);
      if (raced) return raced;
      throw err;
    }
  }

  async find(username: string): Promise<UserRecord | undefined> {
    const row = await this.ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toRecord(row);
  }

  /** The user and their stored group memberships, in one round trip (every Basic-authenticated request needs both). */
  async findWithGroups(username: string): Promise<{ user: UserRecord; groupIds: number[] } | undefined> {
    const rows = await this.ctx.db
      .selectFrom('users')
      .leftJoin('group_members', 'group_members.user_id', 'users.user_id')
      .selectAll('users')
      .select('group_members.group_id')
      .where('users.username', '=', username)
      .execute();
    const first = rows[0];
    if (!first) return undefined;
    return { user: toRecord(first), groupIds: rows.flatMap((r) => (r.group_id === null ? [] : [Number(r.group_id)])) };
  }

  async require(username: string): Promise<UserRecord> {
    const user = await this.find(username);
    if (!user) throw notFound(`User ${username} does not exist`);
    return user;
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.ctx.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toRecord);
  }

  async hasAdmin(): Promise<boolean> {
    const row = await this.ctx.db.selectFrom('users').select('user_id').where('is_admin', '=', 1).where('disabled', '=', 0).executeTakeFirst();
    return row !== undefined;
  }

  async update(username: string, change: { password?: string; isAdmin?: boolean; disabled?: boolean }): Promise<{ before: UserRecord; after: UserRecord }> {
    const before = await this.require(username);
    const values: { password_hash?: string; is_admin?: number; disabled?: number; updated_at: number } = { updated_at: this.ctx.now() };
    if (change.password !== undefined) values.password_hash = await hashPassword(validateNewPassword(change.password));
    if (change.isAdmin !== undefined) values.is_admin = change.isAdmin ? 1 : 0;
    if (change.disabled !== undefined) values.disabled = change.disabled ? 1 : 0;
    await this.ctx.db.updateTable('users').set(values).where('user_id', '=', before.userId).execute();
    return { before, after: await this.require(username) };
  }

  /** Removes the user with their tokens, memberships, role bindings and grants, in one transaction. */
  async delete(username: string): Promise<UserRecord> {
    const user = await this.require(username);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('workspace_members').where('principal_type', '=', 'user').where('principal_id', '=', user.userId).execute();
      await trx.deleteFrom('access_grants').where('principal_type', '=', 'user').where('principal_id', '=', user.userId).execute();
      await trx.deleteFrom('api_tokens').where('user_id', '=', user.userId).execute();
      await trx.deleteFrom('group_members').where('user_id', '=', user.userId).execute();
      await trx.deleteFrom('users').where('user_id', '=', user.userId).execute();
    });
    return user;
  }
}

type UserRow = Selectable<UsersTable>;

function toRecord(row: UserRow): UserRecord {
  return {
    userId: Number(row.user_id),
    username: row.username,
    passwordHash: row.password_hash,
    isAdmin: row.is_admin === 1,
    source: row.source,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A user as the API shows it: never the password hash. */
export function publicUser(user: UserRecord): { username: string; is_admin: boolean; source: string; disabled: boolean; created_at: number; updated_at: number } {
  return { username: user.username, is_admin: user.isAdmin, source: user.source, disabled: user.disabled, created_at: user.createdAt, updated_at: user.updatedAt };
}
