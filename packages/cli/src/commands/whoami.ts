import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderWhoAmI } from '../format/security-render.js';

export function registerWhoami(program: Command, ctx: CommandContext): void {
  program
    .command('whoami')
    .description('show who the server takes your credentials for, with their scopes and groups')
    .option('--json', 'print the API response as JSON')
    .action(async (opts: { json?: boolean }) => {
      const who = await ctx.client().security.whoami();
      if (opts.json) printJson(ctx.io, who);
      else ctx.io.stdout(renderWhoAmI(who));
    });
}
