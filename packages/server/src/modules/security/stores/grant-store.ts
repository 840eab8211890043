import { PERMISSION_LEVEL, type Permission } from '../permissions.js';
import type { SecurityContext } from '../security-context.js';
import { principalNames, type PrincipalRef } from './principal-ref.js';

/** Objects that carry per-object grants, as MLflow's permission model has them. */
export const GRANTABLE_OBJECTS = ['experiment', 'registered_model', 'deployment', 'feature_project'] as const;
export type GrantableObject = (typeof GRANTABLE_OBJECTS)[number];

export interface GrantRecord {
  objectType: GrantableObject;
  objectId: string;
  principalType: 'user' | 'group';
  principal: string;
  permission: Permission;
}

export class GrantStore {
  constructor(private readonly ctx: SecurityContext) {}

  /** Sets (or replaces) a grant; returns the permission it replaced, for the audit log. */
  async set(objectType: GrantableObject, objectId: string, principal: PrincipalRef, permission: Permission): Promise<Permission | undefined> {
    const before = await this.get(objectType, objectId, principal);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.deleteIn(trx, objectType, objectId, principal);
      await trx
        .insertInto('access_grants')
        .values({ object_type: objectType, object_id: objectId, principal_type: principal.type, principal_id: principal.id, permission, level: PERMISSION_LEVEL[permission] })
        .execute();
    });
    return before;
  }

  async remove(objectType: GrantableObject, objectId: string, principal: PrincipalRef): Promise<Permission | undefined> {
    const before = await this.get(objectType, objectId, principal);
    await this.deleteIn(this.ctx.db, objectType, objectId, principal);
    return before;
  }

  async list(filter: { objectType?: GrantableObject; objectId?: string }): Promise<GrantRecord[]> {
    let query = this.ctx.db.selectFrom('access_grants').selectAll();
    if (filter.objectType) query = query.where('object_type', '=', filter.objectType);
    if (filter.objectId) query = query.where('object_id', '=', filter.objectId);
    const rows = await query.orderBy('object_type').orderBy('object_id').execute();
    const names = await principalNames(this.ctx.db, rows);
    return rows.map((r) => ({
      objectType: r.object_type as GrantableObject,
      objectId: r.object_id,
      principalType: r.principal_type,
      principal: names.get(`${r.principal_type}:${Number(r.principal_id)}`) ?? '?',
      permission: r.permission as Permission,
    }));
  }

  async rename(objectType: GrantableObject, from: string, to: string): Promise<void> {
    await this.ctx.db.updateTable('access_grants').set({ object_id: to }).where('object_type', '=', objectType).where('object_id', '=', from).execute();
  }

  async removeAllFor(objectType: GrantableObject, objectId: string): Promise<void> {
    await this.ctx.db.deleteFrom('access_grants').where('object_type', '=', objectType).where('object_id', '=', objectId).execute();
  }

  private async get(objectType: GrantableObject, objectId: string, principal: PrincipalRef): Promise<Permission | undefined> {
    const row = await this.ctx.db
      .selectFrom('access_grants')
      .select('permission')
      .where('object_type', '=', objectType)
      .where('object_id', '=', objectId)
      .where('principal_type', '=', principal.type)
      .where('principal_id', '=', principal.id)
      .executeTakeFirst();
    return row?.permission as Permission | undefined;
  }

  private async deleteIn(db: SecurityContext['db'], objectType: string, objectId: string, principal: PrincipalRef): Promise<void> {
    await db
      .deleteFrom('access_grants')
      .where('object_type', '=', objectType)
      .where('object_id', '=', objectId)
      .where('principal_type', '=', principal.type)
      .where('principal_id', '=', principal.id)
      .execute();
  }
}
