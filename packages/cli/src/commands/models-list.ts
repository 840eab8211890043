import type { Command } from 'commander';
import { pageSize, printJson, take, type CommandContext } from '../context.js';
import { renderRegisteredModels } from '../format/registry-render.js';
import { collectString, parsePositiveInt } from '../format/values.js';

interface Options {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  json?: boolean;
}

export function registerModelsList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('list registered models, following pages')
    .option('--filter <expr>', `filter, e.g. "name LIKE 'fraud%'" or "tags.team = 'ml'"`)
    .option('--order-by <clause>', 'e.g. "last_updated_timestamp DESC"; repeatable', collectString)
    .option('--max-results <n>', 'stop after N models (default: all)', parsePositiveInt)
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: Options) => {
      const models = await take(
        ctx.client().registry.registeredModels({
          max_results: pageSize(opts.maxResults),
          ...(opts.filter ? { filter: opts.filter } : {}),
          ...(opts.orderBy?.length ? { order_by: opts.orderBy } : {}),
        }),
        opts.maxResults,
      );
      if (opts.json) printJson(ctx.io, models);
      else ctx.io.stdout(renderRegisteredModels(models));
    });
}
