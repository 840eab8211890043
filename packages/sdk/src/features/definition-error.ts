/** A feature repository that cannot be sent: every problem found, one per line. */
export class FeatureDefinitionError extends Error {
  override name = 'FeatureDefinitionError';

  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems in the feature repository:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
