import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestQueue } from '../../appliance/ingest/ingest-queue.ts';

// An options object with `schedule: undefined` once replaced the setImmediate default, so the
// first enqueue threw "schedule is not a function" and every request was answered 500.
void test('queue drains when schedule is passed as undefined', async () => {
  const queue = new IngestQueue<string, string>({
    maxQueueRecords: 10,
    maxGroupRecords: 10,
    commitGroup: (payloads) => payloads.map((payload) => ({ ok: true, value: payload })),
    onDepth: undefined,
    schedule: undefined,
  });

  const result = queue.enqueue('a', 1);

  assert.ok(result.accepted);
  assert.deepEqual(await result.committed, { ok: true, value: 'a' });
});
