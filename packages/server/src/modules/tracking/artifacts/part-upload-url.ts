/**
 * Where clients upload the parts of a multipart upload.
 *
 * MLflow's S3 repository answers mpu/create with presigned S3 URLs. Capstan's store may be a
 * local folder, and its S3 credentials stay on the server, so every credential URL leads back to
 * this server instead, under the prefix the create request used:
 *
 *     PUT <base>/api/2.0/mlflow-artifacts/mpu/part/<upload_id>/<part_number>/<artifact_path>
 *
 * The body is the part's raw bytes. The response carries the part's `ETag` header, which the
 * client echoes in mpu/complete, just as with S3. Every piece is percent-encoded per segment, so
 * the router's single decoding gives back the exact upload id and blob key. The path is signed
 * (an expiring HMAC in the query, like S3's presigned URLs): clients send parts without credentials.
 */
export const PART_UPLOAD_ROUTE = '/mpu/part/{upload_id}/{part_number}/{artifact_path}';

export function partUploadUrl(
  baseUrl: string,
  prefix: string,
  uploadId: string,
  partNumber: number,
  key: string,
  sign: (path: string) => string,
): string {
  const keyPath = key.split('/').map(encodeURIComponent).join('/');
  return `${baseUrl}${sign(`${prefix}/mpu/part/${encodeURIComponent(uploadId)}/${partNumber}/${keyPath}`)}`;
}
