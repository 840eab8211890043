import { describe } from 'vitest';
import { s3Target } from './test-support/artifact-targets.js';
import { describeArtifactRoutes } from './test-support/artifact-route-suite.js';

// The same behaviour over the S3 adapter, against a real S3 protocol server (s3rver).
describe('on S3', () => {
  describeArtifactRoutes(s3Target());
});
