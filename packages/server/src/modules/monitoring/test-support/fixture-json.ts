import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A committed fixture as parsed JSON, with typed accessors that fail loudly on a malformed file. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function asArray(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) throw new Error(`fixture: expected an array, got ${JSON.stringify(v)}`);
  return v;
}

/** fixtures/monitoring/<name>, made by scripts/fixtures/make-*-cases.py. */
export function readMonitoringFixture(name: string): Json {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../../../fixtures/monitoring/${name}`, import.meta.url)), 'utf8')) as Json;
}
