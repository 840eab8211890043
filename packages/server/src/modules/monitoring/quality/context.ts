/** What every check reads: both prepared datasets, their summaries and the resolved options. */
import type { CheckSettings } from './outcome.js';
import type { PreparedDataset } from './table.js';
import type { CheckId, ColumnSummary, DatasetSummary, QualityInput } from './types.js';

export interface CheckContext {
  readonly input: QualityInput;
  readonly current: PreparedDataset;
  readonly reference?: PreparedDataset;
  readonly currentSummary: DatasetSummary;
  readonly referenceSummary?: DatasetSummary;
  readonly almostConstantShare: number;
  readonly nSigmas: number;
  readonly settings: (check: CheckId, column?: string) => CheckSettings;
}

/** almost_constant only warns by default: a near-constant column is worth a look, not an alarm. */
const NON_CRITICAL_BY_DEFAULT: ReadonlySet<CheckId> = new Set(['almost_constant']);

export function settingsResolver(input: QualityInput): (check: CheckId, column?: string) => CheckSettings {
  return (check, column) => {
    const forColumn = column === undefined ? undefined : input.columnChecks?.[column]?.[check];
    const forAll = input.checks?.[check];
    return {
      condition: forColumn?.condition ?? forAll?.condition,
      critical: forColumn?.critical ?? forAll?.critical ?? !NON_CRITICAL_BY_DEFAULT.has(check),
      enabled: forColumn?.enabled ?? forAll?.enabled ?? true,
    };
  };
}

export function columnSummary(summary: DatasetSummary | undefined, column: string): ColumnSummary | undefined {
  return summary?.columns.find((c) => c.column === column);
}
