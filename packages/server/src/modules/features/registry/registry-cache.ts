import type { Logger } from '../../../core/logger.js';
import { notFound } from '../../../core/errors.js';
import { FeatureRepo, type FeatureSelection } from '../definitions/feature-repo.js';
import { compileTransformation, type Transformation } from '../online/transformation.js';
import type { RegistryStore } from './registry-store.js';

/** A project as the serving paths use it: checked definitions plus compiled transformations. */
export interface LoadedProject {
  repo: FeatureRepo;
  revision: number;
  workspace: string;
  transformations: ReadonlyMap<string, Transformation>;
  /** Resolved feature selections by request shape: serving asks for the same few again and again. */
  selections: Map<string, FeatureSelection[]>;
}

/**
 * Projects kept in memory for the online paths. Every `refreshMs` one small query reads all
 * projects' revisions and drops those that moved, so an apply on any replica reaches every other
 * within that interval (applies on this replica drop the entry at once); there is no long TTL.
 */
export class RegistryCache {
  private readonly loaded = new Map<string, Promise<LoadedProject>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RegistryStore,
    private readonly logger: Logger,
    private readonly refreshMs: number,
  ) {}

  get(project: string): Promise<LoadedProject> {
    let entry = this.loaded.get(project);
    if (!entry) {
      entry = this.load(project);
      this.loaded.set(project, entry);
      // A failed load (missing project) is not cached.
      entry.catch(() => this.loaded.delete(project));
    }
    return entry;
  }

  invalidate(project: string): void {
    this.loaded.delete(project);
  }

  start(): void {
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Drops every cached project whose stored revision differs (or that was deleted). */
  async refresh(): Promise<void> {
    if (this.loaded.size === 0) return;
    try {
      const revisions = await this.store.revisions();
      for (const [project, entry] of this.loaded) {
        const cached = await entry.catch(() => undefined);
        if (cached && revisions.get(project) !== cached.revision) this.loaded.delete(project);
      }
    } catch (err) {
      this.logger.warn({ err }, 'feature registry refresh failed');
    }
  }

  private async load(project: string): Promise<LoadedProject> {
    const stored = await this.store.find(project);
    if (!stored) throw notFound(`Feature project '${project}' not found`);
    const repo = new FeatureRepo(stored.definition);
    const transformations = new Map([...repo.onDemandViews.values()].map((v) => [v.name, compileTransformation(v.name, v.transformation)]));
    return { repo, revision: stored.revision, workspace: stored.workspace, transformations, selections: new Map() };
  }
}
