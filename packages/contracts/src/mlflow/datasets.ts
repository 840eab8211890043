/** Datasets recorded as run inputs (proto `Dataset`, `DatasetInput`, `InputTag`). */

/** A reference to data used for training, evaluation or testing (proto `Dataset`). */
export interface Dataset {
  /** Dataset name, e.g. `my.uc.table@2` or `nyc-taxi-dataset`. */
  name: string;
  /** Digest (e.g. an md5 hash) identifying this version among datasets of the same name. */
  digest: string;
  /** Kind of source, e.g. `local`, `http`, `s3`, `databricks-uc-table`. */
  source_type: string;
  /** Source description, usually JSON, e.g. `{"uri": "s3://bucket/data.csv"}`. */
  source: string;
  /** Schema, e.g. MLflow ColSpec or TensorSpec JSON; optional. */
  schema?: string;
  /** Summary statistics such as row counts, usually JSON; optional. */
  profile?: string;
}

/** Tag on a dataset input, e.g. `mlflow.data.context` = `training` (proto `InputTag`). */
export interface InputTag {
  /** Tag key. */
  key: string;
  /** Tag value. */
  value: string;
}

/** A dataset used by a run, with tags describing how (proto `DatasetInput`). */
export interface DatasetInput {
  /** Tags of this use of the dataset; omitted when there are none. */
  tags?: InputTag[];
  /** The dataset. */
  dataset: Dataset;
}

/** Summary of a dataset used in an experiment (proto `DatasetSummary`), as the MLflow UI lists them. */
export interface DatasetSummary {
  /** Experiment the dataset was used in. */
  experiment_id: string;
  /** Dataset name. */
  name: string;
  /** Dataset digest. */
  digest: string;
  /** Value of the input's `mlflow.data.context` tag, when set. */
  context?: string;
}

/** POST experiments/search-datasets (undocumented in MLflow; used by its UI). */
export interface SearchDatasetsRequest {
  /** Experiments to search. */
  experiment_ids?: string[];
}
export interface SearchDatasetsResponse {
  /** The most recently created datasets, as many as the backend is configured to return. */
  dataset_summaries?: DatasetSummary[];
}
