import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { REPOSITORY } from '../process-helpers.ts';

/** A logger that keeps records in memory, so tests can assert what was logged. */
export function memoryLogger() {
  const records: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => records.push(JSON.parse(line)) };
  return { logger: pino({ level: 'debug' }, stream), records };
}

/** How long the outage tests keep a server down: 30 s by default, set by VIGIL_OUTAGE_SECONDS. */
export const OUTAGE_MS = Number(process.env.VIGIL_OUTAGE_SECONDS ?? '30') * 1000;

/** Starts influxd with `.ci/servers/influxdb.sh` and returns its PID and URL. */
export function startInflux(httpPort: number, rpcPort: number, dataDir: string) {
  const script = resolve(REPOSITORY, '.ci', 'servers', 'influxdb.sh');
  const out = execFileSync('bash', [script, String(httpPort), String(rpcPort), dataDir]).toString();
  const [pid, url] = out.trim().split(' ');
  return { pid: Number(pid), url: url! };
}

/** Starts OpenSearch with `.ci/servers/opensearch.sh` and returns its PID and URL. */
export function startOpenSearch(basePort: number, dataDir: string) {
  const script = resolve(REPOSITORY, '.ci', 'servers', 'opensearch.sh');
  const out = execFileSync('bash', [script, String(basePort), dataDir]).toString();
  const [pid, url] = out.trim().split(' ');
  return { pid: Number(pid), url: url! };
}

/** Sends SIGKILL and waits until the process is gone. */
export async function killAndWait(pid: number, signal: NodeJS.Signals = 'SIGKILL') {
  process.kill(pid, signal);
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
