import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

/** `capstan deploy models:/fraud@champion --name fraud`: one model live in one command. */
export function registerDeploy(program: Command, ctx: CommandContext): void {
  program
    .command('deploy')
    .description('serve a registered model version as a deployment (models:/<name>@<alias> or models:/<name>/<version>)')
    .argument('<model-uri>', 'models:/<name>@<alias>, models:/<name>/<version> or models:/<name>/<stage>')
    .requiredOption('--name <deployment>', 'deployment name (the protocols\' model name): lower-case letters, digits, dashes')
    .option('--workspace <workspace>', 'workspace of the deployment')
    .option('--on-alias-move <policy>', 'when the alias moves: swap (default), canary or ignore')
    .option('--no-wait', 'return once the deployment is recorded, without waiting for its model to load')
    .action(async (uri: string, options: { name: string; workspace?: string; onAliasMove?: 'swap' | 'canary' | 'ignore'; wait: boolean }) => {
      const client = ctx.client();
      const { deployment } = await client.deployments.create({
        name: options.name,
        ...(options.workspace ? { workspace: options.workspace } : {}),
        spec: { models: [{ uri }], ...(options.onAliasMove ? { on_alias_move: options.onAliasMove } : {}) },
      });
      ctx.io.stderr(`Deployment '${deployment.name}' serves ${deployment.traffic.versions.map((v) => `${v.model_name} version ${v.version}`).join(', ')}\n`);
      if (options.wait) {
        await client.deployments.waitUntilReady(deployment.name);
        ctx.io.stderr(`Ready: POST /v2/models/${deployment.name}/infer, /v1/models/${deployment.name}:predict, /serving-endpoints/${deployment.name}/invocations\n`);
      }
      printJson(ctx.io, deployment);
    });
}
