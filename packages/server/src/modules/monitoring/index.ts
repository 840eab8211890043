import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { MonitorRun } from '@capstan/contracts';
import { invalidParameter } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { WebhookDispatcher } from '../../core/webhooks/webhook-dispatcher.js';
import { tablesOf, type SqlDatabase } from '../../ports/sql.js';
import type { CapstanModule } from '../module.js';
import type { AccessControl, ObjectRef } from '../security/index.js';
import { AlertNotifier } from './alerts/alert-notifier.js';
import { AlertStore } from './alerts/alert-store.js';
import { registerDriftRoutes } from './http/drift-routes.js';
import { registerProfileRoutes } from './http/profile-routes.js';
import { registerPerformanceRoutes } from './http/performance-routes.js';
import { registerMonitorRoutes } from './http/monitor-routes.js';
import { registerQualityRoutes } from './http/quality-routes.js';
import { registerDriftReportRoutes } from './http/report-routes.js';
import { registerMonitorMetrics } from './metrics/monitor-metrics.js';
import { AutoSkewMonitors, type DeploymentView } from './monitors/auto-skew-monitors.js';
import { monitorsSchema } from './monitors/migrations/0011-monitors.js';
import { monitorProfilesSchema } from './monitors/migrations/0012-monitor-profiles.js';
import { autoSkewMonitorsSchema } from './monitors/migrations/0013-auto-skew-monitors.js';
import { MonitorScheduler } from './monitors/monitor-scheduler.js';
import { MonitorStore, type StoredMonitor } from './monitors/monitor-store.js';
import { runMonitor } from './monitors/run-monitor.js';
import { RunStore } from './monitors/run-store.js';
import type { Sample } from './monitors/run-checks.js';
import { ProfileError, type DatasetProfile } from './profiles/index.js';
import type { MonitoringTables } from './monitors/tables.js';
import { readRunDataset, trainingReference, type TrainingReferenceDeps } from './monitors/training-reference.js';
import type { ReadWindow } from './sources/window-columns.js';

export type { TrainingReferenceDeps } from './monitors/training-reference.js';
export const monitoringMigrations = [monitorsSchema, monitorProfilesSchema, autoSkewMonitorsSchema] as const;

export interface MonitoringSettings {
  schedulerEnabled: boolean;
  /** Create a training/serving skew monitor per deployment whose version has a training dataset. */
  skewMonitors: boolean;
  skewWindowSeconds: number;
  skewIntervalSeconds: number;
  schedulerTickMs: number;
  runLeaseMs: number;
  maxWindowRows: number;
}

export interface MonitoringModuleOptions {
  database: SqlDatabase<unknown>;
  access: AccessControl;
  logger: Logger;
  metricsRegistry: Registry;
  settings: MonitoringSettings;
  /** Pages of a deployment's inference log (the serving module's). */
  readWindow: ReadWindow;
  deploymentWorkspace(name: string): Promise<string | undefined>;
  /** How a monitor finds the data the served version was trained on. */
  training: TrainingReferenceDeps;
  /** Every deployment with its workspace and primary version (the serving module's). */
  deployments(): Promise<DeploymentView[]>;
  /** Moves whenever any deployment changes (the serving module's). */
  deploymentsRevision(): Promise<number>;
  /** The experiments holding some runs (the tracking module's): a dataset-pair monitor's access is theirs. */
  runExperiments(runIds: readonly string[]): Promise<ObjectRef[]>;
  bodyLimitBytes: number;
  now?: () => number;
  /** Waits before alert retries (tests shorten them). */
  alertRetryDelaysMs?: readonly number[];
}

export interface MonitoringModule extends CapstanModule {
  /** Runs every due monitor now (tests; the scheduler does this on its own). */
  tick(): Promise<void>;
  /** Resolves when no alert delivery is scheduled or in flight. */
  alertsIdle(): Promise<void>;
}

/**
 * Monitoring: drift between a reference and production traffic, with Evidently's tests and
 * scipy's numbers (drift/), data-quality checks (quality/), each as an API over inline columns or a
 * deployment's logged traffic; monitors that run those checks on a schedule, store every run,
 * alert through webhooks and export Prometheus gauges.
 */
export function createMonitoringModule(options: MonitoringModuleOptions): MonitoringModule {
  const now = options.now ?? Date.now;
  const db = tablesOf<MonitoringTables>(options.database).db;
  const monitors = new MonitorStore(db, now);
  const runs = new RunStore(db);
  const alertStore = new AlertStore(db, now);
  const dispatcher = new WebhookDispatcher({
    store: alertStore,
    userAgent: 'Capstan-Alerts',
    logger: options.logger,
    now,
    ...(options.alertRetryDelaysMs ? { retryDelaysMs: options.alertRetryDelaysMs } : {}),
  });
  const notifier = new AlertNotifier({ store: alertStore, dispatcher, logger: options.logger, now });
  const source = { readWindow: options.readWindow, deploymentWorkspace: options.deploymentWorkspace, maxWindowRows: options.settings.maxWindowRows };
  const metrics = registerMonitorMetrics(options.metricsRegistry, {
    latestRuns: () => runs.latestOfEach(),
  });

  /** A `profiles` reference: the monitor's own stored run profiles in the range, merged. */
  const profileReference = async (name: string, range: { from: number; to: number }): Promise<Sample> => {
    try {
      const { profile } = await runs.mergeProfiles(name, range.from, range.to);
      return { columns: {}, rows: profile.rowCount, profile };
    } catch (err) {
      if (err instanceof ProfileError) throw invalidParameter(`the stored run profiles in the reference range cannot be merged: ${err.message}`);
      throw err;
    }
  };
  const execute = async (monitor: StoredMonitor, trigger: string): Promise<MonitorRun> => {
    let profile: DatasetProfile | undefined;
    const run = await runMonitor(monitor, trigger, {
      source,
      trainingReference: (deployment) => trainingReference(deployment, options.training, source.maxWindowRows),
      readDataset: (uri) => readRunDataset(uri, options.training, source.maxWindowRows),
      profileReference,
      keepProfile: (p) => {
        profile = p;
      },
      now,
    });
    await runs.record(run, profile);
    metrics.runFinished(run);
    await notifier.notify(monitor, run);
    return run;
  };
  const { settings } = options;
  const skew = new AutoSkewMonitors({
    db,
    monitors,
    deployments: options.deployments,
    deploymentsRevision: options.deploymentsRevision,
    training: options.training,
    logger: options.logger,
    now,
    windowSeconds: settings.skewWindowSeconds,
    intervalSeconds: settings.skewIntervalSeconds,
  });
  const scheduler = new MonitorScheduler({
    store: monitors,
    execute,
    ...(settings.skewMonitors ? { discover: () => skew.sync() } : {}),
    logger: options.logger,
    now,
    tickMs: settings.schedulerTickMs,
    leaseMs: settings.runLeaseMs,
  });

  return {
    name: 'monitoring',
    migrations: monitoringMigrations,
    async start() {
      await dispatcher.start();
      if (options.settings.schedulerEnabled) scheduler.start();
    },
    registerRoutes(app: FastifyInstance) {
      const deps = { ...source, bodyLimitBytes: options.bodyLimitBytes };
      registerDriftRoutes(app, deps);
      registerProfileRoutes(app, deps);
      registerQualityRoutes(app, deps);
      registerDriftReportRoutes(app, deps);
      registerPerformanceRoutes(app, deps);
      registerMonitorRoutes(app, { access: options.access, monitors, runs, alerts: alertStore, deploymentWorkspace: options.deploymentWorkspace, runExperiments: options.runExperiments, execute });
    },
    async stop() {
      await scheduler.stop();
      await dispatcher.stop();
    },
    tick: () => scheduler.tick(),
    alertsIdle: () => dispatcher.idle(),
  };
}
