import type { Logger } from '../../../core/logger.js';
import type { LoadedProject } from '../registry/registry-cache.js';
import type { Materializer } from './materializer.js';
import type { ViewStateStore } from './view-state-store.js';

export interface MaterializationSchedulerDeps {
  projects(): Promise<string[]>;
  load(project: string): Promise<LoadedProject>;
  materializer: Materializer;
  states: ViewStateStore;
  logger: Logger;
  now: () => number;
  tickMs: number;
  leaseMs: number;
}

/**
 * Materializes every online view that names an interval, incrementally up to now. Every replica
 * may run it: a lease taken by conditional update in the database gives each due view to one
 * replica, and one that dies frees it when the lease ends.
 */
export class MaterializationScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: MaterializationSchedulerDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every due view (tests call it directly). */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const { deps } = this;
    for (const project of await deps.projects()) {
      let loaded: LoadedProject;
      try {
        loaded = await deps.load(project);
      } catch (err) {
        deps.logger.warn({ err, project }, 'feature project cannot be loaded for scheduled materialization');
        continue;
      }
      for (const view of loaded.repo.views.values()) {
        const interval = view.materialization_interval_seconds;
        if (!view.online || interval === undefined) continue;
        if (!(await deps.states.lease(project, view.name, deps.leaseMs))) continue;
        try {
          await deps.materializer.materializeIncremental(loaded, deps.now(), [view.name], 'schedule');
        } catch (err) {
          deps.logger.error({ err, project, view: view.name }, 'scheduled materialization failed');
        } finally {
          await deps.states.release(project, view.name, deps.now() + interval * 1000);
        }
      }
    }
  }
}
