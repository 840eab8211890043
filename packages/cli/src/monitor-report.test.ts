import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriftReportDocument } from '@capstan/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';

/** fixtures/monitoring/report/, written by scripts/fixtures/make-report-fixtures.mjs. */
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/monitoring/report/${name}`, import.meta.url));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'capstan-monitor-report-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function report(format: 'csv' | 'parquet', ...extra: string[]) {
  const html = join(work, `${format}-${extra.length}.html`);
  const json = join(work, `${format}-${extra.length}.json`);
  const result = await runCli(['monitor', 'report', '--reference', fixture(`reference.${format}`), '--current', fixture(`current.${format}`), '--html', html, '--json', json, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  const doc = JSON.parse(await readFile(json, 'utf8')) as DriftReportDocument;
  return { ...result, doc, html: await readFile(html, 'utf8'), byColumn: doc.metrics[1].result.drift_by_columns };
}

const drifted = (doc: DriftReportDocument) =>
  Object.values(doc.metrics[1].result.drift_by_columns)
    .filter((c) => c.drift_detected)
    .map((c) => c.column_name)
    .sort();

describe('capstan monitor report (offline, CSV and Parquet through DuckDB)', () => {
  it('writes the HTML and the Evidently JSON for two CSV files with a column mapping', async () => {
    const { doc, html, byColumn, stdout, stderr } = await report('csv', '--column-mapping', fixture('column-mapping.json'), '--title', 'Churn model, week 1');
    // The mapping leaves out the id and datetime columns and adds target and prediction.
    expect(Object.keys(byColumn).sort()).toEqual(['age', 'churned', 'country', 'income', 'is_active', 'monthly spend ($)', 'plan', 'score', 'tenure_months']);
    expect(doc.capstan).toMatchObject({ title: 'Churn model, week 1', reference_rows: 400, current_rows: 300 });
    expect(doc.capstan.skipped_columns).toEqual([{ column: 'legacy_code', reason: "An empty column 'legacy_code' was provided for drift calculation in the current dataset." }]);
    // The fixture moved age (and so the score computed from it) and the plan mix.
    expect(byColumn.age).toMatchObject({ column_type: 'num', stattest_name: 'K-S p_value', drift_detected: true });
    expect(byColumn.plan).toMatchObject({ column_type: 'cat', stattest_name: 'chi-square p_value', drift_detected: true });
    expect(byColumn.country).toMatchObject({ column_type: 'cat', drift_detected: false });
    expect(byColumn.is_active).toMatchObject({ column_type: 'cat', stattest_name: 'Z-test p_value', drift_detected: false });
    expect(byColumn.income).toMatchObject({ column_type: 'num', drift_detected: false });
    expect(drifted(doc)).toContain('score');
    const dataset = doc.metrics[0].result;
    expect(dataset.number_of_columns).toBe(9);
    expect(dataset.number_of_drifted_columns).toBe(drifted(doc).length);
    expect(dataset.dataset_drift).toBe(dataset.share_of_drifted_columns >= 0.5);
    // NaN and inf in current's income were dropped before testing; its histogram has 300 minus nulls, NaN, inf.
    const incomeCounts = byColumn.income!.current.small_distribution;
    expect(incomeCounts.x).toHaveLength(incomeCounts.y.length + 1);

    expect(html).toContain('<title>Churn model, week 1</title>');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(9);
    expect(html).toContain('monthly spend ($)');
    expect(stdout).toMatch(/^COLUMN\s+TYPE\s+TEST\s+THRESHOLD\s+SCORE\s+DRIFT\n/);
    expect(stdout).toMatch(/^age\s+numerical\s+K-S p_value\s+0\.05\s+\S+\s+DRIFT$/m);
    expect(stdout).toMatch(/^legacy_code\s+SKIPPED$/m);
    expect(stdout).toContain(`${dataset.number_of_drifted_columns} of 9 columns drifted`);
    expect(stderr).toContain('not compared: user_id (id column), signup_date (datetime column)');
  });

  it('reads Parquet to the same numbers as CSV', async () => {
    const mapping = ['--column-mapping', fixture('column-mapping.json')];
    const csv = await report('csv', ...mapping);
    const parquet = await report('parquet', ...mapping);
    expect(parquet.doc.metrics).toEqual(csv.doc.metrics);
    expect(parquet.doc.capstan).toEqual(csv.doc.capstan);
  });

  it('without a mapping compares every column both files have, leaving out date columns, and types columns by their file type', async () => {
    const { byColumn, stderr } = await report('parquet');
    expect(Object.keys(byColumn)).not.toContain('signup_date');
    expect(stderr).toContain('signup_date (date/time type)');
    // The ids of the two files never overlap: an id column drifts, which is why a mapping excludes it.
    expect(byColumn.user_id).toMatchObject({ column_type: 'num', drift_detected: true });
    // A 0/1 integer column is categorical by Evidently's rule (<= 5 distinct values).
    expect(byColumn.churned).toMatchObject({ column_type: 'cat' });
    expect(byColumn.score).toMatchObject({ column_type: 'num' });
  });

  it('honours --stattest, --stattest-threshold and --drift-share', async () => {
    const { byColumn, doc } = await report('csv', '--column-mapping', fixture('column-mapping.json'), '--numerical-stattest', 'wasserstein', '--stattest-threshold', '0.2', '--drift-share', '0.9');
    expect(byColumn.age).toMatchObject({ stattest_name: 'Wasserstein distance (normed)', stattest_threshold: 0.2 });
    expect(byColumn.plan).toMatchObject({ stattest_name: 'chi-square p_value', stattest_threshold: 0.2 });
    expect(doc.metrics[0].result.drift_share).toBe(0.9);
  });

  it('prints the JSON on stdout when no output file is named', async () => {
    const result = await runCli(['monitor', 'report', '--reference', fixture('reference.csv'), '--current', fixture('current.parquet')]);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as DriftReportDocument;
    expect(doc.metrics[0].metric).toBe('DatasetDriftMetric');
  });

  it('refuses what it cannot read or compare, in one line', async () => {
    const missing = await runCli(['monitor', 'report', '--reference', join(work, 'nope.csv'), '--current', fixture('current.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: INVALID_ARGUMENT: ${join(work, 'nope.csv')}: no such file\n`);
    const excel = join(work, 'data.xlsx');
    await writeFile(excel, 'x');
    const format = await runCli(['monitor', 'report', '--reference', excel, '--current', fixture('current.csv')]);
    expect(format.stderr).toMatch(/expected a \.csv .* or \.parquet file/);
    const badTest = await runCli(['monitor', 'report', '--reference', fixture('reference.csv'), '--current', fixture('current.csv'), '--stattest', 'kolmogorov']);
    expect(badTest.code).toBe(1);
    expect(badTest.stderr).toMatch(/^error: INVALID_ARGUMENT: No stattest found of name kolmogorov\. Available stattests: ks, /);
    const mapping = join(work, 'mapping.json');
    await writeFile(mapping, JSON.stringify({ numerical_features: ['age'], text_features: ['notes'] }));
    const text = await runCli(['monitor', 'report', '--reference', fixture('reference.csv'), '--current', fixture('current.csv'), '--column-mapping', mapping]);
    expect(text.stderr).toBe(`error: INVALID_ARGUMENT: ${mapping}: text_features: text drift (a domain classifier in Evidently) is not supported\n`);
    const share = await runCli(['monitor', 'report', '--reference', fixture('reference.csv'), '--current', fixture('current.csv'), '--drift-share', '2']);
    expect(share.code).not.toBe(0);
    expect(share.stderr).toMatch(/expected a number between 0 and 1/);
    // Nothing half-written is left behind by a failed run.
    const out = join(work, 'never.html');
    await runCli(['monitor', 'report', '--reference', fixture('reference.csv'), '--current', fixture('current.csv'), '--stattest', 'kolmogorov', '--html', out]);
    await expect(stat(out)).rejects.toThrow();
  });
});
