import type { Command } from 'commander';
import type { ExperimentTag } from '@capstan/contracts';
import { printJson, type CommandContext } from '../context.js';
import { collectTag } from '../format/values.js';

interface Options {
  artifactLocation?: string;
  tag?: ExperimentTag[];
  json?: boolean;
}

export function registerExperimentsCreate(group: Command, ctx: CommandContext): void {
  group
    .command('create')
    .description('create an experiment')
    .argument('<name>', 'experiment name')
    .option('--artifact-location <uri>', "artifact root (default: the server's)")
    .option('--tag <key=value>', 'tag to set; repeatable', collectTag)
    .option('--json', 'print the API response as JSON')
    .action(async (name: string, opts: Options) => {
      const response = await ctx.client().createExperiment({
        name,
        ...(opts.artifactLocation ? { artifact_location: opts.artifactLocation } : {}),
        ...(opts.tag?.length ? { tags: opts.tag } : {}),
      });
      if (opts.json) printJson(ctx.io, response);
      else ctx.io.stdout(`Created experiment '${name}' with ID ${response.experiment_id}\n`);
    });
}
