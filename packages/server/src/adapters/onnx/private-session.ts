import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';

export interface ModelFiles {
  bytes: Uint8Array;
  externalData: readonly { path: string; data: Uint8Array }[];
}

/**
 * Creates an onnxruntime session from a model held in memory. The model is written to a fresh
 * private folder with only its own external-data files: loaded from bytes, its external-data
 * locations would resolve against the process's working directory, i.e. the server's own files.
 * onnxruntime reads external data while it creates the session, so the folder goes right after.
 */
export async function createPrivateSession(model: ModelFiles, options: InferenceSession.SessionOptions = {}): Promise<InferenceSession> {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-onnx-'));
  try {
    const modelPath = join(dir, 'model.onnx');
    await writeFile(modelPath, model.bytes);
    for (const file of model.externalData) {
      const target = resolve(dir, file.path);
      const inside = relative(dir, target);
      if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || target === modelPath) {
        throw new Error(`external data path ${JSON.stringify(file.path)} is not a file beside the model`);
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.data);
    }
    try {
      return await InferenceSession.create(modelPath, options);
    } catch (err) {
      // Say `model.onnx`, not where the private folder happened to be.
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(message.replaceAll(`${dir}${sep}`, ''), { cause: err });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
