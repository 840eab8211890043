/**
 * Trains a tiny logistic regression on synthetic data with plain gradient descent and tracks it in
 * Capstan: params, per-epoch metrics, the dataset as a run input, and the model as an artifact.
 *
 *   npx tsx examples/train-logistic-regression.ts            # server at $CAPSTAN_URL or 127.0.0.1:5000
 *   CAPSTAN_URL=http://host:5000 npx tsx examples/train-logistic-regression.ts
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapstanClient } from '@capstan/sdk';

interface Example {
  x: [number, number];
  y: 0 | 1;
}

const config = { seed: 42, samples: 400, testFraction: 0.25, learningRate: 0.5, epochs: 30, l2: 0.001 };

/** mulberry32: a seeded generator, so every run sees the same data and the digest is stable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two overlapping Gaussian blobs, centred at (-1, -1) and (1, 1). */
function makeBlobs(n: number, random: () => number): Example[] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: n }, (_, i) => {
    const y = (i % 2) as 0 | 1;
    const centre = y === 1 ? 1 : -1;
    return { x: [centre + gauss(), centre + gauss()], y };
  });
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

class LogisticRegression {
  weights: [number, number] = [0, 0];
  bias = 0;

  predict(x: [number, number]): number {
    return sigmoid(this.weights[0] * x[0] + this.weights[1] * x[1] + this.bias);
  }

  /** One full-batch gradient step on cross-entropy with L2; returns the loss before the step. */
  step(data: readonly Example[], learningRate: number, l2: number): number {
    let loss = 0;
    let gradW0 = 0;
    let gradW1 = 0;
    let gradBias = 0;
    for (const { x, y } of data) {
      const p = this.predict(x);
      // The epsilon keeps log() finite when a prediction saturates at 0 or 1.
      loss -= y * Math.log(p + 1e-12) + (1 - y) * Math.log(1 - p + 1e-12);
      gradW0 += (p - y) * x[0];
      gradW1 += (p - y) * x[1];
      gradBias += p - y;
    }
    const n = data.length;
    this.weights[0] -= learningRate * (gradW0 / n + l2 * this.weights[0]);
    this.weights[1] -= learningRate * (gradW1 / n + l2 * this.weights[1]);
    this.bias -= learningRate * (gradBias / n);
    return loss / n + (l2 / 2) * (this.weights[0] ** 2 + this.weights[1] ** 2);
  }

  accuracy(data: readonly Example[]): number {
    return data.filter(({ x, y }) => (this.predict(x) >= 0.5 ? 1 : 0) === y).length / data.length;
  }
}

async function main(): Promise<void> {
  const data = makeBlobs(config.samples, rng(config.seed));
  const split = Math.round(data.length * (1 - config.testFraction));
  const [train, test] = [data.slice(0, split), data.slice(split)];
  const digest = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);

  const client = new CapstanClient();
  const run = await client.startRun({ experimentName: 'logistic-regression-demo', runName: `lr-${config.learningRate}` });
  console.log(`run ${run.runId} in experiment ${run.experimentId} at ${client.url}`);
  try {
    run.logParams({ seed: config.seed, samples: config.samples, learning_rate: config.learningRate, epochs: config.epochs, l2: config.l2 });
    run.setTag('model_family', 'logistic_regression');
    await run.logInputs([
      {
        dataset: {
          name: 'synthetic-blobs',
          digest,
          source_type: 'code',
          source: JSON.stringify({ generator: 'makeBlobs', seed: config.seed }),
          schema: JSON.stringify({ mlflow_colspec: [{ name: 'x0', type: 'double' }, { name: 'x1', type: 'double' }, { name: 'y', type: 'long' }] }),
          profile: JSON.stringify({ num_rows: data.length }),
        },
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
      },
    ]);

    const model = new LogisticRegression();
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const loss = model.step(train, config.learningRate, config.l2);
      run.logMetrics({ train_loss: loss, train_accuracy: model.accuracy(train), test_accuracy: model.accuracy(test) }, { step: epoch });
    }

    const dir = await mkdtemp(join(tmpdir(), 'capstan-example-'));
    try {
      const file = join(dir, 'model.json');
      await writeFile(file, JSON.stringify({ weights: model.weights, bias: model.bias, features: ['x0', 'x1'] }, null, 2));
      await run.logArtifact(file, 'model');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await run.end('FINISHED');
    console.log(`done: test accuracy ${model.accuracy(test).toFixed(3)}`);
  } catch (err) {
    await run.end('FAILED').catch(() => undefined);
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
});
