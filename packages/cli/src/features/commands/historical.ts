import { readFile } from 'node:fs/promises';
import type { HistoricalFeaturesRequest, HistoricalFeaturesResponse, TrainingDatasetInfo } from '@capstan/contracts';
import type { Command } from 'commander';
import { printJson, type CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { formatTable } from '../../format/table.js';
import { featuresWanted, parseFeatureRefs } from '../command-options.js';
import { columnsToCsv, formatCell, readEntityTable } from '../column-values.js';
import { writeFileAtomically } from '../../write-atomically.js';

interface Options {
  service?: string;
  features?: string[];
  entities: string;
  timestampColumn?: string;
  fullNames?: boolean;
  out?: string;
  saveAs?: string;
  runId?: string;
  json?: boolean;
}

/**
 * `capstan features historical PROJECT --service S --entities entities.csv --out train.csv`: point-in-time
 * correct features for every row of an entity table, written to a file, printed, or saved on the
 * server as a versioned training dataset (`--save-as`, logged to a run with `--run-id`).
 */
export function registerFeaturesHistorical(group: Command, ctx: CommandContext): void {
  group
    .command('historical')
    .argument('<project>')
    .description('point-in-time correct features for an entity table (CSV or JSON): training data')
    .option('--service <name>', 'a feature service')
    .option('--features <refs>', 'view:feature references, comma-separated', parseFeatureRefs)
    .requiredOption('--entities <file>', 'the entity table: .csv with a header, or .json (columns or rows); join keys and the event time column')
    .option('--timestamp-column <name>', "the entity table's event time column (server default: event_timestamp)")
    .option('--full-names', 'name features view__feature')
    .option('--out <file>', 'write the rows here: .csv or .json (columns)')
    .option('--save-as <name>', 'save the result on the server as a new version of this training dataset')
    .option('--run-id <id>', 'with --save-as: log the dataset as an input of this run')
    .option('--json', 'print the API answer as JSON')
    .action(async (project: string, opts: Options) => {
      const wanted = featuresWanted(opts);
      if (opts.runId !== undefined && opts.saveAs === undefined) throw new UsageError('--run-id needs --save-as');
      if (opts.out !== undefined && !/\.(csv|json)$/i.test(opts.out)) throw new UsageError('--out: expected a .csv or .json file');
      const text = await readFile(opts.entities, 'utf8').catch((err: unknown) => {
        throw (err as { code?: unknown }).code === 'ENOENT' ? new UsageError(`${opts.entities}: no such file`) : err;
      });
      // A dataset saved on the server alone does not need its rows sent back.
      const returnRows = opts.out !== undefined || opts.json === true || opts.saveAs === undefined;
      const request: HistoricalFeaturesRequest = {
        entity_rows: readEntityTable(text, opts.entities),
        ...('service' in wanted ? { feature_service: wanted.service } : { features: wanted.features }),
        ...(opts.timestampColumn !== undefined ? { timestamp_column: opts.timestampColumn } : {}),
        ...(opts.fullNames ? { full_feature_names: true } : {}),
        ...(opts.saveAs !== undefined ? { save_as: { name: opts.saveAs, ...(opts.runId !== undefined ? { run_id: opts.runId } : {}) } } : {}),
        ...(returnRows ? {} : { return_rows: false }),
      };
      const response = await ctx.client().features.getHistoricalFeatures(project, request);
      if (opts.out !== undefined) {
        await writeFileAtomically(opts.out, /\.csv$/i.test(opts.out) ? columnsToCsv(response.columns, response.values ?? {}, response.row_count) : `${JSON.stringify(response.values ?? {}, null, 2)}\n`);
        ctx.io.stderr(`Wrote ${response.row_count} rows to ${opts.out}\n`);
      }
      if (opts.json) printJson(ctx.io, response);
      else if (opts.out === undefined && returnRows) ctx.io.stdout(renderRows(response));
      if (response.dataset && !opts.json) ctx.io.stdout(describeDataset(response.dataset));
    });
}

function renderRows(response: HistoricalFeaturesResponse): string {
  const values = response.values ?? {};
  return formatTable(
    response.columns.map((c) => c.toUpperCase()),
    Array.from({ length: response.row_count }, (_, r) => response.columns.map((c) => formatCell(values[c]?.[r]))),
  );
}

export function describeDataset(d: TrainingDatasetInfo): string {
  return `Saved training dataset '${d.name}' version ${d.version}: ${d.row_count} rows, sha256 ${d.digest}, ${d.uri}${d.run_id ? `, logged to run ${d.run_id}` : ''}\n`;
}

