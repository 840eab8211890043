import type { DatasetInput, Run } from '@capstan/contracts';
import { invalidParameter, notFound } from '../../../core/errors.js';
import { TableFileError, type TableFiles } from '../../../ports/table-files.js';
import { runOfFileUri } from './run-file-uri.js';
import type { DriftValue } from '../drift/index.js';
import type { Sample } from './run-checks.js';

/** What a monitor needs to find the data the served version was trained on. */
export interface TrainingReferenceDeps {
  /** The registered model and version a deployment sends most of its traffic to. */
  servedVersion(deployment: string): Promise<{ model: string; version: string } | undefined>;
  /** The run that produced a model version. */
  versionRun(model: string, version: string): Promise<string | undefined>;
  /** Runs as MLflow returns them, with their dataset inputs. */
  runs(runIds: readonly string[]): Promise<Run[]>;
  /** A run's artifact root URI. */
  runArtifactUri(runId: string): Promise<string | undefined>;
  /** The bytes of a file this server's artifact store holds, by artifact URI; undefined when it holds no such file. */
  readArtifact(uri: string): Promise<Buffer | undefined>;
  /** Reads CSV and Parquet. */
  tables: TableFiles;
}

const TRAINING_CONTEXTS = new Set(['training', 'train']);

/**
 * The served version's training dataset as columns: the run that produced the version, its dataset
 * input tagged `mlflow.data.context=training` (what `mlflow.log_input(ds, context="training")`
 * writes), and the file its source names. The server reads only files in that run's own artifacts
 * (`runs:/<run_id>/path` or a URI under the run's artifact root), never a path on its own disk or
 * another run's files the monitor's owner may not be allowed to read. CSV (header row), Parquet
 * and JSON (records, or pandas' `split` orient) are read.
 */
export async function trainingReference(deployment: string, deps: TrainingReferenceDeps, maxRows: number): Promise<Sample> {
  const served = await deps.servedVersion(deployment);
  if (!served) throw notFound(`Deployment '${deployment}' not found or serves no version`);
  const { runId, file, uri } = await locateTrainingDataset(served, deps);
  const bytes = await deps.readArtifact(file);
  if (!bytes) throw invalidParameter(`the training dataset file '${uri}' of run ${runId} is not in the artifact store`);
  return parseTable(bytes, file, maxRows, deps.tables);
}

/**
 * A stored dataset of a dataset-pair monitor: the file `runs:/<run_id>/<path>` names in that run's
 * artifacts (CSV, Parquet or JSON), read as it is now.
 */
export async function readRunDataset(uri: string, deps: TrainingReferenceDeps, maxRows: number): Promise<Sample> {
  const runId = runOfFileUri(uri);
  const root = runId === undefined ? undefined : await deps.runArtifactUri(runId);
  if (runId === undefined || root === undefined) throw notFound(`the dataset '${uri}' names no run this server knows`);
  const file = inRunArtifacts(uri, runId, root);
  if (file === undefined) throw invalidParameter(`the dataset '${uri}' is not a file in the run's artifacts`);
  const bytes = await deps.readArtifact(file);
  if (!bytes) throw invalidParameter(`the dataset file '${uri}' is not in the artifact store`);
  return parseTable(bytes, file, maxRows, deps.tables);
}

/**
 * Where a version's training dataset lies: its run, and the artifact URI of the first training
 * input (by name, then digest) whose file is in that run's artifacts. INVALID_PARAMETER_VALUE
 * saying what is missing otherwise.
 */
export async function locateTrainingDataset(served: { model: string; version: string }, deps: TrainingReferenceDeps): Promise<{ runId: string; file: string; uri: string }> {
  const what = `version ${served.version} of model '${served.model}'`;
  const runId = await deps.versionRun(served.model, served.version);
  if (!runId) throw invalidParameter(`${what} names no run, so it has no logged training dataset; use a window reference`);
  const [run] = await deps.runs([runId]);
  const inputs = (run?.inputs?.dataset_inputs ?? []).filter((i) => TRAINING_CONTEXTS.has(contextOf(i)?.trim().toLowerCase() ?? ''));
  if (!inputs.length) throw invalidParameter(`run ${runId} of ${what} logged no dataset with context 'training'; log one with mlflow.log_input(dataset, context="training") or use a window reference`);
  inputs.sort((a, b) => a.dataset.name.localeCompare(b.dataset.name) || a.dataset.digest.localeCompare(b.dataset.digest));
  const artifactRoot = await deps.runArtifactUri(runId);
  const located = inputs.map((input) => {
    const uri = sourceUri(input);
    return { input, uri, file: uri === undefined ? undefined : inRunArtifacts(uri, runId, artifactRoot) };
  });
  const chosen = located.find((l) => l.file !== undefined);
  if (!chosen?.file || chosen.uri === undefined) {
    const { input, uri } = located[0]!;
    throw invalidParameter(
      `the training dataset '${input.dataset.name}' of run ${runId} has source ${uri === undefined ? `of type '${input.dataset.source_type}' with no URI` : `'${uri}'`}, which is not in the run's artifacts; log the file as an artifact of the run and give its runs:/${runId}/<path> URI as the dataset's source`,
    );
  }
  return { runId, file: chosen.file, uri: chosen.uri };
}

function contextOf(input: DatasetInput): string | undefined {
  return input.tags?.find((t) => t.key === 'mlflow.data.context')?.value;
}

/** MLflow writes a dataset's source as JSON, `{"uri": ...}` for file-like sources. */
function sourceUri(input: DatasetInput): string | undefined {
  try {
    const source = JSON.parse(input.dataset.source) as { uri?: unknown; url?: unknown; path?: unknown };
    const uri = source.uri ?? source.url ?? source.path;
    return typeof uri === 'string' ? uri : undefined;
  } catch {
    return undefined;
  }
}

/** The artifact URI of `uri` when it lies inside the run's artifacts; `..` never climbs out. */
function inRunArtifacts(uri: string, runId: string, artifactRoot: string | undefined): string | undefined {
  if (!artifactRoot) return undefined;
  const root = artifactRoot.replace(/\/+$/, '');
  const runsPrefix = `runs:/${runId}/`;
  const path = uri.startsWith(runsPrefix) ? uri.slice(runsPrefix.length) : uri.startsWith(`${root}/`) ? uri.slice(root.length + 1) : undefined;
  if (path === undefined || path.split('/').some((part) => part === '..' || part === '')) return undefined;
  return `${root}/${path}`;
}

async function parseTable(bytes: Buffer, file: string, maxRows: number, tables: TableFiles): Promise<Sample> {
  const name = file.slice(file.lastIndexOf('/') + 1);
  let sample: Sample;
  if (/\.json$/i.test(name)) {
    const records = jsonRecords(bytes.toString('utf8'), file);
    const columns: Record<string, DriftValue[]> = Object.fromEntries(records.header.map((h) => [h, []]));
    for (const row of records.rows) records.header.forEach((h, i) => columns[h]!.push(row[i] ?? null));
    sample = { columns, rows: records.rows.length };
  } else {
    try {
      const table = await tables.readBytes(name, bytes);
      sample = { columns: Object.fromEntries([...table.columns].map(([column, c]) => [column, c.values])), rows: table.rows };
    } catch (err) {
      if (err instanceof TableFileError) throw invalidParameter(`the training dataset '${file}' could not be read: ${err.message}`);
      throw err;
    }
  }
  if (sample.rows > maxRows) throw invalidParameter(`the training dataset '${file}' holds ${sample.rows} rows, more than the ${maxRows} a reference may hold`);
  return sample;
}

function jsonRecords(text: string, file: string): { header: string[]; rows: DriftValue[][] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidParameter(`the training dataset '${file}' is not valid JSON: ${(err as Error).message}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && 'columns' in value && 'data' in value) {
    const split = value as { columns: unknown; data: unknown };
    if (Array.isArray(split.columns) && Array.isArray(split.data)) return { header: split.columns.map(String), rows: split.data as DriftValue[][] };
  }
  if (Array.isArray(value) && value.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    const header = [...new Set(value.flatMap((r: object) => Object.keys(r)))];
    return { header, rows: value.map((r: Record<string, DriftValue>) => header.map((h) => r[h] ?? null)) };
  }
  throw invalidParameter(`the training dataset '${file}' must be JSON records ([{"col": value}]) or pandas' split orient ({"columns", "data"})`);
}
