import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IngestQueue, type CommitResult } from '../../../appliance/ingest/ingest-queue.ts';

function heldQueue(maxQueueRecords: number, maxGroupRecords: number) {
  const drains: (() => void)[] = [];
  const groups: string[][] = [];
  const depths: number[] = [];
  const queue = new IngestQueue<string, number>({
    maxQueueRecords,
    maxGroupRecords,
    commitGroup: (payloads) => {
      groups.push(payloads);
      return payloads.map((payload): CommitResult<number> => ({ ok: true, value: payload.length }));
    },
    onDepth: (depth) => depths.push(depth),
    schedule: (drain) => drains.push(drain),
  });
  return { queue, drains, groups, depths };
}

void test('batches queued together share one commit', async () => {
  const { queue, drains, groups } = heldQueue(100, 100);
  const a = queue.enqueue('a', 10);
  const b = queue.enqueue('bb', 10);
  assert.equal(drains.length, 1);

  drains[0]!();
  assert.deepEqual(groups, [['a', 'bb']]);
  assert.ok(a.accepted && b.accepted);
  assert.deepEqual(await a.committed, { ok: true, value: 1 });
  assert.deepEqual(await b.committed, { ok: true, value: 2 });
});

void test('groups are split at maxGroupRecords', () => {
  const { queue, drains, groups } = heldQueue(100, 15);
  queue.enqueue('a', 10);
  queue.enqueue('b', 10);
  queue.enqueue('c', 5);

  drains[0]!();
  assert.deepEqual(groups, [['a'], ['b', 'c']]);
});

void test('queue past maxQueueRecords is not accepted', () => {
  const { queue, depths } = heldQueue(15, 100);
  assert.equal(queue.enqueue('a', 10).accepted, true);

  const full = queue.enqueue('b', 10);
  assert.deepEqual(full, { accepted: false, depth: 10 });
  assert.equal(queue.depth, 10);
  assert.deepEqual(depths, [10]);
});

void test('depth returns to zero after the commit', () => {
  const { queue, drains, depths } = heldQueue(100, 100);
  queue.enqueue('a', 10);
  queue.enqueue('b', 5);
  drains[0]!();

  assert.equal(queue.depth, 0);
  assert.deepEqual(depths, [10, 15, 0]);
});

void test('throwing commit fails every batch of the group', async () => {
  const queue = new IngestQueue<string, number>({
    maxQueueRecords: 100,
    maxGroupRecords: 100,
    commitGroup: () => {
      throw new Error('disk I/O error');
    },
    schedule: (drain) => drain(),
  });

  const result = queue.enqueue('a', 1);
  assert.ok(result.accepted);
  assert.deepEqual(await result.committed, { ok: false, reason: 'disk I/O error' });
  assert.equal(queue.depth, 0);
});
