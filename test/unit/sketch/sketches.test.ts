import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ColumnProfile } from '../../../appliance/sketch/column-profile.ts';
import { DdSketch } from '../../../appliance/sketch/ddsketch.ts';
import { KllSketch } from '../../../appliance/sketch/kll.ts';
import { ReferenceProfileStore } from '../../../appliance/sketch/profile-store.ts';
import { sketchDrift } from '../../../appliance/sketch/sketch-drift.ts';
import { TopKCounts } from '../../../appliance/sketch/top-k.ts';
import { ksTwoSample } from '../../../appliance/stats/ks.ts';
import { splitColumn } from '../../../appliance/stats/samples.ts';

// Deterministic uniform values from a linear congruential generator.
function uniforms(n: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  });
}

function maxRankError(sketch: KllSketch, values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  let worst = 0;
  for (let q = 0.005; q < 1; q += 0.005) {
    const x = sorted[Math.floor(q * sorted.length)]!;
    const rank = (Math.floor(q * sorted.length) + 1) / sorted.length;
    worst = Math.max(worst, Math.abs(sketch.cdf(x) - rank));
  }
  return worst;
}

void test('kll rank error within bound', () => {
  const values = uniforms(1_000_000, 7);
  const sketch = new KllSketch();
  for (const value of values) sketch.update(value);
  assert.equal(sketch.count, 1_000_000);
  assert.ok(maxRankError(sketch, values) < 0.0133, `error ${maxRankError(sketch, values)}`);
  assert.ok(sketch.toBytes().length <= 16 * 1024);
});

void test('kll merge keeps the bound', () => {
  const values = uniforms(400_000, 11);
  const parts = [0, 1, 2, 3].map((part) => {
    const sketch = new KllSketch(200, part + 1);
    for (let i = part; i < values.length; i += 4) sketch.update(values[i]!);
    return sketch;
  });
  const merged = parts[0]!;
  for (const part of parts.slice(1)) merged.merge(part);
  assert.equal(merged.count, 400_000);
  assert.ok(maxRankError(merged, values) < 0.0133);
});

void test('kll bytes round trip', () => {
  const sketch = new KllSketch();
  for (const value of uniforms(50_000, 3)) sketch.update(value);
  const copy = KllSketch.fromBytes(sketch.toBytes());
  assert.equal(copy.count, sketch.count);
  assert.equal(copy.quantile(0.5), sketch.quantile(0.5));
  assert.equal(copy.min, sketch.min);
});

void test('kll rejects other bytes', () => {
  assert.throws(() => KllSketch.fromBytes(new TopKCounts().toBytes()), /not a KLL sketch/);
});

void test('top-k is exact under capacity', () => {
  const counts = new TopKCounts(3);
  for (const value of ['a', 'b', 'a', 'c', 'a']) counts.update(value);
  assert.deepEqual(counts.entries(), {
    categories: [
      ['a', 3],
      ['b', 1],
      ['c', 1],
    ],
    other: 0,
  });
  assert.equal(counts.exact, true);
});

void test('top-k bounds undercount', () => {
  const counts = new TopKCounts(2);
  const stream = [...Array(60).fill('a'), ...Array(30).fill('b'), 'c', 'd', 'e', 'f'];
  for (const value of stream) counts.update(value);
  const { categories, other } = counts.entries();
  assert.equal(categories[0]![0], 'a');
  assert.ok(categories[0]![1] >= 60 - counts.maxUndercount());
  assert.equal(categories[0]![1] + (categories[1]?.[1] ?? 0) + other, stream.length);
});

void test('top-k merge and bytes', () => {
  const a = new TopKCounts(4);
  const b = new TopKCounts(4);
  a.update('x', 5);
  b.update('x', 2);
  b.update('y', 1);
  a.merge(TopKCounts.fromBytes(b.toBytes()));
  assert.deepEqual(a.entries().categories, [
    ['x', 7],
    ['y', 1],
  ]);
});

void test('ddsketch relative error', () => {
  const sketch = new DdSketch(0.01);
  const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
  for (const value of values) sketch.update(value);
  for (const q of [0.5, 0.95, 0.99]) {
    const exact = values[Math.floor(q * (values.length - 1))]!;
    assert.ok(Math.abs(sketch.quantile(q) - exact) <= 0.01 * exact, `q ${q}`);
  }
});

void test('ddsketch merge and bytes', () => {
  const a = new DdSketch();
  const b = new DdSketch();
  for (let i = 1; i <= 100; i += 1) (i % 2 === 0 ? a : b).update(i);
  a.merge(DdSketch.fromBytes(b.toBytes()));
  assert.equal(a.count, 100);
  assert.ok(Math.abs(a.quantile(0.5) - 50) <= 0.5 + 0.01 * 50);
});

void test('sketch ks close to exact', () => {
  const reference = Array.from(uniforms(200_000, 5));
  const current = Array.from(uniforms(200_000, 9), (value) => value + 0.05);
  const exact = ksTwoSample(reference, current).statistic;
  const a = ColumnProfile.fromSample(splitColumn(reference));
  const b = ColumnProfile.fromSample(splitColumn(current));
  const sketched = sketchDrift('ks', a, b, false).statistic;
  assert.ok(Math.abs(sketched - exact) < 0.033, `exact ${exact}, sketch ${sketched}`);
});

void test('sketch wasserstein close to exact', () => {
  const reference = Array.from(uniforms(100_000, 5));
  const current = reference.map((value) => value + 0.1);
  const a = ColumnProfile.fromSample(splitColumn(reference));
  const b = ColumnProfile.fromSample(splitColumn(current));
  const result = sketchDrift('wasserstein', a, b, false);
  assert.ok(Math.abs(Number(result.details.distance) - 0.1) < 0.005);
  assert.ok(Math.abs(a.std - Math.sqrt(1 / 12)) < 0.005);
});

void test('profile merge combines moments', () => {
  const a = ColumnProfile.fromSample(splitColumn([1, 2, 3, null]));
  const b = ColumnProfile.fromSample(splitColumn([4, 5, Infinity]));
  a.merge(b);
  assert.equal(a.mean, 3);
  assert.ok(Math.abs(a.std - Math.sqrt(2)) < 1e-12);
  assert.equal(a.missing, 1);
  assert.equal(a.nonFinite, 1);
});

void test('profile store saves and loads', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-profiles-'));
  try {
    const profile = ColumnProfile.fromSample(splitColumn([1, 2, 3, 'x']));
    new ReferenceProfileStore(directory).save('bikes-2011', new Map([['temp', profile]]));
    const loaded = new ReferenceProfileStore(directory).load('bikes-2011')!.get('temp')!;
    assert.equal(loaded.numbers.count, 3);
    assert.equal(loaded.categories.count, 1);
    assert.equal(loaded.mean, 2);
    assert.equal(new ReferenceProfileStore(directory).load('missing'), undefined);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
