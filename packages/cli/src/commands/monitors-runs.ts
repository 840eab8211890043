import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderMonitorRuns } from '../format/monitor-render.js';
import { parsePositiveInt } from '../format/values.js';

/** One page of a monitor's runs, newest first; the next page's token goes to stderr (or into the JSON). */
export function registerMonitorsRuns(group: Command, ctx: CommandContext): void {
  group
    .command('runs')
    .argument('<name>')
    .description("a monitor's runs, newest first, one page at a time")
    .option('--limit <n>', 'runs per page (server default 50, at most 500)', parsePositiveInt)
    .option('--page-token <token>', 'continue after the page that printed this token')
    .option('--json', 'print the API answer as JSON: {runs, next_page_token}')
    .action(async (name: string, opts: { limit?: number; pageToken?: string; json?: boolean }) => {
      const page = await ctx.client().monitoring.monitors.runs(name, {
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        ...(opts.pageToken ? { pageToken: opts.pageToken } : {}),
      });
      if (opts.json) return printJson(ctx.io, page);
      ctx.io.stdout(renderMonitorRuns(page.runs));
      if (page.next_page_token) ctx.io.stderr(`More runs: --page-token ${page.next_page_token}\n`);
    });
}
