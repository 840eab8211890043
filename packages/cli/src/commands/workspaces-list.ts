import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderWorkspaces } from '../format/access-render.js';

export function registerWorkspacesList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('list workspaces')
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { workspaces } = await ctx.client().security.listWorkspaces();
      if (opts.json) printJson(ctx.io, workspaces);
      else ctx.io.stdout(renderWorkspaces(workspaces));
    });
}
