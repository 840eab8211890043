import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

export function registerMonitorsGetRun(group: Command, ctx: CommandContext): void {
  group
    .command('get-run')
    .argument('<name>')
    .argument('<run-id>')
    .description("one run as JSON with each check's result: drift reports per column, data-quality checks")
    .action(async (name: string, runId: string) => printJson(ctx.io, (await ctx.client().monitoring.monitors.getRun(name, runId)).run));
}
