import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/**
 * `capstan server [flags]`: every argument after `server` goes verbatim to the server package's
 * own parser (flags mirror `mlflow server`), including `--help`.
 */
export function registerServerCommand(program: Command, ctx: CommandContext): void {
  program
    .command('server')
    .description('run the tracking server (mlflow-server-like flags; `capstan server --help` lists them)')
    .argument('[flags...]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .action(async (flags: string[]) => {
      await ctx.runServer(flags);
    });
}
