import { describe, expect, it } from 'vitest';
import { parseDeploymentManifest } from '../deployments/deployment-manifest.js';

const manifest = (features: unknown) => ({ name: 'fraud', spec: { models: [{ uri: 'models:/fraud/1' }], features } });

describe('a deployment manifest with features', () => {
  it('takes a project and feature service, with optional entity keys and full names', () => {
    const features = { project: 'fraud', feature_service: 'fraud_features', entity_keys: ['card_id'], full_feature_names: false };
    expect(parseDeploymentManifest(manifest(features)).spec.features).toEqual(features);
  });

  it('refuses a malformed features block, naming the field', () => {
    const refused = (features: unknown) => {
      try {
        parseDeploymentManifest(manifest(features));
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ project: 'fraud' })).toBe('Invalid deployment: spec.features.feature_service: required');
    expect(refused({ project: '', feature_service: 'f' })).toBe('Invalid deployment: spec.features.project: must not be empty');
    expect(refused({ project: 'p', feature_service: 'f', entity_keys: [] })).toBe(
      'Invalid deployment: spec.features.entity_keys: must name at least one column (leave it out to send every request column)',
    );
    expect(refused({ project: 'p', feature_service: 'f', entity_keys: ['a', 'a'] })).toBe('Invalid deployment: spec.features.entity_keys: must not name a column twice');
    expect(refused({ project: 'p', feature_service: 'f', featureService: 'f' })).toMatch(/^Invalid deployment: spec.features: Unrecognized key/);
  });
});
