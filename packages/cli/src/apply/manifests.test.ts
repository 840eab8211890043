import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { readManifests } from './manifests.js';

const monitorYaml = (alerts: string) => `kind: Monitor
name: fraud-drift
deployment: fraud
reference: { type: training_dataset }
window_seconds: 3600
interval_seconds: 3600
checks: { data_drift: {} }
alerts:
${alerts}`;

const refusal = (text: string, env: Record<string, string> = {}) => {
  try {
    readManifests(text, 'm.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('readManifests', () => {
  it('sorts documents by kind, a missing kind meaning Deployment, and drops kind from monitors only', () => {
    const text = [
      monitorYaml('  - { type: slack, url: "https://hooks.slack.com/services/T/B/X" }'),
      'name: plain\nspec: { models: [{ uri: "models:/iris/1" }] }',
      '',
      'kind: Deployment\nname: explicit\nspec: { models: [{ uri: "models:/iris/1" }] }',
    ].join('\n---\n');
    const { deployments, monitors } = readManifests(text, 'm.yaml', {});
    expect(deployments).toEqual([
      { name: 'plain', spec: { models: [{ uri: 'models:/iris/1' }] } },
      { kind: 'Deployment', name: 'explicit', spec: { models: [{ uri: 'models:/iris/1' }] } },
    ]);
    expect(monitors).toHaveLength(1);
    expect(monitors[0]).not.toHaveProperty('kind');
    expect(monitors[0]).toMatchObject({ name: 'fraud-drift', alerts: [{ type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' }] });
  });

  it('reads JSON as well', () => {
    expect(readManifests('{"name": "a", "spec": {"models": []}}', 'm.json', {}).deployments).toEqual([{ name: 'a', spec: { models: [] } }]);
  });

  it('refuses unknown kinds, non-mappings, nameless and repeated manifests, naming the document', () => {
    expect(refusal('name: a\nspec: {}\n---\nkind: Service\nname: b\n')).toBe(
      'm.yaml: document 2: unknown kind "Service"; expected Deployment (the default when kind is left out) or Monitor',
    );
    expect(refusal('- name: a\n')).toBe('m.yaml: document 1: expected a manifest (a mapping with kind and name), got a list');
    expect(refusal('just text\n')).toBe('m.yaml: document 1: expected a manifest (a mapping with kind and name), got a string');
    expect(refusal('kind: Monitor\ndeployment: fraud\n')).toBe('m.yaml: document 1: the Monitor has no name');
    expect(refusal('name: a\n---\nname: b\n---\nname: a\n')).toBe("m.yaml: document 3: deployment 'a' is also declared by document 1");
    // A deployment and a monitor may share a name.
    expect(readManifests('name: a\n---\nkind: Monitor\nname: a\n', 'm.yaml', {}).monitors).toHaveLength(1);
    expect(refusal('name: a\nspec: [\n')).toMatch(/^m\.yaml: document 1: /);
  });

  it("replaces ${NAME} in alert channels' url and secret from the environment, and nothing else", () => {
    const text = monitorYaml(
      [
        '  - { type: webhook, url: "https://ops.example.com/${HOOK_PATH}", secret: "${HOOK_SECRET}" }',
        '  - { type: slack, url: "${SLACK_URL}" }',
      ].join('\n'),
    ).replace('name: fraud-drift', 'name: fraud-drift\ndescription: costs ${DOLLARS}');
    const env = { HOOK_PATH: 'capstan', HOOK_SECRET: 'a-secret-of-enough-length', SLACK_URL: 'https://hooks.slack.com/services/T/B/X', DOLLARS: '5' };
    const [monitor] = readManifests(text, 'm.yaml', env).monitors;
    expect(monitor).toMatchObject({
      description: 'costs ${DOLLARS}',
      alerts: [
        { type: 'webhook', url: 'https://ops.example.com/capstan', secret: 'a-secret-of-enough-length' },
        { type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
      ],
    });
    // Deployments are sent as written.
    expect(readManifests('name: a\ndescription: ${HOOK_PATH}\n', 'm.yaml', env).deployments[0]).toMatchObject({ description: '${HOOK_PATH}' });
  });

  it('refuses an alert variable that is unset or empty, before anything is applied', () => {
    const text = `name: first\n---\n${monitorYaml('  - { type: webhook, url: "https://ops.example.com/hook", secret: "${HOOK_SECRET}" }')}`;
    const expected = "m.yaml: document 2 (monitor 'fraud-drift'): alerts[0].secret uses ${HOOK_SECRET}, but the environment variable HOOK_SECRET is not set";
    expect(refusal(text)).toBe(expected);
    expect(refusal(text, { HOOK_SECRET: '' })).toBe(expected);
  });
});
