import { Option, type Command } from 'commander';
import { pageSize, printJson, take, type CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { renderRuns } from '../format/render.js';
import { collectString, parsePositiveInt } from '../format/values.js';

interface Options {
  experimentId?: string;
  experimentName?: string;
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  json?: boolean;
}

export function registerRunsList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('list the runs of one experiment, following pages')
    .addOption(new Option('--experiment-id <id>', 'experiment by ID').conflicts('experimentName'))
    .addOption(new Option('--experiment-name <name>', 'experiment by name'))
    .option('--filter <expr>', `filter, e.g. "metrics.rmse < 1 and params.model = 'lr'"`)
    .option('--order-by <clause>', 'e.g. "metrics.rmse ASC"; repeatable', collectString)
    .option('--max-results <n>', 'stop after N runs (default: all)', parsePositiveInt)
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: Options) => {
      const client = ctx.client();
      let experimentId = opts.experimentId;
      if (experimentId === undefined) {
        if (opts.experimentName === undefined) throw new UsageError('one of --experiment-id or --experiment-name is required');
        ({ experiment_id: experimentId } = (await client.getExperimentByName({ experiment_name: opts.experimentName })).experiment);
      }
      const runs = await take(
        client.iterateRuns({
          experiment_ids: [experimentId],
          max_results: pageSize(opts.maxResults),
          ...(opts.filter ? { filter: opts.filter } : {}),
          ...(opts.orderBy?.length ? { order_by: opts.orderBy } : {}),
        }),
        opts.maxResults,
      );
      if (opts.json) printJson(ctx.io, runs);
      else ctx.io.stdout(renderRuns(runs));
    });
}
