/**
 * prom-client collects every metric of a scrape at once, calling each gauge's `collect`: gauges
 * read from the database share one read. While a refresh runs, callers get that same promise.
 */
export function sharedRefresh(refresh: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= refresh().finally(() => (running = undefined)));
}
