import type { FeatureRepoDefinition } from '@capstan/contracts';

export type DefinitionSection = Exclude<keyof FeatureRepoDefinition, 'project'>;
type SpecIn<S extends DefinitionSection> = FeatureRepoDefinition[S][number];

const SECTION_NOUN: Readonly<Record<DefinitionSection, string>> = {
  entities: 'entities',
  data_sources: 'data sources',
  feature_views: 'feature views',
  on_demand_feature_views: 'on-demand feature views',
  feature_services: 'feature services',
};

/**
 * Collects specs into one definition. The same object reached twice (a source read by two views,
 * or declared in two files) is kept once; two different specs under one name are conflicts, since
 * one would silently replace the other: they are listed with the definition's other problems.
 */
export class DefinitionBuilder {
  readonly #sections = new Map<DefinitionSection, Map<string, { spec: object; canonical: string }>>();
  readonly conflicts: string[] = [];

  constructor(readonly project: string) {}

  add<S extends DefinitionSection>(section: S, spec: SpecIn<S>): void {
    const specs = this.#sections.get(section) ?? new Map<string, { spec: object; canonical: string }>();
    this.#sections.set(section, specs);
    const canonical = canonicalJson(spec);
    const existing = specs.get(spec.name);
    if (!existing) specs.set(spec.name, { spec, canonical });
    else if (existing.canonical !== canonical) {
      this.conflicts.push(`two different ${SECTION_NOUN[section]} are named '${spec.name}'; rename one (or define it once and import it)`);
    }
  }

  build(): FeatureRepoDefinition {
    const list = <S extends DefinitionSection>(section: S) => [...(this.#sections.get(section)?.values() ?? [])].map((entry) => entry.spec as SpecIn<S>);
    return {
      project: this.project,
      entities: list('entities'),
      data_sources: list('data_sources'),
      feature_views: list('feature_views'),
      on_demand_feature_views: list('on_demand_feature_views'),
      feature_services: list('feature_services'),
    };
  }
}

/** JSON with object keys sorted, so specs compare equal whatever order their fields were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
