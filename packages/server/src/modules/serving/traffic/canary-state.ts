import type { CanaryFigures, CanaryVerdict, CanaryWindow } from './canary-analysis.js';
import type { CanaryConfig } from './canary-config.js';

/**
 * A canary rollout's persisted state. Every field is plain JSON (times are epoch milliseconds), so
 * the caller can store it, restart, load it and carry on: `transitionCanary` needs nothing else.
 * The window figures are not part of it; after a restart the step collects them afresh, and
 * `minRequests` keeps it from being judged on the few requests seen since.
 */
export type CanaryState = ProgressingCanary | PausedCanary | PromotedCanary | RolledBackCanary | AbortedCanary;

export type CanaryStatus = CanaryState['status'];

interface CanaryStateBase {
  readonly config: CanaryConfig;
  /** The last `HISTORY_LIMIT` transitions, oldest first. */
  readonly history: readonly CanaryHistoryRecord[];
}

/** The latest analysis of the current step, kept so the API can say why a step has not moved. */
export interface CanaryAnalysisNote extends CanaryVerdict {
  readonly at: number;
}

export interface ProgressingCanary extends CanaryStateBase {
  readonly status: 'progressing';
  /** Index into `config.steps`. */
  readonly stepIndex: number;
  readonly stepStartedAt: number;
  readonly lastAnalysis: CanaryAnalysisNote | null;
}

/** Held at its step's weights by a user; its step clock stops until it resumes. */
export interface PausedCanary extends CanaryStateBase {
  readonly status: 'paused';
  readonly stepIndex: number;
  readonly stepStartedAt: number;
  readonly pausedAt: number;
  readonly lastAnalysis: CanaryAnalysisNote | null;
}

export interface PromotedCanary extends CanaryStateBase {
  readonly status: 'promoted';
  readonly at: number;
}

/** Rolled back by the analysis: `reason` in words, `figures` the numbers that failed. */
export interface RolledBackCanary extends CanaryStateBase {
  readonly status: 'rolled_back';
  readonly at: number;
  readonly stepIndex: number;
  readonly reason: string;
  readonly figures: CanaryFigures | null;
}

/** Stopped by a user; traffic went back to the stable version. */
export interface AbortedCanary extends CanaryStateBase {
  readonly status: 'aborted';
  readonly at: number;
  readonly stepIndex: number;
  readonly reason: string;
}

export interface CanaryHistoryRecord {
  readonly at: number;
  /** Null for the record that starts the rollout. */
  readonly from: CanaryStatus | null;
  readonly to: CanaryStatus;
  /** The step the rollout was on when this happened (the one `figures` describe). */
  readonly step: number;
  readonly reason: string;
  readonly figures: CanaryFigures | null;
}

export const HISTORY_LIMIT = 100;

/** What the caller must do after a transition, in order. */
export type CanaryAction =
  /** Route with these weights (percent per version). A new step: start a fresh analysis window. */
  | { readonly setWeights: Readonly<Record<string, number>> }
  /** Make the candidate the deployment's stable version, and move the alias if one is set. */
  | { readonly promote: { readonly version: string; readonly moveAlias?: string } }
  /** The candidate is out (by analysis or by a user): unload it, tell whoever listens. */
  | { readonly rollback: { readonly reason: string } };

export type CanaryInput =
  /** The timer: the figures of the current step's window so far. */
  | { readonly type: 'tick'; readonly window: CanaryWindow }
  /** User inputs; `reason` (who and why) goes into the history. */
  | { readonly type: 'pause'; readonly reason?: string }
  | { readonly type: 'resume'; readonly reason?: string }
  | { readonly type: 'abort'; readonly reason?: string }
  | { readonly type: 'promoteNow'; readonly reason?: string };

export interface CanaryTransition {
  readonly state: CanaryState;
  readonly actions: readonly CanaryAction[];
}

/** The history with one record added, the oldest dropped beyond the limit. */
export function withRecord(history: readonly CanaryHistoryRecord[], record: CanaryHistoryRecord): CanaryHistoryRecord[] {
  return [...history, record].slice(-HISTORY_LIMIT);
}
