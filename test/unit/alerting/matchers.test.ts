import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  formatMatchers,
  matchesAll,
  parseMatcher,
  parseMatchers,
} from '../../../appliance/alerting/matchers.ts';

test('matchers parse the four operators', () => {
  const parsed = parseMatchers(['a="1"', 'b!=2', 'c=~"x|y"', 'd!~"z.*"']);

  assert.deepEqual(
    parsed.map((matcher) => matcher.operator),
    ['=', '!=', '=~', '!~'],
  );
  assert.equal(formatMatchers(parsed), '{a="1",b!="2",c=~"x|y",d!~"z.*"}');
});

test('regex matchers are anchored', () => {
  const matchers = parseMatchers(['severity=~"crit"']);

  assert.equal(matchesAll(matchers, { severity: 'crit' }), true);
  assert.equal(matchesAll(matchers, { severity: 'critical' }), false);
});

test('missing label matches the empty value', () => {
  assert.equal(matchesAll(parseMatchers(['team=""']), {}), true);
  assert.equal(matchesAll(parseMatchers(['team!~".+"']), {}), true);
  assert.equal(matchesAll(parseMatchers(['team="ml"']), {}), false);
});

test('nested quantifier on a long value', () => {
  // A backtracking engine takes about 2^n steps for (a+)+ against n letters and a mismatch;
  // RE2 takes linear time, so this returns at once.
  const matchers = parseMatchers(['ticker=~"(a+)+"']);

  assert.equal(matchesAll(matchers, { ticker: `${'a'.repeat(10_000)}!` }), false);
  assert.equal(matchesAll(matchers, { ticker: 'aaaa' }), true);
});

test('regex outside RE2 syntax is invalid', () => {
  const lookbehind = parseMatcher('ticker=~"(?<=x)a"');
  const unclosed = parseMatcher('ticker=~"(a"');

  assert.ok('error' in lookbehind);
  assert.match(lookbehind.error, /regex "\(\?<=x\)a" is invalid/);
  assert.ok('error' in unclosed);
  assert.match(unclosed.error, /regex "\(a" is invalid/);
});
