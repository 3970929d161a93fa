import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { Outbox } from '../../../appliance/store/outbox/outbox.ts';

const WRITER = fileURLToPath(new URL('./outbox-kill-writer.ts', import.meta.url));

function tempFile(t: { after: (fn: () => void) => void }): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-outbox-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return join(directory, 'outbox.db');
}

test('entries read back in order, per target', (t) => {
  const outbox = new Outbox({ path: tempFile(t) });

  outbox.append('events', [1, 2]);
  outbox.append('series', ['s']);
  outbox.append('events', [3]);

  assert.deepEqual(
    outbox.oldest('events', 10).map((e) => e.items),
    [[1, 2], [3]],
  );
  assert.deepEqual(
    outbox.oldest('series', 10).map((e) => e.items),
    [['s']],
  );
  outbox.close();
});

test('ack deletes entries and frees their bytes', (t) => {
  const outbox = new Outbox({ path: tempFile(t) });
  const first = outbox.append('events', ['aaaa']);
  outbox.append('events', ['bb']);
  assert.equal(outbox.depthBytes, '["aaaa"]'.length + '["bb"]'.length);

  assert.ok(first.ok);
  outbox.ack('events', first.seq);

  assert.equal(outbox.depthBytes, '["bb"]'.length);
  assert.deepEqual(
    outbox.oldest('events', 10).map((e) => e.items),
    [['bb']],
  );
  outbox.close();
});

test('full outbox rejects with a reason', (t) => {
  const outbox = new Outbox({ path: tempFile(t), maxBytes: 20 });

  const fits = outbox.append('events', ['0123456789']);
  const over = outbox.append('events', ['0123456789']);
  const forced = outbox.append('events', ['0123456789'], { pastLimit: true });

  assert.equal(fits.ok, true);
  assert.equal(over.ok, false);
  assert.match(over.ok ? '' : over.reason, /outbox .* 14 bytes, its limit is 20/);
  assert.equal(forced.ok, true);
  assert.match(outbox.fullReason() ?? '', /remote store is unreachable or slow/);
  outbox.close();
});

test('reopened outbox keeps entries and depth', (t) => {
  const path = tempFile(t);
  const first = new Outbox({ path });
  first.append('alerts', [{ a: 1 }]);
  first.close();

  const second = new Outbox({ path });

  assert.equal(second.depthBytes, JSON.stringify([{ a: 1 }]).length);
  assert.deepEqual(second.oldest('alerts', 1)[0]!.items, [{ a: 1 }]);
  second.close();
});

test('depth and age gauges per target', async (t) => {
  const registry = new Registry();
  let now = 10_000;
  const outbox = new Outbox({
    path: tempFile(t),
    registry,
    targets: ['events', 'series'],
    now: () => now,
  });
  outbox.append('events', ['abc']);
  now = 12_500;

  const depth = await registry.getSingleMetric('vigil_outbox_depth_bytes')!.get();
  const age = await registry.getSingleMetric('vigil_outbox_oldest_age_seconds')!.get();
  const byTarget = (values: { labels: { target?: string | number }; value: number }[]) =>
    Object.fromEntries(values.map((v) => [v.labels.target, v.value]));

  assert.deepEqual(byTarget(depth.values), { events: 7, series: 0 });
  assert.deepEqual(byTarget(age.values), { events: 2.5, series: 0 });
  outbox.close();
});

test('appended entries survive SIGKILL', async (t) => {
  const path = tempFile(t);
  const acknowledged = await new Promise<number>((resolve, reject) => {
    const child = fork(WRITER, [path], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    let last = -1;
    child.on('message', (message: { appended: number }) => {
      last = Math.max(last, message.appended);
      if (last + 1 >= 300) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last + 1);
      else reject(new Error(`writer exited with ${String(signal ?? code)} before the kill`));
    });
  });

  const outbox = new Outbox({ path });
  const entries = outbox.oldest('events', 100_000);

  assert.ok(acknowledged >= 300);
  assert.ok(entries.length >= acknowledged, `${entries.length} < ${acknowledged}`);
  const batches = entries.map((e) => (e.items[0] as { batch: number }).batch);
  assert.deepEqual(
    batches.slice(0, acknowledged),
    Array.from({ length: acknowledged }, (_, i) => i),
  );
  outbox.close();
});
