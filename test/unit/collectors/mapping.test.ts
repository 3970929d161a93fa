import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { Rejection } from '../../../appliance/ingest/rejection.ts';
import { applyMapping, parseMapping } from '../../../collectors/mapping.ts';

const spec = {
  target: 'events',
  fields: {
    id: 'request.id',
    timestamp: { from: 'ts', type: 'timestamp' },
    'features.temp': { from: 'weather.temp', type: 'number' },
    prediction: { from: 'score', type: 'number' },
  },
  constants: { stream: 'bike' },
  drop: [{ from: 'status', equals: 'test' }],
};

test('mapping renames, coerces and sets constants', () => {
  const { mapping, problems } = parseMapping(spec, 'events');
  assert.deepEqual(problems, []);
  const record = {
    request: { id: 'r1' },
    ts: '1700000000000',
    weather: { temp: '21.5' },
    score: '3',
  };
  const mapped = applyMapping(mapping!, record, 0, []);
  assert.ok('row' in mapped);
  assert.equal(mapped.row.id, 'r1');
  assert.equal(mapped.row.timestamp, 1700000000000);
  assert.equal((mapped.row.features as Record<string, unknown>).temp, 21.5);
  assert.equal(mapped.row.prediction, 3);
  assert.equal(mapped.row.stream, 'bike');
});

test('mapping drops records matching a drop rule', () => {
  const { mapping } = parseMapping(spec, 'events');
  const mapped = applyMapping(mapping!, { status: 'test', ts: 1 }, 0, []);
  assert.deepEqual(mapped, { dropped: true });
});

test('mapping rejects a value that cannot be coerced', () => {
  const { mapping } = parseMapping(spec, 'events');
  const out: Rejection[] = [];
  const mapped = applyMapping(mapping!, { weather: { temp: 'warm' } }, 4, out);
  assert.deepEqual(mapped, { rejected: true });
  assert.equal(out.length, 1);
  assert.equal(out[0]!.index, 4);
  assert.equal(out[0]!.field, 'features.temp');
  assert.equal(out[0]!.code, 'invalid_feature');
  assert.equal(out[0]!.value, '"warm"');
});

test('mapping without fields passes the record through', () => {
  const { mapping } = parseMapping({ constants: { 'labels.env': 'prod' } }, 'points');
  const mapped = applyMapping(mapping!, { name: 'up', value: 1 }, 0, []);
  assert.ok('row' in mapped);
  assert.equal(mapped.row.name, 'up');
  assert.equal((mapped.row.labels as Record<string, unknown>).env, 'prod');
});

test('mapping problems name every bad path', () => {
  const { mapping, problems } = parseMapping(
    {
      target: 'rows',
      fields: { id: { from: 'x', type: 'float' } },
      drop: [{ from: 'a' }],
      extra: 1,
    },
    'events',
  );
  assert.equal(mapping, undefined);
  assert.deepEqual(
    problems.map((problem) => problem.path),
    [['target'], ['fields', 'id', 'type'], ['drop', 0], ['extra']],
  );
});
