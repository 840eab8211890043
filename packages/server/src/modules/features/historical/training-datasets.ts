import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Insertable, Kysely } from 'kysely';
import type { FeatureDtype, TrainingDatasetInfo } from '@capstan/contracts';
import { CapstanError, invalidParameter, notFound } from '../../../core/errors.js';
import type { BlobStore } from '../../../ports/blob-store.js';
import type { FeatureTables } from '../registry/tables.js';
import { isoTime } from '../values/cells.js';
import type { HistoricalRetrieval } from './historical-features.js';

/** A dataset input as the tracking module logs it on a run. */
export interface RunDatasetInput {
  dataset: { name: string; digest: string; sourceType: string; source: string; schema?: string; profile?: string };
  tags: { key: string; value: string }[];
}

export interface TrainingDatasetDeps {
  db: Kysely<FeatureTables>;
  /** The artifact store (the same one runs' proxied artifacts live in). */
  blobs: BlobStore;
  /** The blob key of a run's artifact root, or undefined when the run's artifacts are not proxied here. */
  runArtifactKey(runId: string): Promise<string | undefined>;
  logRunDataset(runId: string, input: RunDatasetInput): Promise<void>;
  now: () => number;
}

/** MLflow's column types for a dataset's `mlflow_colspec` schema. */
const MLFLOW_TYPES: Record<string, string> = { int32: 'integer', int64: 'long', float32: 'float', float64: 'double', string: 'string', bytes: 'binary', bool: 'boolean', unix_timestamp: 'datetime' };

/**
 * Saves a retrieval as the next version of a named training dataset: a Parquet file with its
 * sha256, the feature references and registry revision it came from, and its row count. Given a
 * run, the file goes into the run's artifacts and is logged as the run's training input, so the
 * registry's lineage (model version -> run -> dataset) reaches the features, and the monitoring
 * module's training/serving skew monitor finds the data.
 */
export async function saveTrainingDataset(
  project: { project: string; revision: number },
  retrieval: HistoricalRetrieval,
  saveAs: { name: string; run_id?: string },
  deps: TrainingDatasetDeps,
): Promise<TrainingDatasetInfo> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(saveAs.name)) throw invalidParameter('save_as.name must be 1-128 letters, digits, dots, dashes or underscores');
  const runKey = saveAs.run_id === undefined ? undefined : await deps.runArtifactKey(saveAs.run_id);
  if (saveAs.run_id !== undefined && runKey === undefined) throw notFound(`Run '${saveAs.run_id}' not found, or its artifacts are not stored through this server`);

  const dir = await mkdtemp(join(tmpdir(), 'capstan-dataset-'));
  try {
    const local = join(dir, 'dataset.parquet');
    await retrieval.result.writeParquet(local);
    // Hashed as a stream: a training set may be larger than the memory the server should spend on it.
    const hash = createHash('sha256');
    await pipeline(createReadStream(local), hash);
    const digest = hash.digest('hex');
    const features = retrieval.selections.map((s) => `${s.view}:${s.feature}`);
    const createdAt = deps.now();
    const locate = (version: number) => {
      const relative = `feature-datasets/${saveAs.name}/${saveAs.name}-v${version}.parquet`;
      const key = runKey !== undefined ? `${runKey}/${relative}` : `feature-datasets/${project.project}/${relative.slice('feature-datasets/'.length)}`;
      return { key, uri: saveAs.run_id !== undefined ? `runs:/${saveAs.run_id}/${relative}` : `mlflow-artifacts:/${key}` };
    };
    // The version's row is claimed before its file is written, so two saves of one name at once
    // take different versions and neither overwrites the other's file.
    const version = await claimVersion(deps.db, (v) => ({
      project: project.project,
      name: saveAs.name,
      version: v,
      digest,
      row_count: retrieval.result.rowCount,
      uri: locate(v).uri,
      features: JSON.stringify(features),
      registry_revision: project.revision,
      run_id: saveAs.run_id ?? null,
      created_at: createdAt,
    }));
    const { key, uri } = locate(version);
    try {
      await deps.blobs.put(key, createReadStream(local));
    } catch (err) {
      await deps.db.deleteFrom('feature_datasets').where('project', '=', project.project).where('name', '=', saveAs.name).where('version', '=', version).execute();
      throw err;
    }
    if (saveAs.run_id !== undefined) {
      await deps.logRunDataset(saveAs.run_id, {
        dataset: {
          name: saveAs.name,
          digest: digest.slice(0, 36),
          sourceType: 'capstan-feature-store',
          source: JSON.stringify({ uri, project: project.project, registry_revision: project.revision, features }),
          schema: JSON.stringify({ mlflow_colspec: retrieval.result.columnNames.map((name) => ({ name, type: MLFLOW_TYPES[baseType(retrieval.dtypes.get(name))] ?? 'string' })) }),
          profile: JSON.stringify({ num_rows: retrieval.result.rowCount }),
        },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      });
    }
    return {
      name: saveAs.name,
      version,
      digest,
      row_count: retrieval.result.rowCount,
      uri,
      features,
      registry_revision: project.revision,
      ...(saveAs.run_id !== undefined ? { run_id: saveAs.run_id } : {}),
      created_at: isoTime(createdAt),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Inserts the next version's row, moving on when another save took that version first. */
async function claimVersion(db: Kysely<FeatureTables>, row: (version: number) => Insertable<FeatureTables['feature_datasets']>): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const first = row(0);
    const latest = await db.selectFrom('feature_datasets').select((eb) => eb.fn.max('version').as('v')).where('project', '=', first.project).where('name', '=', first.name).executeTakeFirst();
    const version = Number(latest?.v ?? 0) + 1;
    const inserted = await db
      .insertInto('feature_datasets')
      .values(row(version))
      .onConflict((oc) => oc.columns(['project', 'name', 'version']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return version;
    if (attempt >= 10) throw new CapstanError('RESOURCE_CONFLICT', `Too many concurrent saves of training dataset '${first.name}'; try again`);
  }
}

const baseType = (dtype: FeatureDtype | undefined) => (dtype?.endsWith('[]') ? 'list' : (dtype ?? 'string'));

export async function listTrainingDatasets(db: Kysely<FeatureTables>, project: string): Promise<TrainingDatasetInfo[]> {
  const rows = await db.selectFrom('feature_datasets').selectAll().where('project', '=', project).orderBy('name').orderBy('version', 'desc').execute();
  return rows.map((r) => ({
    name: r.name,
    version: Number(r.version),
    digest: r.digest,
    row_count: Number(r.row_count),
    uri: r.uri,
    features: JSON.parse(r.features) as string[],
    registry_revision: Number(r.registry_revision),
    ...(r.run_id !== null ? { run_id: r.run_id } : {}),
    created_at: isoTime(Number(r.created_at)),
  }));
}
