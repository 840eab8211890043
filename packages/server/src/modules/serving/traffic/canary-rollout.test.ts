import { describe, expect, it } from 'vitest';
import { CapstanError } from '../../../core/errors.js';
import type { CanaryWindow } from './canary-analysis.js';
import type { CanaryConfig } from './canary-config.js';
import { canaryWeights, startCanary, transitionCanary } from './canary-rollout.js';
import { HISTORY_LIMIT, type CanaryInput, type CanaryState, type CanaryTransition } from './canary-state.js';
import { canaryConfig, evenPredictions, healthyWindow } from './test-support/canary-windows.js';

const SECOND = 1_000;
const T0 = Date.UTC(2025, 0, 1);
const at = (seconds: number) => T0 + seconds * SECOND;
const tick = (window: CanaryWindow = healthyWindow()): CanaryInput => ({ type: 'tick', window });

/** Applies inputs in order from a fresh rollout, returning every transition. */
function run(inputs: [seconds: number, input: CanaryInput][], config: CanaryConfig = canaryConfig): CanaryTransition[] {
  const transitions = [startCanary(config, at(0))];
  for (const [seconds, input] of inputs) transitions.push(transitionCanary((transitions.at(-1) as CanaryTransition).state, input, at(seconds)));
  return transitions;
}

const last = (transitions: CanaryTransition[]) => transitions.at(-1) as CanaryTransition;

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('canary rollout: happy path', () => {
  it('starts the candidate on its first step', () => {
    const { state, actions } = startCanary(canaryConfig, at(0));
    expect(actions).toEqual([{ setWeights: { '3': 95, '4': 5 } }]);
    expect(state).toMatchObject({ status: 'progressing', stepIndex: 0, stepStartedAt: at(0) });
    expect(state.history).toEqual([{ at: at(0), from: null, to: 'progressing', step: 0, reason: 'started: candidate 4 at 5%', figures: null }]);
  });

  it('holds a step for its interval, then steps up, then promotes after the last step below 100', () => {
    const transitions = run([[30, tick()], [60, tick()], [90, tick()], [120, tick()], [180, tick()]]);
    expect(transitions.map((t) => t.actions)).toEqual([
      [{ setWeights: { '3': 95, '4': 5 } }],
      [],
      [{ setWeights: { '3': 75, '4': 25 } }],
      [],
      [{ setWeights: { '3': 50, '4': 50 } }],
      [{ setWeights: { '3': 0, '4': 100 } }, { promote: { version: '4', moveAlias: 'champion' } }],
    ]);
    const promoted = last(transitions).state;
    expect(promoted).toMatchObject({ status: 'promoted', at: at(180) });
    expect(promoted.history.map(({ from, to, step }) => [from, to, step])).toEqual([
      [null, 'progressing', 0],
      ['progressing', 'progressing', 0],
      ['progressing', 'progressing', 1],
      ['progressing', 'promoted', 2],
    ]);
    expect(promoted.history[1]?.reason).toMatch(/^step 1 \(5%\) passed analysis, candidate to 25%/);
    expect(promoted.history[3]?.figures).toMatchObject({ candidateErrorRate: 0.005, ksPValue: 1 });
  });

  it('records why a step has not moved yet', () => {
    const { state } = last(run([[30, tick()]]));
    expect(state).toMatchObject({ status: 'progressing', stepIndex: 0, lastAnalysis: { at: at(30), verdict: 'pass' } });
  });

  it('promotes after the last step when the steps do not end at 100, without a promote alias', () => {
    const { promoteAlias: _, ...config } = { ...canaryConfig, steps: [10, 50] };
    const { state, actions } = last(run([[60, tick()], [120, tick()]], config));
    expect(state.status).toBe('promoted');
    expect(actions).toEqual([{ setWeights: { '3': 0, '4': 100 } }, { promote: { version: '4' } }]);
  });
});

describe('canary rollout: rollback on analysis', () => {
  const rolledBackAtStep2 = (window: CanaryWindow) => last(run([[60, tick()], [70, tick(window)]]));

  it('rolls back a candidate whose error rate rose', () => {
    const { state, actions } = rolledBackAtStep2(healthyWindow({ errors: 10 }));
    expect(actions).toEqual([
      { setWeights: { '3': 100, '4': 0 } },
      { rollback: { reason: 'step 2 (25%) failed analysis: error rate 0.05 vs stable 0.005 (+0.045, allowed +0.01)' } },
    ]);
    expect(state).toMatchObject({ status: 'rolled_back', at: at(70), stepIndex: 1, figures: { candidateErrorRate: 0.05, stableErrorRate: 0.005 } });
    expect(state.history.at(-1)).toMatchObject({ from: 'progressing', to: 'rolled_back', step: 1, figures: { candidateErrorRate: 0.05 } });
  });

  it('rolls back a candidate whose p99 latency grew too much', () => {
    const { state } = rolledBackAtStep2(healthyWindow({ latencyP99: 0.4 }));
    expect(state).toMatchObject({ status: 'rolled_back', reason: 'step 2 (25%) failed analysis: latency p99 0.4s vs stable 0.1s, 4x (allowed 1.5x)', figures: { latencyP99Ratio: 4 } });
  });

  it('rolls back a candidate whose predictions drifted', () => {
    const { state } = rolledBackAtStep2(healthyWindow({ predictionSamples: evenPredictions(200, 0.5, 1.5) }));
    expect(state.status).toBe('rolled_back');
    if (state.status !== 'rolled_back') return;
    expect(state.reason).toMatch(/^step 2 \(25%\) failed analysis: prediction drift: KS D 0\.5/);
    expect(state.figures?.ksPValue).toBeLessThan(0.01);
  });

  it('fails a step as soon as it has enough traffic, before its interval is up', () => {
    expect(last(run([[5, tick(healthyWindow({ errors: 50 }))]])).state.status).toBe('rolled_back');
  });
});

describe('canary rollout: insufficient traffic', () => {
  const quiet = healthyWindow({ requests: 20, errors: 0 });

  it('waits at its weight, past its interval, for enough requests', () => {
    const transitions = run([[60, tick(quiet)], [120, tick(quiet)]]);
    expect(last(transitions).actions).toEqual([]);
    expect(last(transitions).state).toMatchObject({ status: 'progressing', stepIndex: 0, lastAnalysis: { verdict: 'insufficient', reason: 'insufficient traffic: candidate has 20 of 100 requests' } });
  });

  it('says so once it has waited past the limit (three intervals by default), and keeps waiting', () => {
    const { state, actions } = last(run([[180, tick(quiet)]]));
    expect(actions).toEqual([]);
    expect(state).toMatchObject({ status: 'progressing', lastAnalysis: { reason: 'insufficient traffic: candidate has 20 of 100 requests (still waiting, past the 180s limit)' } });
  });

  it('rolls back for insufficient traffic past the limit when configured to', () => {
    const config: CanaryConfig = { ...canaryConfig, analysis: { ...canaryConfig.analysis, onInsufficientTraffic: 'rollback', maxWaitSeconds: 100 } };
    const waiting = run([[99, tick(quiet)]], config);
    expect(last(waiting).state.status).toBe('progressing');
    const { state, actions } = last(run([[100, tick(quiet)]], config));
    expect(state).toMatchObject({ status: 'rolled_back', reason: 'step 1 (5%) waited 100s: insufficient traffic: candidate has 20 of 100 requests' });
    expect(actions[0]).toEqual({ setWeights: { '3': 100, '4': 0 } });
  });
});

describe('canary rollout: user inputs', () => {
  it('ignores ticks while paused and keeps the time the step had already run when resumed', () => {
    const paused = run([[30, { type: 'pause', reason: 'alice: checking a dashboard' }], [500, tick(healthyWindow({ errors: 100 }))]]);
    expect(last(paused)).toMatchObject({ state: { status: 'paused', pausedAt: at(30) }, actions: [] });

    const resumed = transitionCanary(last(paused).state, { type: 'resume' }, at(1_000));
    expect(resumed.actions).toEqual([]);
    // 30 s of the 60 s step were done before the pause: 29 s after resuming is not enough, 30 s is.
    expect(transitionCanary(resumed.state, tick(), at(1_029)).actions).toEqual([]);
    expect(transitionCanary(resumed.state, tick(), at(1_030)).actions).toEqual([{ setWeights: { '3': 75, '4': 25 } }]);
    expect(resumed.state.history.slice(1).map(({ from, to, reason }) => [from, to, reason])).toEqual([
      ['progressing', 'paused', 'paused by user: alice: checking a dashboard'],
      ['paused', 'progressing', 'resumed by user'],
    ]);
  });

  it('aborts back to the stable version, from progressing or paused', () => {
    for (const before of [[], [[10, { type: 'pause' }]]] as [number, CanaryInput][][]) {
      const { state, actions } = last(run([...before, [20, { type: 'abort', reason: 'bob: wrong build' }]]));
      expect(state).toMatchObject({ status: 'aborted', at: at(20), reason: 'aborted by user: bob: wrong build', stepIndex: 0 });
      expect(actions).toEqual([{ setWeights: { '3': 100, '4': 0 } }, { rollback: { reason: 'aborted by user: bob: wrong build' } }]);
    }
  });

  it('promotes at once on promoteNow, from progressing or paused', () => {
    for (const before of [[], [[10, { type: 'pause' }]]] as [number, CanaryInput][][]) {
      const { state, actions } = last(run([[5, tick()], ...before, [20, { type: 'promoteNow' }]]));
      expect(state).toMatchObject({ status: 'promoted', at: at(20) });
      expect(state.history.at(-1)).toMatchObject({ to: 'promoted', step: 0, reason: 'promoted by user', figures: { candidateRequests: 200 } });
      expect(actions).toEqual([{ setWeights: { '3': 0, '4': 100 } }, { promote: { version: '4', moveAlias: 'champion' } }]);
    }
  });

  it('refuses inputs the state does not allow, with a conflict', () => {
    const progressing = startCanary(canaryConfig, at(0)).state;
    const paused = transitionCanary(progressing, { type: 'pause' }, at(1)).state;
    const promoted = transitionCanary(progressing, { type: 'promoteNow' }, at(1)).state;
    const refusals: [CanaryState, CanaryInput, RegExp][] = [
      [progressing, { type: 'resume' }, /Cannot resume a canary rollout that is progressing/],
      [paused, { type: 'pause' }, /Cannot pause a canary rollout that is paused/],
      [promoted, { type: 'abort' }, /Cannot abort a canary rollout that is promoted/],
      [promoted, { type: 'promoteNow' }, /Cannot promote a canary rollout that is promoted/],
    ];
    for (const [state, input, message] of refusals) {
      const error = thrownBy(() => transitionCanary(state, input, at(2)));
      expect(error).toBeInstanceOf(CapstanError);
      expect(error).toMatchObject({ code: 'RESOURCE_CONFLICT', message: expect.stringMatching(message) as unknown });
    }
  });

  it('ignores ticks once the rollout is over', () => {
    const finished = last(run([[10, { type: 'abort' }]])).state;
    expect(transitionCanary(finished, tick(), at(100))).toEqual({ state: finished, actions: [] });
  });
});

describe('canary rollout: persistence', () => {
  it('carries on identically from a state that went through JSON at every step (a restart)', () => {
    const inputs: [number, CanaryInput][] = [[30, tick()], [40, { type: 'pause' }], [90, { type: 'resume' }], [130, tick()], [200, tick(healthyWindow({ errors: 30 }))]];
    const direct = run(inputs);
    let state: CanaryState = JSON.parse(JSON.stringify(startCanary(canaryConfig, at(0)).state)) as CanaryState;
    inputs.forEach(([seconds, input], i) => {
      const next = transitionCanary(state, input, at(seconds));
      expect(next).toEqual(direct[i + 1]);
      state = JSON.parse(JSON.stringify(next.state)) as CanaryState;
    });
    expect(state.status).toBe('rolled_back');
  });

  it('keeps only the last hundred history records', () => {
    let state = startCanary(canaryConfig, at(0)).state;
    for (let i = 1; i <= 150; i++) state = transitionCanary(state, { type: i % 2 ? 'pause' : 'resume', reason: `#${i}` }, at(i)).state;
    expect(state.history).toHaveLength(HISTORY_LIMIT);
    // The start record and inputs #1 to #50 were dropped, oldest first.
    expect(state.history[0]?.reason).toBe('paused by user: #51');
    expect(state.history.at(-1)?.reason).toBe('resumed by user: #150');
  });

  it('tells the weights a stored state stands for', () => {
    const progressing = last(run([[60, tick()]])).state;
    expect(canaryWeights(progressing)).toEqual({ '3': 75, '4': 25 });
    expect(canaryWeights(transitionCanary(progressing, { type: 'pause' }, at(61)).state)).toEqual({ '3': 75, '4': 25 });
    expect(canaryWeights(transitionCanary(progressing, { type: 'promoteNow' }, at(61)).state)).toEqual({ '3': 0, '4': 100 });
    expect(canaryWeights(transitionCanary(progressing, { type: 'abort' }, at(61)).state)).toEqual({ '3': 100, '4': 0 });
    expect(canaryWeights(transitionCanary(progressing, tick(healthyWindow({ errors: 100 })), at(61)).state)).toEqual({ '3': 100, '4': 0 });
  });
});

describe('canary configuration', () => {
  const analysis = canaryConfig.analysis;
  it.each<[string, Partial<CanaryConfig>, RegExp]>([
    ['same versions', { candidate: '3' }, /must differ/],
    ['no steps', { steps: [] }, /at least one step/],
    ['decreasing steps', { steps: [5, 50, 25] }, /must increase/],
    ['a step above 100', { steps: [5, 150] }, /\(0, 100\]/],
    ['only 100', { steps: [100] }, /blue-green/],
    ['no interval', { stepIntervalSeconds: 0 }, /stepIntervalSeconds/],
    ['no minimum', { analysis: { ...analysis, minRequests: 0 } }, /minRequests/],
    ['a KS test without a threshold', { analysis: { ...analysis, driftPValueThreshold: undefined } }, /driftPValueThreshold is required/],
    ['a p-value threshold above 1', { analysis: { ...analysis, driftPValueThreshold: 5 } }, /driftPValueThreshold must be between 0 and 1/],
    ['a negative error increase', { analysis: { ...analysis, maxErrorRateIncrease: -0.1 } }, /maxErrorRateIncrease/],
  ])('refuses %s', (_, change, message) => {
    expect(() => startCanary({ ...canaryConfig, ...change }, at(0))).toThrow(message);
  });
});
