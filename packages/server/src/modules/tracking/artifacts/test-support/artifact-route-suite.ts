import { describe } from 'vitest';
import type { ArtifactTestTarget } from './artifact-targets.js';
import { useArtifactTestClient } from './artifact-test-client.js';
import { defineMultipartTests } from './multipart-tests.js';
import { defineProxyTests } from './proxy-tests.js';
import { defineRunListingTests } from './run-listing-tests.js';

/** The artifact routes' behaviour, which must not depend on the metadata database or the blob store. */
export function describeArtifactRoutes(target: ArtifactTestTarget): void {
  describe(`artifact routes (${target.name})`, () => {
    const client = useArtifactTestClient(target);
    defineProxyTests(client);
    defineRunListingTests(client);
    defineMultipartTests(client);
  });
}
