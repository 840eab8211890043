import { readFileSync } from 'node:fs';
import pg from 'pg';
import { POSTGRES_ADMIN_URL } from './store.js';

/**
 * Where CPU time went during a measured phase, from /proc (Linux): this client, the Capstan
 * server process, PostgreSQL's backends serving the benchmark's database (plus its WAL writer,
 * checkpointer and background writer), and everything else. "other" well above zero means other
 * people's processes competed for the cores and wall-clock figures may be disturbed.
 */
export interface CpuBreakdown {
  wallMs: number;
  /** Busy time summed over all cores (2 cores fully busy for 1 s = 2000). */
  machineBusyMs: number;
  clientMs: number;
  serverMs: number;
  postgresMs: number;
  otherMs: number;
  /** Share of the machine's busy time spent by other processes; above ~0.15 the figures are suspect. */
  otherShare: number;
}

interface Snapshot {
  at: number;
  machineBusy: number;
  client: number;
  server: number;
  postgres: Map<number, number>;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((s, x) => s + x, 0);
  return total - (f[3] ?? 0) - (f[4] ?? 0);
}

function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state): utime is field 14, stime 15.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined; // exited
  }
}

/** PostgreSQL processes working for `database`, and the shared background writers. */
async function postgresPids(database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const res = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity
       where (datname = $1 and pid <> pg_backend_pid())
          or backend_type in ('walwriter', 'checkpointer', 'background writer')`,
      [database],
    );
    return res.rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

export class CpuMeter {
  private start: Snapshot | undefined;

  /** `postgresDatabase`: the benchmark's database name, whose backends are counted as postgres. */
  constructor(
    private readonly serverPid: number | undefined,
    private readonly postgresDatabase?: string,
  ) {}

  private async snap(): Promise<Snapshot> {
    const pids = this.postgresDatabase ? await postgresPids(this.postgresDatabase) : [];
    const postgres = new Map<number, number>();
    for (const pid of pids) {
      const t = processTicks(pid);
      if (t !== undefined) postgres.set(pid, t);
    }
    return {
      at: performance.now(),
      machineBusy: machineBusyTicks(),
      client: processTicks(process.pid) ?? 0,
      server: this.serverPid === undefined ? 0 : (processTicks(this.serverPid) ?? 0),
      postgres,
    };
  }

  async begin(): Promise<void> {
    this.start = await this.snap();
  }

  async end(): Promise<CpuBreakdown> {
    const a = this.start;
    if (!a) throw new Error('CpuMeter.end() before begin()');
    const b = await this.snap();
    let postgresTicks = 0;
    // Backends that started during the phase count from zero; ones that exited are lost.
    for (const [pid, ticks] of b.postgres) postgresTicks += ticks - (a.postgres.get(pid) ?? 0);
    const clientMs = (b.client - a.client) * TICK_MS;
    const serverMs = (b.server - a.server) * TICK_MS;
    const postgresMs = postgresTicks * TICK_MS;
    const machineBusyMs = (b.machineBusy - a.machineBusy) * TICK_MS;
    const otherMs = Math.max(0, machineBusyMs - clientMs - serverMs - postgresMs);
    return {
      wallMs: Math.round(b.at - a.at),
      machineBusyMs,
      clientMs,
      serverMs,
      postgresMs,
      otherMs,
      otherShare: Math.round((otherMs / Math.max(1, machineBusyMs)) * 100) / 100,
    };
  }
}
