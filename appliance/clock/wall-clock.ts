import { nextBoundaryAfter } from './boundaries.ts';

/** Timer functions of the wall clock; tests replace `now` to simulate an overrun. */
export interface TimerSource {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout): void;
}

const systemTimers: TimerSource = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (timer) => clearTimeout(timer),
};

/** The part of a rule group the wall clock uses. */
export interface ScheduledGroup {
  name: string;
  intervalMs: number;
}

/**
 * The wall clock: each group evaluates at the multiples of its interval in epoch ms, with the
 * boundary (not the time the timer fired) as evaluation time. When an evaluation ends after
 * the next boundary, the boundaries already passed are skipped and passed to `onMissed`, and
 * the group goes on at the first boundary still ahead, as Prometheus does.
 */
export class WallClock {
  readonly #groups: ScheduledGroup[];
  readonly #evaluate: (group: string, time: number) => void | Promise<void>;
  readonly #onMissed: (group: string, missed: number) => void;
  readonly #timers: TimerSource;
  readonly #handles = new Map<string, NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #started = false;

  constructor(options: {
    groups: readonly ScheduledGroup[];
    evaluate: (group: string, time: number) => void | Promise<void>;
    onMissed: (group: string, missed: number) => void;
    timers?: TimerSource;
  }) {
    this.#groups = [...options.groups];
    this.#evaluate = options.evaluate;
    this.#onMissed = options.onMissed;
    this.#timers = options.timers ?? systemTimers;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const now = this.#timers.now();
    for (const group of this.#groups)
      this.#schedule(group, nextBoundaryAfter(now, group.intervalMs));
  }

  /** Cancels every timer and waits for evaluations already running to end. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const handle of this.#handles.values()) this.#timers.clearTimeout(handle);
    this.#handles.clear();
    await Promise.allSettled([...this.#running]);
  }

  #schedule(group: ScheduledGroup, time: number): void {
    const delay = Math.max(0, time - this.#timers.now());
    const handle = this.#timers.setTimeout(() => {
      const run = this.#tick(group, time);
      const tracked = run.finally(() => this.#running.delete(tracked));
      this.#running.add(tracked);
    }, delay);
    this.#handles.set(group.name, handle);
  }

  async #tick(group: ScheduledGroup, time: number): Promise<void> {
    this.#handles.delete(group.name);
    try {
      await this.#evaluate(group.name, time);
    } catch {
      // The evaluate callback reports its own errors; the schedule goes on regardless.
    }
    if (!this.#started) return;

    // A timer may fire a little before its boundary, so never schedule `time` again.
    const afterNow = nextBoundaryAfter(this.#timers.now(), group.intervalMs);
    const next = Math.max(afterNow, time + group.intervalMs);
    const missed = Math.round((next - time) / group.intervalMs) - 1;
    if (missed > 0) this.#onMissed(group.name, missed);
    this.#schedule(group, next);
  }
}
