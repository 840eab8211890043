import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

export function registerMonitorsGet(group: Command, ctx: CommandContext): void {
  group
    .command('get')
    .argument('<name>')
    .description('a monitor as JSON: its manifest (alert secrets never shown), schedule and owner')
    .action(async (name: string) => printJson(ctx.io, (await ctx.client().monitoring.monitors.get(name)).monitor));
}
