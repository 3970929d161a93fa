import { test } from 'node:test';
import assert from 'node:assert/strict';

import { decodeMessages } from '../../../collectors/kafka-decode.ts';
import { identityMapping, parseMapping } from '../../../collectors/mapping.ts';

function message(offset: number, value: string | null) {
  return { offset: String(offset), value: value === null ? null : Buffer.from(value) };
}

function plain(row: unknown): unknown {
  return JSON.parse(JSON.stringify(row)) as unknown;
}

test('json messages become rows with default ids', () => {
  const decoded = decodeMessages(
    'orders',
    2,
    [message(7, '{"stream":"s","id":"a"}'), message(8, '{"stream":"s"}')],
    'json',
    identityMapping('events'),
  );

  assert.deepEqual(decoded.rows, [
    { stream: 's', id: 'a' },
    { stream: 's', id: 'orders:2:8' },
  ]);
  assert.deepEqual(decoded.sources, [{ offset: '7' }, { offset: '8' }]);
  assert.deepEqual(decoded.rejected, []);
});

test('bad json message is rejected, neighbours kept', () => {
  const decoded = decodeMessages(
    't',
    0,
    [message(1, '{"id":"a"}'), message(2, '{"id":'), message(3, null), message(4, '{"id":"d"}')],
    'json',
    identityMapping('events'),
  );

  assert.equal(decoded.rows.length, 4);
  assert.deepEqual(decoded.rows[0], { id: 'a' });
  assert.equal(decoded.rows[1], null);
  assert.equal(decoded.rows[2], null);
  assert.deepEqual(decoded.rows[3], { id: 'd' });
  assert.deepEqual(
    decoded.rejected.map((rejection) => [rejection.index, rejection.code]),
    [
      [1, 'invalid_row'],
      [2, 'invalid_row'],
    ],
  );
  assert.match(decoded.rejected[0]!.reason, /not valid JSON/);
  assert.match(decoded.rejected[1]!.reason, /no value/);
  assert.deepEqual(decoded.sources[1], { offset: '2' });
});

test('json array message gives one row per element', () => {
  const decoded = decodeMessages(
    't',
    1,
    [message(5, '[{"v":1},{"v":2}]')],
    'json',
    identityMapping('events'),
  );

  assert.deepEqual(decoded.rows, [
    { v: 1, id: 't:1:5:0' },
    { v: 2, id: 't:1:5:1' },
  ]);
  assert.deepEqual(decoded.sources, [
    { offset: '5', record: 0 },
    { offset: '5', record: 1 },
  ]);
});

test('ndjson bad line rejects that line only', () => {
  const decoded = decodeMessages(
    't',
    0,
    [message(9, '{"id":"x"}\n\nnot json\n{"id":"y"}\n')],
    'ndjson',
    identityMapping('events'),
  );

  assert.deepEqual(decoded.rows, [{ id: 'x' }, null, { id: 'y' }]);
  assert.deepEqual(decoded.sources, [
    { offset: '9', record: 0 },
    { offset: '9', record: 1 },
    { offset: '9', record: 2 },
  ]);
  assert.equal(decoded.rejected.length, 1);
  assert.equal(decoded.rejected[0]!.index, 1);
  assert.match(decoded.rejected[0]!.reason, /^line 3 is not valid JSON/);
});

test('mapping coerces, drops and rejects records', () => {
  const { mapping, problems } = parseMapping(
    {
      fields: { id: 'key', 'features.x': { from: 'x', type: 'number' } },
      constants: { stream: 'k' },
      drop: [{ from: 'test', equals: true }],
    },
    'events',
  );
  assert.deepEqual(problems, []);

  const decoded = decodeMessages(
    't',
    0,
    [
      message(0, '{"key":"a","x":"1.5"}'),
      message(1, '{"key":"b","x":"high"}'),
      message(2, '{"key":"c","x":2,"test":true}'),
      message(3, '{"x":3}'),
    ],
    'json',
    mapping!,
  );

  // The mapping writes nested paths into null-prototype objects, so rows compare as JSON.
  assert.deepEqual(plain(decoded.rows[0]), { id: 'a', features: { x: 1.5 }, stream: 'k' });
  assert.equal(decoded.rows[1], null);
  assert.deepEqual(plain(decoded.rows[2]), { features: { x: 3 }, stream: 'k', id: 't:0:3' });
  assert.equal(decoded.rows.length, 3);
  assert.deepEqual(
    decoded.sources.map((source) => source.offset),
    ['0', '1', '3'],
  );
  assert.equal(decoded.rejected[0]!.code, 'invalid_feature');
  assert.equal(decoded.rejected[0]!.index, 1);
});

test('points target gets no default id', () => {
  const decoded = decodeMessages(
    't',
    0,
    [message(0, '{"name":"m","value":1}')],
    'json',
    identityMapping('points'),
  );

  assert.deepEqual(decoded.rows, [{ name: 'm', value: 1 }]);
});
