/**
 * Fixed-window counters shared by every replica: failed-login throttling now, rate limits later.
 * A window opens on the first increment of a key and lasts `windowMs`; later increments never
 * extend it. Implementations: adapters/counter/memory (one process), adapters/counter/redis
 * (shared across replicas).
 */
export interface WindowCount {
  count: number;
  /** ms until this key's window ends (0 when count is 0). */
  resetInMs: number;
}

export interface WindowCounterStore {
  /** Adds one to `key` in its current window, starting a window of `windowMs` if none is open; returns the new count. */
  increment(key: string, windowMs: number): Promise<WindowCount>;
  /** The current count without changing it. */
  peek(key: string): Promise<WindowCount>;
  /** Forgets the key (e.g. after a successful login). */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}
