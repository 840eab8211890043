import { Option, type Command } from 'commander';
import type { ViewType } from '@capstan/contracts';
import { pageSize, printJson, take, type CommandContext } from '../context.js';
import { renderExperiments } from '../format/render.js';
import { parsePositiveInt } from '../format/values.js';

const VIEW_TYPES: Record<string, ViewType> = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' };

interface Options {
  view: string;
  filter?: string;
  maxResults?: number;
  json?: boolean;
}

export function registerExperimentsList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('list experiments, following pages')
    .addOption(new Option('--view <view>', 'lifecycle stages to list').choices(Object.keys(VIEW_TYPES)).default('active'))
    .option('--filter <expr>', `filter, e.g. "name LIKE 'prod-%'"`)
    .option('--max-results <n>', 'stop after N experiments (default: all)', parsePositiveInt)
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: Options) => {
      const experiments = await take(
        ctx.client().iterateExperiments({
          view_type: VIEW_TYPES[opts.view] ?? 'ACTIVE_ONLY',
          max_results: pageSize(opts.maxResults),
          ...(opts.filter ? { filter: opts.filter } : {}),
        }),
        opts.maxResults,
      );
      if (opts.json) printJson(ctx.io, experiments);
      else ctx.io.stdout(renderExperiments(experiments));
    });
}
