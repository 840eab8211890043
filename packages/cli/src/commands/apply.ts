import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import type { DeploymentManifest } from '@capstan/sdk';
import { printJson, type CommandContext } from '../context.js';

/**
 * `capstan apply -f deployment.yaml`: creates or replaces the deployments a YAML (or JSON) file
 * declares, one per document, so they can live in git. A manifest identical to what is deployed
 * changes nothing.
 */
export function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command('apply')
    .description('create or update deployments from a YAML file (one manifest per document)')
    .requiredOption('-f, --file <path>', 'YAML or JSON manifest file')
    .option('--no-wait', 'do not wait for the deployments\' models to load')
    .action(async (options: { file: string; wait: boolean }) => {
      const text = await readFile(options.file, 'utf8');
      const manifests: DeploymentManifest[] = [];
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length) throw new Error(`${options.file}: ${doc.errors[0]!.message}`);
        const value = doc.toJS() as unknown;
        if (value === null || value === undefined) continue;
        manifests.push(value as DeploymentManifest);
      }
      if (!manifests.length) throw new Error(`${options.file} declares no deployment`);
      const client = ctx.client();
      const results = [];
      for (const manifest of manifests) {
        const { deployment, outcome } = await client.deployments.apply(manifest);
        ctx.io.stderr(`deployment/${deployment.name} ${outcome}\n`);
        if (options.wait && outcome !== 'unchanged') await client.deployments.waitUntilReady(deployment.name);
        results.push({ name: deployment.name, outcome, revision: deployment.revision });
      }
      printJson(ctx.io, results);
    });
}
