import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

export function registerGroupsRemoveMember(group: Command, ctx: CommandContext): void {
  group
    .command('remove-member')
    .description('remove a user from a group')
    .argument('<group>', 'group name')
    .argument('<user>', 'username')
    .option('--json', 'print the updated group as JSON')
    .action(async (name: string, user: string, opts: { json?: boolean }) => {
      const response = await ctx.client().security.removeGroupMember({ group: name, username: user });
      if (opts.json) printJson(ctx.io, response.group);
      else ctx.io.stdout(`Removed '${user}' from group '${name}'\n`);
    });
}
