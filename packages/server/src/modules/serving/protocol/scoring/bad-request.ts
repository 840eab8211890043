import { ServingError } from '../../engine/inference-engine.js';

/** The caller's request cannot be scored as sent: a 400 whose message is all the client gets. */
export function badRequest(message: string): never {
  throw new ServingError(400, message);
}
