import { Transform, finished, type Readable, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CapstanError } from '../../../core/errors.js';

/**
 * Makes every route of `scope` receive its body as the raw request stream, whatever the content
 * type: MLflow clients label artifact uploads by file type (`application/json` for a .json
 * artifact, none for others), and those bytes must reach the store untouched and unbuffered.
 * Call it on an encapsulated scope so the JSON parser elsewhere is unaffected.
 */
export function acceptRawBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
}

/**
 * Hands the request body to `consume` as a stream that fails with REQUEST_TOO_LARGE past
 * `maxBytes`. Fastify's bodyLimit only guards bodies it reads itself and raw bodies bypass it, so
 * the limit is enforced here: up front from Content-Length, and while streaming for chunked
 * bodies. A client that disconnects mid-upload makes the stream fail too, so the store discards
 * the partial write. When `consume` fails, the rest of the body is drained rather than the socket
 * destroyed, so the client still receives the error response.
 */
export async function withUploadBody<T>(request: FastifyRequest, maxBytes: number, consume: (body: Readable) => Promise<T>): Promise<T> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const source = request.raw;
  let received = 0;
  const body = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
  source.pipe(body);
  // pipe() does not forward a premature close; without this the store would wait forever.
  finished(source, (error) => {
    if (error) body.destroy(error);
  });
  try {
    return await consume(body);
  } catch (error) {
    source.unpipe(body);
    source.resume();
    throw error;
  }
}

function tooLarge(maxBytes: number): CapstanError {
  return new CapstanError('REQUEST_TOO_LARGE', `The upload exceeds the server's limit of ${maxBytes} bytes.`);
}
