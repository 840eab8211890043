import vm from 'node:vm';
import { CapstanError, invalidParameter } from '../../../core/errors.js';

/** How long one request's transformation may run. */
const TIMEOUT_MS = 1000;

export interface Transformation {
  /** Runs the function on every row; rows and results cross as JSON. */
  apply(rows: readonly Record<string, unknown>[]): Record<string, unknown>[];
}

/**
 * An on-demand view's function, compiled once per registry revision in its own V8 context: no
 * `require`, `process` or other Node globals, no `eval`/`new Function` inside it, and a time limit.
 * Rows go in and results come out as JSON text, so the function never holds an object of the
 * server's realm (whose constructors would lead back to Node). A V8 context is isolation from
 * mistakes, not a sandbox against hostile code: only callers who may edit a project define them.
 */
export function compileTransformation(view: string, source: string): Transformation {
  const context = vm.createContext(Object.create(null) as object, { name: `on-demand view ${view}`, codeGeneration: { strings: false, wasm: false } });
  let isFunction: unknown;
  try {
    vm.runInContext(`globalThis.__fn = (${source});`, context, { timeout: TIMEOUT_MS, filename: `${view}.transformation.js` });
    isFunction = vm.runInContext('typeof globalThis.__fn === "function"', context);
  } catch (err) {
    throw invalidParameter(`On-demand feature view '${view}': the transformation does not compile: ${(err as Error).message}`);
  }
  if (isFunction !== true) throw invalidParameter(`On-demand feature view '${view}': the transformation must be a function expression, such as (row) => ({ out: row.a + 1 })`);
  const run = new vm.Script('JSON.stringify(JSON.parse(globalThis.__in).map((row) => globalThis.__fn(row)))', { filename: `${view}.apply.js` });
  return {
    apply(rows) {
      (context as { __in?: string }).__in = JSON.stringify(rows);
      let out: unknown;
      try {
        out = run.runInContext(context, { timeout: TIMEOUT_MS });
      } catch (err) {
        throw new CapstanError('INTERNAL_ERROR', `On-demand feature view '${view}': the transformation failed: ${(err as Error).message}`);
      } finally {
        delete (context as { __in?: string }).__in;
      }
      const results = typeof out === 'string' ? (JSON.parse(out) as unknown[]) : [];
      if (results.length !== rows.length || results.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
        throw new CapstanError('INTERNAL_ERROR', `On-demand feature view '${view}': the transformation must return an object of outputs for every row`);
      }
      return results as Record<string, unknown>[];
    },
  };
}
