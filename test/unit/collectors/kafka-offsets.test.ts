import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { KafkaRows } from '../../../collectors/kafka-decode.ts';
import {
  nextOffset,
  PartitionAssignment,
  partitionLag,
  splitAtMessages,
} from '../../../collectors/kafka-offsets.ts';

test('next offset handles int64 values', () => {
  assert.equal(nextOffset('0'), '1');
  assert.equal(nextOffset('9007199254740993'), '9007199254740994');
});

test('partition lag is never negative', () => {
  assert.equal(partitionLag('100', '40'), 60);
  assert.equal(partitionLag('100', '100'), 0);
  assert.equal(partitionLag('5', '9'), 0);
});

/** Builds rows of messages with the given record counts, at offsets from 10 on. */
function rowsOf(counts: number[]): KafkaRows {
  const rows: KafkaRows = { rows: [], sources: [], rejected: [] };
  counts.forEach((count, message) => {
    for (let record = 0; record < count; record++) {
      rows.rows.push({ message, record });
      rows.sources.push({ offset: String(10 + message), record });
    }
  });
  return rows;
}

test('split keeps messages whole', () => {
  const chunks = splitAtMessages(rowsOf([2, 2, 2]), 3, '12');

  assert.equal(chunks.length, 3);
  assert.deepEqual(
    chunks.map((chunk) => chunk.rows.length),
    [2, 2, 2],
  );
  assert.deepEqual(
    chunks.map((chunk) => chunk.commitOffset),
    ['11', '12', '13'],
  );
});

test('split keeps an oversized message whole', () => {
  const chunks = splitAtMessages(rowsOf([1, 5, 1]), 3, '12');

  assert.deepEqual(
    chunks.map((chunk) => chunk.rows.length),
    [1, 5, 1],
  );
  assert.deepEqual(
    chunks.map((chunk) => chunk.commitOffset),
    ['11', '12', '13'],
  );
});

test('last chunk commits past dropped messages', () => {
  const chunks = splitAtMessages(rowsOf([1, 1]), 10, '20');

  assert.equal(chunks.length, 1);
  assert.equal(chunks[0]!.commitOffset, '21');
});

test('batch of dropped messages still commits', () => {
  const chunks = splitAtMessages({ rows: [], sources: [], rejected: [] }, 10, '41');

  assert.equal(chunks.length, 1);
  assert.deepEqual(chunks[0]!.rows, []);
  assert.equal(chunks[0]!.commitOffset, '42');
});

test('split re-indexes rejections per chunk', () => {
  const rows = rowsOf([1, 1, 1, 1]);
  rows.rows[3] = null;
  rows.rejected.push({ index: 3, field: '', value: '', code: 'invalid_row', reason: 'bad' });
  const chunks = splitAtMessages(rows, 2, '13');

  assert.deepEqual(chunks[0]!.rejected, []);
  assert.equal(chunks[1]!.rejected.length, 1);
  assert.equal(chunks[1]!.rejected[0]!.index, 1);
  assert.equal(chunks[1]!.rows[1], null);
});

test('assignment reports lost partitions', () => {
  const assignment = new PartitionAssignment();
  assert.deepEqual(assignment.assign({ a: [0, 1], 'b.c': [0] }), []);
  assert.equal(assignment.owns('a', 1), true);

  const lost = assignment.assign({ a: [0] });
  assert.deepEqual(lost, [
    { topic: 'a', partition: 1 },
    { topic: 'b.c', partition: 0 },
  ]);
  assert.equal(assignment.owns('a', 1), false);
  assert.equal(assignment.owns('a', 0), true);
  assert.deepEqual(assignment.clear(), [{ topic: 'a', partition: 0 }]);
  assert.deepEqual(assignment.list(), []);
});
