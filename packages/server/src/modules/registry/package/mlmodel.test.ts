import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CapstanError } from '../../../core/errors.js';
import { parseMlModel, serializeMlModel, type MlModel } from './mlmodel.js';
import { readFixtureText } from './test-support/package-files.js';

function rejection(text: string): CapstanError {
  try {
    parseMlModel(text);
  } catch (err) {
    if (err instanceof CapstanError) return err;
    throw err;
  }
  throw new Error('expected parseMlModel to throw');
}

describe('parseMlModel', () => {
  it('reads an MLmodel written by mlflow.onnx.log_model', async () => {
    const model = parseMlModel(await readFixtureText('iris-onnx', 'MLmodel'));
    expect(model.artifact_path).toBe('model');
    expect(model.run_id).toBe('c0ffee00d15ea5e0b0a7f00dfeed1234');
    expect(model.model_uuid).toBe('5b1e3f0c9a7d4c2e8f6a1b3d5e7f9a0c');
    expect(model.mlflow_version).toBe('2.19.0');
    expect(model.utc_time_created).toBe('2025-01-15 10:30:45.123456');
    expect(model.model_size_bytes).toBeGreaterThan(0);
    expect(Object.keys(model.flavors).sort()).toEqual(['onnx', 'python_function']);
    expect(model.flavors.onnx).toMatchObject({ data: 'model.onnx', providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'], code: null });
    expect(model.flavors.python_function).toMatchObject({ loader_module: 'mlflow.onnx', env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' } });
    expect(model.saved_input_example_info).toEqual({
      artifact_path: 'input_example.json',
      type: 'ndarray',
      format: 'tf-serving',
      serving_input_path: 'serving_input_example.json',
    });
    expect(model.signature?.params).toBeNull();
    expect(JSON.parse(model.signature?.inputs ?? '')).toEqual([
      { name: 'input', type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 4] } },
    ]);
  });

  it('reads values the way PyYAML does (YAML 1.1), keeping timestamps as their text', () => {
    const model = parseMlModel('flavors: {custom: {flag: yes}}\nutc_time_created: 2025-01-15 10:30:45.123456\n');
    expect(model.flavors.custom).toEqual({ flag: true });
    expect(model.utc_time_created).toBe('2025-01-15 10:30:45.123456');
  });

  it('rejects malformed files with a clear INVALID_PARAMETER_VALUE', () => {
    const cases: Array<[string, RegExp]> = [
      ['flavors: [unclosed', /not valid YAML/],
      ['- a\n- b\n', /must be a YAML mapping, got a list/],
      ['', /must be a YAML mapping, got an empty document/],
      ['just text', /must be a YAML mapping, got a string/],
      ['run_id: abc\n', /has no `flavors`/],
      ['flavors: {}\n', /empty `flavors`/],
      ['flavors: [onnx]\n', /malformed at `flavors`/],
      ['flavors: {onnx: model.onnx}\n', /malformed at `flavors.onnx`/],
      ['flavors: {onnx: {}}\nmodel_size_bytes: -3\n', /malformed at `model_size_bytes`/],
      ['flavors: {onnx: {}}\nsignature: {inputs: [1, 2]}\n', /malformed at `signature.inputs`/],
      ['flavors: {onnx: {}}\nsaved_input_example_info: {type: ndarray}\n', /malformed at `saved_input_example_info.artifact_path`/],
      ['flavors: {onnx: {}}\nflavors: {x: {}}\n', /not valid YAML/],
    ];
    for (const [text, message] of cases) {
      const err = rejection(text);
      expect(err.code, text).toBe('INVALID_PARAMETER_VALUE');
      expect(err.message, text).toMatch(message);
    }
  });
});

describe('serializeMlModel', () => {
  it('round-trips the fixture MLmodel to the same document', async () => {
    const text = await readFixtureText('iris-onnx', 'MLmodel');
    const model = parseMlModel(text);
    const again = serializeMlModel(model);
    expect(parseMlModel(again)).toEqual(model);
    // The same mapping PyYAML's safe_load would build from either file.
    expect(parse(again, { version: '1.1' })).toEqual(parse(text, { version: '1.1' }));
  });

  it('keeps keys it does not know, from newer MLflow versions or other tools', () => {
    const text = [
      'flavors:',
      '  onnx: {data: model.onnx, future_option: {nested: [1, 2]}}',
      '  python_function: {loader_module: mlflow.onnx}',
      'metadata: {team: vision, owner: ada}',
      'model_id: m-0123456789abcdef',
      'is_signature_from_type_hint: false',
      'env_vars: [HF_TOKEN]',
      'resources: null',
      '',
    ].join('\n');
    const model = parseMlModel(text);
    expect(model.metadata).toEqual({ team: 'vision', owner: 'ada' });
    const back = parseMlModel(serializeMlModel(model));
    expect(back).toEqual(model);
    expect(back.flavors.onnx).toEqual({ data: 'model.onnx', future_option: { nested: [1, 2] } });
    expect(back.model_id).toBe('m-0123456789abcdef');
    expect(back.is_signature_from_type_hint).toBe(false);
    expect(back.env_vars).toEqual(['HF_TOKEN']);
    expect(back.resources).toBeNull();
  });

  it('writes what PyYAML writes: sorted keys, block style, unindented lists, nulls, JSON strings quoted', () => {
    const model: MlModel = {
      utc_time_created: '2025-01-15 10:30:45.123456',
      flavors: { onnx: { providers: ['CPUExecutionProvider'], data: 'model.onnx', code: null } },
      signature: { inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]', outputs: null, params: null },
      artifact_path: 'model',
    };
    expect(serializeMlModel(model)).toBe(
      [
        'artifact_path: model',
        'flavors:',
        '  onnx:',
        '    code: null',
        '    data: model.onnx',
        '    providers:',
        '    - CPUExecutionProvider',
        'signature:',
        `  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'`,
        '  outputs: null',
        '  params: null',
        "utc_time_created: '2025-01-15 10:30:45.123456'",
        '',
      ].join('\n'),
    );
  });

  it('quotes strings PyYAML would otherwise read as booleans, numbers or null', () => {
    const flavors = { custom: { a: 'yes', b: 'on', c: '1.10', d: 'null', e: '0o17', f: 'n' } };
    const text = serializeMlModel({ flavors });
    expect(parse(text, { version: '1.1' })).toEqual({ flavors });
    expect(parseMlModel(text).flavors).toEqual(flavors);
  });
});
