import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addAuditFilterOptions, auditFilter, type AuditFilterOptions } from './audit-filters.js';

/** Writes lines to `file` through a temporary sibling, so an interrupted export never looks complete. */
async function writeLines(file: string, lines: AsyncIterable<string>): Promise<number> {
  const partial = `${file}.${process.pid}.partial`;
  let count = 0;
  async function* terminated() {
    for await (const line of lines) {
      count++;
      yield `${line}\n`;
    }
  }
  try {
    // Owner-only: the trail names users, source addresses and what they touched.
    await pipeline(terminated(), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, file);
    return count;
  } finally {
    await rm(partial, { force: true });
  }
}

export function registerAuditExport(group: Command, ctx: CommandContext): void {
  const command = group
    .command('export')
    .description('write matching audit events as JSON lines, oldest first, exactly as the server sends them');
  addAuditFilterOptions(command)
    .option('--output <file>', 'write to FILE instead of stdout')
    .action(async (opts: AuditFilterOptions & { output?: string }) => {
      const lines = ctx.client().security.exportAuditLines(auditFilter(opts));
      if (opts.output === undefined) {
        for await (const line of lines) ctx.io.stdout(`${line}\n`);
        return;
      }
      const count = await writeLines(opts.output, lines);
      ctx.io.stderr(`Wrote ${count} audit events to ${opts.output}\n`);
    });
}
