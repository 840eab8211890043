import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderMembers } from '../format/access-render.js';

export function registerWorkspacesMembers(group: Command, ctx: CommandContext): void {
  group
    .command('members')
    .description("list a workspace's users and groups with their roles")
    .argument('<name>', 'workspace name')
    .option('--json', 'print the API objects as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const { members } = await ctx.client().security.listWorkspaceMembers({ workspace: name });
      if (opts.json) printJson(ctx.io, members);
      else ctx.io.stdout(renderMembers(members));
    });
}
