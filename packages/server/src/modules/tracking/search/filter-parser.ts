import { invalidParameter } from '../../../core/errors.js';
import {
  allPrefixes,
  entityForPrefix,
  type FilterEntity,
  type KeySpec,
  type ListComparator,
  type NumericComparator,
  type SearchSpec,
  type StringComparator,
} from './search-specs.js';
import { isKeyword, tokenize, TokenStream, type Token } from './tokenizer.js';

/**
 * One comparison of a filter. `kind` says how `value` is typed, since `=` and `!=` exist for both
 * numbers and strings. Attribute keys are canonical (`created` arrives as `start_time`).
 */
export type FilterComparison =
  | { kind: 'number'; entity: FilterEntity; key: string; comparator: NumericComparator; value: number }
  | { kind: 'string'; entity: FilterEntity; key: string; comparator: StringComparator; value: string }
  | { kind: 'list'; entity: FilterEntity; key: string; comparator: ListComparator; value: string[] };

/** A resolved identifier: which entity, which key, and how the user spelled the entity. */
export interface ResolvedIdentifier {
  entity: FilterEntity;
  key: string;
  /** The prefix as written (`params`, `metric`) or `attribute`, so messages echo the user's words. */
  label: string;
  /** The identifier as written. */
  raw: string;
}

const PART_KINDS = new Set(['word', 'double', 'backtick']);

/**
 * Parses an MLflow filter string: comparisons joined by AND, each `identifier comparator value`.
 * An empty or blank filter means no conditions.
 */
export function parseFilter(filter: string | undefined, spec: SearchSpec): FilterComparison[] {
  if (filter === undefined || filter.trim() === '') return [];
  const stream = new TokenStream(tokenize(filter, 'filter'));
  const comparisons = [parseComparison(stream, spec, filter)];
  while (!stream.atEnd()) {
    const token = stream.next();
    if (isKeyword(token, 'AND')) {
      comparisons.push(parseComparison(stream, spec, filter));
    } else if (isKeyword(token, 'OR')) {
      throw invalidParameter(`Invalid clause(s) in filter string: 'OR'. Only AND is supported to combine comparisons in '${filter}'`);
    } else {
      throw invalidParameter(`Invalid filter '${filter}': expected AND or the end of the filter, found '${token.raw}' at position ${token.pos}`);
    }
  }
  return comparisons;
}

function parseComparison(stream: TokenStream, spec: SearchSpec, filter: string): FilterComparison {
  const id = resolveIdentifier(readIdentifierParts(stream, filter, 'filter'), spec, 'filter');
  const keySpec = keySpecFor(spec, id);
  const { comparator, raw } = readComparator(stream, filter, id);
  if (!(keySpec.comparators as readonly string[]).includes(comparator)) {
    throw invalidParameter(
      `Invalid comparator '${raw}' for ${id.label} '${id.key}'. Valid comparators are: ${keySpec.comparators.join(', ')}`,
    );
  }
  const { entity, key, label } = id;
  if (comparator === 'IN' || comparator === 'NOT IN') {
    return { kind: 'list', entity, key, comparator, value: readStringList(stream, filter, id) };
  }
  const token = stream.next();
  if (keySpec.type === 'number') {
    if (token.kind !== 'number') {
      throw invalidParameter(`Expected numeric value type for ${label} '${key}'. Found ${token.raw}`);
    }
    return { kind: 'number', entity, key, comparator: comparator as NumericComparator, value: Number(token.text) };
  }
  if (token.kind !== 'single' && token.kind !== 'double') {
    throw invalidParameter(`Expected a quoted string value for ${label} '${key}' (e.g. 'my-value'). Got value ${token.raw}`);
  }
  return { kind: 'string', entity, key, comparator: comparator as StringComparator, value: token.text };
}

/** Reads `part(.part)*` where a part is a bare word, a "double-quoted" or a `backticked` name. */
export function readIdentifierParts(stream: TokenStream, source: string, what: string): Token[] {
  const first = stream.next();
  if (!PART_KINDS.has(first.kind)) {
    throw invalidParameter(`Invalid ${what} '${source}': expected an identifier such as metrics.acc, found '${first.raw}'`);
  }
  const parts = [first];
  while (stream.peek().kind === 'dot') {
    const dot = stream.next();
    const part = stream.next();
    if (!PART_KINDS.has(part.kind)) {
      throw invalidParameter(`Invalid ${what} '${source}': expected a key after '.' at position ${dot.pos}, found '${part.raw}'`);
    }
    parts.push(part);
  }
  return parts;
}

/**
 * Splits an identifier at its first dot into entity and key, as MLflow does: a single part is an
 * attribute key, and the rest of a dotted path is the key (`tags.mlflow.runName`).
 */
export function resolveIdentifier(parts: readonly Token[], spec: SearchSpec, purpose: 'filter' | 'order_by'): ResolvedIdentifier {
  const raw = parts.map((p) => p.raw).join('.');
  let entity: FilterEntity = 'attribute';
  let label = 'attribute';
  let key = parts[0]!.text;
  if (parts.length > 1) {
    const prefix = parts[0]!.text;
    const found = entityForPrefix(spec, prefix);
    if (!found) {
      throw invalidParameter(`Invalid entity type '${prefix}' in '${raw}'. Valid values are ${allPrefixes(spec).map((p) => `'${p}'`).join(', ')}`);
    }
    entity = found;
    label = prefix;
    key = parts.slice(1).map((p) => p.text).join('.');
  }
  if (key === '') throw invalidParameter(`Invalid identifier '${raw}': the key is empty`);
  if (entity === 'attribute') {
    const attributes = purpose === 'filter' ? spec.filterAttributes : spec.orderAttributes;
    const canonical = Object.hasOwn(attributes, key) ? canonicalOf(attributes[key]!) : undefined;
    if (canonical === undefined) {
      throw invalidParameter(
        `Invalid attribute key '${key}' specified. Valid keys are ${Object.keys(attributes).map((k) => `'${k}'`).join(', ')}`,
      );
    }
    key = canonical;
  } else if (entity === 'dataset' && !(spec.datasetKeys ?? []).includes(key)) {
    throw invalidParameter(`Invalid dataset key '${key}' specified. Valid keys are ${(spec.datasetKeys ?? []).map((k) => `'${k}'`).join(', ')}`);
  }
  return { entity, key, label, raw };
}

function canonicalOf(entry: string | { canonical: string }): string {
  return typeof entry === 'string' ? entry : entry.canonical;
}

function keySpecFor(spec: SearchSpec, id: ResolvedIdentifier): KeySpec {
  if (id.entity === 'attribute') {
    // Keys were canonicalised; every canonical key is also listed under its own name.
    return Object.values(spec.filterAttributes).find((a) => a.canonical === id.key)!;
  }
  const keySpec = spec.entityKeys[id.entity];
  if (!keySpec) throw invalidParameter(`Invalid entity type '${id.label}' for searching ${spec.subject}`);
  return keySpec;
}

type ParsedComparator = NumericComparator | StringComparator | ListComparator;

function readComparator(stream: TokenStream, filter: string, id: ResolvedIdentifier): { comparator: ParsedComparator | 'INVALID'; raw: string } {
  const token = stream.next();
  if (token.kind === 'operator') {
    // `==` and `<>` are SQL-ish spellings MLflow does not accept; they fail the per-key check below.
    const known = ['=', '!=', '<', '<=', '>', '>='].includes(token.text);
    return { comparator: known ? (token.text as NumericComparator) : 'INVALID', raw: token.text };
  }
  if (isKeyword(token, 'LIKE') || isKeyword(token, 'ILIKE') || isKeyword(token, 'IN')) {
    return { comparator: token.text.toUpperCase() as ParsedComparator, raw: token.text };
  }
  if (isKeyword(token, 'NOT')) {
    const after = stream.next();
    if (isKeyword(after, 'IN')) return { comparator: 'NOT IN', raw: `${token.text} ${after.text}` };
    return { comparator: 'INVALID', raw: `${token.text} ${after.raw}` };
  }
  throw invalidParameter(`Invalid filter '${filter}': expected a comparator after '${id.raw}', found '${token.raw}'`);
}

function readStringList(stream: TokenStream, filter: string, id: ResolvedIdentifier): string[] {
  const open = stream.next();
  if (open.kind !== 'lparen') {
    throw invalidParameter(`Expected a parenthesised list of quoted strings for ${id.label} '${id.key}' (e.g. ('a', 'b')). Got value ${open.raw}`);
  }
  const values: string[] = [];
  for (;;) {
    const token = stream.next();
    if (token.kind === 'rparen') break;
    if (token.kind !== 'single' && token.kind !== 'double') {
      throw invalidParameter(`While parsing a list in the query, expected a quoted string value, but got ${token.raw} in '${filter}'`);
    }
    values.push(token.text);
    const separator = stream.next();
    if (separator.kind === 'rparen') break;
    if (separator.kind !== 'comma') {
      throw invalidParameter(`While parsing a list in the query, expected ',' or ')', but got ${separator.raw} in '${filter}'`);
    }
  }
  if (values.length === 0) {
    throw invalidParameter('While parsing a list in the query, expected a non-empty list of string values, but got empty list');
  }
  return values;
}
