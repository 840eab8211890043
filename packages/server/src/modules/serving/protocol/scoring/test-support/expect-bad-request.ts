import { expect } from 'vitest';
import { ServingError } from '../../../engine/inference-engine.js';

/** Runs `run` and checks it fails with a 400 whose message matches. */
export function expectBadRequest(run: () => unknown, message: string | RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ServingError);
  expect((thrown as ServingError).status).toBe(400);
  if (typeof message === 'string') expect((thrown as ServingError).message).toBe(message);
  else expect((thrown as ServingError).message).toMatch(message);
}
