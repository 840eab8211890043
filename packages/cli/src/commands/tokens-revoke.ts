import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

export function registerTokensRevoke(group: Command, ctx: CommandContext): void {
  group
    .command('revoke')
    .description('revoke an API token: it stops working at once')
    .argument('<token-id>', 'token ID, as `tokens list` shows it')
    .option('--json', 'print the revoked token as JSON')
    .action(async (tokenId: string, opts: { json?: boolean }) => {
      const { token_info } = await ctx.client().security.revokeToken({ token_id: tokenId });
      if (opts.json) printJson(ctx.io, token_info);
      else ctx.io.stdout(`Revoked token ${token_info.token_id} '${token_info.name}'\n`);
    });
}
