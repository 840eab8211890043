import { invalidParameter } from '../../core/errors.js';
import type { WindowCounterStore } from '../../ports/window-counter.js';
import { MemoryWindowCounterStore } from './memory-window-counter.js';
import { RedisWindowCounterStore } from './redis-window-counter.js';

const SUPPORTED = 'leave it unset or use memory: for one process, or redis://host:port / rediss://host:port to share across replicas';

/** Builds the window counter store named by `uri`; in-process unless a Redis URL is given. */
export function createWindowCounterStore(uri: string | undefined, options: { prefix?: string } = {}): WindowCounterStore {
  if (uri === undefined || uri === '' || uri === 'memory:') return new MemoryWindowCounterStore();
  if (/^rediss?:\/\//i.test(uri)) {
    // Parse here so a typo fails at startup with our error, not later inside the driver.
    if (!URL.canParse(uri)) throw invalidParameter(`The window counter Redis URL is not a valid URL: ${SUPPORTED}.`);
    return new RedisWindowCounterStore({ url: uri, prefix: options.prefix });
  }
  // Echo only the scheme: a URL may carry a password, and error messages end up in logs.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1];
  const what = scheme === undefined ? 'a location without a scheme' : `scheme ${JSON.stringify(scheme)}`;
  throw invalidParameter(`Unsupported window counter store (${what}): ${SUPPORTED}.`);
}
