/**
 * Count, mean and M2 (sum of squared deviations from the mean) of the finite numbers of a column.
 * Values arrive in buffers: each buffer's mean and M2 are computed in two passes (no division per
 * value, and more accurate than a running update), then combined with the running figures by Chan,
 * Golub & LeVeque's parallel formula, which is also the merge:
 *
 *   n = na + nb,  d = mean_b - mean_a,  mean = mean_a + d * nb / n,  M2 = M2_a + M2_b + d^2 * na * nb / n
 *
 * Population variance is M2 / n (numpy's std, ddof = 0), sample variance M2 / (n - 1).
 */
import { ProfileError } from './errors.js';

export interface MomentsState {
  readonly count: number;
  readonly mean: number;
  readonly m2: number;
}

export class Moments {
  count = 0;
  mean = 0;
  m2 = 0;

  /** Adds the first `length` finite values of a buffer. */
  addMany(values: Float64Array, length: number): void {
    if (length === 0) return;
    let sum = 0;
    for (let i = 0; i < length; i++) sum += values[i];
    if (!Number.isFinite(sum)) {
      // Values near the float64 limit: Welford's running update cannot overflow the sum.
      for (let i = 0; i < length; i++) this.combine(1, values[i], 0);
      return;
    }
    const mean = sum / length;
    let m2 = 0;
    for (let i = 0; i < length; i++) {
      const d = values[i] - mean;
      m2 += d * d;
    }
    this.combine(length, mean, m2);
  }

  merge(other: Moments): void {
    this.combine(other.count, other.mean, other.m2);
  }

  private combine(nb: number, meanB: number, m2B: number): void {
    if (nb === 0) return;
    const na = this.count;
    if (na === 0) {
      this.count = nb;
      this.mean = meanB;
      this.m2 = m2B;
      return;
    }
    const n = na + nb;
    const delta = meanB - this.mean;
    this.mean += (delta * nb) / n;
    this.m2 += m2B + ((delta * delta * na) / n) * nb;
    this.count = n;
  }

  /** Population variance (ddof = 0); NaN when empty. */
  get populationVariance(): number {
    return this.count === 0 ? Number.NaN : this.m2 / this.count;
  }

  /** Sample variance (ddof = 1); NaN below two values. */
  get sampleVariance(): number {
    return this.count < 2 ? Number.NaN : this.m2 / (this.count - 1);
  }

  copy(): Moments {
    return Moments.fromState(this.toState());
  }

  toState(): MomentsState {
    return { count: this.count, mean: this.mean, m2: this.m2 };
  }

  static fromState(state: MomentsState): Moments {
    if (
      typeof state !== 'object' ||
      state === null ||
      !Number.isSafeInteger(state.count) ||
      state.count < 0 ||
      !Number.isFinite(state.mean) ||
      !(state.m2 >= 0 && Number.isFinite(state.m2))
    ) {
      throw new ProfileError('Invalid moments.');
    }
    const out = new Moments();
    out.count = state.count;
    out.mean = state.mean;
    out.m2 = state.m2;
    return out;
  }
}
