import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { HostCollector } from '../../../collectors/host-collector.ts';
import { parseMeminfo, parseNetDev, parseProcStat } from '../../../collectors/host-readers.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };
const netHeader = 'Inter-| Receive | Transmit\n face |bytes packets ...|bytes packets ...\n';

function writeProc(root: string, cpu: string, receive: number): void {
  writeFileSync(join(root, 'stat'), `cpu  ${cpu}\ncpu0 1 2 3 4\n`);
  writeFileSync(
    join(root, 'meminfo'),
    'MemTotal:       1000 kB\nMemFree:  10 kB\nMemAvailable:    250 kB\n',
  );
  writeFileSync(
    join(root, 'net', 'dev'),
    `${netHeader}  eth0: ${receive} 1 0 0 0 0 0 0 500 1 0 0 0 0 0 0\n`,
  );
}

test('proc readers parse cpu, memory and network', () => {
  assert.deepEqual(parseProcStat('cpu  10 0 5 80 5 0 0 0 0 0\n'), { busy: 15, total: 100 });
  assert.deepEqual(parseMeminfo('MemTotal: 2 kB\nMemAvailable: 1 kB\n'), {
    totalBytes: 2048,
    availableBytes: 1024,
  });
  assert.deepEqual(parseNetDev(`${netHeader}    lo: 7 1 0 0 0 0 0 0 9 1 0 0 0 0 0 0\n`), [
    { device: 'lo', receiveBytes: 7, transmitBytes: 9 },
  ]);
  assert.equal(parseProcStat('intr 1 2\n'), null);
});

test('host collector reports rates from the second read', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-proc-'));
  mkdirSync(join(root, 'net'));
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, metrics, logger: silentLogger() });
  let clock = 1_000_000;
  const host = new HostCollector(
    { name: 'host', intervalMs: 10_000, paths: [root], procRoot: root },
    {
      ingest: ingestor,
      logger: silentLogger(),
      metrics: createCollectorMetrics(metrics.registry),
      now: () => clock,
    },
  );

  writeProc(root, '100 0 0 900 0 0 0 0 0 0', 1_000);
  await host.collect();
  clock += 10_000;
  writeProc(root, '130 0 20 950 0 0 0 0 0 0', 6_000);
  await host.collect();

  const values = (name: string) =>
    store.queryPoints(name, {}, ALL_TIME).flatMap((series) => series.values);
  // 50 busy ticks of 100 between the reads; 5,000 bytes received in 10 s.
  assert.deepEqual(values('host_cpu_utilization_ratio'), [0.5]);
  assert.deepEqual(values('host_network_receive_bytes_per_second'), [500]);
  assert.deepEqual(values('host_memory_available_bytes'), [256_000, 256_000]);
  assert.equal(values('host_filesystem_size_bytes').length, 2);
  assert.ok(values('host_filesystem_free_bytes')[0]! > 0);
  assert.ok(values('process_resident_memory_bytes')[0]! > 0);
});
