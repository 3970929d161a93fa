import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPOSITORY, VIGIL_BIN, run, waitForLog } from './process-helpers.ts';

/**
 * Starts Debian's Prometheus and Alertmanager for one test file, through the same
 * `.ci/servers/*.sh` scripts as CI, on 127.0.0.1 with a free port and a temp directory. Each
 * started PID is appended to `$VIGIL_SERVER_PIDS_FILE` when set, so `.ci/run` stops the
 * servers on exit even when a test process dies before its `after` hook.
 */

/** `VIGIL_REQUIRE_SERVERS=1` turns a missing binary from a skip into a failure. */
const REQUIRED = process.env.VIGIL_REQUIRE_SERVERS === '1';

/**
 * Returns the `skip` option of a test that needs `binaries`: false when they are on PATH, a
 * message when one is missing. Throws when one is missing and `VIGIL_REQUIRE_SERVERS=1`.
 */
export function skipUnlessInstalled(binaries: string[]): false | string {
  const missing = binaries.filter(
    (binary) => spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0,
  );
  if (missing.length === 0) return false;

  const message =
    `${missing.join(' and ')} not found on PATH; install the Debian packages with ` +
    '"apt-get install --no-install-recommends prometheus prometheus-alertmanager"';
  if (REQUIRED) throw new Error(`${message} (VIGIL_REQUIRE_SERVERS=1 requires them)`);
  return message;
}

export interface StartedServer {
  url: string;
  pid: number;
  directory: string;
  stop(): Promise<void>;
}

/** Starts `prometheus` or `alertmanager` with `config` and waits until `/-/ready` returns 200. */
export async function startServer(
  kind: 'prometheus' | 'alertmanager',
  configFile: string,
): Promise<StartedServer> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), `vigil-${kind}-`));
  const script = join(REPOSITORY, '.ci', 'servers', `${kind}.sh`);

  const started = await run('bash', [script, configFile, String(port), directory], 30_000);
  const pid = Number(started.stdout.trim());
  if (started.code !== 0 || !Number.isInteger(pid)) {
    throw new Error(`${kind} did not start (exit ${started.code}): ${started.stderr}`);
  }
  if (process.env.VIGIL_SERVER_PIDS_FILE) {
    appendFileSync(process.env.VIGIL_SERVER_PIDS_FILE, `${pid}\n`);
  }
  return { url: `http://127.0.0.1:${port}`, pid, directory, stop: () => stopPid(pid) };
}

/** Sends SIGTERM and waits until the process is gone, SIGKILL after 10 s. */
async function stopPid(pid: number): Promise<void> {
  if (!signal(pid, 'SIGTERM')) return;
  const deadline = Date.now() + 10_000;
  while (signal(pid, 0)) {
    if (Date.now() > deadline) {
      signal(pid, 'SIGKILL');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns a port that was free a moment ago on 127.0.0.1.
 * NOTE: another process may take it before the server binds it, and then the start fails.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartedVigil {
  child: ChildProcess;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Runs `vigil serve --config FILE` and waits for its "appliance started" log line. */
export async function startVigil(configFile: string): Promise<StartedVigil> {
  const child = spawn('node', [VIGIL_BIN, 'serve', '--config', configFile], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = await waitForLog(child, 'appliance started');
  const url = String(started.url);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, url, port: Number(new URL(url).port), stop };
}
