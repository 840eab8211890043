import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderAlertDeliveries } from '../format/monitor-render.js';

export function registerMonitorsAlerts(group: Command, ctx: CommandContext): void {
  group
    .command('alerts')
    .argument('<name>')
    .description("a monitor's alert deliveries (firing and resolved, per check and channel) and their outcome")
    .option('--json', 'print the API objects as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const { deliveries } = await ctx.client().monitoring.monitors.alerts(name);
      if (opts.json) printJson(ctx.io, deliveries);
      else ctx.io.stdout(renderAlertDeliveries(deliveries));
    });
}
