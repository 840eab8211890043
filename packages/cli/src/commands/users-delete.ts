import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerUsersDelete(group: Command, ctx: CommandContext): void {
  group
    .command('delete')
    .description('delete a user, with their tokens, group memberships, roles and grants')
    .argument('<name>', 'username')
    .action(async (name: string) => {
      await ctx.client().security.deleteUser({ username: name });
      ctx.io.stdout(`Deleted user '${name}'\n`);
    });
}
