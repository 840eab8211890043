import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseCanaryStep } from './canary-analysis.js';
import type { CanaryAnalysisConfig } from './canary-config.js';
import { canaryConfig, evenPredictions, healthyWindow } from './test-support/canary-windows.js';

const analysis = canaryConfig.analysis;

describe('analyseCanaryStep', () => {
  it('passes a candidate that behaves like the stable version, with the figures it judged', () => {
    const result = analyseCanaryStep(analysis, healthyWindow());
    expect(result.verdict).toBe('pass');
    expect(result.figures).toEqual({
      candidateRequests: 200,
      stableRequests: 2_000,
      candidateErrorRate: 0.005,
      stableErrorRate: 0.005,
      errorRateIncrease: 0,
      candidateLatencyP99: 0.1,
      stableLatencyP99: 0.1,
      latencyP99Ratio: 1,
      candidatePredictionSamples: 200,
      stablePredictionSamples: 200,
      ksStatistic: 0,
      ksPValue: 1,
    });
  });

  it('fails an error rate more than the allowed increase above stable', () => {
    const result = analyseCanaryStep(analysis, healthyWindow({ errors: 4 }));
    expect(result.verdict).toBe('fail');
    expect(result.reason).toBe('error rate 0.02 vs stable 0.005 (+0.015, allowed +0.01)');
    expect(result.figures.errorRateIncrease).toBeCloseTo(0.015, 12);
  });

  it('allows an increase up to the limit', () => {
    expect(analyseCanaryStep(analysis, healthyWindow({ errors: 3 })).verdict).toBe('pass');
  });

  it('fails a p99 latency beyond the allowed ratio, from a p99 or from samples', () => {
    const slow = analyseCanaryStep(analysis, healthyWindow({ latencyP99: 0.2 }));
    expect(slow.verdict).toBe('fail');
    expect(slow.reason).toBe('latency p99 0.2s vs stable 0.1s, 2x (allowed 1.5x)');

    const samples = (seconds: number) => Array.from({ length: 200 }, () => seconds);
    const fromSamples = analyseCanaryStep(analysis, healthyWindow({ latencyP99: null, latencySamples: samples(0.3) }, { latencyP99: undefined, latencySamples: samples(0.1) }));
    expect(fromSamples.verdict).toBe('fail');
    expect(fromSamples.figures.latencyP99Ratio).toBeCloseTo(3, 12);
    expect(analyseCanaryStep(analysis, healthyWindow({ latencyP99: 0.15 })).verdict).toBe('pass');
  });

  it('keeps its figures JSON-safe when the stable p99 is 0', () => {
    const result = analyseCanaryStep(analysis, healthyWindow({ latencyP99: 0.01 }, { latencyP99: 0 }));
    expect(result.verdict).toBe('fail');
    expect(result.figures.latencyP99Ratio).toBeNull();
    expect(analyseCanaryStep(analysis, healthyWindow({ latencyP99: 0 }, { latencyP99: 0 })).verdict).toBe('pass');
  });

  it('fails predictions that drifted from the stable distribution', () => {
    const result = analyseCanaryStep(analysis, healthyWindow({ predictionSamples: evenPredictions(200, 0.3, 1.3) }));
    expect(result.verdict).toBe('fail');
    // A shift of 0.3 on a grid of 1/200: D is 0.3 plus at most one grid step.
    expect(result.figures.ksStatistic).toBeGreaterThanOrEqual(0.3);
    expect(result.figures.ksStatistic).toBeLessThanOrEqual(0.305 + 1e-12);
    expect(result.figures.ksPValue).toBeLessThan(1e-6);
    expect(result.reason).toMatch(/^prediction drift: KS D 0\.30\d*, p-value [0-9.e-]+ \(< 0\.01\)$/);
  });

  it('judges drift at the configured threshold, on samples checked against scipy', () => {
    // D = 0.46, p = 0.01815 (scipy kstwobign.sf(sqrt(ne) D)); see kolmogorov-smirnov.test.ts.
    const reference = JSON.parse(readFileSync(new URL('./test-support/ks-reference.json', import.meta.url), 'utf8')) as { cases: { a: number[]; b: number[] }[] };
    const { a, b } = reference.cases[0] as { a: number[]; b: number[] };
    const window = healthyWindow({ predictionSamples: b }, { predictionSamples: a });
    const withThreshold = (driftPValueThreshold: number): CanaryAnalysisConfig => ({ ...analysis, minPredictionSamples: 20, driftPValueThreshold });
    expect(analyseCanaryStep(withThreshold(0.02), window).verdict).toBe('fail');
    expect(analyseCanaryStep(withThreshold(0.018), window).verdict).toBe('pass');
  });

  it('tolerates significant but small drift when maxPredictionDrift is set', () => {
    const window = healthyWindow({ predictionSamples: evenPredictions(2_000, 0.1, 1.1) }, { predictionSamples: evenPredictions(2_000) });
    expect(analyseCanaryStep(analysis, window).verdict).toBe('fail');
    expect(analyseCanaryStep({ ...analysis, maxPredictionDrift: 0.15 }, window).verdict).toBe('pass');
    expect(analyseCanaryStep({ ...analysis, maxPredictionDrift: 0.05 }, window).verdict).toBe('fail');
  });

  it('ignores predictions without a drift test', () => {
    const result = analyseCanaryStep({ ...analysis, driftTest: 'none' }, healthyWindow({ predictionSamples: [] }, { predictionSamples: [] }));
    expect(result.verdict).toBe('pass');
    expect(result.figures.ksPValue).toBeNull();
  });

  it('reports every failing check, not just the first', () => {
    const result = analyseCanaryStep(analysis, healthyWindow({ errors: 20, latencyP99: 1, predictionSamples: evenPredictions(200, 5, 6) }));
    expect(result.verdict).toBe('fail');
    expect(result.reason.split('; ').map((part) => part.split(' ')[0])).toEqual(['error', 'latency', 'prediction']);
  });

  it('waits for enough requests and samples before judging', () => {
    const few = analyseCanaryStep(analysis, healthyWindow({ requests: 99, errors: 50 }));
    expect(few).toMatchObject({ verdict: 'insufficient', reason: 'insufficient traffic: candidate has 99 of 100 requests' });
    expect(few.figures.candidateErrorRate).toBeCloseTo(50 / 99, 12);

    const noPredictions = analyseCanaryStep(analysis, healthyWindow({ predictionSamples: evenPredictions(49) }));
    expect(noPredictions.reason).toBe('insufficient traffic: drift test needs 50 prediction samples per version (candidate 49, stable 200)');

    const noLatency = analyseCanaryStep(analysis, healthyWindow({ latencyP99: undefined }));
    expect(noLatency).toMatchObject({ verdict: 'insufficient', reason: 'insufficient traffic: no latency figures' });

    const quietStable = analyseCanaryStep(analysis, healthyWindow({}, { requests: 10, errors: 0 }));
    expect(quietStable.reason).toBe('insufficient traffic: stable has 10 of 100 requests');
  });
});
