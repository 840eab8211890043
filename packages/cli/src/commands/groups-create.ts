import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

export function registerGroupsCreate(group: Command, ctx: CommandContext): void {
  group
    .command('create')
    .description('create a group')
    .argument('<name>', 'group name')
    .option('--description <text>', 'what the group is for')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: { description?: string; json?: boolean }) => {
      const response = await ctx.client().security.createGroup({ name, ...(opts.description !== undefined ? { description: opts.description } : {}) });
      if (opts.json) printJson(ctx.io, response);
      else ctx.io.stdout(`Created group '${name}'\n`);
    });
}
