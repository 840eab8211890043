import type { FeatureDtype, FeatureValue, FieldSpec } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import { columnRows } from '../values/column-rows.js';
import { cellFromJson, type Cell } from '../values/cells.js';
import { entityKeyOf } from '../values/entity-key.js';

/**
 * The `entities` of an online request (join keys and request data, column-major), checked once per
 * column and dtype: equal lengths, declared types, no missing keys.
 */
export class EntityColumns {
  readonly rows: number;
  private readonly typed = new Map<string, Cell[]>();

  constructor(private readonly columns: Readonly<Record<string, readonly FeatureValue[]>>) {
    const rows = columnRows(columns, 'entities');
    this.rows = rows;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.columns, name);
  }

  /** A column as cells of `dtype`; `what` names it in errors ("join key of view X"). */
  column(name: string, dtype: FeatureDtype, what: string, nullable: boolean): Cell[] {
    const key = `${name}\u0000${dtype}`;
    let cells = this.typed.get(key);
    if (!cells) {
      const values = this.columns[name];
      if (values === undefined) throw invalidParameter(`entities lack '${name}', the ${what}`);
      cells = values.map((v, i) => {
        const cell = cellFromJson(v, dtype, () => `entities.${name}[${i}] (${what})`);
        if (cell === null && !nullable) throw invalidParameter(`entities.${name}[${i}] is null; a ${what} needs a value`);
        return cell;
      });
      this.typed.set(key, cells);
    }
    return cells;
  }

  /** Each row's online store key for these join keys. */
  entityKeys(joinKeys: readonly FieldSpec[], what: string): string[] {
    const columns = joinKeys.map((k) => this.column(k.name, k.dtype, what, false));
    const keys = new Array<string>(this.rows);
    for (let r = 0; r < this.rows; r++) keys[r] = entityKeyOf(joinKeys, columns.map((c) => c[r]!));
    return keys;
  }
}
