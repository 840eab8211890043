import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderGroups } from '../format/security-render.js';

export function registerGroupsList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('list groups with their members')
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { groups } = await ctx.client().security.listGroups();
      if (opts.json) printJson(ctx.io, groups);
      else ctx.io.stdout(renderGroups(groups));
    });
}
