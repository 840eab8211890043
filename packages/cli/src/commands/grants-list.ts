import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderGrants } from '../format/access-render.js';
import { addObjectOptions, objectOf, type ObjectOptions } from './principal-options.js';

export function registerGrantsList(group: Command, ctx: CommandContext): void {
  const command = group.command('list').description('list the per-object grants of an experiment or registered model');
  addObjectOptions(command)
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: ObjectOptions & { json?: boolean }) => {
      const { grants } = await ctx.client().security.listGrants(objectOf(opts));
      if (opts.json) printJson(ctx.io, grants);
      else ctx.io.stdout(renderGrants(grants));
    });
}
