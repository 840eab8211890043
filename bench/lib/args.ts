import { parseArgs } from 'node:util';
import type { StoreKind } from './store.js';

export interface BenchArgs {
  store: StoreKind;
  /** Directory for a V8 CPU profile of the server (`--profile DIR`). */
  profileDir?: string;
  /** Seconds to wait for an idle machine before starting (`--wait-quiet 120`); 0 = don't wait. */
  waitQuiet: number;
  /** Numeric options, defaults overridden by `--name value`. */
  numbers: Record<string, number>;
}

/**
 * `--store sqlite|postgres` (default sqlite), `--profile DIR`, `--wait-quiet SECONDS`, and the
 * script's numeric knobs, e.g.
 * `--batches 300`. Unknown flags are errors.
 */
export function parseBenchArgs<K extends string>(defaults: Record<K, number>): BenchArgs & { numbers: Record<K, number> } {
  const options: Record<string, { type: 'string' }> = { store: { type: 'string' }, profile: { type: 'string' }, 'wait-quiet': { type: 'string' } };
  for (const name of Object.keys(defaults)) options[name] = { type: 'string' };
  const { values } = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false });
  const get = (name: string): string | undefined => {
    const v = (values as Record<string, string | boolean | undefined>)[name];
    return typeof v === 'string' ? v : undefined;
  };
  const store = get('store') ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--store must be sqlite or postgres, got ${store}`);
  const numbers = { ...defaults };
  for (const name of Object.keys(defaults) as K[]) {
    const raw = get(name);
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${raw}`);
    numbers[name] = n;
  }
  const profileDir = get('profile');
  const waitQuiet = Number(get('wait-quiet') ?? 0);
  if (!Number.isFinite(waitQuiet) || waitQuiet < 0) throw new Error('--wait-quiet must be a number of seconds');
  return { store, numbers, waitQuiet, ...(profileDir ? { profileDir } : {}) };
}
