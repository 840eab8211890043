import type { FastifyInstance } from 'fastify';
import { CapstanError, invalidParameter } from '../../../core/errors.js';
import { verifyPassword } from '../authentication/passwords.js';
import type { SecurityStores } from '../security-stores.js';
import { publicUser } from '../stores/user-store.js';
import { noteAudit } from './request-context.js';
import { optionalBoolean, optionalString, registerSecurityRoute, requireString } from './security-route.js';

export function registerUserRoutes(app: FastifyInstance, stores: SecurityStores, mode: 'none' | 'on'): void {
  const { users, groups } = stores;

  registerSecurityRoute(app, 'whoami', { kind: 'authenticated', scope: 'read' }, async (_f, request) => {
    const p = request.principal;
    const groupNames = await groups.namesOf(p.groupIds);
    return {
      username: p.username,
      is_admin: p.isAdmin,
      auth_method: p.authMethod,
      scopes: p.scopes,
      groups: groupNames,
      ...(p.tokenId ? { token_id: p.tokenId } : {}),
      auth_mode: mode,
    };
  });

  registerSecurityRoute(app, 'changePassword', { kind: 'authenticated', scope: 'write' }, async (fields, request) => {
    const p = request.principal;
    if (p.userId === null) throw invalidParameter('There is no signed-in user whose password could change');
    const user = await users.require(p.username);
    noteAudit(request, { target: `user:${user.username}` });
    const current = requireString(fields, 'current_password');
    if (user.passwordHash === null || !(await verifyPassword(current, user.passwordHash))) {
      throw new CapstanError('PERMISSION_DENIED', 'The current password is not correct');
    }
    await users.update(user.username, { password: requireString(fields, 'new_password') });
    noteAudit(request, { after: { password: 'changed' } });
    return {};
  });

  registerSecurityRoute(app, 'createUser', { kind: 'admin' }, async (fields, request) => {
    const username = requireString(fields, 'username');
    noteAudit(request, { target: `user:${username}` });
    const password = optionalString(fields, 'password');
    const isAdmin = optionalBoolean(fields, 'is_admin') ?? false;
    const user = await users.create({ username, ...(password !== undefined ? { password } : {}), isAdmin });
    noteAudit(request, { after: { is_admin: user.isAdmin } });
    return { user: publicUser(user) };
  });

  registerSecurityRoute(app, 'listUsers', { kind: 'admin' }, async () => ({ users: (await users.list()).map(publicUser) }));

  registerSecurityRoute(app, 'getUser', { kind: 'admin' }, async (fields) => ({ user: publicUser(await users.require(requireString(fields, 'username'))) }));

  registerSecurityRoute(app, 'updateUser', { kind: 'admin' }, async (fields, request) => {
    const username = requireString(fields, 'username');
    noteAudit(request, { target: `user:${username}` });
    const password = optionalString(fields, 'password');
    const isAdmin = optionalBoolean(fields, 'is_admin');
    const disabled = optionalBoolean(fields, 'disabled');
    if (username === request.principal.username && (isAdmin === false || disabled === true)) {
      throw invalidParameter('Administrators cannot demote or disable themselves; ask another administrator');
    }
    const { before, after } = await users.update(username, {
      ...(password !== undefined ? { password } : {}),
      ...(isAdmin !== undefined ? { isAdmin } : {}),
      ...(disabled !== undefined ? { disabled } : {}),
    });
    noteAudit(request, {
      before: { is_admin: before.isAdmin, disabled: before.disabled },
      after: { is_admin: after.isAdmin, disabled: after.disabled, ...(password !== undefined ? { password: 'changed' } : {}) },
    });
    return { user: publicUser(after) };
  });

  registerSecurityRoute(app, 'deleteUser', { kind: 'admin' }, async (fields, request) => {
    const username = requireString(fields, 'username');
    noteAudit(request, { target: `user:${username}` });
    if (username === request.principal.username) throw invalidParameter('Administrators cannot delete themselves');
    const before = await users.delete(username);
    noteAudit(request, { before: { is_admin: before.isAdmin, source: before.source } });
    return {};
  });
}
