import { DriftError, type StatTestName } from '../drift/index.js';
import { profileTest } from './profile-stattests.js';

/**
 * Why a named test cannot run on profiles (the library's own message: it needs every value, and
 * which tests can), or undefined when it can. For refusing a request before reading any data.
 */
export function profileStattestRefusal(name: StatTestName): string | undefined {
  try {
    profileTest(name);
    return undefined;
  } catch (err) {
    if (err instanceof DriftError) return err.message;
    throw err;
  }
}
