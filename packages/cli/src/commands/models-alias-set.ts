import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerModelsAliasSet(group: Command, ctx: CommandContext): void {
  group
    .command('set')
    .description('point an alias of a registered model at a version, moving it if it pointed elsewhere')
    .argument('<name>', 'registered model name')
    .argument('<alias>', 'alias, e.g. champion')
    .argument('<version>', 'version number')
    .action(async (name: string, alias: string, version: string) => {
      await ctx.client().registry.setRegisteredModelAlias({ name, alias, version });
      ctx.io.stdout(`Set alias '${alias}' of '${name}' to version ${version}\n`);
    });
}
