import type { FastifyInstance } from 'fastify';
import {
  MLFLOW_ARTIFACTS_ROUTES,
  type CreateMultipartUploadResponse,
  type MultipartUploadCredential,
} from '@capstan/contracts';
import { MAX_PART_NUMBER, checkPartNumber } from '../../../core/blob-key.js';
import { invalidParameter } from '../../../core/errors.js';
import type { MultipartPart } from '../../../ports/blob-store.js';
import type { TrackingContext } from '../tracking-context.js';
import { missing, objectList, requiredInt64, requiredString, type RequestInput } from '../http/request-fields.js';
import { multipartTargetKey, parseArtifactObjectPath } from './artifact-path.js';
import { registerArtifactsRoute, requestFields, routeParam, wildcardPath } from './artifacts-route.js';
import { PART_UPLOAD_ROUTE, partUploadUrl } from './part-upload-url.js';
import { externalBaseUrl } from './request-origin.js';
import { acceptRawBodies, withUploadBody } from './upload-body.js';

/** How long a part URL stays usable: long enough for a multi-gigabyte upload on a slow link. */
const PART_URL_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * MLflow's proxied multipart uploads (mpu/create, complete, abort), for every store: the URL names
 * the destination folder and the body's `path` the client's local file, whose base name is the
 * object's name (see multipartTargetKey). Parts go to this server's part route (part-upload-url.ts).
 */
export function registerMultipartRoutes(app: FastifyInstance, ctx: TrackingContext): void {
  const { blobs, artifactRules: rules } = ctx;
  const maxUploadBytes = ctx.artifactUploadLimitBytes;
  registerArtifactsRoute(app, {
    ...MLFLOW_ARTIFACTS_ROUTES.createMultipartUpload,
    access: rules.createMultipartUpload,
    action: 'mlflow-artifacts.createMultipartUpload',
    handler: async (request, _reply, prefix): Promise<CreateMultipartUploadResponse> => {
      const input = requestFields(request);
      const key = targetKey(wildcardPath(request), input);
      const numParts = requiredInt64(input, 'num_parts');
      if (numParts < 1 || numParts > MAX_PART_NUMBER) {
        throw invalidParameter(`num_parts must be between 1 and ${MAX_PART_NUMBER}, got ${numParts}.`);
      }
      // Built before the upload starts, so a request without a usable Host leaves no orphaned upload.
      const baseUrl = externalBaseUrl(request);
      const { uploadId } = await blobs.createMultipartUpload(key);
      const credentials = Array.from(
        { length: numParts },
        (_, index): MultipartUploadCredential => ({
          url: partUploadUrl(baseUrl, prefix, uploadId, index + 1, key, (path) => ctx.access.signPath('PUT', path, PART_URL_TTL_MS)),
          part_number: index + 1,
          headers: {},
        }),
      );
      return { upload_id: uploadId, credentials };
    },
  });

  registerArtifactsRoute(app, {
    ...MLFLOW_ARTIFACTS_ROUTES.completeMultipartUpload,
    access: rules.completeMultipartUpload,
    action: 'mlflow-artifacts.completeMultipartUpload',
    handler: async (request) => {
      const input = requestFields(request);
      const key = targetKey(wildcardPath(request), input);
      const uploadId = requiredString(input, 'upload_id');
      const parts = objectList(input, 'parts').map(
        (part): MultipartPart => ({ partNumber: requiredInt64(part, 'part_number'), etag: requiredString(part, 'etag') }),
      );
      if (parts.length === 0) throw missing('parts');
      await blobs.completeMultipartUpload(key, uploadId, parts);
      return {};
    },
  });

  registerArtifactsRoute(app, {
    ...MLFLOW_ARTIFACTS_ROUTES.abortMultipartUpload,
    access: rules.abortMultipartUpload,
    action: 'mlflow-artifacts.abortMultipartUpload',
    handler: async (request) => {
      const input = requestFields(request);
      await blobs.abortMultipartUpload(targetKey(wildcardPath(request), input), requiredString(input, 'upload_id'));
      return {};
    },
  });

  void app.register(async (scope) => {
    acceptRawBodies(scope);
    registerArtifactsRoute(scope, {
      method: 'PUT',
      path: PART_UPLOAD_ROUTE,
      access: rules.uploadPart,
      action: 'mlflow-artifacts.uploadPart',
      handler: async (request, reply) => {
        const key = parseArtifactObjectPath(wildcardPath(request));
        const uploadId = routeParam(request, 'upload_id') ?? '';
        const partNumber = parsePartNumber(routeParam(request, 'part_number'));
        const { etag } = await withUploadBody(request, maxUploadBytes, (body) =>
          blobs.uploadPart(key, uploadId, partNumber, body),
        );
        // Quoted, as S3 sends it; completion accepts the ETag quoted or bare.
        void reply.header('etag', `"${etag}"`);
        return {};
      },
    });
  });
}

function targetKey(folderPath: string, input: RequestInput): string {
  return multipartTargetKey(folderPath, requiredString(input, 'path'));
}

function parsePartNumber(text: string | undefined): number {
  if (text === undefined || !/^\d{1,5}$/.test(text)) throw invalidParameter(`Invalid part number ${JSON.stringify(text ?? '')}.`);
  const partNumber = Number(text);
  checkPartNumber(partNumber);
  return partNumber;
}
