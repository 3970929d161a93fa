import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPOSITORY = resolve(import.meta.dirname, '..', '..');
export const VIGIL_BIN = resolve(REPOSITORY, 'bin', 'vigil.js');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and collects its output. */
export function run(command: string, args: string[], timeoutMs = 120_000): Promise<Finished> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Waits until a JSON log line on the child's stdout has the given message, and returns it. */
export function waitForLog(
  child: ChildProcess,
  message: string,
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${message}" log line within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseJson(line);
        if (entry?.msg === message) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolvePromise(entry);
        }
      }
    };
    child.stdout?.on('data', onData);
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Polls `check` every 100 ms until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
}

/** One rule group that fires when more than half of the `checkout` stream's events failed. */
export const ERROR_RATE_RULES = `version: 1
groups:
  - name: service-health
    interval: 1s
    rules:
      - alert: ServiceErrorRateHigh
        evaluator: ops.error_rate
        stream: checkout
        window: 1m
        when: value > 0.5
        labels:
          severity: critical
        annotations:
          summary: '{{ $labels.stream }} fails {{ $value | humanizePercentage }} of requests'
`;

/**
 * Posts `count` checkout events with ids from `first`, the first `errors` of them failed, spread
 * over the 10 s before now, and fails the test unless all are stored.
 */
export async function postCheckoutEvents(
  baseUrl: string,
  options: { first?: number; count?: number; errors?: number } = {},
): Promise<void> {
  const { first = 0, count = 10, errors = 8 } = options;
  const now = Date.now();
  const events = Array.from({ length: count }, (_, index) => ({
    stream: 'checkout',
    id: `e${first + index}`,
    timestamp: new Date(now - 10_000 + index * (9_000 / count)).toISOString(),
    features: { amount: index },
    prediction: 1,
    error: index < errors,
    latency_ms: 20 + index,
  }));

  const response = await fetch(`${baseUrl}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  if (response.status !== 200) {
    throw new Error(`POST /api/v1/events answered ${response.status}: ${await response.text()}`);
  }
}
