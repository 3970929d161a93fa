import { test } from 'node:test';
import assert from 'node:assert/strict';

import { bucketQuantile, increase } from '../../../collectors/prometheus-derive.ts';
import { ExpositionError, parseExposition } from '../../../collectors/prometheus-parser.ts';

const text004 = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{method="get",path="/a \\"b\\""} 1027 1395066363000
http_requests_total{method="post"} 3
# TYPE latency_seconds histogram
latency_seconds_bucket{le="0.1"} 5
latency_seconds_bucket{le="+Inf"} 8
latency_seconds_sum 1.5
latency_seconds_count 8
temperature -3.5e1
`;

test('text format 0.0.4 groups samples by family', () => {
  const families = parseExposition(text004, false);
  assert.deepEqual(
    families.map((family) => [family.name, family.type, family.samples.length]),
    [
      ['http_requests_total', 'counter', 2],
      ['latency_seconds', 'histogram', 4],
      ['temperature', 'untyped', 1],
    ],
  );
  const first = families[0]!.samples[0]!;
  assert.equal(first.labels.path, '/a "b"');
  assert.equal(first.value, 1027);
  assert.equal(first.timestampMs, 1395066363000);
  assert.equal(families[2]!.samples[0]!.value, -35);
});

test('openmetrics counters drop the _total family suffix', () => {
  const text = `# TYPE jobs counter
jobs_total{queue="a"} 4 # {trace_id="x"} 1 1.5
jobs_created{queue="a"} 1700000000
# EOF
ignored 1
`;
  const families = parseExposition(text, true);
  assert.equal(families.length, 1);
  assert.equal(families[0]!.name, 'jobs');
  assert.equal(families[0]!.type, 'counter');
  assert.equal(families[0]!.samples[0]!.value, 4);
  assert.equal(families[0]!.samples.length, 2);
});

test('invalid sample line names its line', () => {
  assert.throws(
    () => parseExposition('ok 1\n<html>\n', false),
    (error: unknown) => error instanceof ExpositionError && error.line === 2,
  );
  assert.throws(() => parseExposition('x{a="1} 2\n', false), /unterminated label value/);
  assert.throws(() => parseExposition('x one\n', false), /invalid sample value "one"/);
});

test('bucket quantile interpolates inside a bucket', () => {
  const buckets = [
    { le: 0.1, count: 50 },
    { le: 0.5, count: 90 },
    { le: Infinity, count: 100 },
  ];
  // rank 50 is the top of the first bucket; rank 70 is halfway through the second.
  assert.equal(bucketQuantile(0.5, buckets), 0.1);
  assert.ok(Math.abs(bucketQuantile(0.7, buckets)! - 0.3) < 1e-12);
  assert.equal(bucketQuantile(0.95, buckets), 0.5);
  assert.equal(bucketQuantile(0.5, [{ le: Infinity, count: 0 }]), null);
});

test('counter increase treats a decrease as a reset', () => {
  assert.equal(increase(100, 160), 60);
  assert.equal(increase(160, 20), 20);
});
