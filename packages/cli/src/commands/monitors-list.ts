import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderMonitors } from '../format/monitor-render.js';

export function registerMonitorsList(group: Command, ctx: CommandContext): void {
  group
    .command('list')
    .description('monitors of the deployments you may read')
    .option('--deployment <name>', "only this deployment's monitors")
    .option('--json', 'print the API objects as JSON')
    .action(async (opts: { deployment?: string; json?: boolean }) => {
      const { monitors } = await ctx.client().monitoring.monitors.list(opts.deployment ? { deployment: opts.deployment } : {});
      if (opts.json) printJson(ctx.io, monitors);
      else ctx.io.stdout(renderMonitors(monitors));
    });
}
