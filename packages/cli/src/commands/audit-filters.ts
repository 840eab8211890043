import { Option, type Command } from 'commander';
import type { AuditExportQuery } from '@capstan/sdk';

export interface AuditFilterOptions {
  actor?: string;
  action?: string;
  target?: string;
  workspace?: string;
  outcome?: 'success' | 'failure' | 'denied';
  since?: string;
  until?: string;
}

/** The filters `audit query` and `audit export` share. Times go to the server as typed; it parses both forms. */
export function addAuditFilterOptions(command: Command): Command {
  return command
    .option('--actor <username>', 'who acted')
    .option('--action <action>', "exact action, or a prefix ending in '*' (e.g. 'security.*')")
    .option('--target <target>', "what was acted on, e.g. 'user:bob'")
    .option('--workspace <name>', 'workspace the event belongs to')
    .addOption(new Option('--outcome <outcome>', 'result of the request').choices(['success', 'failure', 'denied']))
    .option('--since <time>', 'from this time, inclusive: ISO-8601 or epoch milliseconds')
    .option('--until <time>', 'up to this time, exclusive: ISO-8601 or epoch milliseconds');
}

export function auditFilter(opts: AuditFilterOptions): AuditExportQuery {
  const filter: AuditExportQuery = {};
  if (opts.actor !== undefined) filter.actor = opts.actor;
  if (opts.action !== undefined) filter.action = opts.action;
  if (opts.target !== undefined) filter.target = opts.target;
  if (opts.workspace !== undefined) filter.workspace = opts.workspace;
  if (opts.outcome !== undefined) filter.outcome = opts.outcome;
  if (opts.since !== undefined) filter.since = opts.since;
  if (opts.until !== undefined) filter.until = opts.until;
  return filter;
}
