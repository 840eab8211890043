import type { Command } from 'commander';
import type { RegisteredModelTag } from '@capstan/contracts';
import { printJson, type CommandContext } from '../context.js';
import { collectTag } from '../format/values.js';

interface Options {
  name: string;
  description?: string;
  tag?: RegisteredModelTag[];
  json?: boolean;
}

export function registerModelsRegister(group: Command, ctx: CommandContext): void {
  group
    .command('register')
    .description('register a model as a new version, creating the registered model if needed')
    .argument('<source>', 'model location, e.g. runs:/<run_id>/model as `models log` prints it')
    .requiredOption('--name <name>', 'registered model name')
    .option('--description <text>', 'description of the version')
    .option('--tag <key=value>', 'version tag; repeatable', collectTag)
    .option('--json', 'print the model version as JSON')
    .action(async (source: string, opts: Options) => {
      const version = await ctx.client().registry.registerModel(source, opts.name, {
        ...(opts.description ? { description: opts.description } : {}),
        ...(opts.tag?.length ? { tags: opts.tag } : {}),
      });
      if (opts.json) printJson(ctx.io, version);
      else ctx.io.stdout(`Registered '${version.name}' version ${version.version}\n`);
    });
}
