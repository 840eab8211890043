import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseRole } from '../permissions.js';
import type { SecurityStores } from '../security-stores.js';
import { resolvePrincipalRef } from '../stores/principal-ref.js';
import type { WorkspaceMember } from '../stores/workspace-store.js';
import { noteAudit } from './request-context.js';
import { optionalString, registerSecurityRoute, requireString } from './security-route.js';

const wireMember = (m: WorkspaceMember) => ({ principal_type: m.principalType, name: m.name, role: m.role });
const workspaceParam = (request: FastifyRequest) => (request.params as { workspace: string }).workspace;

export function registerWorkspaceRoutes(app: FastifyInstance, stores: SecurityStores): void {
  const { workspaces, users, groups } = stores;

  registerSecurityRoute(app, 'createWorkspace', { kind: 'admin' }, async (fields, request) => {
    const name = requireString(fields, 'name');
    noteAudit(request, { target: `workspace:${name}`, workspace: name });
    return { workspace: await workspaces.create(name, optionalString(fields, 'description') ?? '') };
  });

  registerSecurityRoute(app, 'listWorkspaces', { kind: 'authenticated', scope: 'read' }, async () => ({ workspaces: await workspaces.list() }));

  registerSecurityRoute(app, 'listWorkspaceMembers', { kind: 'workspace', role: 'viewer', workspace: workspaceParam }, async (fields) => ({
    members: (await workspaces.members(requireString(fields, 'workspace'))).map(wireMember),
  }));

  registerSecurityRoute(app, 'setWorkspaceMember', { kind: 'workspace', role: 'admin', workspace: workspaceParam }, async (fields, request) => {
    const workspace = requireString(fields, 'workspace');
    const principal = await resolvePrincipalRef(fields, users, groups);
    const role = parseRole(fields.role);
    noteAudit(request, { target: `${principal.type}:${principal.name}`, workspace });
    const before = await workspaces.setMember(workspace, principal, role);
    noteAudit(request, { before: { role: before ?? null }, after: { role } });
    return { members: (await workspaces.members(workspace)).map(wireMember) };
  });

  registerSecurityRoute(app, 'removeWorkspaceMember', { kind: 'workspace', role: 'admin', workspace: workspaceParam }, async (fields, request) => {
    const workspace = requireString(fields, 'workspace');
    const principal = await resolvePrincipalRef(fields, users, groups);
    noteAudit(request, { target: `${principal.type}:${principal.name}`, workspace });
    const before = await workspaces.removeMember(workspace, principal);
    noteAudit(request, { before: { role: before ?? null }, after: { role: null } });
    return { members: (await workspaces.members(workspace)).map(wireMember) };
  });
}
