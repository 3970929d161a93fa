import { nextBoundaryAfter } from './boundaries.ts';

/** The part of a rule group the event-time clock uses: name, interval and sources read. */
export interface ClockedGroup {
  name: string;
  intervalMs: number;
  /** `stream:<name>` or `series:<name>`; a group with none never evaluates in event time. */
  sources: readonly string[];
}

interface SourceMark {
  /** Latest event time seen: data with an earlier timestamp is taken as complete. */
  watermark: number;
  /** Earliest event time of the source's data, from a hint or from its first watermark. */
  earliest: number;
}

/**
 * The event-time clock: evaluation time T of a group is due once every source the group reads
 * has a watermark ≥ T. `advance` runs every due evaluation, across groups in time order, so a
 * replay evaluates each T exactly once and in the same order as a live run would. A group's
 * first T is the first interval boundary after the earliest data of its sources, so a replay of
 * old data does not evaluate from the epoch.
 * NOTE: watermarks assume each source's data arrives in event-time order; a point older than
 * the watermark is stored but misses evaluations already run.
 */
export class EventClock {
  readonly #groups: ClockedGroup[];
  readonly #evaluate: (group: string, time: number) => void;
  readonly #marks = new Map<string, SourceMark>();
  readonly #next = new Map<string, number>();
  #advancing = false;

  constructor(groups: readonly ClockedGroup[], evaluate: (group: string, time: number) => void) {
    this.#groups = [...groups];
    this.#evaluate = evaluate;
  }

  /**
   * Moves the watermark of `source` to `watermark` (event time, epoch ms; a lower value than the
   * current one is ignored) and runs the evaluations that became due. `earliest` is the time of
   * the source's first data when the caller knows it; without it the first watermark is used.
   */
  advance(source: string, watermark: number, earliest?: number): void {
    const mark = this.#marks.get(source);
    const first = Math.min(earliest ?? watermark, watermark);
    if (mark === undefined) {
      this.#marks.set(source, { watermark, earliest: first });
    } else {
      mark.watermark = Math.max(mark.watermark, watermark);
      mark.earliest = Math.min(mark.earliest, first);
    }

    // An evaluation may advance a recorded series, which calls back in here; the outer loop
    // picks up what it made due.
    if (this.#advancing) return;
    this.#advancing = true;
    try {
      this.#runDue();
    } finally {
      this.#advancing = false;
    }
  }

  /** Returns the watermark of a source, or undefined before its first `advance`. */
  watermark(source: string): number | undefined {
    return this.#marks.get(source)?.watermark;
  }

  #runDue(): void {
    for (;;) {
      const due = this.#earliestDue();
      if (due === undefined) return;
      this.#next.set(due.group.name, due.time + due.group.intervalMs);
      this.#evaluate(due.group.name, due.time);
    }
  }

  /** Finds the due evaluation with the lowest time; ties go to the group listed first. */
  #earliestDue(): { group: ClockedGroup; time: number } | undefined {
    let best: { group: ClockedGroup; time: number } | undefined;
    for (const group of this.#groups) {
      const time = this.#nextTime(group);
      if (time === undefined || time > this.#minWatermark(group)) continue;
      if (best === undefined || time < best.time) best = { group, time };
    }
    return best;
  }

  #nextTime(group: ClockedGroup): number | undefined {
    const next = this.#next.get(group.name);
    if (next !== undefined) return next;

    const earliest = this.#minEarliest(group);
    if (earliest === undefined) return undefined;
    const first = nextBoundaryAfter(earliest, group.intervalMs);
    this.#next.set(group.name, first);
    return first;
  }

  /** The lowest watermark of the group's sources; -Infinity until each has one. */
  #minWatermark(group: ClockedGroup): number {
    if (group.sources.length === 0) return -Infinity;
    let min = Infinity;
    for (const source of group.sources) {
      const mark = this.#marks.get(source);
      if (mark === undefined) return -Infinity;
      min = Math.min(min, mark.watermark);
    }
    return min;
  }

  /** The earliest data time over the group's sources, once every source has been seen. */
  #minEarliest(group: ClockedGroup): number | undefined {
    if (group.sources.length === 0) return undefined;
    let min = Infinity;
    for (const source of group.sources) {
      const mark = this.#marks.get(source);
      if (mark === undefined) return undefined;
      min = Math.min(min, mark.earliest);
    }
    return min;
  }
}
