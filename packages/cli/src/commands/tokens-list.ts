import { Option, type Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderTokens } from '../format/security-render.js';

interface Options {
  user?: string;
  all?: boolean;
  json?: boolean;
}

export function registerTokensList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('list API tokens (yours by default), without their secrets')
    .addOption(new Option('--user <name>', "another user's tokens (administrators)").conflicts('all'))
    .option('--all', "everyone's tokens (administrators)")
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: Options) => {
      const { tokens } = await ctx.client().security.listTokens({
        ...(opts.user !== undefined ? { user: opts.user } : {}),
        ...(opts.all ? { all: true } : {}),
      });
      if (opts.json) printJson(ctx.io, tokens);
      else ctx.io.stdout(renderTokens(tokens, Date.now()));
    });
}
