import { isApiError } from '@capstan/sdk';
import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../../io.js';
import type { Confirm } from '../confirm.js';
import { loadRepoDefinition } from '../load-repo.js';
import { changesSomething, deletionsOf, renderPlan, summarizeApply } from '../plan-render.js';

interface Options {
  project?: string;
  allowDeletes?: boolean;
  yes?: boolean;
}

/**
 * `capstan features apply [PATH]`: plans, prints the plan, asks, then applies with the plan's base
 * revision, so exactly what was shown is applied: if another apply lands in between, the server
 * answers 409 and nothing changes. Deletions need --allow-deletes, checked before asking.
 */
export function registerFeaturesApply(group: Command, ctx: CommandContext, confirmOn: (io: CliIo) => Confirm | undefined): void {
  group
    .command('apply')
    .argument('[path]', 'a .ts/.mts/.js/.mjs or .yaml/.yml file, or a folder of them', '.')
    .description('plan, confirm, and apply the feature repository: the project becomes exactly what it defines')
    .option('--project <name>', 'the project, for files that declare none')
    .option('--allow-deletes', 'apply a plan that deletes objects (and their online rows)')
    .option('-y, --yes', 'apply without asking (needed when stdin is not a terminal)')
    .action(async (path: string, opts: Options) => {
      const definition = await loadRepoDefinition(path, opts.project !== undefined ? { project: opts.project } : {});
      const features = ctx.client().features;
      const plan = await features.plan(definition);
      ctx.io.stdout(renderPlan(plan));
      if (!changesSomething(plan)) {
        ctx.io.stderr('Nothing to apply.\n');
        return;
      }
      const deletions = deletionsOf(plan);
      if (deletions.length && !opts.allowDeletes) {
        throw new UsageError(`the plan deletes ${deletions.join(', ')}; pass --allow-deletes to apply it`);
      }
      if (!opts.yes) {
        const confirm = confirmOn(ctx.io);
        if (!confirm) throw new UsageError('stdin is not a terminal, so the plan cannot be confirmed: pass --yes to apply it');
        if (!(await confirm(`Apply this plan to project '${plan.project}'? [y/N] `))) {
          throw Object.assign(new Error('apply cancelled; nothing changed'), { code: 'CANCELLED' });
        }
      }
      try {
        const result = await features.apply(definition, { baseRevision: plan.base_revision, ...(opts.allowDeletes ? { allowDeletes: true } : {}) });
        ctx.io.stdout(summarizeApply(result));
      } catch (err) {
        if (!isApiError(err, 'RESOURCE_CONFLICT')) throw err;
        throw Object.assign(new Error(`project '${plan.project}' changed since the plan (revision ${plan.base_revision}): nothing was applied; run the command again to see the new plan (${err.message})`), {
          code: 'RESOURCE_CONFLICT',
        });
      }
    });
}
