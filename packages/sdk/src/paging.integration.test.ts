import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const collect = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe('search paging against a real server', () => {
  it('iterates experiments across pages', async () => {
    const client = server.client();
    const names = Array.from({ length: 7 }, (_, i) => `page-exp-${i}`);
    for (const name of names) await client.createExperiment({ name });

    const first = await client.searchExperiments({ filter: "name LIKE 'page-exp-%'", max_results: 3 });
    expect(first.experiments).toHaveLength(3);
    expect(first.next_page_token).toBeTruthy();

    const all = await collect(client.iterateExperiments({ filter: "name LIKE 'page-exp-%'", max_results: 3, order_by: ['name ASC'] }));
    expect(all.map((e) => e.name)).toEqual(names);
  });

  it('iterates runs across pages in the requested order', async () => {
    const client = server.client();
    const { experiment_id } = await client.createExperiment({ name: 'paged-runs' });
    for (let i = 0; i < 5; i++) {
      const run = await client.startRun({ experimentId: experiment_id, runName: `r${i}` });
      run.logMetric('score', i);
      await run.end();
    }
    const runs = await collect(client.iterateRuns({ experiment_ids: [experiment_id], max_results: 2, order_by: ['metrics.score DESC'] }));
    expect(runs.map((r) => r.info.run_name)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);

    const filtered = await collect(client.iterateRuns({ experiment_ids: [experiment_id], filter: 'metrics.score >= 3', max_results: 1 }));
    expect(filtered.map((r) => r.info.run_name).sort()).toEqual(['r3', 'r4']);
  });
});
