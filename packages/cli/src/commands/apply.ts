import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readManifests } from '../apply/manifests.js';
import { printJson, type CommandContext } from '../context.js';
import { UsageError } from '../errors.js';

/**
 * `capstan apply -f manifests.yaml`: creates or replaces the deployments and monitors a YAML (or
 * JSON) file declares, one per document, so they can live in git. Deployments go first, since a
 * monitor needs its deployment; a deployment manifest identical to what is deployed changes
 * nothing. The whole file is checked for unknown kinds and missing names before anything is sent.
 */
export function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command('apply')
    .description('create or update deployments and monitors (kind: Monitor) from a YAML file (one manifest per document)')
    .requiredOption('-f, --file <path>', 'YAML or JSON manifest file')
    .option('--no-wait', 'do not wait for the deployments\' models to load')
    .action(async (options: { file: string; wait: boolean }) => {
      const text = await readFile(options.file, 'utf8').catch((err: unknown) => {
        throw (err as { code?: unknown }).code === 'ENOENT' ? new UsageError(`${options.file}: no such file`) : err;
      });
      const { deployments, monitors } = readManifests(text, options.file, ctx.io.env);
      if (!deployments.length && !monitors.length) throw new UsageError(`${options.file} declares no deployment or monitor`);
      const client = ctx.client();
      const results = [];
      for (const manifest of deployments) {
        const { deployment, outcome } = await client.deployments.apply(manifest);
        ctx.io.stderr(`deployment/${deployment.name} ${outcome}\n`);
        if (options.wait && outcome !== 'unchanged') await client.deployments.waitUntilReady(deployment.name);
        results.push({ kind: 'Deployment', name: deployment.name, outcome, revision: deployment.revision });
      }
      for (const manifest of monitors) {
        const { monitor, outcome } = await client.monitoring.monitors.apply(manifest);
        ctx.io.stderr(`monitor/${monitor.name} ${outcome}\n`);
        results.push({ kind: 'Monitor', name: monitor.name, outcome });
      }
      printJson(ctx.io, results);
    });
}
