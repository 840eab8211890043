/**
 * Turns a gRPC `map<string, InferParameter>` into the protocol-neutral `Parameters` the engine
 * takes (string, number or boolean, as over REST).
 */
import { OipBadRequest } from '../oip-error.js';
import type { Parameters } from '../oip-types.js';
import type { InferParameter, InferParameterMap } from './wire-types.js';

/** int64/uint64 arrive as decimal strings; only values a JS number holds exactly are accepted. */
function exactInteger(text: string, key: string, where: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new OipBadRequest(
      `${where} parameter '${key}' is the integer ${text}, beyond 2^53 where Capstan's parameters lose precision; ` +
        'send it as string_param',
    );
  }
  return value;
}

function valueOf(parameter: InferParameter, key: string, where: string): string | number | boolean {
  switch (parameter.parameter_choice) {
    case 'bool_param':
      return parameter.bool_param ?? false;
    case 'string_param':
      return parameter.string_param ?? '';
    case 'double_param':
      return parameter.double_param ?? 0;
    case 'int64_param':
      return exactInteger(parameter.int64_param ?? '0', key, where);
    case 'uint64_param':
      return exactInteger(parameter.uint64_param ?? '0', key, where);
    default:
      throw new OipBadRequest(`${where} parameter '${key}' has no value; set one of bool_param, int64_param, string_param, double_param, uint64_param`);
  }
}

/** undefined for an empty map, so callers pass no parameters rather than `{}`. */
export function parametersFromWire(map: InferParameterMap, where: string): Parameters | undefined {
  const entries = Object.entries(map);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([key, parameter]) => [key, valueOf(parameter, key, where)]));
}
