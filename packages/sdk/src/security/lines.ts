import { CapstanNetworkError } from '../errors.js';

/**
 * Splits a streamed response body into its lines (without the `\n`), skipping blank ones. A
 * connection lost midway is reported as a network error, like one lost before the response.
 */
export async function* readLines(body: ReadableStream<Uint8Array>, label: string): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for (;;) {
      const chunk = await reader.read().catch((err: unknown) => {
        throw new CapstanNetworkError({ message: `${label} failed while reading the response: ${reason(err)}`, request: label, timedOut: false, cause: err });
      });
      if (chunk.done) break;
      pending += decoder.decode(chunk.value, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') yield line;
    }
    pending += decoder.decode();
    if (pending.trim() !== '') yield pending;
  } finally {
    // Reached when the caller stops early too: end the download rather than leave the connection busy.
    await reader.cancel().catch(() => undefined);
  }
}

function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}
