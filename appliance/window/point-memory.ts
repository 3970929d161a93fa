import type { SeriesPoint, TimeRange } from '../core/types.ts';
import { canonicalLabels, matchesLabels } from '../store/labels.ts';
import type { LabelMatchers, SeriesSamples, Store } from '../store/store.ts';
import { loadNewest } from './load-newest.ts';
import { cutForExcess, keptAfterTrim } from './memory-cut.ts';
import { SeriesWindow } from './series-window.ts';

/**
 * The in-memory points of every series, complete from `from` on and at most `maxPoints` of
 * them. Series load from the store per name on first use, because the store lists streams
 * but not series names. Past the bound the oldest points go until 90% of it is left, and
 * `from` moves up to the cut, which may fall inside a bucket.
 */
export class PointMemory {
  /** Series by name, then by canonical labels. */
  private readonly series = new Map<string, Map<string, SeriesWindow>>();
  /** Series names whose stored points since `from` were loaded. */
  private readonly loadedNames = new Set<string>();
  /** Points held, or more: a read that merges repeated timestamps lowers it unseen. */
  private pointCount = 0;
  private fromTimestamp = Number.POSITIVE_INFINITY;
  private store: Store | undefined;
  /** The latest clock reading, the start of a lazy newest-first load of a series name. */
  private latestNow = 0;

  constructor(
    private readonly bucketMs: number,
    private readonly maxPoints: number,
  ) {}

  /** Start of the complete in-memory range, or Infinity before `reset`. */
  get from(): number {
    return this.fromTimestamp;
  }

  /** Empties memory. Each series name then loads from `store` since `from` on first use. */
  reset(store: Store, from: number, now: number): void {
    this.series.clear();
    this.loadedNames.clear();
    this.pointCount = 0;
    this.store = store;
    this.fromTimestamp = from;
    this.latestNow = now;
  }

  /** Records the clock, so a later lazy load starts near the newest points. */
  advance(now: number): void {
    this.latestNow = Math.max(this.latestNow, now);
  }

  /** Adds the points, and returns those older than `from`, which memory does not keep. */
  add(points: readonly SeriesPoint[]): SeriesPoint[] {
    const older: SeriesPoint[] = [];
    for (const point of points) {
      this.ensureLoaded(point.name);
      if (point.timestamp < this.fromTimestamp) {
        older.push(point);
        continue;
      }
      this.addPoint(this.seriesWindow(point.name, point.labels), point.timestamp, point.value);
    }
    this.trim();
    return older;
  }

  /** Returns the series of `name` that match, with their points in the range. */
  read(name: string, matchers: LabelMatchers, range: TimeRange): SeriesSamples[] {
    const byLabels = this.series.get(name);
    if (byLabels === undefined) return [];

    const result: SeriesSamples[] = [];
    for (const key of [...byLabels.keys()].sort()) {
      const window = byLabels.get(key)!;
      if (!matchesLabels(window.labels, matchers)) continue;
      const samples: SeriesSamples = { name, labels: window.labels, timestamps: [], values: [] };
      window.read(range, samples.timestamps, samples.values);
      if (samples.timestamps.length > 0) result.push(samples);
    }
    return result;
  }

  /** Points held in memory, counted exactly. */
  size(): number {
    this.pointCount = 0;
    for (const window of this.windows()) this.pointCount += window.size;
    return this.pointCount;
  }

  /**
   * Loads the stored points of a series name since `from`, once per `reset`, newest first
   * within what `maxPoints` leaves. When the budget ends before `from`, every series drops
   * what is older than where the load stopped, so memory stays complete for all names.
   */
  ensureLoaded(name: string): void {
    const store = this.store;
    if (store === undefined || this.loadedNames.has(name)) return;
    this.loadedNames.add(name);

    const { chunks, loadedFrom } = loadNewest({
      from: this.fromTimestamp,
      now: this.latestNow,
      bucketMs: this.bucketMs,
      maxSize: Math.max(1, this.maxPoints - this.pointCount),
      read: (range) => {
        const items = store.queryPoints(name, {}, range);
        return { items, size: countSamples(items) };
      },
    });
    this.dropBefore(loadedFrom);
    for (const chunk of chunks) {
      for (const samples of chunk.items) {
        const window = this.seriesWindow(name, samples.labels);
        for (let i = 0; i < samples.timestamps.length; i++) {
          this.addPoint(window, samples.timestamps[i]!, samples.values[i]!);
        }
      }
    }
    this.trim();
  }

  /** Drops the points before `cut` and moves `from` up to it. An earlier cut does nothing. */
  dropBefore(cut: number): void {
    if (!(cut > this.fromTimestamp)) return;
    this.fromTimestamp = cut;
    for (const [name, byLabels] of this.series) {
      for (const [key, window] of byLabels) {
        this.pointCount -= window.dropBefore(cut);
        if (window.isEmpty) byLabels.delete(key);
      }
      if (byLabels.size === 0) this.series.delete(name);
    }
  }

  private addPoint(window: SeriesWindow, timestamp: number, value: number): void {
    const before = window.size;
    window.add(timestamp, value);
    this.pointCount += window.size - before;
  }

  private trim(): void {
    if (this.pointCount <= this.maxPoints) return;
    if (this.size() <= this.maxPoints) return;

    const excess = this.pointCount - keptAfterTrim(this.maxPoints);
    this.dropBefore(cutForExcess(this.windows(), excess, this.bucketMs));
  }

  private *windows(): IterableIterator<SeriesWindow> {
    for (const byLabels of this.series.values()) yield* byLabels.values();
  }

  private seriesWindow(name: string, labels: Readonly<Record<string, string>>): SeriesWindow {
    let byLabels = this.series.get(name);
    if (byLabels === undefined) {
      byLabels = new Map();
      this.series.set(name, byLabels);
    }

    const key = canonicalLabels(labels);
    let window = byLabels.get(key);
    if (window === undefined) {
      window = new SeriesWindow(name, labels, this.bucketMs);
      byLabels.set(key, window);
    }
    return window;
  }
}

export function countSamples(series: readonly SeriesSamples[]): number {
  return series.reduce((total, samples) => total + samples.timestamps.length, 0);
}
