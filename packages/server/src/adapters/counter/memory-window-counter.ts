import { invalidParameter } from '../../core/errors.js';
import type { WindowCount, WindowCounterStore } from '../../ports/window-counter.js';

export interface MemoryWindowCounterOptions {
  /** Clock in ms; tests inject a fake one instead of sleeping. */
  now?: () => number;
  /**
   * Most keys held at once. Keys are attacker-chosen (user names, addresses), so without a cap a
   * flood of distinct keys would grow the map without bound; past it the oldest windows are dropped.
   */
  maxKeys?: number;
}

interface Window {
  count: number;
  endsAt: number;
}

const DEFAULT_MAX_KEYS = 100_000;

/** Counters in this process only: right for a single replica and for tests. */
export class MemoryWindowCounterStore implements WindowCounterStore {
  // A Map iterates in insertion order, and a key is (re)inserted only when its window opens,
  // so the first entries are always the oldest windows.
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: MemoryWindowCounterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    if (!Number.isSafeInteger(this.maxKeys) || this.maxKeys < 1) {
      throw invalidParameter(`maxKeys must be a positive integer, got ${String(options.maxKeys)}.`);
    }
  }

  /** Keys currently held, expired or not (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    checkWindow(windowMs);
    const now = this.now();
    const open = this.live(key, now);
    if (open !== undefined) {
      open.count += 1;
      return { count: open.count, resetInMs: open.endsAt - now };
    }
    this.makeRoom(now);
    this.windows.set(key, { count: 1, endsAt: now + windowMs });
    return { count: 1, resetInMs: windowMs };
  }

  async peek(key: string): Promise<WindowCount> {
    const now = this.now();
    const open = this.live(key, now);
    return open === undefined ? { count: 0, resetInMs: 0 } : { count: open.count, resetInMs: open.endsAt - now };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  /** The key's open window, dropping it when it has ended. */
  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window !== undefined && window.endsAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private makeRoom(now: number): void {
    // Cheap and usually enough: with one window length per caller, the oldest windows end first.
    for (const [key, window] of this.windows) {
      if (window.endsAt > now) break;
      this.windows.delete(key);
    }
    if (this.windows.size < this.maxKeys) return;
    // Mixed window lengths can hide ended windows behind live ones; a full sweep finds them.
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(key);
    }
    // Still full of live windows: forget the oldest, down to 90% so the next inserts do not sweep again.
    const target = Math.min(this.maxKeys - 1, Math.floor(this.maxKeys * 0.9));
    for (const key of this.windows.keys()) {
      if (this.windows.size <= target) break;
      this.windows.delete(key);
    }
  }
}

/** Redis PX needs a positive integer; both adapters refuse anything else the same way. */
export function checkWindow(windowMs: number): void {
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
    throw invalidParameter(`windowMs must be a positive integer of milliseconds, got ${String(windowMs)}.`);
  }
}
