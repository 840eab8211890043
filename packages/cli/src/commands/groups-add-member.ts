import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

export function registerGroupsAddMember(group: Command, ctx: CommandContext): void {
  group
    .command('add-member')
    .description('add a user to a group')
    .argument('<group>', 'group name')
    .argument('<user>', 'username')
    .option('--json', 'print the updated group as JSON')
    .action(async (name: string, user: string, opts: { json?: boolean }) => {
      const response = await ctx.client().security.addGroupMember({ group: name, username: user });
      if (opts.json) printJson(ctx.io, response.group);
      else ctx.io.stdout(`Added '${user}' to group '${name}'\n`);
    });
}
