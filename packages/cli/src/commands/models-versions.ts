import type { Command } from 'commander';
import { pageSize, printJson, take, type CommandContext } from '../context.js';
import { renderModelVersions } from '../format/registry-render.js';
import { parsePositiveInt } from '../format/values.js';

interface Options {
  maxResults?: number;
  json?: boolean;
}

/** A registry filter's string literal: single-quoted, with quotes and backslashes escaped. */
const quote = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

export function registerModelsVersions(group: Command, ctx: CommandContext): void {
  group
    .command('versions')
    .description('list the versions of a registered model, newest first')
    .argument('<name>', 'registered model name')
    .option('--max-results <n>', 'stop after N versions (default: all)', parsePositiveInt)
    .option('--json', 'print the API objects as JSON')
    .action(async (name: string, opts: Options) => {
      const registry = ctx.client().registry;
      // Fails with RESOURCE_DOES_NOT_EXIST for an unknown model rather than listing nothing.
      const { registered_model: model } = await registry.getRegisteredModel({ name });
      const versions = await take(registry.modelVersions({ filter: `name = ${quote(name)}`, max_results: pageSize(opts.maxResults) }), opts.maxResults);
      if (opts.json) {
        printJson(ctx.io, versions);
        return;
      }
      const aliases = new Map<string, string[]>();
      for (const { alias, version } of model.aliases ?? []) aliases.set(version, [...(aliases.get(version) ?? []), alias]);
      ctx.io.stdout(renderModelVersions(versions, (v) => v.aliases?.length ? v.aliases : (aliases.get(v.version) ?? [])));
    });
}
