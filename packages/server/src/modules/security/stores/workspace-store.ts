import { alreadyExists, invalidParameter, notFound } from '../../../core/errors.js';
import { ROLE_LEVEL, type WorkspaceRole } from '../permissions.js';
import { isUniqueViolation, type SecurityContext } from '../security-context.js';
import { principalNames, type PrincipalRef } from './principal-ref.js';

export const DEFAULT_WORKSPACE = 'default';
const WORKSPACE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface WorkspaceMember {
  principalType: 'user' | 'group';
  name: string;
  role: WorkspaceRole;
}

export function validateWorkspaceName(value: unknown): string {
  if (typeof value !== 'string' || !WORKSPACE_NAME.test(value)) {
    throw invalidParameter('workspace names are 1-63 characters: lower-case letters, digits, _ and -, starting with a letter or digit');
  }
  return value;
}

export class WorkspaceStore {
  constructor(private readonly ctx: SecurityContext) {}

  async create(name: unknown, description = ''): Promise<{ name: string; description: string; created_at: number }> {
    const valid = validateWorkspaceName(name);
    const row = { name: valid, description, created_at: this.ctx.now() };
    try {
      await this.ctx.db.insertInto('workspaces').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`Workspace ${valid} already exists`);
      throw err;
    }
    return row;
  }

  async list(): Promise<{ name: string; description: string; created_at: number }[]> {
    return this.ctx.db.selectFrom('workspaces').selectAll().orderBy('name').execute();
  }

  async require(name: string): Promise<void> {
    const row = await this.ctx.db.selectFrom('workspaces').select('name').where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`Workspace ${name} does not exist`);
  }

  /** Binds a role; returns the role it replaced, if any, for the audit log. */
  async setMember(workspace: string, principal: PrincipalRef, role: WorkspaceRole): Promise<WorkspaceRole | undefined> {
    await this.require(workspace);
    const before = await this.roleOf(workspace, principal);
    const values = { workspace, principal_type: principal.type, principal_id: principal.id, role, level: ROLE_LEVEL[role] };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('workspace_members')
        .where('workspace', '=', workspace)
        .where('principal_type', '=', principal.type)
        .where('principal_id', '=', principal.id)
        .execute();
      await trx.insertInto('workspace_members').values(values).execute();
    });
    return before;
  }

  async removeMember(workspace: string, principal: PrincipalRef): Promise<WorkspaceRole | undefined> {
    const before = await this.roleOf(workspace, principal);
    await this.ctx.db
      .deleteFrom('workspace_members')
      .where('workspace', '=', workspace)
      .where('principal_type', '=', principal.type)
      .where('principal_id', '=', principal.id)
      .execute();
    return before;
  }

  async members(workspace: string): Promise<WorkspaceMember[]> {
    await this.require(workspace);
    const rows = await this.ctx.db.selectFrom('workspace_members').selectAll().where('workspace', '=', workspace).execute();
    const names = await principalNames(this.ctx.db, rows);
    return rows
      .map((r) => ({ principalType: r.principal_type, name: names.get(`${r.principal_type}:${Number(r.principal_id)}`) ?? '?', role: r.role as WorkspaceRole }))
      .sort((a, b) => a.principalType.localeCompare(b.principalType) || a.name.localeCompare(b.name));
  }

  /** The highest role level the user holds in the workspace, directly or through a group; 0 for none. */
  async roleLevel(workspace: string, userId: number, groupIds: readonly number[]): Promise<number> {
    let query = this.ctx.db
      .selectFrom('workspace_members')
      .select((eb) => eb.fn.max('level').as('level'))
      .where('workspace', '=', workspace);
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', userId)]),
        ...(groupIds.length ? [eb.and([eb('principal_type', '=', 'group'), eb('principal_id', 'in', [...groupIds])])] : []),
      ]),
    );
    const row = await query.executeTakeFirst();
    return Number(row?.level ?? 0);
  }

  private async roleOf(workspace: string, principal: PrincipalRef): Promise<WorkspaceRole | undefined> {
    const row = await this.ctx.db
      .selectFrom('workspace_members')
      .select('role')
      .where('workspace', '=', workspace)
      .where('principal_type', '=', principal.type)
      .where('principal_id', '=', principal.id)
      .executeTakeFirst();
    return row?.role as WorkspaceRole | undefined;
  }
}
