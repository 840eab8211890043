import type { FeatureViewStatus } from '@capstan/contracts';
import type { Command } from 'commander';
import { printJson, type CommandContext } from '../../context.js';
import { formatSeconds } from '../../format/monitor-render.js';
import { formatTable } from '../../format/table.js';

/** `capstan features status PROJECT VIEW`: freshness and the latest materializations. */
export function registerFeaturesStatus(group: Command, ctx: CommandContext): void {
  group
    .command('status')
    .argument('<project>')
    .argument('<view>')
    .description("a feature view's materialization state and freshness against its SLA")
    .option('--json', 'print the API object as JSON')
    .action(async (project: string, view: string, opts: { json?: boolean }) => {
      const status = await ctx.client().features.viewStatus(project, view);
      if (opts.json) printJson(ctx.io, status);
      else ctx.io.stdout(renderViewStatus(status));
    });
}

export function renderViewStatus(status: FeatureViewStatus): string {
  const fields = formatTable(
    ['FIELD', 'VALUE'],
    [
      ['view', status.view],
      ['online', status.online ? 'yes' : 'no'],
      ['materialized_until', status.materialized_until ?? '-'],
      ['newest_event_time', status.newest_event_time ?? '-'],
      ['staleness', status.staleness_seconds === undefined ? '-' : formatSeconds(Math.round(status.staleness_seconds))],
      ['freshness_sla', status.freshness_sla_seconds === undefined ? '-' : formatSeconds(status.freshness_sla_seconds)],
      ['stale', status.stale === undefined ? '-' : status.stale ? 'yes' : 'no'],
    ],
  );
  if (status.materializations.length === 0) return fields;
  const runs = formatTable(['START', 'END', 'ROWS', 'FINISHED'], status.materializations.map((m) => [m.start, m.end, String(m.rows), m.finished_at]));
  return `${fields}\nMaterializations\n${runs}`;
}
