import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { waitForQuiet } from './quiet.js';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  totalMemGiB: number;
  /** 1-minute load average when the benchmark started; above ~0.5 something else was busy. */
  loadavg1AtStart: number;
  freeMemGiB: number;
  /** Share of all cores other processes kept busy just before the benchmark started (0..1). */
  busyShareAtStart: number;
}

/** Describes the machine, after waiting up to `waitQuietSeconds` for it to be idle. */
export async function machineInfo(waitQuietSeconds: number): Promise<MachineInfo> {
  const busyShareAtStart = await waitForQuiet(waitQuietSeconds);
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    totalMemGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadavg1AtStart: Math.round(loadavg()[0]! * 100) / 100,
    freeMemGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    busyShareAtStart,
  };
}
