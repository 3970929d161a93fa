import { test } from 'node:test';
import assert from 'node:assert/strict';

import { searchRequest } from '../../../dashboards/check/search-request.ts';

const range = { from: 1_000, to: 61_000 };

test('count by terms nests a date histogram inside', () => {
  const request = searchRequest(
    {
      query: 'transition:firing',
      timeField: '@timestamp',
      metrics: [{ type: 'count', id: '1' }],
      bucketAggs: [
        {
          type: 'terms',
          id: '3',
          field: 'rule',
          settings: { size: '20', order: 'desc', orderBy: '_count', min_doc_count: '1' },
        },
        { type: 'date_histogram', id: '2', field: '@timestamp', settings: { interval: 'auto' } },
      ],
    },
    'vigil-alerts',
    range,
    '1m',
  );

  assert.deepEqual(request.header, {
    index: 'vigil-alerts',
    ignore_unavailable: true,
    search_type: 'query_then_fetch',
  });
  assert.equal(request.body.size, 0);
  assert.deepEqual(request.body.query, {
    bool: {
      filter: [
        { range: { '@timestamp': { gte: 1_000, lte: 61_000, format: 'epoch_millis' } } },
        { query_string: { analyze_wildcard: true, query: 'transition:firing' } },
      ],
    },
  });
  assert.deepEqual(request.body.aggs, {
    '3': {
      terms: { field: 'rule', size: 20, order: { _count: 'desc' }, min_doc_count: 1 },
      aggs: {
        '2': {
          date_histogram: {
            field: '@timestamp',
            fixed_interval: '1m',
            min_doc_count: 0,
            extended_bounds: { min: 1_000, max: 61_000 },
            format: 'epoch_millis',
          },
        },
      },
    },
  });
});

test('raw data sorts newest first with its size', () => {
  const request = searchRequest(
    { query: '', metrics: [{ type: 'raw_data', id: '1', settings: { size: '50' } }] },
    'vigil-alerts',
    range,
    '1m',
  );

  assert.equal(request.body.size, 50);
  assert.equal(request.body.aggs, undefined);
  assert.deepEqual(request.body.sort, [
    { '@timestamp': { order: 'desc', unmapped_type: 'boolean' } },
    { _doc: { order: 'desc' } },
  ]);
  const filters = (request.body.query as { bool: { filter: unknown[] } }).bool.filter;
  assert.deepEqual(filters[1], { query_string: { analyze_wildcard: true, query: '*' } });
});

test('term ordering maps to the key', () => {
  const request = searchRequest(
    {
      metrics: [{ type: 'count', id: '1' }],
      bucketAggs: [{ type: 'terms', id: '2', field: 'rule', settings: { orderBy: '_term' } }],
    },
    'vigil-alerts',
    range,
    '1m',
  );

  const aggregation = (request.body.aggs as Record<string, { terms: unknown }>)['2'];
  assert.deepEqual(aggregation?.terms, {
    field: 'rule',
    size: 10,
    order: { _key: 'desc' },
    min_doc_count: 1,
  });
});

test('untranslated aggregations are rejected', () => {
  assert.throws(
    () => searchRequest({ metrics: [{ type: 'avg', id: '1' }] }, 'i', range, '1m'),
    /metric type avg is not translated/,
  );
  assert.throws(
    () =>
      searchRequest(
        { metrics: [{ type: 'count', id: '1' }], bucketAggs: [{ type: 'filters', id: '2' }] },
        'i',
        range,
        '1m',
      ),
    /bucket aggregation filters is not translated/,
  );
});
