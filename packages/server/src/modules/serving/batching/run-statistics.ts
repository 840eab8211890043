/** How much a recent run weighs in the moving averages: about the last ten runs count. */
const WEIGHT = 0.2;

/**
 * Moving averages of recent runs (how long one takes, how many requests it carries), so that a
 * caller turned away by a full queue can be told when to come back.
 */
export class RunStatistics {
  #runs = 0;
  #runSeconds = 0;
  #requestsPerRun = 1;

  record(requests: number, computeSeconds: number): void {
    if (this.#runs++ === 0) {
      this.#runSeconds = computeSeconds;
      this.#requestsPerRun = requests;
      return;
    }
    this.#runSeconds += WEIGHT * (computeSeconds - this.#runSeconds);
    this.#requestsPerRun += WEIGHT * (requests - this.#requestsPerRun);
  }

  /**
   * Seconds until `waiting` requests have been run, `concurrentRuns` runs at a time, plus the runs
   * already in flight: whole seconds (Retry-After has no fraction), at least 1.
   */
  retryAfterSeconds(waiting: number, concurrentRuns: number): number {
    const rounds = Math.ceil(waiting / (Math.max(1, this.#requestsPerRun) * concurrentRuns)) + 1;
    return Math.max(1, Math.ceil(rounds * this.#runSeconds));
  }
}
