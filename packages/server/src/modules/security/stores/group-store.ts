import { alreadyExists, invalidParameter, notFound } from '../../../core/errors.js';
import { isUniqueViolation, type SecurityContext } from '../security-context.js';

export interface GroupRecord {
  groupId: number;
  name: string;
  description: string;
  members: string[];
}

const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:+/-]{0,127}$/;

export class GroupStore {
  constructor(private readonly ctx: SecurityContext) {}

  async create(name: unknown, description = ''): Promise<GroupRecord> {
    if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
      throw invalidParameter('group name must be 1-128 characters: letters, digits and . _ @ : + / -');
    }
    try {
      await this.ctx.db.insertInto('groups').values({ name, description, created_at: this.ctx.now() }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`Group ${name} already exists`);
      throw err;
    }
    return this.require(name);
  }

  async require(name: string): Promise<GroupRecord> {
    const row = await this.ctx.db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`Group ${name} does not exist`);
    const members = await this.ctx.db
      .selectFrom('group_members')
      .innerJoin('users', 'users.user_id', 'group_members.user_id')
      .select('users.username')
      .where('group_members.group_id', '=', row.group_id)
      .orderBy('users.username')
      .execute();
    return { groupId: Number(row.group_id), name: row.name, description: row.description, members: members.map((m) => m.username) };
  }

  async list(): Promise<GroupRecord[]> {
    const rows = await this.ctx.db.selectFrom('groups').select('name').orderBy('name').execute();
    return Promise.all(rows.map((r) => this.require(r.name)));
  }

  /** Names of the given groups, sorted (one query, whatever their membership). */
  async namesOf(groupIds: readonly number[]): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.ctx.db.selectFrom('groups').select('name').where('group_id', 'in', [...groupIds]).orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  async delete(name: string): Promise<GroupRecord> {
    const group = await this.require(name);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('workspace_members').where('principal_type', '=', 'group').where('principal_id', '=', group.groupId).execute();
      await trx.deleteFrom('access_grants').where('principal_type', '=', 'group').where('principal_id', '=', group.groupId).execute();
      await trx.deleteFrom('group_members').where('group_id', '=', group.groupId).execute();
      await trx.deleteFrom('groups').where('group_id', '=', group.groupId).execute();
    });
    return group;
  }

  async addMember(groupId: number, userId: number): Promise<void> {
    const exists = await this.ctx.db
      .selectFrom('group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!exists) await this.ctx.db.insertInto('group_members').values({ group_id: groupId, user_id: userId }).execute();
  }

  async removeMember(groupId: number, userId: number): Promise<boolean> {
    const result = await this.ctx.db.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The user's groups: stored memberships plus groups named in identity-provider claims that exist here. */
  async groupIdsOf(userId: number, claimedNames: readonly string[] = []): Promise<number[]> {
    const stored = await this.ctx.db.selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute();
    const claimed = claimedNames.length
      ? await this.ctx.db.selectFrom('groups').select('group_id').where('name', 'in', [...claimedNames]).execute()
      : [];
    return [...new Set([...stored, ...claimed].map((r) => Number(r.group_id)))];
  }
}
