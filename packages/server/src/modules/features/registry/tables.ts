/** The feature store's tables in the metadata database. Times are epoch ms. */
export interface FeatureTables {
  feature_projects: {
    project: string;
    workspace: string;
    revision: number;
    /** The FeatureRepoDefinition as JSON: read whole, never queried into. */
    definition: string;
    created_at: number;
    updated_at: number;
    updated_by: string | null;
  };
  feature_view_state: {
    project: string;
    view: string;
    /** End of the last materialized interval: where the next incremental run starts. */
    materialized_until: number | null;
    /** Newest event time written online (materialization or push): freshness is measured from it. */
    newest_event_time: number | null;
    /** When the scheduler next materializes the view (views with an interval). */
    next_run_at: number | null;
    /** A replica materializing the view holds it until then. */
    locked_until: number | null;
  };
  feature_materializations: {
    id: string;
    project: string;
    view: string;
    start_time: number;
    end_time: number;
    rows: number;
    trigger: string;
    finished_at: number;
  };
  feature_datasets: {
    project: string;
    name: string;
    version: number;
    digest: string;
    row_count: number;
    uri: string;
    /** JSON: the feature references and the definitions they came from. */
    features: string;
    registry_revision: number;
    run_id: string | null;
    created_at: number;
  };
}
