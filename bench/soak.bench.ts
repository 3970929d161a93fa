/**
 * Soak: drives `POST /api/v1/events` of a full appliance (SQLite on disk, one rule group every
 * 5 s, an ingest token) at a fixed rate for a set time and reports throughput, request
 * latency percentiles, event-loop lag, resident memory and the events window state keeps in
 * memory, sampled every 10 s. The load generator runs in the same process, so its CPU counts
 * against the appliance. With `NODE_OPTIONS=--expose-gc` each sample first forces a full
 * collection and reports the heap left (`live_mib`), which is what stays reachable. The forced
 * collection adds its pause to the loop lag of that sample.
 *
 *   VIGIL_SOAK_SECONDS=600 VIGIL_SOAK_RATE=2000 node --import tsx bench/run.ts soak
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAppliance } from '../appliance/app.ts';
import { loadConfig } from '../appliance/config/load-config.ts';
import { silentLogger } from '../appliance/log/logger.ts';

const SECONDS = Number(process.env.VIGIL_SOAK_SECONDS ?? 600);
/** Events per second sent, in batches of `BATCH` events. */
const RATE = Number(process.env.VIGIL_SOAK_RATE ?? 2_000);
const BATCH = 100;
const SAMPLE_EVERY_MS = 10_000;
const TOKEN = 'soak-ingest-token-0123456789';

const RULES = `version: 1
groups:
  - name: soak
    interval: 5s
    rules:
      - alert: SoakMaeHigh
        evaluator: quality.mae
        stream: soak
        window: 5m
        when: value > 1000
`;

function batch(first: number, now: number): string {
  const rows = [];
  for (let i = first; i < first + BATCH; i++) {
    const features = { x: i % 97, y: (i * 7) % 13, color: ['red', 'green', 'blue'][i % 3] };
    rows.push(
      JSON.stringify({
        stream: 'soak',
        id: `e${i}`,
        timestamp: now,
        features,
        prediction: i % 50,
        actual: (i + 3) % 50,
      }),
    );
  }
  return rows.join('\n');
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startSoakAppliance(directory: string) {
  mkdirSync(join(directory, 'rules'));
  writeFileSync(join(directory, 'rules', 'soak.yaml'), RULES);
  writeFileSync(
    join(directory, 'appliance.yaml'),
    [
      'http: { port: 0 }',
      'auth: { tokens: [{ name: soak, token: "${SOAK_TOKEN}", scopes: [ingest, read] }] }',
      'store: { path: ./data }',
      'log: { level: silent }',
    ].join('\n'),
  );
  const { config, problems } = loadConfig({
    path: join(directory, 'appliance.yaml'),
    env: { SOAK_TOKEN: TOKEN },
    cwd: directory,
  });
  if (problems.length > 0) throw new Error(`soak config invalid: ${problems[0]!.message}`);
  return startAppliance(config, { logger: silentLogger() });
}

export async function run(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-soak-'));
  const appliance = await startSoakAppliance(directory);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const latencies: number[] = [];
  const failures = new Map<number | 'network', number>();
  const url = `${appliance.url}/api/v1/events`;
  const headers = { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` };
  const intervalMs = (1000 * BATCH) / RATE;
  const started = performance.now();
  let nextSample = started + SAMPLE_EVERY_MS;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  console.log(`soak: ${RATE} events/s in batches of ${BATCH} for ${SECONDS} s`);
  console.log(
    'elapsed_s  rss_mib  heap_mib  live_mib  loop_lag_p99_ms  requests  window_events  load_1m',
  );

  try {
    for (let tick = 0; performance.now() - started < SECONDS * 1000; tick++) {
      const body = batch(tick * BATCH, Date.now());
      const sentAt = performance.now();
      const request = fetch(url, { method: 'POST', headers, body }).then(
        async (response) => {
          await response.arrayBuffer();
          latencies.push(performance.now() - sentAt);
          if (response.status !== 200) {
            failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
          }
        },
        // A reset connection (a keep-alive socket the server closed under load) counts as a
        // failed request instead of ending the run.
        () => {
          failures.set('network', (failures.get('network') ?? 0) + 1);
        },
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      sent += 1;

      if (performance.now() >= nextSample) {
        const memory = process.memoryUsage();
        const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(9);
        const rss = (memory.rss / 2 ** 20).toFixed(0).padStart(7);
        const heap = (memory.heapUsed / 2 ** 20).toFixed(0).padStart(8);
        const live = liveHeapMib().padStart(8);
        const loop = (lag.percentile(99) / 1e6).toFixed(1).padStart(15);
        const held = String(appliance.window.memoryCounts().events).padStart(13);
        const load = loadavg()[0]!.toFixed(2).padStart(7);
        console.log(
          `${elapsed}  ${rss}  ${heap}  ${live}  ${loop}  ${String(sent).padStart(8)}  ${held}  ${load}`,
        );
        lag.reset();
        nextSample += SAMPLE_EVERY_MS;
      }
      const due = started + (tick + 1) * intervalMs;
      await sleep(Math.max(0, due - performance.now()));
    }
    await Promise.all(inFlight);
  } finally {
    lag.disable();
    await appliance.close();
    rmSync(directory, { recursive: true, force: true });
  }

  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const throughput = Math.round((latencies.length * BATCH) / seconds);
  console.log(
    `soak: ${latencies.length} requests, ${throughput} events/s, latency ms ` +
      `p50 ${percentile(sorted, 50).toFixed(1)} p95 ${percentile(sorted, 95).toFixed(1)} ` +
      `p99 ${percentile(sorted, 99).toFixed(1)}, non-200 ${JSON.stringify(Object.fromEntries(failures))}`,
  );
}

/** Heap in use after a forced full collection, in MiB; '-' when `gc` is not exposed. */
function liveHeapMib(): string {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) return '-';
  collect();
  return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
}
