import { test } from 'node:test';
import assert from 'node:assert/strict';

import { WallClock, type TimerSource } from '../../../appliance/clock/wall-clock.ts';

void test('wall clock evaluates at interval boundaries', async () => {
  const intervalMs = 20;
  const times: number[] = [];
  let done: () => void = () => {};
  const twoRuns = new Promise<void>((resolve) => (done = resolve));

  const clock = new WallClock({
    groups: [{ name: 'g', intervalMs }],
    evaluate: (_group, time) => {
      times.push(time);
      if (times.length === 2) done();
    },
    onMissed: () => {},
  });
  clock.start();
  await twoRuns;
  await clock.stop();

  // On a loaded machine a real 20 ms timer can overrun, and the clock then skips to a later
  // boundary, so the gap is a whole number of intervals rather than exactly one.
  assert.ok(times.length >= 2);
  const gap = (times[1] ?? 0) - (times[0] ?? 0);
  assert.equal((times[0] ?? 1) % intervalMs, 0);
  assert.ok(gap >= intervalMs, `gap ${gap} ms`);
  assert.equal(gap % intervalMs, 0);
});

/** Timers that run callbacks on demand and a `now` the test moves. */
class ManualTimers implements TimerSource {
  time = 0;
  readonly queue: { callback: () => void; delayMs: number }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): NodeJS.Timeout {
    this.queue.push({ callback, delayMs });
    return setTimeout(() => {}, 0);
  }

  clearTimeout(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
  }

  async fireNext(): Promise<void> {
    this.queue.shift()?.callback();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

void test('wall clock skips and counts overrun iterations', async () => {
  const timers = new ManualTimers();
  timers.time = 1_005;
  const times: number[] = [];
  const missed: number[] = [];

  const clock = new WallClock({
    groups: [{ name: 'g', intervalMs: 100 }],
    evaluate: (_group, time) => {
      times.push(time);
      // The first evaluation overruns into the fourth interval after its own.
      timers.time = time === 1_100 ? 1_420 : time + 10;
    },
    onMissed: (_group, count) => missed.push(count),
    timers,
  });

  clock.start();
  assert.equal(timers.queue[0]?.delayMs, 95);
  await timers.fireNext();
  await timers.fireNext();
  await clock.stop();

  assert.deepEqual(times, [1_100, 1_500]);
  assert.deepEqual(missed, [3]);
  assert.equal(timers.queue[0]?.delayMs, 90);
});
