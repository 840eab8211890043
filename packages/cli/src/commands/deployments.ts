import type { Command } from 'commander';
import { printJson, type CommandContext } from '../context.js';

/** `capstan deployments list|get|status|delete|traffic|rollback|canary`. */
export function registerDeployments(program: Command, ctx: CommandContext): void {
  const group = program.command('deployments').description('inspect deployments, move traffic, roll back, drive canaries');
  group.command('list').description('deployments you may read').action(async () => printJson(ctx.io, (await ctx.client().deployments.list()).deployments));
  group.command('get').argument('<name>').description('a deployment: spec, traffic, canary state').action(async (name: string) => printJson(ctx.io, (await ctx.client().deployments.get(name)).deployment));
  group.command('status').argument('<name>').description("this server's view: versions loaded, weights, shadow comparison").action(async (name: string) => printJson(ctx.io, (await ctx.client().deployments.status(name)).status));
  group.command('delete').argument('<name>').description('stop serving and delete the deployment').action(async (name: string) => {
    await ctx.client().deployments.delete(name);
    ctx.io.stderr(`Deleted deployment '${name}'\n`);
  });
  group
    .command('traffic')
    .argument('<name>')
    .argument('<weights...>', 'version=weight pairs, e.g. 3=0 4=100')
    .description('set traffic weights of versions the deployment serves (blue-green: move 100 in one step)')
    .action(async (name: string, pairs: string[]) => {
      const weights: Record<string, number> = {};
      for (const pair of pairs) {
        const [version, weight] = pair.split('=');
        if (!version || weight === undefined || !Number.isFinite(Number(weight))) throw new Error(`'${pair}' is not version=weight`);
        weights[version] = Number(weight);
      }
      printJson(ctx.io, (await ctx.client().deployments.setTraffic(name, weights)).deployment.traffic);
    });
  group.command('rollback').argument('<name>').description('abort a canary, or return to the traffic before the last change').action(async (name: string) => {
    printJson(ctx.io, (await ctx.client().deployments.rollback(name)).deployment.traffic);
  });
  const canary = group.command('canary').description('canary rollouts');
  canary
    .command('start')
    .argument('<name>')
    .argument('<model-uri>', 'the candidate, e.g. models:/fraud/4')
    .option('--steps <weights>', 'comma-separated candidate weights, e.g. 10,25,50')
    .option('--interval <seconds>', 'least time per step')
    .option('--promote-alias <alias>', 'alias to move to the candidate on success')
    .action(async (name: string, uri: string, options: { steps?: string; interval?: string; promoteAlias?: string }) => {
      const { deployment } = await ctx.client().deployments.startCanary(name, {
        uri,
        ...(options.steps ? { steps: options.steps.split(',').map(Number) } : {}),
        ...(options.interval ? { step_interval_seconds: Number(options.interval) } : {}),
        ...(options.promoteAlias ? { promote_alias: options.promoteAlias } : {}),
      });
      printJson(ctx.io, deployment.canary);
    });
  for (const command of ['pause', 'resume', 'abort', 'promote'] as const) {
    canary.command(command).argument('<name>').description(`${command} the deployment's canary`).action(async (name: string) => {
      printJson(ctx.io, (await ctx.client().deployments.canary(name, command)).deployment.canary);
    });
  }
}
