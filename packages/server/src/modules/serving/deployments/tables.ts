/** The serving module's tables as Kysely sees them; times are epoch milliseconds. */
export interface ServingTables {
  deployments: DeploymentsTable;
  deployment_revisions: { id: number; revision: number };
}

export interface DeploymentsTable {
  name: string;
  workspace: string;
  description: string | null;
  /** DeploymentSpec JSON, as declared. */
  spec: string;
  /** DeploymentTraffic JSON. */
  traffic: string;
  previous_traffic: string | null;
  /** The canary state machine's JSON, when a canary has run. */
  canary: string | null;
  /** A global sequence number: every write to any deployment takes the next one. */
  revision: number;
  created_at: number;
  updated_at: number;
  created_by: string | null;
  updated_by: string | null;
}
