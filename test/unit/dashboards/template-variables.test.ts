import { test } from 'node:test';
import assert from 'node:assert/strict';

import { grafanaIntervals } from '../../../dashboards/check/grafana-interval.ts';
import {
  formatVariable,
  substituteVariables,
} from '../../../dashboards/check/template-variables.ts';

const all = { selection: 'All', allValue: '.*' } as const;

test('all value is inserted unescaped', () => {
  assert.equal(formatVariable(all, 'prometheus'), '.*');
  assert.equal(formatVariable(all, 'regex'), '.*');
  assert.equal(formatVariable(all, 'lucene'), '.*');
});

test('values are escaped per format', () => {
  const single = { selection: ['a.b'], allValue: '.*' };
  const two = { selection: ['a.b', 'c'], allValue: '.*' };

  assert.equal(formatVariable(single, 'regex'), 'a\\.b');
  assert.equal(formatVariable(single, 'prometheus'), 'a\\\\.b');
  assert.equal(formatVariable(two, 'regex'), '(a\\.b|c)');
  assert.equal(formatVariable(two, 'lucene'), '("a.b" OR "c")');
  assert.equal(formatVariable({ selection: ['x y'], allValue: '' }, 'lucene'), '"x\\ y"');
});

test('empty selection is rejected', () => {
  assert.throws(() => formatVariable({ selection: [], allValue: '.*' }, 'regex'), /is empty/);
});

test('substitution handles every reference form', () => {
  const variables = { rule: { selection: ['Up'], allValue: '.*' }, model: all };
  const builtIns = { __interval: '1m', timeFilter: 'time >= 0ms' };

  assert.equal(
    substituteVariables(
      'SELECT 1 FROM /^$model$/ WHERE $timeFilter GROUP BY time($__interval)',
      variables,
      builtIns,
      'regex',
    ),
    'SELECT 1 FROM /^.*$/ WHERE time >= 0ms GROUP BY time(1m)',
  );
  assert.equal(
    substituteVariables('rule:/${rule:regex}/ AND $rule', variables, builtIns, 'lucene'),
    'rule:/Up/ AND "Up"',
  );
  assert.equal(
    substituteVariables('x{rule=~"${rule}"}', variables, {}, 'prometheus'),
    'x{rule=~"Up"}',
  );
});

test('undefined variable is rejected by name', () => {
  assert.throws(() => substituteVariables('$nope', {}, {}, 'regex'), /variable \$nope/);
  assert.throws(
    () => substituteVariables('${rule:csv}', { rule: all }, {}, 'regex'),
    /format "csv"/,
  );
});

test('intervals follow range and scrape interval', () => {
  const sixHours = grafanaIntervals({ from: 0, to: 6 * 3_600_000 }, 15_000);
  assert.equal(sixHours.interval, '30s');
  assert.equal(sixHours.intervalMs, 30_000);
  assert.equal(sixHours.range, '21600s');
  assert.equal(sixHours.rateInterval, '60s');

  const short = grafanaIntervals({ from: 0, to: 15 * 60_000 }, 1_000);
  assert.equal(short.interval, '1s');
  assert.equal(short.rateInterval, '4s');
});
