import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import type { ActualUpdate, PredictionEvent, SeriesPoint } from '../../../appliance/core/types.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import type { SeriesSamples } from '../../../appliance/store/store.ts';
import { WindowState } from '../../../appliance/window/window-state.ts';
import { makeEvent } from '../store/fixtures.ts';

const SEED = 4242;
const NAMES = ['m1', 'm2', 'm3'];
const STREAMS = ['a', 'b'];

function sampleKeys(list: readonly SeriesSamples[]): string {
  return list
    .flatMap((s) => s.timestamps.map((t, i) => `${s.name}:${s.labels.k}:${t}:${s.values[i]}`))
    .sort()
    .join();
}

function eventKeys(list: readonly PredictionEvent[]): string {
  return list
    .map((e) => `${e.timestamp}:${e.id}:${String(e.actual)}`)
    .sort()
    .join();
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('points' as const),
    rows: fc.array(
      fc.record({
        name: fc.constantFrom(...NAMES),
        k: fc.constantFrom('x', 'y'),
        timestamp: fc.integer({ min: 0, max: 30_000 }),
        value: fc.integer({ min: 0, max: 9 }),
      }),
      { maxLength: 12 },
    ),
  }),
  fc.record({
    kind: fc.constant('events' as const),
    rows: fc.array(
      fc.record({
        stream: fc.constantFrom(...STREAMS),
        timestamp: fc.integer({ min: 0, max: 30_000 }),
      }),
      { maxLength: 12 },
    ),
  }),
  fc.record({ kind: fc.constant('actual' as const), pick: fc.nat(), actual: fc.nat(9) }),
  fc.record({
    kind: fc.constant('read' as const),
    from: fc.integer({ min: -1_000, max: 31_000 }),
    length: fc.integer({ min: 1, max: 31_000 }),
  }),
  fc.record({
    kind: fc.constant('prune' as const),
    now: fc.integer({ min: 0, max: 40_000 }),
    lookback: fc.option(fc.integer({ min: 1, max: 20_000 })),
  }),
  fc.record({ kind: fc.constant('rebuild' as const), now: fc.integer({ min: 0, max: 40_000 }) }),
);

// Window reads must equal store reads after any mix of writes, late writes, actuals, prunes,
// rebuilds and tiny memory bounds, for every series name and stream.
test('window matches store under random ops', () => {
  const property = fc.property(
    fc.array(op, { maxLength: 30 }),
    fc.integer({ min: 1, max: 8 }),
    fc.integer({ min: 1, max: 8 }),
    fc.constantFrom(1_000, 2_000, 5_000),
    (ops, maxEvents, maxPoints, horizonMs) => {
      const store = SqliteStore.open({ directory: ':memory:' });
      const window = new WindowState({ store, bucketMs: 1_000, horizonMs, maxEvents, maxPoints });
      window.rebuild(0);
      const ids: PredictionEvent[] = [];
      let next = 0;

      for (const step of ops) {
        if (step.kind === 'points') {
          const points: SeriesPoint[] = step.rows.map((row) => ({
            name: row.name,
            labels: { k: row.k },
            value: row.value,
            timestamp: row.timestamp,
          }));
          store.insertPoints(points);
          window.addPoints(points);
        } else if (step.kind === 'events') {
          const list = step.rows.map((row) => makeEvent({ id: `e${next++}`, ...row }));
          store.insertEvents(list);
          window.addEvents(list);
          ids.push(...list);
        } else if (step.kind === 'actual') {
          if (ids.length === 0) continue;
          const target = ids[step.pick % ids.length]!;
          const update: ActualUpdate = {
            stream: target.stream,
            id: target.id,
            actual: step.actual,
          };
          store.applyActuals([update]);
          window.applyActuals([update]);
        } else if (step.kind === 'prune') {
          window.prune(step.now, step.lookback ?? undefined);
        } else if (step.kind === 'rebuild') {
          window.rebuild(step.now);
        } else {
          const range = { from: step.from, to: step.from + step.length };
          for (const name of NAMES) {
            const read = sampleKeys(window.points(name, {}, range));
            const stored = sampleKeys(store.queryPoints(name, {}, range));
            assert.equal(read, stored, `points of ${name} in [${range.from}, ${range.to})`);
          }
          for (const stream of STREAMS) {
            const read = eventKeys(window.events(stream, range));
            const stored = eventKeys(store.queryEvents(stream, range));
            assert.equal(read, stored, `events of ${stream} in [${range.from}, ${range.to})`);
          }
        }
        const counts = window.memoryCounts();
        assert.ok(counts.events <= maxEvents, `${counts.events} events held`);
        assert.ok(counts.points <= maxPoints, `${counts.points} points held`);
      }
    },
  );
  fc.assert(property, { seed: SEED, numRuns: 400 });
});
