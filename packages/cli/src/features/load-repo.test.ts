import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRepoDefinition } from './load-repo.js';

const FIXTURE = fileURLToPath(new URL('./test-support/driver-repo', import.meta.url));
const SDK = fileURLToPath(new URL('../../../sdk/src/index.js', import.meta.url));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'capstan-features-load-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

const file = async (name: string, text: string) => {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
};

describe('loadRepoDefinition', () => {
  it('reads a folder of TypeScript (through tsx) and YAML into one project', async () => {
    const definition = await loadRepoDefinition(FIXTURE);
    expect(definition.project).toBe('driver_ranking');
    expect(definition.entities.map((e) => e.name)).toEqual(['driver']);
    expect(definition.data_sources.map((s) => s.name)).toEqual(['driver_stats', 'vals_to_add']);
    expect(definition.feature_views.map((v) => [v.name, v.ttl_seconds])).toEqual([['driver_hourly_stats', 86_400]]);
    expect(definition.feature_services.map((s) => s.name)).toEqual(['driver_trips', 'driver_activity']);
    // The shipped transformation runs on its own, although tsx put a __name call in it.
    const { transformation } = definition.on_demand_feature_views[0]!;
    const run = new Function(`"use strict"; return (${transformation})`)() as (row: object) => unknown;
    expect(run({ conv_rate: 0.5, val_to_add: 2 })).toEqual({ conv_rate_plus_val: 2.5 });
  });

  // Outside an ESM package a .ts file loads as CommonJS, a .mts file as ESM: the default export arrives differently.
  it.each(['repo.ts', 'repo.mts'])("takes a module's default featureRepo, whatever else it exports (%s)", async (name) => {
    const path = await file(
      name,
      `import { entity, featureRepo, Int64 } from ${JSON.stringify(SDK)};
       export const rider = entity({ name: 'rider', joinKeys: { rider_id: Int64 } });
       export const unused = entity({ name: 'unused', joinKeys: { id: Int64 } });
       export default featureRepo({ project: 'rides', objects: [rider] });`,
    );
    const definition = await loadRepoDefinition(path);
    expect(definition).toMatchObject({ project: 'rides', entities: [{ name: 'rider' }] });
    await expect(loadRepoDefinition(path, { project: 'other' })).rejects.toThrow(`${path} declares project 'rides', not 'other' as --project says`);
  });

  it('collects the exports of a module without a repository, in the project --project names', async () => {
    const path = await file('loose.mts', `import { entity, Int64 } from ${JSON.stringify(SDK)};\nexport const rider = entity({ name: 'rider', joinKeys: { rider_id: Int64 } });\nexport const note = 'not a definition';`);
    expect(await loadRepoDefinition(path, { project: 'rides' })).toMatchObject({ project: 'rides', entities: [{ name: 'rider' }] });
    await expect(loadRepoDefinition(path)).rejects.toThrow(/^no project: set `project:` in a YAML file, export `project`/);
  });

  it("names the file in a module's own errors", async () => {
    const broken = await file('broken.ts', 'export const x = ;');
    await expect(loadRepoDefinition(broken, { project: 'p' })).rejects.toThrow(new RegExp(`^${broken}: `));
    const badTtl = await file(
      'bad-ttl.ts',
      `import { entity, featureView, fileSource, Int64 } from ${JSON.stringify(SDK)};
       const e = entity({ name: 'e', joinKeys: { id: Int64 } });
       export const v = featureView({ name: 'v', entities: [e], source: fileSource({ name: 's', path: 'p', format: 'csv', timestampField: 'ts' }), schema: { x: Int64 }, ttl: '1y' as never });`,
    );
    await expect(loadRepoDefinition(badTtl, { project: 'p' })).rejects.toThrow(`${badTtl}: feature view v: ttl: expected seconds or a duration such as 90s, 15m, 2h, 1d or 1w, got "1y"`);
    const empty = await file('empty.js', 'export const nothing = 1;');
    await expect(loadRepoDefinition(empty, { project: 'p' })).rejects.toThrow(`${empty}: exports no featureRepo() as default and no entity, source, view or service`);
  });

  it('checks references across files once they are merged', async () => {
    const dir = join(work, 'dangling');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    await writeFile(join(dir, 'a.yaml'), 'project: p\n---\nkind: FeatureService\nname: s\nfeatures: [ghost]\n');
    await expect(loadRepoDefinition(dir)).rejects.toThrow(`${dir}: feature service 's': feature view 'ghost' is not defined`);
    await expect(loadRepoDefinition(join(work, 'nowhere'))).rejects.toThrow(/nowhere: no such file or folder/);
  });

  it('refuses a folder without definition files, and files of other kinds', async () => {
    const dir = join(work, 'nothing');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    await writeFile(join(dir, 'README.md'), '# notes');
    await expect(loadRepoDefinition(dir)).rejects.toThrow(/no \.ts, \.mts, \.js, \.mjs, \.yaml or \.yml file in the folder/);
    await expect(loadRepoDefinition(join(dir, 'README.md'))).rejects.toThrow(/README\.md: expected a \.ts, \.mts, \.js, \.mjs, \.yaml or \.yml file/);
  });
});
