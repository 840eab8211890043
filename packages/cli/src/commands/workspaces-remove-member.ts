import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { addPrincipalOptions, describePrincipal, principalOf, type PrincipalOptions } from './principal-options.js';

export function registerWorkspacesRemoveMember(group: Command, ctx: CommandContext): void {
  const command = group
    .command('remove-member')
    .description("remove a user's or group's role in a workspace")
    .argument('<name>', 'workspace name');
  addPrincipalOptions(command)
    .option('--json', 'print the workspace members as JSON')
    .action(async (name: string, opts: PrincipalOptions & { json?: boolean }) => {
      const principal = principalOf(opts);
      const { members } = await ctx.client().security.removeWorkspaceMember({ workspace: name, ...principal });
      if (opts.json) printJson(ctx.io, members);
      else ctx.io.stdout(`Removed ${describePrincipal(principal)} from workspace '${name}'\n`);
    });
}
