import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import type { OnnxModelRuntime } from '../../ports/model-runtime.js';

/**
 * The onnxruntime-node implementation of `OnnxModelRuntime` (CPU execution provider).
 *
 * The model is always loaded from a fresh private folder holding only the model and the external
 * data files it was given: a model loaded from bytes would have its external-data locations
 * resolved against the process's working directory, i.e. the server's own files.
 */
export const onnxruntimeNode: OnnxModelRuntime = {
  async describe(model, externalData) {
    const dir = await mkdtemp(join(tmpdir(), 'capstan-onnx-'));
    try {
      const modelPath = join(dir, 'model.onnx');
      await writeFile(modelPath, model);
      for (const file of externalData) {
        const target = resolve(dir, file.path);
        const inside = relative(dir, target);
        if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || target === modelPath) {
          throw new Error(`external data path ${JSON.stringify(file.path)} is not a file beside the model`);
        }
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, file.data);
      }
      let session: InferenceSession;
      try {
        session = await InferenceSession.create(modelPath);
      } catch (err) {
        // Say `model.onnx`, not where the private folder happened to be.
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(message.replaceAll(`${dir}${sep}`, ''), { cause: err });
      }
      try {
        return { inputs: session.inputMetadata, outputs: session.outputMetadata };
      } finally {
        await session.release();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
