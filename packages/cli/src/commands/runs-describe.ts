import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderRunDetails } from '../format/render.js';

export function registerRunsDescribe(group: Command, ctx: CommandContext): void {
  group
    .command('describe')
    .description("show a run's metadata, params, latest metrics, tags and dataset inputs")
    .argument('<run-id>', 'run ID')
    .option('--json', 'print the API object as JSON')
    .action(async (runId: string, opts: { json?: boolean }) => {
      const { run } = await ctx.client().getRun({ run_id: runId });
      if (opts.json) printJson(ctx.io, run);
      else ctx.io.stdout(renderRunDetails(run));
    });
}
