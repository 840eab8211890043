import { InvalidArgumentError, type Command } from 'commander';
import type { StatTestName } from '@capstan/server/monitoring-report';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatTable } from '../format/table.js';
import { readColumnMapping, selectColumns, type ColumnMapping } from '../monitor/column-mapping.js';
import type { Table } from '@capstan/server/table-files';
import { writeFileAtomically } from '../write-atomically.js';

interface Options {
  reference: string;
  current: string;
  columnMapping?: string;
  stattest?: string;
  numericalStattest?: string;
  categoricalStattest?: string;
  stattestThreshold?: number;
  driftShare?: number;
  title?: string;
  html?: string;
  json?: string;
}

const finite = (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};
const share = (value: string) => {
  const n = finite(value);
  if (n < 0 || n > 1) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
};


/**
 * `capstan monitor report --reference ref.csv --current cur.parquet --html out.html --json out.json`:
 * the drift report of the server's API, computed offline on two files (CSV or Parquet, read with
 * DuckDB) with no server, like Evidently's Report(DataDriftPreset) saved as HTML and JSON. Without
 * --html or --json the JSON goes to stdout; a summary table always goes to stdout otherwise.
 */
export function registerMonitorReport(group: Command, ctx: CommandContext): void {
  group
    .command('report')
    .description('compare a reference and a current dataset (CSV or Parquet) offline: Evidently-style drift report as HTML and JSON')
    .requiredOption('--reference <file>', 'reference data: .csv (.tsv, .gz) or .parquet')
    .requiredOption('--current <file>', 'current data, same formats')
    .option('--column-mapping <file>', "JSON like Evidently's ColumnMapping: numerical_features, categorical_features, target, prediction, datetime, id, datetime_features")
    // Test names are checked by the drift library, which lists the valid ones when refusing a name.
    .option('--stattest <name>', "test for every column: ks, chisquare, z, jensenshannon, wasserstein, psi, ... (default: Evidently's choice per column)")
    .option('--numerical-stattest <name>', 'test for numerical columns')
    .option('--categorical-stattest <name>', 'test for categorical columns')
    .option('--stattest-threshold <number>', "threshold for every column's test (default: the test's own)", finite)
    .option('--drift-share <share>', 'the dataset drifts when at least this share of columns drifts', share, 0.5)
    .option('--title <title>', 'report title', 'Data drift report')
    .option('--html <file>', 'write the HTML report here')
    .option('--json <file>', 'write the Evidently-shaped JSON report here')
    .action(async (opts: Options) => {
      const mapping: ColumnMapping = opts.columnMapping ? await readColumnMapping(opts.columnMapping) : {};
      // DuckDB's native library and the statistics load here, not at start-up: no other command needs them.
      const { duckdbTableFiles, TableFileError } = await import('@capstan/server/table-files');
      const [reference, current] = (await duckdbTableFiles.readFiles([opts.reference, opts.current]).catch((err: unknown) => {
        throw err instanceof TableFileError ? new UsageError(err.message) : err;
      })) as [Table, Table];
      const kindsOf = (t: Table) => new Map([...t.columns].map(([name, c]) => [name, c.kind] as const));
      const selection = selectColumns(mapping, kindsOf(reference), kindsOf(current));
      if (selection.columns.length === 0) throw new UsageError(`${opts.reference} and ${opts.current} have no column in common to compare`);
      const valuesOf = (t: Table) => Object.fromEntries(selection.columns.map((name) => [name, t.columns.get(name)!.values] as const));

      const { buildDriftReport, DriftError, evidentlyReport, htmlReport } = await import('@capstan/server/monitoring-report');
      let report;
      try {
        report = buildDriftReport(valuesOf(reference), valuesOf(current), {
          columns: selection.columns,
          columnTypes: selection.columnTypes,
          driftShare: opts.driftShare ?? 0.5,
          generatedAt: new Date(),
          title: opts.title ?? 'Data drift report',
          referenceRows: reference.rows,
          currentRows: current.rows,
          ...(opts.stattest ? { stattest: opts.stattest as StatTestName } : {}),
          ...(opts.numericalStattest ? { numericalStattest: opts.numericalStattest as StatTestName } : {}),
          ...(opts.categoricalStattest ? { categoricalStattest: opts.categoricalStattest as StatTestName } : {}),
          ...(opts.stattestThreshold !== undefined ? { threshold: opts.stattestThreshold } : {}),
        });
      } catch (err) {
        if (err instanceof DriftError) throw new UsageError(err.message);
        throw err;
      }
      const json = `${JSON.stringify(evidentlyReport(report), null, 2)}\n`;
      if (opts.html) await writeFileAtomically(opts.html, htmlReport(report));
      if (opts.json) await writeFileAtomically(opts.json, json);
      if (!opts.html && !opts.json) {
        ctx.io.stdout(json);
        return;
      }

      const r = report.result;
      const rows = [...report.columns]
        .sort((a, b) => Number(b.drift.drifted) - Number(a.drift.drifted))
        .map((c) => [c.name, c.drift.columnType, c.drift.stattestDisplayName, String(c.drift.threshold), formatScore(c.drift.score), c.drift.drifted ? 'DRIFT' : 'ok']);
      for (const s of report.skipped) rows.push([s.name, '', '', '', '', 'SKIPPED']);
      ctx.io.stdout(formatTable(['COLUMN', 'TYPE', 'TEST', 'THRESHOLD', 'SCORE', 'DRIFT'], rows));
      ctx.io.stdout(
        `${r.datasetDrift ? 'Dataset drift detected' : 'No dataset drift'}: ${r.numberOfDriftedColumns} of ${r.numberOfColumns} columns drifted (share ${round(r.shareOfDriftedColumns)}, threshold ${r.driftShare}); reference ${reference.rows} rows, current ${current.rows} rows\n`,
      );
      for (const s of report.skipped) ctx.io.stderr(`skipped ${s.name}: ${s.reason}\n`);
      if (selection.excluded.length) ctx.io.stderr(`not compared: ${selection.excluded.map((e) => `${e.column} (${e.why})`).join(', ')}\n`);
      for (const file of [opts.html, opts.json]) if (file) ctx.io.stderr(`Wrote ${file}\n`);
    });
}

const round = (x: number) => String(Math.round(x * 1000) / 1000);
const formatScore = (x: number) => (Number.isFinite(x) && x !== 0 && Math.abs(x) < 1e-4 ? x.toExponential(3) : String(Number(x.toPrecision(6))));
