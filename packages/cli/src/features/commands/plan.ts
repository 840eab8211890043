import type { Command } from 'commander';
import { printJson, type CommandContext } from '../../context.js';
import { loadRepoDefinition } from '../load-repo.js';
import { renderPlan } from '../plan-render.js';

/** `capstan features plan [PATH]`: what apply would change, computed by the server against its registry. */
export function registerFeaturesPlan(group: Command, ctx: CommandContext): void {
  group
    .command('plan')
    .argument('[path]', 'a .ts/.mts/.js/.mjs or .yaml/.yml file, or a folder of them', '.')
    .description('show what applying the feature repository would create, update and delete, with breaking changes flagged')
    .option('--project <name>', 'the project, for files that declare none')
    .option('--json', 'print the plan as JSON')
    .action(async (path: string, opts: { project?: string; json?: boolean }) => {
      const definition = await loadRepoDefinition(path, opts.project !== undefined ? { project: opts.project } : {});
      const plan = await ctx.client().features.plan(definition);
      if (opts.json) printJson(ctx.io, plan);
      else ctx.io.stdout(renderPlan(plan));
    });
}
