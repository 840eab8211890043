import { CapstanError } from '../../../core/errors.js';
import { analyseCanaryStep, type CanaryFigures, type CanaryWindow } from './canary-analysis.js';
import { DEFAULT_WAIT_INTERVALS, validateCanaryConfig, type CanaryConfig } from './canary-config.js';
import {
  withRecord,
  type CanaryAction,
  type CanaryAnalysisNote,
  type CanaryHistoryRecord,
  type CanaryInput,
  type CanaryState,
  type CanaryStatus,
  type CanaryTransition,
  type PausedCanary,
  type ProgressingCanary,
} from './canary-state.js';

/*
 * A canary rollout as pure transitions: (state, input, now) -> { state, actions }. The caller owns
 * the clock, the timer, the window figures and persistence; it applies the actions in order and
 * stores the new state. `now` is epoch milliseconds.
 *
 *   progressing --tick: step failed---------------------> rolled_back
 *   progressing --tick: step passed, more steps---------> progressing (next step)
 *   progressing --tick: last step below 100 passed-------> promoted
 *   progressing --pause--> paused --resume--> progressing
 *   progressing | paused --abort------> aborted
 *   progressing | paused --promoteNow--> promoted
 *
 * A tick in any other state does nothing (the timer may fire late); a user input the state does
 * not allow is refused with RESOURCE_CONFLICT (409).
 */

/** Validates the configuration and puts the candidate on its first step. */
export function startCanary(config: CanaryConfig, now: number): CanaryTransition {
  validateCanaryConfig(config);
  const weight = config.steps[0] as number;
  const state: ProgressingCanary = {
    status: 'progressing',
    config,
    stepIndex: 0,
    stepStartedAt: now,
    lastAnalysis: null,
    history: withRecord([], { at: now, from: null, to: 'progressing', step: 0, reason: `started: candidate ${config.candidate} at ${weight}%`, figures: null }),
  };
  return { state, actions: [{ setWeights: weightsFor(config, weight) }] };
}

export function transitionCanary(state: CanaryState, input: CanaryInput, now: number): CanaryTransition {
  switch (input.type) {
    case 'tick':
      return state.status === 'progressing' ? tick(state, input.window, now) : { state, actions: [] };
    case 'pause': {
      const current = requireStatus(state, input.type, 'progressing');
      const paused: PausedCanary = {
        status: 'paused',
        config: current.config,
        stepIndex: current.stepIndex,
        stepStartedAt: current.stepStartedAt,
        pausedAt: now,
        lastAnalysis: current.lastAnalysis,
        history: withRecord(current.history, userRecord(current, 'paused', now, 'paused', input.reason)),
      };
      return { state: paused, actions: [] };
    }
    case 'resume': {
      const current = requireStatus(state, input.type, 'paused');
      const resumed: ProgressingCanary = {
        status: 'progressing',
        config: current.config,
        stepIndex: current.stepIndex,
        // The step clock stood still while paused: the step keeps the time it had already run.
        stepStartedAt: now - (current.pausedAt - current.stepStartedAt),
        lastAnalysis: current.lastAnalysis,
        history: withRecord(current.history, userRecord(current, 'progressing', now, 'resumed', input.reason)),
      };
      return { state: resumed, actions: [] };
    }
    case 'abort': {
      const current = requireStatus(state, input.type, 'progressing', 'paused');
      const reason = userReason('aborted', input.reason);
      return {
        state: {
          status: 'aborted',
          config: current.config,
          at: now,
          stepIndex: current.stepIndex,
          reason,
          history: withRecord(current.history, userRecord(current, 'aborted', now, 'aborted', input.reason)),
        },
        actions: backToStable(current.config, reason),
      };
    }
    case 'promoteNow': {
      const current = requireStatus(state, input.type, 'progressing', 'paused');
      return promote(current, now, userReason('promoted', input.reason), current.lastAnalysis?.figures ?? null);
    }
  }
}

/** The weights a state stands for: what to route with after loading it (e.g. on restart). */
export function canaryWeights(state: CanaryState): Record<string, number> {
  switch (state.status) {
    case 'progressing':
    case 'paused':
      return weightsFor(state.config, state.config.steps[state.stepIndex] as number);
    case 'promoted':
      return weightsFor(state.config, 100);
    case 'rolled_back':
    case 'aborted':
      return weightsFor(state.config, 0);
  }
}

function tick(state: ProgressingCanary, window: CanaryWindow, now: number): CanaryTransition {
  const { config } = state;
  const verdict = analyseCanaryStep(config.analysis, window);
  const step = stepLabel(state);
  const elapsedMs = now - state.stepStartedAt;
  const note: CanaryAnalysisNote = { at: now, ...verdict };

  if (verdict.verdict === 'fail') return rollBack(state, now, `${step} failed analysis: ${verdict.reason}`, verdict.figures);

  if (verdict.verdict === 'insufficient') {
    const limitSeconds = config.analysis.maxWaitSeconds ?? DEFAULT_WAIT_INTERVALS * config.stepIntervalSeconds;
    if (elapsedMs < limitSeconds * 1000) return { state: { ...state, lastAnalysis: note }, actions: [] };
    if (config.analysis.onInsufficientTraffic === 'rollback') {
      return rollBack(state, now, `${step} waited ${limitSeconds}s: ${verdict.reason}`, verdict.figures);
    }
    return { state: { ...state, lastAnalysis: { ...note, reason: `${verdict.reason} (still waiting, past the ${limitSeconds}s limit)` } }, actions: [] };
  }

  if (elapsedMs < config.stepIntervalSeconds * 1000) return { state: { ...state, lastAnalysis: note }, actions: [] };

  const next = state.stepIndex + 1;
  const nextWeight = config.steps[next];
  if (nextWeight === undefined || nextWeight >= 100) return promote(state, now, `${step} passed analysis, promoting: ${verdict.reason}`, verdict.figures);

  const advanced: ProgressingCanary = {
    status: 'progressing',
    config,
    stepIndex: next,
    stepStartedAt: now,
    lastAnalysis: null,
    history: withRecord(state.history, {
      at: now,
      from: 'progressing',
      to: 'progressing',
      step: state.stepIndex,
      reason: `${step} passed analysis, candidate to ${nextWeight}%: ${verdict.reason}`,
      figures: verdict.figures,
    }),
  };
  return { state: advanced, actions: [{ setWeights: weightsFor(config, nextWeight) }] };
}

function promote(state: ProgressingCanary | PausedCanary, now: number, reason: string, figures: CanaryFigures | null): CanaryTransition {
  const { config } = state;
  return {
    state: {
      status: 'promoted',
      config,
      at: now,
      history: withRecord(state.history, { at: now, from: state.status, to: 'promoted', step: state.stepIndex, reason, figures }),
    },
    actions: [
      { setWeights: weightsFor(config, 100) },
      { promote: config.promoteAlias === undefined ? { version: config.candidate } : { version: config.candidate, moveAlias: config.promoteAlias } },
    ],
  };
}

function rollBack(state: ProgressingCanary, now: number, reason: string, figures: CanaryFigures): CanaryTransition {
  return {
    state: {
      status: 'rolled_back',
      config: state.config,
      at: now,
      stepIndex: state.stepIndex,
      reason,
      figures,
      history: withRecord(state.history, { at: now, from: 'progressing', to: 'rolled_back', step: state.stepIndex, reason, figures }),
    },
    actions: backToStable(state.config, reason),
  };
}

function backToStable(config: CanaryConfig, reason: string): CanaryAction[] {
  return [{ setWeights: weightsFor(config, 0) }, { rollback: { reason } }];
}

function weightsFor(config: CanaryConfig, candidateWeight: number): Record<string, number> {
  return { [config.stable]: 100 - candidateWeight, [config.candidate]: candidateWeight };
}

function stepLabel(state: ProgressingCanary): string {
  return `step ${state.stepIndex + 1} (${state.config.steps[state.stepIndex]}%)`;
}

function userReason(what: string, reason: string | undefined): string {
  return reason ? `${what} by user: ${reason}` : `${what} by user`;
}

function userRecord(state: ProgressingCanary | PausedCanary, to: CanaryStatus, now: number, what: string, reason: string | undefined): CanaryHistoryRecord {
  return { at: now, from: state.status, to, step: state.stepIndex, reason: userReason(what, reason), figures: state.lastAnalysis?.figures ?? null };
}

const USER_VERBS: Record<Exclude<CanaryInput['type'], 'tick'>, string> = { pause: 'pause', resume: 'resume', abort: 'abort', promoteNow: 'promote' };

function requireStatus<S extends CanaryStatus>(state: CanaryState, input: keyof typeof USER_VERBS, ...allowed: S[]): Extract<CanaryState, { status: S }> {
  if ((allowed as CanaryStatus[]).includes(state.status)) return state as Extract<CanaryState, { status: S }>;
  throw new CapstanError('RESOURCE_CONFLICT', `Cannot ${USER_VERBS[input]} a canary rollout that is ${state.status.replace('_', ' ')}`);
}
