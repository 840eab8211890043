import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderUsers } from '../format/security-render.js';

export function registerUsersList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('list users')
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { users } = await ctx.client().security.listUsers();
      if (opts.json) printJson(ctx.io, users);
      else ctx.io.stdout(renderUsers(users));
    });
}
