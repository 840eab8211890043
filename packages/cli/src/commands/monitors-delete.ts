import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerMonitorsDelete(group: Command, ctx: CommandContext): void {
  group
    .command('delete')
    .argument('<name>')
    .description('delete a monitor with its runs and alert deliveries')
    .action(async (name: string) => {
      await ctx.client().monitoring.monitors.delete(name);
      ctx.io.stderr(`Deleted monitor '${name}'\n`);
    });
}
