import type { FastifyInstance } from 'fastify';
import type { SecurityStores } from '../security-stores.js';
import type { GroupRecord } from '../stores/group-store.js';
import { noteAudit } from './request-context.js';
import { optionalString, registerSecurityRoute, requireString } from './security-route.js';

const wire = (g: GroupRecord) => ({ name: g.name, description: g.description, members: g.members });

export function registerGroupRoutes(app: FastifyInstance, { users, groups }: SecurityStores): void {
  registerSecurityRoute(app, 'createGroup', { kind: 'admin' }, async (fields, request) => {
    const name = requireString(fields, 'name');
    noteAudit(request, { target: `group:${name}` });
    return { group: wire(await groups.create(name, optionalString(fields, 'description') ?? '')) };
  });

  registerSecurityRoute(app, 'listGroups', { kind: 'admin' }, async () => ({ groups: (await groups.list()).map(wire) }));

  registerSecurityRoute(app, 'getGroup', { kind: 'admin' }, async (fields) => ({ group: wire(await groups.require(requireString(fields, 'group'))) }));

  registerSecurityRoute(app, 'deleteGroup', { kind: 'admin' }, async (fields, request) => {
    const name = requireString(fields, 'group');
    noteAudit(request, { target: `group:${name}` });
    const before = await groups.delete(name);
    noteAudit(request, { before: { members: before.members } });
    return {};
  });

  registerSecurityRoute(app, 'addGroupMember', { kind: 'admin' }, async (fields, request) => {
    const group = await groups.require(requireString(fields, 'group'));
    const user = await users.require(requireString(fields, 'username'));
    noteAudit(request, { target: `group:${group.name}`, before: { members: group.members } });
    await groups.addMember(group.groupId, user.userId);
    const after = await groups.require(group.name);
    noteAudit(request, { after: { members: after.members } });
    return { group: wire(after) };
  });

  registerSecurityRoute(app, 'removeGroupMember', { kind: 'admin' }, async (fields, request) => {
    const group = await groups.require(requireString(fields, 'group'));
    const user = await users.require(requireString(fields, 'username'));
    noteAudit(request, { target: `group:${group.name}`, before: { members: group.members } });
    await groups.removeMember(group.groupId, user.userId);
    const after = await groups.require(group.name);
    noteAudit(request, { after: { members: after.members } });
    return { group: wire(after) };
  });
}
