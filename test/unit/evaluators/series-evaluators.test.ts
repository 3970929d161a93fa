import assert from 'node:assert/strict';
import { test } from 'node:test';

import { evaluators } from '../../../appliance/evaluators/registry.ts';
import type { EvaluatorInputs } from '../../../appliance/evaluators/evaluator.ts';
import type { SeriesSamples } from '../../../appliance/store/store.ts';
import { FakeReader, contextAt } from './fake-reader.ts';

const DAY = 86_400_000;

function series(name: string, labels: Record<string, string>, values: number[]): SeriesSamples {
  return { name, labels, timestamps: values.map((_, day) => day * DAY), values };
}

function evaluate(name: string, inputs: Partial<EvaluatorInputs>, data: SeriesSamples[]) {
  const factory = evaluators.get(name);
  assert.ok(factory !== undefined, `${name} is registered`);
  const windowMs = inputs.windowMs ?? 3 * DAY;
  const evaluator = factory.create({ windowMs, params: {}, ...inputs });
  return evaluator.evaluate(contextAt(new FakeReader([], data), 5 * DAY, windowMs));
}

// p95 latency per day. The window [2d, 5d) contains days 2, 3 and 4.
const latency = [
  series('latency:p95', { code: '200' }, [0.004, 0.005, 0.006, 0.03, 0.02]),
  series('latency:p95', { code: '422' }, [0.001, 0.001, 0.002, 0.001, 0.001]),
];

test('over_time aggregates each series', () => {
  const cases: [string, number][] = [
    ['last', 0.02],
    ['avg', (0.006 + 0.03 + 0.02) / 3],
    ['min', 0.006],
    ['max', 0.03],
    ['sum', 0.006 + 0.03 + 0.02],
  ];
  for (const [aggregation, expected] of cases) {
    const outputs = evaluate(
      'series.over_time',
      {
        series: { name: 'latency:p95', matchers: { code: '200' } },
        params: { function: aggregation },
      },
      latency,
    );

    assert.equal(outputs.length, 1, aggregation);
    assert.ok(Math.abs(outputs[0]!.values.value - expected) < 1e-12, aggregation);
    assert.equal(outputs[0]!.values.points, 3, aggregation);
  }
});

test('over_time keeps one output per labelset', () => {
  const outputs = evaluate(
    'series.over_time',
    { series: { name: 'latency:p95', matchers: {} } },
    latency,
  );

  assert.deepEqual(
    outputs.map((output) => [output.labels.code, output.values.value]),
    [
      ['200', 0.02],
      ['422', 0.001],
    ],
  );
});

test('over_time rejects an unknown function', () => {
  assert.throws(
    () =>
      evaluate(
        'series.over_time',
        { series: { name: 'latency:p95', matchers: {} }, params: { function: 'median' } },
        latency,
      ),
    /params\.function is invalid \(got "median"\); use one of last, avg, min, max, sum/,
  );
});

// Requests and errors per second, one point per day, two status codes and two error reasons.
const traffic = [
  series('requests:rate', { code: '200' }, [10, 10, 8, 9, 10]),
  series('requests:rate', { code: '422' }, [0, 0, 2, 1, 0]),
  series('errors:rate', { reason: 'out_of_range' }, [0, 0, 1.5, 1, 0]),
  series('errors:rate', { reason: 'invalid_body' }, [0, 0, 0.5, 0, 0]),
];
const ratioInputs = {
  series: { name: 'errors:rate', matchers: {} },
  params: { denominator: { name: 'requests:rate' } },
};

test('ratio divides summed numerator by denominator', () => {
  const [output, ...rest] = evaluate('series.ratio', ratioInputs, traffic);

  assert.equal(rest.length, 0);
  assert.deepEqual(output!.labels, {});
  assert.equal(output!.values.numerator, 3);
  assert.equal(output!.values.denominator, 30);
  assert.equal(output!.values.value, 0.1);
});

test('ratio is 0 without numerator points', () => {
  const quiet = traffic.filter((samples) => samples.name === 'requests:rate');

  const [output] = evaluate('series.ratio', ratioInputs, quiet);

  assert.equal(output!.values.value, 0);
  assert.equal(output!.reason, undefined);
});

test('ratio is NaN without denominator points', () => {
  const [output] = evaluate('series.ratio', ratioInputs, []);

  assert.ok(Number.isNaN(output!.values.value));
  assert.equal(output!.reason, 'no positive requests:rate points in window');
});

test('ratio denominator honours matchers', () => {
  const inputs = {
    ...ratioInputs,
    params: { denominator: { name: 'requests:rate', matchers: { code: '200' } } },
  };

  const [output] = evaluate('series.ratio', inputs, traffic);

  assert.equal(output!.values.denominator, 27);
  assert.equal(output!.values.value, 3 / 27);
});

test('ratio rejects a missing denominator', () => {
  assert.throws(
    () => evaluate('series.ratio', { ...ratioInputs, params: {} }, traffic),
    /params\.denominator is invalid \(got undefined\)/,
  );
});
