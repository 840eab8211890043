/** The monitoring module's tables as Kysely sees them (created by 0011-monitors, 0012-monitor-profiles). Times are epoch milliseconds. */
export interface MonitoringTables {
  monitors: MonitorsTable;
  monitor_runs: MonitorRunsTable;
  monitor_alert_states: MonitorAlertStatesTable;
  monitor_alert_deliveries: MonitorAlertDeliveriesTable;
  monitor_auto_skew: MonitorAutoSkewTable;
}

/** A (deployment, primary version) considered for a training/serving skew monitor. */
export interface MonitorAutoSkewTable {
  deployment: string;
  model: string;
  version: string;
  /** The monitor created, or null when the version had no usable training dataset. */
  monitor: string | null;
  considered_at: number;
}

export interface MonitorsTable {
  name: string;
  workspace: string;
  deployment: string;
  description: string | null;
  /** The MonitorSpec JSON as declared, alert secrets included (never sent back). */
  spec: string;
  enabled: number;
  next_run_at: number;
  /** A scheduler holds a due monitor until this time while it runs it; another replica skips it. */
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  created_by: string | null;
}

export interface MonitorRunsTable {
  run_id: string;
  monitor: string;
  trigger: string;
  status: string;
  started_at: number;
  finished_at: number;
  window_from: number;
  window_to: number;
  reference_rows: number;
  current_rows: number;
  /** Check name -> status JSON, for listing without reading the results. */
  checks: string;
  message: string | null;
  /** MonitorCheckResult[] JSON. */
  results: string;
  /** The current window's input profile (serializeProfile JSON) when the monitor has a data_drift check (0012-monitor-profiles). */
  profile: string | null;
}

/** Whether a monitor's check is firing, so a failure alerts once and a recovery once. */
export interface MonitorAlertStatesTable {
  monitor: string;
  check_name: string;
  firing: number;
  since: number;
  run_id: string;
}

export interface MonitorAlertDeliveriesTable {
  delivery_id: string;
  monitor: string;
  event: string;
  check_name: string;
  run_id: string;
  /** AlertChannel JSON (with the secret, to sign). */
  channel: string;
  /** The exact body sent on every attempt. */
  payload: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  locked_until: number | null;
  created_at: number;
  completed_at: number | null;
}
