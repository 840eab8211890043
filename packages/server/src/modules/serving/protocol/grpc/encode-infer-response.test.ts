import { describe, expect, it } from 'vitest';
import type { Tensor } from '../datatypes.js';
import { OipBadRequest } from '../oip-error.js';
import { encodeModelInferResponse } from './encode-infer-response.js';

const base = { modelName: 'm', modelVersion: '3' };

describe('encodeModelInferResponse', () => {
  it('renders every output as raw bytes with its name, datatype and shape, echoing the id', () => {
    const outputs: Tensor[] = [
      { name: 'label', datatype: 'BYTES', shape: [2], data: ['cat', 'é'] },
      { name: 'mask', datatype: 'BOOL', shape: [2, 1], data: [false, true] },
      { name: 'half', datatype: 'FP16', shape: [1], data: new Uint16Array([0x3c00]) },
    ];
    const response = encodeModelInferResponse({ ...base, id: 'r1', outputs });
    expect(response).toEqual({
      model_name: 'm',
      model_version: '3',
      id: 'r1',
      outputs: [
        { name: 'label', datatype: 'BYTES', shape: [2] },
        { name: 'mask', datatype: 'BOOL', shape: [2, 1] },
        { name: 'half', datatype: 'FP16', shape: [1] },
      ],
      raw_output_contents: [
        new Uint8Array([3, 0, 0, 0, 0x63, 0x61, 0x74, 2, 0, 0, 0, 0xc3, 0xa9]),
        new Uint8Array([0, 1]),
        new Uint8Array([0x00, 0x3c]),
      ],
    });
  });

  it('answers with an empty id when the request had none', () => {
    expect(encodeModelInferResponse({ ...base, outputs: [] }).id).toBe('');
  });

  it('treats an output whose data does not fit its shape as a server fault, not a bad request', () => {
    const outputs: Tensor[] = [{ name: 'y', datatype: 'FP32', shape: [3], data: new Float32Array(2) }];
    let thrown: unknown;
    try {
      encodeModelInferResponse({ ...base, outputs });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(OipBadRequest);
    expect((thrown as Error).message).toBe("model output 'y' (FP32, shape [3]) holds 2 elements, not 3");
  });

  it('rejects data of the wrong kind for the datatype', () => {
    const outputs = [{ name: 'y', datatype: 'INT64', shape: [1], data: new Float64Array(1) }] as unknown as Tensor[];
    expect(() => encodeModelInferResponse({ ...base, outputs })).toThrow("model output 'y' holds data of the wrong kind for INT64");
  });
});
