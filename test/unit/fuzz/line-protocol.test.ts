import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizePoint } from '../../../appliance/store/influx/sanitize-point.ts';
import { LineProtocolError, parseLine } from './line-protocol.ts';

void test('parser reads escapes and field kinds', () => {
  const parsed = parseLine(
    'n2\\,x\\ y,t\\=k\\ =a\\,b\\=c\\ d value=1.5,f\\,g\\=h\\ i=-2i,s="q\\"\\\\z",ok=T 1000',
  );

  assert.equal(parsed.measurement, 'n2,x y');
  assert.deepEqual({ ...parsed.tags }, { 't=k ': 'a,b=c d' });
  assert.deepEqual({ ...parsed.fields }, { value: 1.5, 'f,g=h i': -2, s: 'q"\\z', ok: true });
  assert.equal(parsed.timestamp, 1000);
});

void test('parser keeps a lone backslash literal', () => {
  const parsed = parseLine('n1\\x,t=a\\x f\\x=2');

  assert.equal(parsed.measurement, 'n1\\x');
  assert.equal(parsed.tags.t, 'a\\x');
  assert.equal(parsed.fields['f\\x'], 2);
  assert.equal(parsed.timestamp, undefined);
});

void test('parser rejects malformed lines', () => {
  const lines = [
    'm value=1\nm value=2',
    'm',
    'm,t value=1',
    'm,t= value=1',
    'm,a b=1 value=1',
    'm value=1 1.5',
    'm value=x',
    'm value="open',
    'm\\\\ x value=1',
    'm,t=a\\\\,b value=1',
    'm f\\\\=x=2',
    'm value=1,value=2',
    'm value=1 1000 extra',
  ];
  for (const line of lines) {
    assert.throws(() => parseLine(line), LineProtocolError, JSON.stringify(line));
  }
});

void test('sanitiser rejects backslash before escapes', () => {
  const base = { measurement: 'm', tags: {}, fields: { value: 1 }, timestamp: 0 };
  const cases = [
    [{ ...base, measurement: 'm\\ x' }, 'measurement_invalid'],
    [{ ...base, measurement: 'm\\\\x' }, 'measurement_invalid'],
    [{ ...base, tags: { t: 'a\\,b' } }, 'tag_backslash_escape'],
    [{ ...base, tags: { 'k\\=': 'a' } }, 'tag_backslash_escape'],
    [{ ...base, fields: { 'f\\=x': 2 } }, 'field_name_invalid'],
    [{ ...base, tags: { t: "it\\'s" } }, 'tag_backslash_escape'],
    [{ ...base, fields: { "f\\'": 2 } }, 'field_name_invalid'],
    [{ ...base, timestamp: 1.5 }, 'timestamp_invalid'],
  ] as const;
  for (const [point, reason] of cases) {
    const outcome = sanitizePoint(point);
    assert.equal(outcome.ok ? 'accepted' : outcome.rejection.reason, reason, JSON.stringify(point));
  }
});

void test('sanitiser keeps a lone backslash', () => {
  const outcome = sanitizePoint({
    measurement: 'm\\x',
    tags: { t: 'a\\b' },
    fields: { 'f\\x': 1 },
    timestamp: 0,
  });

  assert.equal(outcome.ok, true);
});

void test('sanitiser keeps a __proto__ tag', () => {
  const tags = JSON.parse('{"__proto__":"a","host":"b"}') as Record<string, string>;
  const outcome = sanitizePoint({ measurement: 'm', tags, fields: { value: 1 }, timestamp: 0 });

  assert.ok(outcome.ok);
  assert.deepEqual(Object.keys(outcome.point.tags), ['__proto__', 'host']);
  assert.equal(Object.getPrototypeOf(outcome.point.tags), Object.prototype);
});

void test('sanitiser strips backslashes before quotes', () => {
  const outcome = sanitizePoint({
    measurement: 'm',
    tags: {},
    fields: { _reason: "it\\'s \\\\'x\\'" },
    timestamp: 0,
  });

  assert.ok(outcome.ok);
  assert.equal(outcome.point.fields._reason, "it's 'x'");
  assert.deepEqual(outcome.fixes, ['field_backslash_quote_stripped']);
});
