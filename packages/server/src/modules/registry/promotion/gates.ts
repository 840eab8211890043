import type { GateResult, Metric, NonInferiorityGate, PromotionGates, Run } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';

export type Comparator = '>=' | '>' | '<=' | '<' | '=';

export interface Threshold {
  key: string;
  op: Comparator;
  value: number;
  /** Normalised text, as results and errors quote it. */
  text: string;
}

const THRESHOLD = /^\s*metrics\.([^\s<>=]+)\s*(>=|<=|>|<|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** `metrics.<key> (>=|>|<=|<|=) <number>`; anything else is refused when the policy is saved. */
export function parseThreshold(rule: string): Threshold {
  const match = THRESHOLD.exec(rule);
  if (!match) throw invalidParameter(`Invalid threshold '${rule}': expected metrics.<key> (>=|>|<=|<|=) <number>, e.g. metrics.auc >= 0.9`);
  const [, key, op, number] = match as unknown as [string, string, Comparator, string];
  const value = Number(number);
  return { key, op, value, text: `metrics.${key} ${op} ${value}` };
}

function compare(left: number, op: Comparator, right: number): boolean {
  switch (op) {
    case '>=':
      return left >= right;
    case '>':
      return left > right;
    case '<=':
      return left <= right;
    case '<':
      return left < right;
    case '=':
      return left === right;
  }
}

/** Proto-JSON spells non-finite values as strings; NaN then fails every comparison, as it should. */
const numeric = (m: Metric): number => Number(m.value);

/** The value logged last (latest timestamp, then highest step) for a key, across datasets. */
export function latestValue(run: Run | undefined, key: string): number | undefined {
  const found = (run?.data.metrics ?? []).filter((m) => m.key === key);
  if (!found.length) return undefined;
  const last = found.reduce((a, b) => (Number(b.timestamp) > Number(a.timestamp) || (Number(b.timestamp) === Number(a.timestamp) && Number(b.step ?? 0) > Number(a.step ?? 0)) ? b : a));
  return numeric(last);
}

/** Values of a key per evaluation dataset digest (metrics logged without a digest are left out). */
function byDigest(run: Run | undefined, key: string): Map<string, number> {
  const out = new Map<string, { value: number; at: number }>();
  for (const m of run?.data.metrics ?? []) {
    if (m.key !== key || !m.dataset_digest) continue;
    const at = Number(m.timestamp);
    const seen = out.get(m.dataset_digest);
    if (!seen || at >= seen.at) out.set(m.dataset_digest, { value: numeric(m), at });
  }
  return new Map([...out].map(([digest, v]) => [digest, v.value]));
}

export interface GateInputs {
  candidate: Run | undefined;
  /** The current holder's run; undefined when nobody holds the target (or its version has no run). */
  holder: Run | undefined;
  holderVersion: number | null;
}

/** Every gate of a policy, evaluated against the candidate's run and the current holder's. */
export function evaluateGates(gates: PromotionGates, inputs: GateInputs): GateResult[] {
  const results: GateResult[] = [];
  const noRun = inputs.candidate === undefined ? ' (the version has no run, so no metrics)' : '';
  for (const key of gates.required_metrics ?? []) {
    const value = latestValue(inputs.candidate, key);
    results.push({ rule: `required metric ${key}`, passed: value !== undefined, detail: value === undefined ? `metric ${key} was not logged${noRun}` : `${key} = ${value}`, candidate_value: value ?? null });
  }
  for (const text of gates.thresholds ?? []) {
    const t = parseThreshold(text);
    const value = latestValue(inputs.candidate, t.key);
    const passed = value !== undefined && compare(value, t.op, t.value);
    results.push({ rule: t.text, passed, detail: value === undefined ? `metric ${t.key} was not logged${noRun}` : `${t.key} = ${value}`, candidate_value: value ?? null });
  }
  for (const gate of gates.non_inferiority ?? []) results.push(nonInferiority(gate, inputs));
  return results;
}

function nonInferiority(gate: NonInferiorityGate, inputs: GateInputs): GateResult {
  const higher = (gate.direction ?? 'higher') === 'higher';
  const rule = `non-inferiority ${gate.metric} ${higher ? '>=' : '<='} holder ${higher ? '-' : '+'} ${gate.margin}`;
  if (inputs.holderVersion === null) return { rule, passed: true, detail: 'nobody holds the target yet: nothing to compare with' };
  if (inputs.holder === undefined) return { rule, passed: false, detail: `the current holder (version ${inputs.holderVersion}) has no run to compare with` };
  const bound = (holderValue: number) => (higher ? holderValue - gate.margin : holderValue + gate.margin);
  const ok = (candidateValue: number, holderValue: number) => (higher ? candidateValue >= bound(holderValue) : candidateValue <= bound(holderValue));
  const candidateSets = byDigest(inputs.candidate, gate.metric);
  const holderSets = byDigest(inputs.holder, gate.metric);
  if (candidateSets.size && holderSets.size) {
    const shared = [...candidateSets.keys()].filter((d) => holderSets.has(d)).sort();
    if (!shared.length) return { rule, passed: false, detail: `no evaluation of ${gate.metric} on a dataset digest the holder (version ${inputs.holderVersion}) was also evaluated on` };
    // Every shared evaluation set must pass: a candidate may not hide a regression behind another dataset.
    const failing = shared.find((d) => !ok(candidateSets.get(d)!, holderSets.get(d)!));
    const digest = failing ?? shared[0]!;
    const c = candidateSets.get(digest)!;
    const h = holderSets.get(digest)!;
    return { rule, passed: failing === undefined, detail: `on dataset digest ${digest}: candidate ${c}, holder (version ${inputs.holderVersion}) ${h}, bound ${bound(h)}`, candidate_value: c, holder_value: h, dataset_digest: digest };
  }
  const c = latestValue(inputs.candidate, gate.metric);
  const h = latestValue(inputs.holder, gate.metric);
  if (c === undefined || h === undefined) return { rule, passed: false, detail: `metric ${gate.metric} is missing on the ${c === undefined ? 'candidate' : `holder (version ${inputs.holderVersion})`}`, candidate_value: c ?? null, holder_value: h ?? null };
  return {
    rule,
    passed: ok(c, h),
    detail: `compared the latest values without dataset digests (the runs logged none for ${gate.metric}, so the evaluation sets may differ): candidate ${c}, holder (version ${inputs.holderVersion}) ${h}, bound ${bound(h)}`,
    candidate_value: c,
    holder_value: h,
  };
}
