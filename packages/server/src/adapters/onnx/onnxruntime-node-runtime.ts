import type { OnnxModelRuntime } from '../../ports/model-runtime.js';
import { createPrivateSession } from './private-session.js';

/**
 * The onnxruntime-node implementation of `OnnxModelRuntime` (CPU execution provider): opens the
 * model in a private folder (see private-session.ts), reads its metadata, and lets it go.
 */
export const onnxruntimeNode: OnnxModelRuntime = {
  async describe(model, externalData) {
    const session = await createPrivateSession({ bytes: model, externalData });
    try {
      return { inputs: session.inputMetadata, outputs: session.outputMetadata };
    } finally {
      await session.release();
    }
  },
};
