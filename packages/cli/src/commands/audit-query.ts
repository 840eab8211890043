import { Option, type Command } from 'commander';
import { pageSize, printJson, take, type CommandContext } from '../context.js';
import { renderAuditEvents } from '../format/access-render.js';
import { parsePositiveInt } from '../format/values.js';
import { addAuditFilterOptions, auditFilter, type AuditFilterOptions } from './audit-filters.js';

interface Options extends AuditFilterOptions {
  limit: number;
  order: 'asc' | 'desc';
  json?: boolean;
}

export function registerAuditQuery(group: Command, ctx: CommandContext): void {
  const command = group.command('query').description('show audit events, newest first, following pages');
  addAuditFilterOptions(command)
    .option('--limit <n>', 'stop after N events', parsePositiveInt, 100)
    .addOption(new Option('--order <order>', 'by sequence number').choices(['asc', 'desc']).default('desc'))
    .option('--json', 'print the events as JSON')
    .action(async (opts: Options) => {
      const events = await take(
        ctx.client().security.auditEvents({ ...auditFilter(opts), order: opts.order, max_results: pageSize(opts.limit) }),
        opts.limit,
      );
      if (opts.json) printJson(ctx.io, events);
      else ctx.io.stdout(renderAuditEvents(events));
    });
}
