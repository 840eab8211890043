import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerModelsAliasDelete(group: Command, ctx: CommandContext): void {
  group
    .command('delete')
    .description('remove an alias from a registered model')
    .argument('<name>', 'registered model name')
    .argument('<alias>', 'alias')
    .action(async (name: string, alias: string) => {
      await ctx.client().registry.deleteRegisteredModelAlias({ name, alias });
      ctx.io.stdout(`Deleted alias '${alias}' of '${name}'\n`);
    });
}
