import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { registerExperimentsCreate } from './commands/experiments-create.js';
import { registerExperimentsList } from './commands/experiments-list.js';
import { registerRunsDescribe } from './commands/runs-describe.js';
import { registerRunsList } from './commands/runs-list.js';
import { registerServerCommand } from './commands/server.js';
import { defaultDeps, type CliDeps, type CommandContext } from './context.js';
import { describeError } from './errors.js';
import { processIo, type CliIo } from './io.js';

// src/ and dist/ both sit one level below the package root.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * Runs the `capstan` command line and resolves to its exit code; never calls `process.exit`, so
 * tests can drive it with captured output and a chosen environment.
 */
export async function main(argv: readonly string[], io: CliIo = processIo(), deps: Partial<CliDeps> = {}): Promise<number> {
  const { createClient, runServer } = { ...defaultDeps, ...deps };
  const program = new Command('capstan');
  // Set before adding commands: subcommands copy these settings when created.
  program
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .enablePositionalOptions()
    .version(version)
    .description('Capstan: MLflow-compatible experiment tracking')
    .option('--url <url>', 'tracking server URL (default: $CAPSTAN_URL, $MLFLOW_TRACKING_URI, http://127.0.0.1:5000)');

  let client: ReturnType<CliDeps['createClient']> | undefined;
  const ctx: CommandContext = {
    io,
    client: () => (client ??= createClient({ ...program.opts<{ url?: string }>(), env: io.env })),
    runServer,
  };

  registerServerCommand(program, ctx);
  const experiments = program.command('experiments').description('list and create experiments');
  registerExperimentsList(experiments, ctx);
  registerExperimentsCreate(experiments, ctx);
  const runs = program.command('runs').description('list and inspect runs');
  registerRunsList(runs, ctx);
  registerRunsDescribe(runs, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    // Commander has already printed its own usage error or help text.
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr(`${describeError(err)}\n`);
    return 1;
  }
}
