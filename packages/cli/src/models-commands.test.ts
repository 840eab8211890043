import type { LineageGraph } from '@capstan/contracts';
import { CapstanClient, type FetchFn } from '@capstan/sdk';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import type { CliDeps } from './context.js';

/** A client whose every request gets `body` (with `status`) back, recording the URLs asked for. */
function answering(body: unknown, status = 200) {
  const urls: string[] = [];
  const fetch: FetchFn = async (input) => {
    urls.push(String(input));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  const deps: Partial<CliDeps> = { createClient: ({ env }) => new CapstanClient({ url: 'http://server', env, fetch, retries: 0 }) };
  return { deps, urls };
}

const run = (deps: Partial<CliDeps>, ...argv: string[]) => runCli(argv, {}, deps);

const graph: LineageGraph = {
  root: 'model_version:iris/1',
  nodes: [
    { id: 'model_version:iris/1', kind: 'model_version', label: 'iris v1', attributes: { status: 'READY' } },
    { id: 'run:r', kind: 'run', label: 'train', attributes: { status: 'FINISHED' } },
  ],
  edges: [{ from: 'model_version:iris/1', to: 'run:r', relation: 'produced_by' }],
};

describe('capstan models lineage', () => {
  it('asks for the version and prints the tree, or the graph with --json', async () => {
    const { deps, urls } = answering(graph);
    expect(await run(deps, 'models', 'lineage', 'my model', '1')).toEqual({
      code: 0,
      stdout: 'model_version iris v1 [status=READY]\n  produced_by -> run train [status=FINISHED]\n',
      stderr: '',
    });
    expect(urls).toEqual(['http://server/api/capstan/v1/model-versions/lineage?name=my+model&version=1']);
    expect(JSON.parse((await run(deps, 'models', 'lineage', 'iris', '1', '--json')).stdout)).toEqual(graph);
  });

  it("reports a server without the route with the server's code", async () => {
    const { deps } = answering({ error_code: 'ENDPOINT_NOT_FOUND', message: 'No API endpoint GET /api/capstan/v1/model-versions/lineage' }, 404);
    expect(await run(deps, 'models', 'lineage', 'iris', '1')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: ENDPOINT_NOT_FOUND: No API endpoint GET /api/capstan/v1/model-versions/lineage\n',
    });
  });
});
