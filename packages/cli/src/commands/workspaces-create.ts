import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

export function registerWorkspacesCreate(group: Command, ctx: CommandContext): void {
  group
    .command('create')
    .description('create a workspace')
    .argument('<name>', 'workspace name')
    .option('--description <text>', 'what the workspace is for')
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: { description?: string; json?: boolean }) => {
      const response = await ctx.client().security.createWorkspace({ name, ...(opts.description !== undefined ? { description: opts.description } : {}) });
      if (opts.json) printJson(ctx.io, response);
      else ctx.io.stdout(`Created workspace '${name}'\n`);
    });
}
