import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerGroupsDelete(group: Command, ctx: CommandContext): void {
  group
    .command('delete')
    .description('delete a group; its members lose the roles and grants it gave them')
    .argument('<name>', 'group name')
    .action(async (name: string) => {
      await ctx.client().security.deleteGroup({ group: name });
      ctx.io.stdout(`Deleted group '${name}'\n`);
    });
}
