import { CapstanError } from './errors.js';

/**
 * Blob keys reach the stores straight from request paths, so they are checked here once, the same
 * way for every adapter: a key that passes can be appended to a folder or an S3 prefix without
 * escaping it. Keys arrive already percent-decoded; `%2e%2e` is therefore a literal name.
 */
export function normalizeBlobKey(key: string): string {
  if (key.includes('\0')) throw invalidKey(key, 'contains a NUL byte');
  // Backslashes are separators on Windows; refusing them keeps a key meaning one thing everywhere.
  if (key.includes('\\')) throw invalidKey(key, 'contains a backslash');
  if (key.startsWith('/')) throw invalidKey(key, 'is absolute');
  if (/^[A-Za-z]:/.test(key)) throw invalidKey(key, 'starts with a drive letter');

  const segments: string[] = [];
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw invalidKey(key, "contains a '..' segment");
    segments.push(segment);
  }
  return segments.join('/');
}

/** Joins key fragments with `/`, validating each one, so an absolute or `..` fragment cannot sneak in. */
export function joinBlobKey(...parts: readonly string[]): string {
  return parts
    .map(normalizeBlobKey)
    .filter((part) => part !== '')
    .join('/');
}

/**
 * Orders blob paths by their UTF-8 bytes, which is how S3 orders keys; every adapter sorts the same
 * way so listings do not depend on the backend.
 */
export function compareBlobPaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** S3's range for part numbers; both adapters enforce it so callers see one rule. */
export const MAX_PART_NUMBER = 10_000;

export function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new CapstanError(
      'INVALID_PARAMETER_VALUE',
      `Invalid part number ${partNumber}: it must be an integer from 1 to ${MAX_PART_NUMBER}.`,
    );
  }
}

/**
 * The parts of a completion request in ascending part-number order. Clients may list them in any
 * order, but S3 rejects an unsorted list (InvalidPartOrder), so adapters sort before sending.
 */
export function orderMultipartParts<T extends { partNumber: number; etag: string }>(parts: readonly T[]): T[] {
  if (parts.length === 0) {
    throw new CapstanError('INVALID_PARAMETER_VALUE', 'A multipart upload needs at least one part to complete.');
  }
  const seen = new Set<number>();
  for (const part of parts) {
    checkPartNumber(part.partNumber);
    if (seen.has(part.partNumber)) {
      throw new CapstanError('INVALID_PARAMETER_VALUE', `Part ${part.partNumber} is listed more than once.`);
    }
    seen.add(part.partNumber);
  }
  return [...parts].sort((a, b) => a.partNumber - b.partNumber);
}

/** S3 sends ETags wrapped in double quotes and ignores quotes when comparing; Capstan hands them out bare. */
export function unquoteEtag(etag: string): string {
  return etag.replaceAll('"', '');
}

function invalidKey(key: string, reason: string): CapstanError {
  return new CapstanError('INVALID_PARAMETER_VALUE', `Invalid path ${JSON.stringify(key)}: it ${reason}.`);
}
