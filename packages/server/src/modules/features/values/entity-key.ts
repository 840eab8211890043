import type { FeatureDtype, FieldSpec } from '@capstan/contracts';
import type { Cell } from './cells.js';

/**
 * The canonical text of an entity's join key values, the online store's key. Keys are sorted by
 * name and every integer width encodes alike (`i` + decimal), so a view whose entity declares
 * int32 and a request sending the same number find the same row. JSON quoting keeps names and
 * string values self-delimiting, so no two different keys share a text.
 */
export function entityKeyOf(joinKeys: readonly FieldSpec[], values: readonly Cell[]): string {
  if (joinKeys.length === 1) return namePrefix(joinKeys[0]!.name) + valueText(joinKeys[0]!.dtype, values[0]!);
  const order = joinKeys.map((_, i) => i).sort((a, b) => (joinKeys[a]!.name < joinKeys[b]!.name ? -1 : 1));
  return order.map((i) => namePrefix(joinKeys[i]!.name) + valueText(joinKeys[i]!.dtype, values[i]!)).join(',');
}

/** `"name":`, kept per name: materialization asks for the same few names millions of times. */
const prefixes = new Map<string, string>();
function namePrefix(name: string): string {
  let prefix = prefixes.get(name);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(name)}:`;
    if (prefixes.size < 10_000) prefixes.set(name, prefix);
  }
  return prefix;
}

function valueText(dtype: FeatureDtype, value: Cell): string {
  if (value === null) return 'n';
  switch (dtype) {
    case 'int32':
    case 'int64':
      return `i${String(value)}`;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'unix_timestamp':
      return `t${String(value)}`;
    case 'bool':
      return value ? 'b1' : 'b0';
    case 'bytes':
      return `x${Buffer.from(value as Uint8Array).toString('base64')}`;
    default:
      // Floats and lists make poor keys, but they are still encoded unambiguously.
      return `j${JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))}`;
  }
}
