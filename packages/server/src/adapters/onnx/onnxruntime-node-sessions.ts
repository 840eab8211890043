import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type {
  InferenceRuntime,
  LoadedModel,
  RuntimeTensor,
  SessionOptions,
  TensorInfo,
} from '../../ports/inference-runtime.js';
import { NON_TENSOR } from '../../ports/inference-runtime.js';
import { createPrivateSession } from './private-session.js';

/**
 * The onnxruntime-node implementation of `InferenceRuntime` (CPU execution provider). Sessions come
 * from `createPrivateSession` (a private folder, removed once the session exists; the tests run a
 * session whose folder is gone, external data included).
 */
export const onnxruntimeNodeSessions: InferenceRuntime = {
  async load(model, options) {
    const session = await createPrivateSession(model, toOrtOptions(options)).catch((err: unknown) => {
      throw new Error(`cannot load the model: ${(err as Error).message}`, { cause: err });
    });
    return new OrtLoadedModel(session);
  },
};

function toOrtOptions(options: SessionOptions): InferenceSession.SessionOptions {
  // Only the options that were given: onnxruntime's own defaults apply to the rest.
  const ort: InferenceSession.SessionOptions = { executionProviders: ['cpu'] };
  if (options.intraOpThreads !== undefined) ort.intraOpNumThreads = options.intraOpThreads;
  if (options.interOpThreads !== undefined) ort.interOpNumThreads = options.interOpThreads;
  if (options.graphOptimizationLevel !== undefined) ort.graphOptimizationLevel = options.graphOptimizationLevel;
  if (options.executionMode !== undefined) ort.executionMode = options.executionMode;
  return ort;
}

function toTensorInfo(meta: InferenceSession.ValueMetadata): TensorInfo {
  return meta.isTensor
    ? { name: meta.name, type: meta.type, shape: [...meta.shape] }
    : { name: meta.name, type: NON_TENSOR, shape: [] };
}

class OrtLoadedModel implements LoadedModel {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly #session: InferenceSession;
  #released: Promise<void> | undefined;
  readonly #running = new Set<Promise<unknown>>();

  constructor(session: InferenceSession) {
    this.#session = session;
    this.inputs = session.inputMetadata.map(toTensorInfo);
    this.outputs = session.outputMetadata.map(toTensorInfo);
  }

  async run(feeds: Readonly<Record<string, RuntimeTensor>>, outputNames?: readonly string[]): Promise<Record<string, RuntimeTensor>> {
    if (this.#released) throw new Error('the model has been released');
    const ortFeeds: Record<string, Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      // Typed arrays are handed over as they are (onnxruntime keeps a reference, no copy).
      ortFeeds[name] = new Tensor(tensor.type, tensor.data, tensor.dims);
    }
    const pending = outputNames === undefined ? this.#session.run(ortFeeds) : this.#session.run(ortFeeds, [...outputNames]);
    this.#running.add(pending);
    try {
      const results = await pending;
      const out: Record<string, RuntimeTensor> = {};
      for (const [name, value] of Object.entries(results)) out[name] = fromOrt(name, value);
      return out;
    } finally {
      this.#running.delete(pending);
    }
  }

  release(): Promise<void> {
    this.#released ??= this.#release();
    return this.#released;
  }

  async #release(): Promise<void> {
    // Freeing the native session under a run in progress would pull its buffers away from it.
    await Promise.allSettled([...this.#running]);
    await this.#session.release();
  }
}

/** Checks the array type against the element type at run time, so no cast is needed. */
function fromOrt(name: string, tensor: Tensor): RuntimeTensor {
  const { dims, data } = tensor;
  switch (tensor.type) {
    case 'float32': if (data instanceof Float32Array) return { type: 'float32', dims, data }; break;
    case 'float64': if (data instanceof Float64Array) return { type: 'float64', dims, data }; break;
    case 'float16': if (data instanceof Uint16Array) return { type: 'float16', dims, data }; break;
    case 'int8': if (data instanceof Int8Array) return { type: 'int8', dims, data }; break;
    case 'uint8': if (data instanceof Uint8Array) return { type: 'uint8', dims, data }; break;
    case 'int16': if (data instanceof Int16Array) return { type: 'int16', dims, data }; break;
    case 'uint16': if (data instanceof Uint16Array) return { type: 'uint16', dims, data }; break;
    case 'int32': if (data instanceof Int32Array) return { type: 'int32', dims, data }; break;
    case 'uint32': if (data instanceof Uint32Array) return { type: 'uint32', dims, data }; break;
    case 'int64': if (data instanceof BigInt64Array) return { type: 'int64', dims, data }; break;
    case 'uint64': if (data instanceof BigUint64Array) return { type: 'uint64', dims, data }; break;
    case 'bool': if (data instanceof Uint8Array) return { type: 'bool', dims, data }; break;
    case 'string': if (Array.isArray(data)) return { type: 'string', dims, data }; break;
    default: break;
  }
  throw new Error(`output ${JSON.stringify(name)} has element type ${tensor.type}, which serving does not support`);
}
