import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { invalidParameter } from '../../../core/errors.js';
import type { SqlDialect } from '../../../ports/sql.js';
import type { FilterComparison } from './filter-parser.js';
import type { NumericComparator } from './search-specs.js';

/**
 * SQL fragments shared by the three searches. User values only ever enter as bound parameters;
 * the few SQL words chosen here (operators, collations) come from closed tables in this file.
 */

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** The lifecycle stage a view type selects, or undefined for ALL. */
export function stageFor(viewType: ViewType): 'active' | 'deleted' | undefined {
  if (viewType === 'ACTIVE_ONLY') return 'active';
  if (viewType === 'DELETED_ONLY') return 'deleted';
  if (viewType === 'ALL') return undefined;
  throw invalidParameter(`Invalid view type '${String(viewType)}'. Expected ACTIVE_ONLY, DELETED_ONLY or ALL`);
}

const dialects = new WeakMap<object, SqlDialect>();

/**
 * Which dialect a Kysely instance speaks. Kysely keeps its adapter internal, but the two dialects
 * Capstan supports number placeholders differently ($1 against ?), which a compiled probe shows.
 */
export function detectDialect<DB>(db: Kysely<DB>): SqlDialect {
  let dialect = dialects.get(db);
  if (!dialect) {
    dialect = sql`select ${0}`.compile(db).sql.includes('$1') ? 'postgres' : 'sqlite';
    dialects.set(db, dialect);
  }
  return dialect;
}

export function checkMaxResults(value: number | undefined, fallback: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n <= 0 || n > max) {
    throw invalidParameter(`Invalid value ${n} for parameter 'max_results' supplied. It must be at most ${max}, and greater than 0.`);
  }
  return n;
}

const NUMERIC_SQL: Readonly<Record<NumericComparator, string>> = { '=': '=', '!=': '<>', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

/**
 * `column <op> value` for numbers. The value is cast to double precision: PostgreSQL would
 * otherwise type the parameter after a BIGINT column and reject 1.5 or 1e30.
 */
export function compareNumber(column: Expression<unknown>, comparator: NumericComparator, value: number): RawBuilder<SqlBool> {
  return sql<SqlBool>`${column} ${sql.raw(NUMERIC_SQL[comparator])} cast(${value} as double precision)`;
}

/** The SQL for one parsed comparison against a column (text, or numeric for numeric keys). */
export function compareValue(dialect: SqlDialect, column: Expression<unknown>, c: FilterComparison): RawBuilder<SqlBool> {
  switch (c.kind) {
    case 'number':
      return compareNumber(column, c.comparator, c.value);
    case 'list':
      return c.comparator === 'IN'
        ? sql<SqlBool>`${column} in (${sql.join(c.value)})`
        : sql<SqlBool>`${column} not in (${sql.join(c.value)})`;
    case 'string':
      if (c.comparator === '=') return sql<SqlBool>`${column} = ${c.value}`;
      if (c.comparator === '!=') return sql<SqlBool>`${column} <> ${c.value}`;
      return like(dialect, column, c.value, c.comparator === 'ILIKE');
  }
}

/**
 * LIKE is case-sensitive and ILIKE case-insensitive on both dialects, with backslash escaping `%`,
 * `_` and itself as on PostgreSQL. A pattern without wildcards is an equality test.
 *
 * SQLite's LIKE ignores ASCII case (whatever case_sensitive_like says on another connection), so a
 * case-sensitive match there runs plain LIKE as a cheap sieve, then compares both sides with the
 * pattern's upper-case ASCII letters swapped for characters LIKE does not fold. Letters absent
 * from the pattern can only meet wildcards, where case does not matter, so they stay as they are.
 */
function like(dialect: SqlDialect, column: Expression<unknown>, rawPattern: string, insensitive: boolean): RawBuilder<SqlBool> {
  const pattern = normalizeLikePattern(rawPattern);
  const literal = likeLiteral(pattern);
  if (literal !== undefined && !insensitive) return sql<SqlBool>`${column} = ${literal}`;
  if (dialect === 'postgres') {
    return insensitive
      ? sql<SqlBool>`${column} ilike ${pattern} escape ${LIKE_ESCAPE}`
      : sql<SqlBool>`${column} like ${pattern} escape ${LIKE_ESCAPE}`;
  }
  const sieve = sql<SqlBool>`${column} like ${pattern} escape ${LIKE_ESCAPE}`;
  const letters = [...new Set(pattern.toUpperCase().match(/[A-Z]/g) ?? [])];
  if (insensitive || letters.length === 0) return sieve;
  return sql<SqlBool>`(${sieve} and ${foldUpper(column, letters)} like ${foldUpperText(pattern, letters)} escape ${LIKE_ESCAPE})`;
}

const LIKE_ESCAPE = '\\';

/**
 * Rewrites a user's LIKE pattern into one with identical meaning on both dialects: `\x` is a
 * literal x, a trailing lone backslash is a literal backslash (PostgreSQL would raise an error),
 * and `%`/`_` are wildcards. Literal `%`, `_` and `\` come out escaped; nothing else does.
 */
export function normalizeLikePattern(pattern: string): string {
  let out = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '%' || ch === '_') {
      out += ch;
      continue;
    }
    let literal = ch;
    if (ch === '\\' && i + 1 < chars.length) literal = chars[++i]!;
    out += literal === '%' || literal === '_' || literal === '\\' ? `\\${literal}` : literal;
  }
  return out;
}

/** The text a normalized pattern matches when it has no wildcards, else undefined. */
function likeLiteral(normalized: string): string | undefined {
  let out = '';
  for (let i = 0; i < normalized.length; i++) {
    const ch = normalized[i]!;
    if (ch === '%' || ch === '_') return undefined;
    out += ch === '\\' ? normalized[++i]! : ch;
  }
  return out;
}

/**
 * Unicode noncharacters U+FDD0..U+FDE9 stand in for A..Z. They are reserved for exactly this kind
 * of internal use and never appear in interchanged text, so the swap cannot create false matches.
 */
const FOLD_BASE = 0xfdd0;
const marker = (letter: string) => String.fromCharCode(FOLD_BASE + letter.charCodeAt(0) - 65);

function foldUpper(column: Expression<unknown>, letters: readonly string[]): RawBuilder<string> {
  let expr: RawBuilder<string> = sql<string>`${column}`;
  for (const letter of letters) {
    // Literals, not parameters: single letters and constants of this file, never user text.
    expr = sql<string>`replace(${expr}, ${sql.lit(letter)}, ${sql.lit(marker(letter))})`;
  }
  return expr;
}

function foldUpperText(text: string, letters: readonly string[]): string {
  return text.replace(/[A-Z]/g, (letter) => (letters.includes(letter) ? marker(letter) : letter));
}

/**
 * Text sort keys compare by code point on both dialects: SQLite's BINARY collation does, and
 * PostgreSQL's "C" collation does for UTF-8, whatever the database's locale.
 */
export function orderableText(dialect: SqlDialect, expr: Expression<unknown>): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`${expr} collate "C"` : sql`${expr}`;
}

/** 1 when `expr` is NULL, else 0: sorting by it first puts missing values last in either direction. */
export function nullsLastRank(expr: Expression<unknown>): RawBuilder<number> {
  return sql<number>`case when ${expr} is null then 1 else 0 end`;
}
