import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidParameter } from '../../../core/errors.js';
import { readRequestFields } from '../../request-input.js';
import type { ObjectLocator } from '../authorization/access-rule.js';
import type { ObjectDirectory } from '../authorization/object-directory.js';
import { parsePermission } from '../permissions.js';
import type { SecurityStores } from '../security-stores.js';
import { GRANTABLE_OBJECTS, type GrantableObject, type GrantRecord } from '../stores/grant-store.js';
import { resolvePrincipalRef } from '../stores/principal-ref.js';
import { noteAudit } from './request-context.js';
import { registerSecurityRoute, requireString, type Fields } from './security-route.js';

const wire = (g: GrantRecord) => ({ object_type: g.objectType, object_id: g.objectId, principal_type: g.principalType, principal: g.principal, permission: g.permission });

function objectType(fields: Fields): GrantableObject {
  const value = fields.object_type;
  if (!(GRANTABLE_OBJECTS as readonly unknown[]).includes(value)) {
    throw invalidParameter(`object_type must be one of ${GRANTABLE_OBJECTS.join(', ')}`);
  }
  return value as GrantableObject;
}

/**
 * Changing who may touch an object needs MANAGE on it (MLflow's rule), which workspace managers
 * and admins hold through their role.
 */
export function registerGrantRoutes(app: FastifyInstance, stores: SecurityStores, directory: ObjectDirectory): void {
  const { grants, users, groups } = stores;
  const locate: ObjectLocator = async (request: FastifyRequest) => {
    const fields = readRequestFields(request);
    if (typeof fields.object_id !== 'string') return undefined;
    const type = objectType(fields);
    const workspace = await directory.workspaceOf(type, fields.object_id);
    return workspace === undefined ? undefined : { objectType: type, objectId: fields.object_id, workspace };
  };
  const manage = { kind: 'object', permission: 'MANAGE', locate } as const;

  const requireObject = async (fields: Fields) => {
    const type = objectType(fields);
    const id = requireString(fields, 'object_id');
    if ((await directory.workspaceOf(type, id)) === undefined) throw invalidParameter(`No ${type} with id ${id}`);
    return { type, id };
  };

  registerSecurityRoute(app, 'setGrant', manage, async (fields, request) => {
    const { type, id } = await requireObject(fields);
    const principal = await resolvePrincipalRef(fields, users, groups);
    const permission = parsePermission(fields.permission);
    const before = await grants.set(type, id, principal, permission);
    noteAudit(request, { target: `${type}:${id}`, before: { [`${principal.type}:${principal.name}`]: before ?? null }, after: { [`${principal.type}:${principal.name}`]: permission } });
    return { grants: (await grants.list({ objectType: type, objectId: id })).map(wire) };
  });

  registerSecurityRoute(app, 'deleteGrant', manage, async (fields, request) => {
    const { type, id } = await requireObject(fields);
    const principal = await resolvePrincipalRef(fields, users, groups);
    const before = await grants.remove(type, id, principal);
    noteAudit(request, { target: `${type}:${id}`, before: { [`${principal.type}:${principal.name}`]: before ?? null }, after: { [`${principal.type}:${principal.name}`]: null } });
    return { grants: (await grants.list({ objectType: type, objectId: id })).map(wire) };
  });

  registerSecurityRoute(app, 'listGrants', manage, async (fields) => {
    const { type, id } = await requireObject(fields);
    return { grants: (await grants.list({ objectType: type, objectId: id })).map(wire) };
  });
}
