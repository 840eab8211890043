import { Argument, InvalidArgumentError, type Command } from 'commander';
import type { ModelVersionStage } from '@capstan/contracts';
import { printJson, type CommandContext } from '../context.js';

const STAGES: readonly ModelVersionStage[] = ['None', 'Staging', 'Production', 'Archived'];

/** Any capitalisation, as the server takes it, printed back in MLflow's spelling. */
function parseStage(value: string): ModelVersionStage {
  const stage = STAGES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!stage) throw new InvalidArgumentError(`expected one of ${STAGES.join(', ')}`);
  return stage;
}

interface Options {
  archiveExisting?: boolean;
  json?: boolean;
}

export function registerModelsStage(group: Command, ctx: CommandContext): void {
  group
    .command('stage')
    .description('move a model version to a stage (MLflow 1.x stages; aliases are the newer way)')
    .argument('<name>', 'registered model name')
    .argument('<version>', 'version number')
    .addArgument(new Argument('<stage>', `target stage: ${STAGES.join(', ')}`).argParser(parseStage))
    .option('--archive-existing', "archive the stage's other versions (Staging and Production only)")
    .option('--json', 'print the model version as JSON')
    .action(async (name: string, version: string, stage: ModelVersionStage, opts: Options) => {
      const { model_version } = await ctx.client().registry.transitionModelVersionStage({
        name,
        version,
        stage,
        archive_existing_versions: opts.archiveExisting ?? false,
      });
      if (opts.json) printJson(ctx.io, model_version);
      else ctx.io.stdout(`Moved '${name}' version ${model_version.version} to ${model_version.current_stage}\n`);
    });
}
