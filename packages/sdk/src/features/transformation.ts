/**
 * Why an on-demand view's transformation source cannot be shipped, or undefined when it can. The
 * server runs it in an isolated context, so it must be a self-contained function expression. The
 * expression is evaluated here to see that it is a function: that creates the function without
 * running its body (the source is the caller's own code, as trusted as the file it came from).
 */
export function transformationProblem(source: string): string | undefined {
  let evaluate: () => unknown;
  try {
    // The newline keeps a trailing `// comment` in the source from swallowing the parenthesis.
    evaluate = new Function(`"use strict"; return (${source}\n);`) as () => unknown;
  } catch (err) {
    return `does not compile as a function expression (${(err as Error).message}); write it as an arrow function or a function expression, not a method`;
  }
  let value: unknown;
  try {
    value = evaluate();
  } catch (err) {
    return `is not a function expression: evaluating it failed (${(err as Error).message})`;
  }
  return typeof value === 'function' ? undefined : `is not a function expression but a ${value === null ? 'null' : typeof value}`;
}

/**
 * The source text shipped for a transformation. esbuild (which tsx and many bundlers run on) keeps
 * function names by calling its `__name` helper inside the function body, a helper the server's
 * isolated context does not have; when the text uses it, it is wrapped in a function expression
 * that supplies a harmless one, so it stays self-contained.
 */
export function transformationSource(transform: (...args: never[]) => unknown): string {
  const source = transform.toString();
  return /\b__name\(/.test(source) ? `((__name) => (${source}\n))((fn) => fn)` : source;
}
