/**
 * ADWIN (Bifet & Gavaldà 2007, the bucket-compressed ADWIN2), a port of river's drift.ADWIN and its
 * adwin_c.AdaptiveWindowing. The window is kept as rows of buckets: row r holds up to maxBuckets
 * summaries (total, variance) of 2^r values each, newest row first, oldest bucket first within a
 * row, so memory and time are O(log window). Every `clock` values (once the window exceeds
 * `gracePeriod`) each cut into an older part W0 and a newer part W1 is tested; when
 *   |mean(W0) − mean(W1)| > sqrt(2·m·σ²·δ') + (2/3)·δ'·m,
 *   m = 1/(n0 − minWindowLength + 1) + 1/(n1 − minWindowLength + 1), δ' = ln(2·ln(width)/δ),
 * the oldest bucket is dropped and the cuts are tested again. A detection resets the detector on
 * the next update, as river's ADWIN.update does.
 */
import { PerformanceError } from './errors.js';

export interface AdwinOptions {
  readonly delta?: number;
  readonly clock?: number;
  readonly maxBuckets?: number;
  readonly minWindowLength?: number;
  readonly gracePeriod?: number;
}

/** One row of buckets of equal size; index 0 is the oldest bucket of the row. */
interface Row {
  readonly totals: number[];
  readonly variances: number[];
}

export class Adwin {
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;
  private rows: Row[] = [{ totals: [], variances: [] }];
  private total = 0;
  private varianceSum = 0;
  private windowWidth = 0;
  private tick = 0;
  private detections = 0;
  private drift = false;

  constructor(options: AdwinOptions = {}) {
    const { delta = 0.002, clock = 32, maxBuckets = 5, minWindowLength = 5, gracePeriod = 10 } = options;
    if (!(delta > 0 && delta < 1)) throw new PerformanceError(`delta is ${delta}: it must lie in (0, 1)`);
    for (const [name, value] of [['clock', clock], ['maxBuckets', maxBuckets], ['minWindowLength', minWindowLength]] as const) {
      if (!(Number.isSafeInteger(value) && value >= 1)) throw new PerformanceError(`${name} is ${value}: it must be a positive integer`);
    }
    if (!(Number.isSafeInteger(gracePeriod) && gracePeriod >= 0)) {
      throw new PerformanceError(`gracePeriod is ${gracePeriod}: it must be a non-negative integer`);
    }
    this.delta = delta;
    this.clock = clock;
    this.maxBuckets = maxBuckets;
    this.minWindowLength = minWindowLength;
    this.gracePeriod = gracePeriod;
  }

  update(x: number): { driftDetected: boolean } {
    if (!Number.isFinite(x)) throw new PerformanceError(`Adwin.update got ${x}: values must be finite numbers`);
    if (this.drift) this.reset();
    this.insert(x);
    this.drift = this.detectChange();
    return { driftDetected: this.drift };
  }

  get driftDetected(): boolean {
    return this.drift;
  }

  /** Number of values in the current window. */
  get width(): number {
    return this.windowWidth;
  }

  /** Mean of the window (0 when empty), river's `estimation`. */
  get estimation(): number {
    return this.windowWidth === 0 ? 0 : this.total / this.windowWidth;
  }

  /** Sum of squared deviations from the window mean (river's `variance`, which is not divided by width). */
  get variance(): number {
    return this.varianceSum;
  }

  get sum(): number {
    return this.total;
  }

  /** Detections since the start or the last reset (a detection resets on the next update). */
  get detectionCount(): number {
    return this.detections;
  }

  private reset(): void {
    this.rows = [{ totals: [], variances: [] }];
    this.total = 0;
    this.varianceSum = 0;
    this.windowWidth = 0;
    this.tick = 0;
    this.detections = 0;
    this.drift = false;
  }

  private insert(value: number): void {
    this.rows[0].totals.push(value);
    this.rows[0].variances.push(0);
    this.windowWidth += 1;
    if (this.windowWidth > 1) {
      const d = value - this.total / (this.windowWidth - 1);
      this.varianceSum += ((this.windowWidth - 1) * d * d) / this.windowWidth;
    }
    this.total += value;
    this.compress();
  }

  /** A row holding maxBuckets + 1 buckets merges its two oldest into one bucket of the next row. */
  private compress(): void {
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r];
      if (row.totals.length !== this.maxBuckets + 1) break;
      if (r + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      const next = this.rows[r + 1];
      const size = 2 ** r;
      const mu1 = row.totals[0] / size;
      const mu2 = row.totals[1] / size;
      next.totals.push(row.totals[0] + row.totals[1]);
      next.variances.push(row.variances[0] + row.variances[1] + (size * size * (mu1 - mu2) * (mu1 - mu2)) / (2 * size));
      row.totals.splice(0, 2);
      row.variances.splice(0, 2);
      if (next.totals.length <= this.maxBuckets) break;
    }
  }

  /** Drops the oldest bucket and returns its size. */
  private deleteOldest(): number {
    const r = this.rows.length - 1;
    const row = this.rows[r];
    const n = 2 ** r;
    const u = row.totals[0];
    const mu = u / n;
    const v = row.variances[0];
    this.windowWidth -= n;
    this.total -= u;
    const muWindow = this.total / this.windowWidth;
    this.varianceSum -= v + (n * this.windowWidth * (mu - muWindow) * (mu - muWindow)) / (n + this.windowWidth);
    row.totals.shift();
    row.variances.shift();
    if (row.totals.length === 0) this.rows.pop();
    return n;
  }

  private detectChange(): boolean {
    let changed = false;
    this.tick += 1;
    if (this.tick % this.clock === 0 && this.windowWidth > this.gracePeriod) {
      let reduce = true;
      while (reduce) {
        reduce = false;
        let done = false;
        let n0 = 0;
        let n1 = this.windowWidth;
        let u0 = 0;
        let u1 = this.total;
        // Oldest row first, oldest bucket first: W0 grows from the old end. As in river, the
        // newest bucket of each row is never a cut point, and river's "last bucket" exit
        // condition can never hold inside that loop, so it is not repeated here.
        for (let r = this.rows.length - 1; r >= 0 && !done; r--) {
          const row = this.rows[r];
          const size = 2 ** r;
          for (let k = 0; k < row.totals.length - 1; k++) {
            n0 += size;
            n1 -= size;
            u0 += row.totals[k];
            u1 -= row.totals[k];
            if (n1 >= this.minWindowLength && n0 >= this.minWindowLength && this.cutDiffers(n0, n1, u0 / n0 - u1 / n1)) {
              reduce = true;
              changed = true;
              if (this.windowWidth > 0) {
                this.deleteOldest();
                done = true;
                break;
              }
            }
          }
        }
      }
    }
    if (changed) this.detections += 1;
    return changed;
  }

  private cutDiffers(n0: number, n1: number, deltaMean: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.windowWidth)) / this.delta);
    const mRecip = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
    const epsilon = Math.sqrt(2 * mRecip * (this.varianceSum / this.windowWidth) * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }
}
