import type { FeatureValue } from '@capstan/contracts';
import type { OnlineFeatures } from '@capstan/sdk';
import type { Command } from 'commander';
import { printJson, type CommandContext } from '../../context.js';
import { formatTable } from '../../format/table.js';
import { featuresWanted, parseFeatureRefs } from '../command-options.js';
import { checkColumns, collectEntity, formatCell } from '../column-values.js';

interface Options {
  service?: string;
  features?: string[];
  entity: Record<string, FeatureValue[]>;
  fullNames?: boolean;
  json?: boolean;
}

/** `capstan features online PROJECT --service S --entity driver_id=1001,1002`: Feast's online lookup. */
export function registerFeaturesOnline(group: Command, ctx: CommandContext): void {
  group
    .command('online')
    .argument('<project>')
    .description('look features up in the online store, one row per entity')
    .option('--service <name>', 'a feature service')
    .option('--features <refs>', 'view:feature references, comma-separated', parseFeatureRefs)
    .requiredOption('--entity <key=values>', 'a join key (or request value) and its values, comma-separated, as JSON where they parse (1001, "02134"); repeatable', collectEntity)
    .option('--full-names', 'name features view__feature')
    .option('--json', "print Feast's response as JSON")
    .action(async (project: string, opts: Options) => {
      const wanted = featuresWanted(opts);
      const entities = checkColumns(opts.entity, '--entity');
      const result = await ctx.client().features.getOnlineFeatures(project, 'service' in wanted ? wanted.service : wanted.features, entities, { fullFeatureNames: opts.fullNames === true });
      if (opts.json) printJson(ctx.io, result.response);
      else ctx.io.stdout(renderOnline(result));
    });
}

/** One line per entity row; a feature that is not PRESENT shows its status instead of a value. */
export function renderOnline(result: OnlineFeatures): string {
  const names = result.response.metadata.feature_names;
  const rows = result.response.results[0]?.values.length ?? 0;
  return formatTable(
    names.map((n) => n.toUpperCase()),
    Array.from({ length: rows }, (_, r) =>
      names.map((name) => {
        const status = result.statuses[name]?.[r];
        return status === 'PRESENT' ? formatCell(result.values[name]?.[r]) : `(${status ?? 'MISSING'})`;
      }),
    ),
  );
}
