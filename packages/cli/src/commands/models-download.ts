import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseModelUri } from '@capstan/sdk';
import { printJson, type CommandContext } from '../context.js';
import { UsageError } from '../errors.js';

interface Options {
  output?: string;
  json?: boolean;
}

export function registerModelsDownload(group: Command, ctx: CommandContext): void {
  group
    .command('download')
    .description("download a registered model version's files")
    .argument('<uri>', 'models:/<name>@<alias>, models:/<name>/<version>, models:/<name>/latest or models:/<name>/<stage>')
    .option('--output <dir>', 'folder to write the files to (default: ./<name>)')
    .option('--json', 'print {name, version, artifact_uri, path} as JSON')
    .action(async (uri: string, opts: Options) => {
      let name: string;
      try {
        ({ name } = parseModelUri(uri));
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      const registry = ctx.client().registry;
      const model = await registry.resolveModelUri(uri);
      const path = await registry.downloadModel(model, resolve(opts.output ?? name));
      if (opts.json) printJson(ctx.io, { name: model.name, version: model.version, artifact_uri: model.artifactUri, path });
      else ctx.io.stdout(`Downloaded '${model.name}' version ${model.version} to ${path}\n`);
    });
}
