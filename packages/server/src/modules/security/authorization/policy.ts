import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { PERMISSION_LEVEL, roleObjectLevel, type Permission } from '../permissions.js';
import type { Principal } from '../principal.js';
import type { GrantableObject } from '../stores/grant-store.js';
import type { WorkspaceStore } from '../stores/workspace-store.js';
import type { SecurityTables } from '../tables.js';
import type { ObjectRef } from './access-rule.js';

/**
 * Decides what a principal may do to an object. Precedence, as in MLflow's permission model
 * refined by workspaces: instance admins may do anything; otherwise the user's own grant on the
 * object, else the highest grant among their groups, else the highest role they hold in the
 * object's workspace (directly or through a group); with none of these, nothing.
 */
export class AccessPolicy {
  constructor(
    private readonly db: Kysely<SecurityTables>,
    private readonly workspaces: WorkspaceStore,
  ) {}

  /** One statement (one round trip) gathers the user's grant, their groups' best grant and their best role. */
  async objectLevel(principal: Principal, ref: ObjectRef): Promise<number> {
    if (principal.isAdmin) return PERMISSION_LEVEL.MANAGE;
    if (principal.userId === null || ref.workspace === null) return PERMISSION_LEVEL.NO_PERMISSIONS;
    const { user, groups } = this.principalSql(principal);
    const grant = (principalType: string, match: RawBuilder<unknown>) =>
      sql`(select max(g.level) from access_grants g where g.object_type = ${ref.objectType} and g.object_id = ${ref.objectId} and g.principal_type = ${principalType} and g.principal_id ${match})`;
    const { rows } = await sql<{ own: number | null; grp: number | null; role: number | null }>`select
      ${grant('user', sql`= ${user}`)} as own,
      ${groups ? grant('group', sql`in (${groups})`) : sql`null`} as grp,
      (select max(m.level) from workspace_members m where m.workspace = ${ref.workspace} and ((m.principal_type = 'user' and m.principal_id = ${user})${groups ? sql` or (m.principal_type = 'group' and m.principal_id in (${groups}))` : sql``})) as role`.execute(this.db);
    const row = rows[0];
    if (row?.own != null) return Number(row.own);
    if (row?.grp != null) return Number(row.grp);
    return roleObjectLevel(Number(row?.role ?? 0));
  }

  private principalSql(principal: Principal): { user: number; groups: RawBuilder<unknown> | undefined } {
    return { user: principal.userId ?? -1, groups: principal.groupIds.length ? sql.join(principal.groupIds.map((g) => sql`${g}`)) : undefined };
  }

  async allows(principal: Principal, ref: ObjectRef, permission: Permission): Promise<boolean> {
    return (await this.objectLevel(principal, ref)) >= PERMISSION_LEVEL[permission];
  }

  async workspaceRoleLevel(principal: Principal, workspace: string): Promise<number> {
    if (principal.isAdmin) return Number.POSITIVE_INFINITY;
    if (principal.userId === null) return 0;
    return this.workspaces.roleLevel(workspace, principal.userId, principal.groupIds);
  }

  /**
   * The same decision as `objectLevel`, as a SQL condition over the caller's rows, so searches
   * filter in the database and their paging stays exact. `idColumn` holds the object's wire id
   * and `workspaceColumn` its workspace. Undefined when the principal may read everything.
   */
  readableCondition(principal: Principal, objectType: GrantableObject, idColumn: string, workspaceColumn: string): RawBuilder<SqlBool> | undefined {
    if (principal.isAdmin) return undefined;
    if (principal.userId === null) return sql<SqlBool>`1 = 0`;
    const id = sql`cast(${sql.ref(idColumn)} as text)`;
    const { user, groups } = this.principalSql(principal);
    const groupGrant = groups
      ? sql`(select max(g.level) from access_grants g where g.object_type = ${objectType} and g.object_id = ${id} and g.principal_type = 'group' and g.principal_id in (${groups}))`
      : sql`null`;
    const groupRole = groups ? sql` or (m.principal_type = 'group' and m.principal_id in (${groups}))` : sql``;
    return sql<SqlBool>`coalesce(
      (select max(g.level) from access_grants g where g.object_type = ${objectType} and g.object_id = ${id} and g.principal_type = 'user' and g.principal_id = ${user}),
      ${groupGrant},
      (select max(m.level) from workspace_members m where m.workspace = ${sql.ref(workspaceColumn)} and ((m.principal_type = 'user' and m.principal_id = ${user})${groupRole})),
      0) >= ${PERMISSION_LEVEL.READ}`;
  }
}
