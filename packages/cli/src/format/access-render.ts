import type { AuditEvent, Grant, Workspace, WorkspaceMember } from '@capstan/contracts';
import { formatTable } from './table.js';
import { formatTime } from './values.js';

export function renderWorkspaces(workspaces: readonly Workspace[]): string {
  return formatTable(['NAME', 'CREATED', 'DESCRIPTION'], workspaces.map((w) => [w.name, formatTime(w.created_at), w.description]));
}

export function renderMembers(members: readonly WorkspaceMember[]): string {
  return formatTable(['TYPE', 'NAME', 'ROLE'], members.map((m) => [m.principal_type, m.name, m.role]));
}

export function renderGrants(grants: readonly Grant[]): string {
  return formatTable(['TYPE', 'PRINCIPAL', 'PERMISSION'], grants.map((g) => [g.principal_type, g.principal, g.permission]));
}

export function renderAuditEvents(events: readonly AuditEvent[]): string {
  return formatTable(
    ['SEQ', 'TIME', 'ACTOR', 'ACTION', 'TARGET', 'WORKSPACE', 'OUTCOME', 'STATUS'],
    events.map((e) => [String(e.seq), formatTime(e.time), e.actor, e.action, e.target, e.workspace, e.outcome, String(e.status)]),
  );
}
