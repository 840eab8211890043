import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inspectModelPackage } from './inspect-package.js';
import { parseMlModel, serializeMlModel, type MlModel } from './mlmodel.js';
import { signatureFromOnnx } from './onnx-signature.js';
import { environmentFiles, inputExampleFiles, MLFLOW_COMPAT_VERSION, writeModelPackageDescriptor } from './package-descriptor.js';
import { parseMlflowSignature } from './signature.js';
import { onnxruntimeNode } from '../../../adapters/onnx/onnxruntime-node-runtime.js';
import { memoryPackage, readFixture, readFixtureText } from './test-support/package-files.js';

/** Every key path of a document, values left out: the structure two MLmodels must share. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

async function irisDescriptor(): Promise<{ written: MlModel; fixture: MlModel; files: Record<string, string> }> {
  const model = await readFixture('iris-onnx', 'model.onnx');
  const graph = await signatureFromOnnx(model, onnxruntimeNode);
  const rows = JSON.parse(await readFixtureText('iris-onnx', 'input_example.json')).inputs as number[][];
  const example = inputExampleFiles(rows);
  const written = writeModelPackageDescriptor({
    signature: { inputs: { kind: 'tensor', specs: graph.inputs }, outputs: { kind: 'tensor', specs: graph.outputs } },
    inputExample: example.info,
    modelSizeBytes: model.byteLength,
    artifactPath: 'model',
    runId: '0123456789abcdef0123456789abcdef',
    createdAt: new Date(Date.UTC(2025, 0, 15, 10, 30, 45, 123)),
  });
  const fixture = parseMlModel(await readFixtureText('iris-onnx', 'MLmodel'));
  return { written, fixture, files: { ...example.files, ...environmentFiles() } };
}

describe('writeModelPackageDescriptor', () => {
  it('writes the MLmodel mlflow.onnx.log_model writes, structurally', async () => {
    const { written, fixture } = await irisDescriptor();
    const back = parseMlModel(serializeMlModel(written));
    expect(back).toEqual(written);
    expect(keyPaths(back).sort()).toEqual(keyPaths(fixture).sort());
    expect(back.flavors.python_function).toMatchObject({ loader_module: 'mlflow.onnx', data: 'model.onnx', env: fixture.flavors.python_function?.env });
    expect(back.flavors.onnx).toMatchObject({ data: 'model.onnx', providers: fixture.flavors.onnx?.providers, onnx_session_options: null, code: null });
    expect(back.saved_input_example_info).toEqual(fixture.saved_input_example_info);
    // Same schema JSON, byte for byte, since the signature came from the same graph.
    expect(back.signature).toEqual(fixture.signature);
    expect(parseMlflowSignature(back.signature)).toEqual(parseMlflowSignature(fixture.signature));
    expect(back.mlflow_version).toBe(MLFLOW_COMPAT_VERSION);
    expect(back.utc_time_created).toBe('2025-01-15 10:30:45.123000');
    expect(back.model_uuid).toMatch(/^[0-9a-f]{32}$/);
  });

  it('leaves out what it was not given, as MLflow does', () => {
    const minimal = writeModelPackageDescriptor({ createdAt: new Date(Date.UTC(2025, 0, 15, 10, 30, 45)), modelUuid: 'u' });
    expect(Object.keys(minimal).sort()).toEqual(['flavors', 'mlflow_version', 'model_uuid', 'utc_time_created']);
    expect(minimal.utc_time_created).toBe('2025-01-15 10:30:45');
  });

  it('writes a package Capstan itself accepts', async () => {
    const { written, files } = await irisDescriptor();
    const pkg = memoryPackage({ MLmodel: serializeMlModel(written), 'model.onnx': await readFixture('iris-onnx', 'model.onnx'), ...files });
    const result = await inspectModelPackage(pkg, onnxruntimeNode);
    expect(result.problems).toEqual([]);
  });
});

describe('inputExampleFiles and environmentFiles', () => {
  it('write the example files in the layout of the fixture', async () => {
    const { files } = await irisDescriptor();
    for (const name of ['input_example.json', 'serving_input_example.json']) {
      expect(JSON.parse(files[name] as string), name).toEqual(JSON.parse(await readFixtureText('iris-onnx', name)));
    }
    expect(files['serving_input_example.json']).toMatch(/^\{\n {2}"inputs": \[\n {4}\[\n {6}4\.400000095367432,\n/);
  });

  it('write conda.yaml, python_env.yaml and requirements.txt shaped like the fixture', async () => {
    const files = environmentFiles();
    for (const name of ['conda.yaml', 'python_env.yaml']) {
      const ours = parse(files[name] as string) as Record<string, unknown>;
      const theirs = parse(await readFixtureText('iris-onnx', name)) as Record<string, unknown>;
      expect(Object.keys(ours), name).toEqual(Object.keys(theirs));
    }
    expect(files['python_env.yaml']).toMatch(/^python: 3\.11\.9\nbuild_dependencies:\n- pip==/);
    expect(parse(files['conda.yaml'] as string)).toMatchObject({
      name: 'mlflow-env',
      channels: ['conda-forge'],
      dependencies: ['python=3.11.9', expect.stringMatching(/^pip<=/), { pip: ['mlflow==2.19.0', 'onnx==1.17.0', 'onnxruntime==1.20.1'] }],
    });
    expect(files['requirements.txt']).toBe('mlflow==2.19.0\nonnx==1.17.0\nonnxruntime==1.20.1');
  });
});
