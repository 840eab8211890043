import { Option, type Command } from 'commander';
import type { WorkspaceRole } from '@capstan/contracts';
import { printJson, type CommandContext } from '../context.js';
import { addPrincipalOptions, describePrincipal, principalOf, type PrincipalOptions } from './principal-options.js';

const ROLES: readonly WorkspaceRole[] = ['viewer', 'editor', 'manager', 'admin'];

export function registerWorkspacesSetRole(group: Command, ctx: CommandContext): void {
  const command = group
    .command('set-role')
    .description("give a user or group a role in a workspace, replacing any role they had there")
    .argument('<name>', 'workspace name');
  addPrincipalOptions(command)
    .addOption(new Option('--role <role>', 'viewer reads, editor writes, manager also grants, admin also manages members').choices(ROLES).makeOptionMandatory())
    .option('--json', 'print the workspace members as JSON')
    .action(async (name: string, opts: PrincipalOptions & { role: WorkspaceRole; json?: boolean }) => {
      const principal = principalOf(opts);
      const { members } = await ctx.client().security.setWorkspaceMember({ workspace: name, ...principal, role: opts.role });
      if (opts.json) printJson(ctx.io, members);
      else ctx.io.stdout(`Set ${describePrincipal(principal)} to ${opts.role} in workspace '${name}'\n`);
    });
}
