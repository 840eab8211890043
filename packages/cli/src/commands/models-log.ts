import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

interface Options {
  run: string;
  artifactPath: string;
  json?: boolean;
}

export function registerModelsLog(group: Command, ctx: CommandContext): void {
  group
    .command('log')
    .description("upload a local MLflow model folder (one with an MLmodel file) to a run's artifacts")
    .argument('<folder>', 'model folder, uploaded recursively')
    .requiredOption('--run <run-id>', 'run to log the model to')
    .option('--artifact-path <path>', "folder in the run's artifacts", 'model')
    .option('--json', 'print {"source": URI} as JSON')
    .action(async (folder: string, opts: Options) => {
      const source = await ctx.client().registry.logModel(folder, opts.run, opts.artifactPath);
      if (opts.json) printJson(ctx.io, { source });
      else ctx.io.stdout(`${source}\n`);
    });
}
