import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { describeChecks, summarizeRun } from '../format/monitor-render.js';

/**
 * `capstan monitors run NAME`: runs the monitor now (stored, and alerting, as a scheduled run) and
 * prints the run as JSON. The exit code is 0 whatever the run found, unless `--fail-on-alert` is
 * given and the run is `alert`: then it is 1, so a CI step fails on drift.
 */
export function registerMonitorsRun(group: Command, ctx: CommandContext): void {
  group
    .command('run')
    .argument('<name>')
    .description('run a monitor now and print the run as JSON (its status: ok, alert, skipped or error)')
    .option('--fail-on-alert', 'exit 1 when the run is alert (a check failed)')
    .action(async (name: string, opts: { failOnAlert?: boolean }) => {
      const { run } = await ctx.client().monitoring.monitors.run(name);
      printJson(ctx.io, run);
      if (opts.failOnAlert && run.status === 'alert') {
        throw Object.assign(new Error(`monitor '${run.monitor}' run ${run.run_id} is alert (${describeChecks(run.checks)})`), { code: 'MONITOR_ALERT' });
      }
      ctx.io.stderr(`${summarizeRun(run)}\n`);
    });
}
