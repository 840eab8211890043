/**
 * Page-Hinkley change detection, a port of river's drift.PageHinkley (river ≥ 0.15, two-sided
 * "mode"). It tracks the running mean x̄ of the stream and the faded cumulative deviations
 *   up   = α·up   + (x − x̄) − δ    (grows when values rise above the mean)
 *   down = α·down + (x − x̄) + δ    (falls when values drop below it)
 * and signals drift when up has climbed more than `threshold` above its minimum, or down has
 * fallen more than `threshold` below its maximum, once `minInstances` values were seen. After a
 * drift the next update starts afresh, as river's does.
 */
import { PerformanceError } from './errors.js';

export type PageHinkleyMode = 'up' | 'down' | 'both';

export interface PageHinkleyOptions {
  readonly minInstances?: number;
  readonly delta?: number;
  readonly threshold?: number;
  readonly alpha?: number;
  readonly mode?: PageHinkleyMode;
}

export class PageHinkley {
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: PageHinkleyMode;
  private count = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Infinity;
  // river starts the maximum at -1, not -Infinity; kept so results match river's.
  private maxDecrease = -1;
  private drift = false;

  constructor(options: PageHinkleyOptions = {}) {
    const { minInstances = 30, delta = 0.005, threshold = 50, alpha = 1 - 0.0001, mode = 'both' } = options;
    if (!(Number.isSafeInteger(minInstances) && minInstances >= 1)) {
      throw new PerformanceError(`minInstances is ${minInstances}: it must be a positive integer`);
    }
    for (const [name, value] of [['delta', delta], ['threshold', threshold], ['alpha', alpha]] as const) {
      if (!Number.isFinite(value)) throw new PerformanceError(`${name} is ${value}: it must be a finite number`);
    }
    if (!['up', 'down', 'both'].includes(mode)) throw new PerformanceError(`mode is ${String(mode)}: use 'up', 'down' or 'both'`);
    this.minInstances = minInstances;
    this.delta = delta;
    this.threshold = threshold;
    this.alpha = alpha;
    this.mode = mode;
  }

  private reset(): void {
    this.count = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Infinity;
    this.maxDecrease = -1;
    this.drift = false;
  }

  update(x: number): { driftDetected: boolean } {
    if (!Number.isFinite(x)) throw new PerformanceError(`PageHinkley.update got ${x}: values must be finite numbers`);
    if (this.drift) this.reset();
    this.count++;
    this.mean += (x - this.mean) / this.count;
    const deviation = x - this.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + deviation - this.delta;
    this.sumDecrease = this.alpha * this.sumDecrease + deviation + this.delta;
    this.minIncrease = Math.min(this.minIncrease, this.sumIncrease);
    this.maxDecrease = Math.max(this.maxDecrease, this.sumDecrease);
    if (this.count >= this.minInstances) {
      const up = this.testIncrease > this.threshold;
      const down = this.testDecrease > this.threshold;
      this.drift = this.mode === 'up' ? up : this.mode === 'down' ? down : up || down;
    }
    return { driftDetected: this.drift };
  }

  get driftDetected(): boolean {
    return this.drift;
  }

  /** Values seen since the start or the last drift. */
  get sampleCount(): number {
    return this.count;
  }

  get runningMean(): number {
    return this.mean;
  }

  /** How far the upward statistic rose above its minimum. */
  get testIncrease(): number {
    return this.sumIncrease - this.minIncrease;
  }

  /** How far the downward statistic fell below its maximum. */
  get testDecrease(): number {
    return this.maxDecrease - this.sumDecrease;
  }
}
