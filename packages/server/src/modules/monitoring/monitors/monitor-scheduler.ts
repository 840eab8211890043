import type { MonitorRun } from '@capstan/contracts';
import type { Logger } from '../../../core/logger.js';
import type { MonitorStore, StoredMonitor } from './monitor-store.js';

export interface SchedulerOptions {
  store: MonitorStore;
  /** Runs a monitor, records the run and sends its alerts. */
  execute(monitor: StoredMonitor, trigger: string): Promise<MonitorRun>;
  /** Creates the monitors Capstan sets up by itself (training/serving skew), before due ones run. */
  discover?(): Promise<void>;
  logger: Logger;
  now(): number;
  /** How often due monitors are looked for. */
  tickMs: number;
  /** How long a claimed monitor stays held; a scheduler that dies mid-run frees it after this. */
  leaseMs: number;
}

/** Monitors run one after another in a tick: each reads a window and works on the event loop. */
const DUE_PER_TICK = 20;

/**
 * Runs due monitors in the background. Every replica runs a scheduler; each due monitor is claimed
 * with a lease in the database first, so one replica runs it and the others skip it. A run
 * that overruns its interval is not caught up: the next is the first slot after now.
 */
export class MonitorScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** One pass over the due monitors; a pass already running is joined, not doubled. */
  tick(): Promise<void> {
    this.ticking ??= this.runDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async runDue(): Promise<void> {
    const { store, logger, now } = this.options;
    await this.options.discover?.().catch((err: unknown) => logger.error({ err }, 'could not look for monitors to create'));
    let names: string[];
    try {
      names = await store.due(DUE_PER_TICK);
    } catch (err) {
      logger.error({ err }, 'could not look for due monitors');
      return;
    }
    for (const name of names) {
      const monitor = await store.claim(name, now() + this.options.leaseMs).catch((err: unknown) => logger.error({ err, monitor: name }, 'could not claim a monitor'));
      if (!monitor) continue;
      try {
        const run = await this.options.execute(monitor, 'schedule');
        logger.info({ monitor: name, run: run.run_id, status: run.status, rows: run.current_rows }, 'monitor ran');
      } catch (err) {
        logger.error({ err, monitor: name }, 'monitor run failed');
      } finally {
        await store.scheduled(name, nextSlot(monitor, now())).catch((err: unknown) => logger.error({ err, monitor: name }, 'could not schedule a monitor'));
      }
    }
  }
}

/** The first slot of the monitor's interval after `now`, counted from when it was due. */
function nextSlot(monitor: StoredMonitor, now: number): number {
  const interval = monitor.manifest.interval_seconds * 1000;
  const missed = Math.floor((now - monitor.nextRunAt) / interval);
  return monitor.nextRunAt + (Math.max(0, missed) + 1) * interval;
}
