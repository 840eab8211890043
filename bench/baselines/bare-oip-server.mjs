/**
 * The baseline for bench/serving-throughput.ts: a bare Fastify route that decodes the same
 * single-row OIP v2 JSON request, calls one onnxruntime-node session directly and answers OIP JSON.
 * No deployments, routing, queue, checks, metrics or logging: what Capstan adds is measured
 * against this. Prints `{"url": ...}` on stdout once listening.
 *
 * Plain JavaScript, so that it runs as compiled code does, like the compiled server it is
 * compared with (tsx's output adds a helper call to every closure).
 *
 *   node bench/baselines/bare-oip-server.mjs <model.onnx> [port]
 */
import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const session = await InferenceSession.create(await readFile(process.argv[2]), { executionProviders: ['cpu'] });
const app = Fastify({ logger: false });

app.post('/v2/models/:name/infer', async (request) => {
  const { inputs } = request.body;
  const feeds = {};
  for (const input of inputs) feeds[input.name] = new Tensor('float32', Float32Array.from(input.data), input.shape);
  const results = await session.run(feeds);
  return {
    model_name: request.params.name,
    outputs: Object.entries(results).map(([name, t]) => ({
      name,
      datatype: t.type === 'int64' ? 'INT64' : 'FP32',
      shape: t.dims,
      data: t.type === 'int64' ? Array.from(t.data, Number) : Array.from(t.data),
    })),
  };
});

app.get('/v2/health/live', async () => ({ live: true }));

await app.listen({ host: '127.0.0.1', port: Number(process.argv[3] ?? 0) });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
