import { test } from 'node:test';
import assert from 'node:assert/strict';

import { EventClock } from '../../../appliance/clock/event-clock.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2011, 0, 1);

function recordingClock(groups: { name: string; intervalMs: number; sources: string[] }[]) {
  const runs: string[] = [];
  const clock = new EventClock(groups, (group, time) =>
    runs.push(`${group}@${(time - T0) / MINUTE}`),
  );
  return { clock, runs };
}

void test('event clock waits for every source', () => {
  const { clock, runs } = recordingClock([
    { name: 'both', intervalMs: MINUTE, sources: ['stream:a', 'series:b'] },
  ]);

  clock.advance('stream:a', T0 + 5 * MINUTE, T0);
  assert.deepEqual(runs, []);

  clock.advance('series:b', T0 + 2 * MINUTE, T0 + 30_000);
  assert.deepEqual(runs, ['both@1', 'both@2']);

  clock.advance('series:b', T0 + 3.5 * MINUTE);
  assert.deepEqual(runs, ['both@1', 'both@2', 'both@3']);
});

void test('event clock evaluates each due time once', () => {
  const { clock, runs } = recordingClock([
    { name: 'g', intervalMs: MINUTE, sources: ['stream:a'] },
  ]);

  clock.advance('stream:a', T0 + 3 * MINUTE, T0);
  clock.advance('stream:a', T0 + 3 * MINUTE);
  clock.advance('stream:a', T0 + 2 * MINUTE);
  clock.advance('stream:a', T0 + 4 * MINUTE);

  assert.deepEqual(runs, ['g@1', 'g@2', 'g@3', 'g@4']);
});

void test('event clock starts after the earliest data', () => {
  const { clock, runs } = recordingClock([
    { name: 'g', intervalMs: 10 * MINUTE, sources: ['stream:a'] },
  ]);

  clock.advance('stream:a', T0 + 25 * MINUTE, T0 + 7 * MINUTE);

  assert.deepEqual(runs, ['g@10', 'g@20']);
});

void test('event clock uses the first watermark without a hint', () => {
  const { clock, runs } = recordingClock([
    { name: 'g', intervalMs: MINUTE, sources: ['stream:a'] },
  ]);

  clock.advance('stream:a', T0 + 2 * MINUTE);
  clock.advance('stream:a', T0 + 4 * MINUTE);

  assert.deepEqual(runs, ['g@3', 'g@4']);
});

void test('event clock runs groups in time order', () => {
  const { clock, runs } = recordingClock([
    { name: 'slow', intervalMs: 2 * MINUTE, sources: ['stream:a'] },
    { name: 'fast', intervalMs: MINUTE, sources: ['stream:a'] },
  ]);

  clock.advance('stream:a', T0 + 4 * MINUTE, T0);

  assert.deepEqual(runs, ['fast@1', 'slow@2', 'fast@2', 'fast@3', 'slow@4', 'fast@4']);
});

void test('event clock never runs a group without sources', () => {
  const { clock, runs } = recordingClock([{ name: 'none', intervalMs: MINUTE, sources: [] }]);

  clock.advance('stream:a', T0 + 10 * MINUTE, T0);

  assert.deepEqual(runs, []);
  assert.equal(clock.watermark('stream:a'), T0 + 10 * MINUTE);
});
