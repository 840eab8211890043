import type { Kysely } from 'kysely';
import type { MonitorManifest } from '@capstan/contracts';
import { CapstanError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { MonitorStore } from './monitor-store.js';
import type { MonitoringTables } from './tables.js';
import { locateTrainingDataset, type TrainingReferenceDeps } from './training-reference.js';

export interface DeploymentView {
  name: string;
  workspace: string;
  primary: { model: string; version: string } | undefined;
}

export interface AutoSkewOptions {
  db: Kysely<MonitoringTables>;
  monitors: MonitorStore;
  deployments(): Promise<DeploymentView[]>;
  /** Moves whenever any deployment changes: the scheduler's frequent ticks look no further while it stands still. */
  deploymentsRevision(): Promise<number>;
  training: TrainingReferenceDeps;
  logger: Logger;
  now(): number;
  windowSeconds: number;
  intervalSeconds: number;
}

const SKEW_SUFFIX = '-training-skew';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** How long a version found without a training dataset waits before it is looked at again. */
const RECHECK_MS = 60 * 60 * 1000;

/**
 * Training/serving skew without setup: when a deployment's primary version was trained on a logged
 * dataset (an input tagged `mlflow.data.context=training` whose file is in the run's artifacts),
 * a monitor `<deployment>-training-skew` is created comparing the deployment's inputs with it.
 * Each (deployment, version) is considered once, so deleting the monitor sticks until the
 * deployment serves another version (a version found without a training dataset is looked at again
 * hourly, as one may be logged later); a monitor of that name that exists is left alone. Several
 * replicas may consider the same pair: the create is idempotent and the first one wins.
 */
export class AutoSkewMonitors {
  /** What the last complete pass saw: deployments unchanged since, and recent enough, need no new pass. */
  private lastPass: { revision: number; at: number } | undefined;

  constructor(private readonly options: AutoSkewOptions) {}

  async sync(): Promise<void> {
    const { db, logger } = this.options;
    const revision = await this.options.deploymentsRevision();
    const now = this.options.now();
    if (this.lastPass && this.lastPass.revision === revision && now - this.lastPass.at < RECHECK_MS) return;
    let complete = true;
    const considered = new Map((await db.selectFrom('monitor_auto_skew').selectAll().execute()).map((r) => [r.deployment, r]));
    for (const deployment of await this.options.deployments()) {
      const { primary } = deployment;
      if (!primary) continue;
      const last = considered.get(deployment.name);
      // A version without a training dataset is looked at again now and then: one may be logged later.
      const settled = last && last.model === primary.model && last.version === primary.version && (last.monitor !== null || now - Number(last.considered_at) < RECHECK_MS);
      if (settled) continue;
      const monitor = await this.consider(deployment, primary).catch((err: unknown) => {
        logger.error({ err, deployment: deployment.name }, 'could not consider a training/serving skew monitor');
        complete = false;
        return null;
      });
      // A failure to look is retried at the next pass; an answer (monitor or not) is recorded.
      if (monitor === null) continue;
      const row = { deployment: deployment.name, model: primary.model, version: primary.version, monitor: monitor ?? null, considered_at: now };
      await db
        .insertInto('monitor_auto_skew')
        .values(row)
        .onConflict((oc) => oc.column('deployment').doUpdateSet({ model: row.model, version: row.version, monitor: row.monitor, considered_at: row.considered_at }))
        .execute();
    }
    if (complete) this.lastPass = { revision, at: now };
  }

  /** The monitor created, or undefined when the version has no usable training dataset or the name is taken. */
  private async consider(deployment: DeploymentView, primary: { model: string; version: string }): Promise<string | undefined> {
    try {
      await locateTrainingDataset(primary, this.options.training);
    } catch (err) {
      if (err instanceof CapstanError) return undefined;
      throw err;
    }
    const name = `${deployment.name}${SKEW_SUFFIX}`;
    if (!NAME.test(name) || (await this.options.monitors.find(name))) return undefined;
    const manifest: MonitorManifest = {
      name,
      description: `Created by Capstan: the inputs of deployment '${deployment.name}' against the training dataset logged with the version it serves (training/serving skew). Add alert channels with PUT; disable it with "enabled": false.`,
      deployment: deployment.name,
      reference: { type: 'training_dataset' },
      window_seconds: this.options.windowSeconds,
      interval_seconds: this.options.intervalSeconds,
      checks: { data_drift: {} },
    };
    try {
      await this.options.monitors.create(manifest, deployment.workspace, null);
    } catch (err) {
      // Another replica created it first.
      if (err instanceof CapstanError && err.code === 'RESOURCE_ALREADY_EXISTS') return name;
      throw err;
    }
    this.options.logger.info({ monitor: name, deployment: deployment.name, version: primary.version }, 'training/serving skew monitor created');
    return name;
  }
}
