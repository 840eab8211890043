/** Progress goes to stderr; stdout carries exactly one JSON document per script. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function emit(report: BenchReport): void {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/** The one JSON document every benchmark script prints. */
export interface BenchReport {
  benchmark: string;
  store: string;
  machine: { cpus: number; cpuModel: string; node: string };
  date: string;
  results: Record<string, unknown>;
  baseline: Record<string, unknown>;
  target: Record<string, unknown>;
  pass: boolean;
  notes?: string[];
}
