import type { MaterializeResponse } from '@capstan/contracts';
import type { Command } from 'commander';
import { printJson, type CommandContext } from '../../context.js';
import { formatTable } from '../../format/table.js';
import { parseList } from '../../format/values.js';
import { parseTime } from '../command-options.js';

/** `capstan features materialize PROJECT START END` and `materialize-incremental PROJECT END`. */
export function registerFeaturesMaterialize(group: Command, ctx: CommandContext): void {
  group
    .command('materialize')
    .argument('<project>')
    .argument('<start>', 'ISO 8601 time (UTC unless it says otherwise)')
    .argument('<end>', 'ISO 8601 time, or now')
    .description('load the rows with event times in [START, END) into the online store')
    .option('--views <names>', 'only these feature views (default: every online view)', parseList)
    .option('--json', 'print the API answer as JSON')
    .action(async (project: string, start: string, end: string, opts: { views?: string[]; json?: boolean }) => {
      const result = await ctx.client().features.materialize(project, parseTime(start, 'START'), parseTime(end, 'END'), opts.views);
      print(ctx, result, opts.json);
    });
  group
    .command('materialize-incremental')
    .argument('<project>')
    .argument('<end>', 'ISO 8601 time, or now')
    .description('materialize each view from where its last materialization ended up to END')
    .option('--views <names>', 'only these feature views (default: every online view)', parseList)
    .option('--json', 'print the API answer as JSON')
    .action(async (project: string, end: string, opts: { views?: string[]; json?: boolean }) => {
      const result = await ctx.client().features.materializeIncremental(project, parseTime(end, 'END'), opts.views);
      print(ctx, result, opts.json);
    });
}

function print(ctx: CommandContext, result: MaterializeResponse, json: boolean | undefined): void {
  if (json) return printJson(ctx.io, result);
  ctx.io.stdout(formatTable(['VIEW', 'START', 'END', 'ROWS'], result.views.map((v) => [v.view, v.start, v.end, String(v.rows)])));
}
