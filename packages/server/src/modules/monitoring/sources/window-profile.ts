import type { DriftValue } from '../drift/index.js';
import type { InferenceWindowPage } from '../../serving/index.js';
import { DatasetProfile, type ProfileOptions } from '../profiles/index.js';
import { recordColumns, type ReadWindow, type WindowPart } from './window-columns.js';

const PAGE = 1000;
const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/**
 * A deployment's logged traffic in `[from, to)` summarised as a profile, page by page: memory stays
 * that of one page of the log plus the profile, whatever the number of rows, so no row limit
 * applies (the time grows with the rows). Columns are what readWindowColumns makes of the log: a
 * column a record lacks counts as nulls for its rows, nested values are skipped.
 *
 * `"NaN"`, `"Infinity"` and `"-Infinity"` (how the log spells non-finite numbers) become numbers in
 * a column that holds numbers, as normalizeColumn does for a whole column; here "holds numbers" is
 * decided per page, from that page and the pages before it, so such spellings logged before a
 * column's first number (and not in the same page) stay strings.
 */
export async function profileWindow(
  read: ReadWindow,
  window: { deployment: string; from: number; to: number; part: WindowPart },
  options: ProfileOptions = {},
): Promise<DatasetProfile> {
  const profile = new DatasetProfile(options);
  let after: InferenceWindowPage['next'];
  do {
    const page = await read({ deployment: window.deployment, from: window.from, to: window.to, limit: PAGE, ...(after ? { after } : {}) });
    const columns: Record<string, DriftValue[]> = {};
    let rows = 0;
    for (const record of page.records) {
      for (const [name, values] of Object.entries(recordColumns(record, window.part))) {
        if (values.length !== record.rows || values.some((v) => v !== null && typeof v === 'object')) continue;
        const column = (columns[name] ??= new Array<DriftValue>(rows).fill(null));
        column.push(...(values as DriftValue[]));
      }
      rows += record.rows;
      for (const column of Object.values(columns)) while (column.length < rows) column.push(null);
    }
    if (rows > 0) {
      for (const [name, column] of Object.entries(columns)) {
        const seen = profile.column(name)?.counts;
        const holdsNumbers = (seen !== undefined && seen.numberCount + seen.nanCount + seen.infinityCount > 0) || column.some((v) => typeof v === 'number');
        if (holdsNumbers) columns[name] = column.map((v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v]! : v));
      }
      profile.add(columns);
    }
    after = page.next;
  } while (after);
  return profile;
}
