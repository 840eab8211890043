import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';
import { renderLineageTree } from '../format/registry-render.js';

export function registerModelsLineage(group: Command, ctx: CommandContext): void {
  group
    .command('lineage')
    .description('show where a model version came from: its run, experiment, datasets, code version and deployments')
    .argument('<name>', 'registered model name')
    .argument('<version>', 'version number')
    .option('--json', 'print the lineage graph as JSON')
    .action(async (name: string, version: string, opts: { json?: boolean }) => {
      const graph = await ctx.client().registry.lineage(name, version);
      if (opts.json) printJson(ctx.io, graph);
      else ctx.io.stdout(renderLineageTree(graph));
    });
}
