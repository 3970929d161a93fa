import {
  MAD_TO_SIGMA,
  MEAN_AD_TO_SIGMA,
  sortedMad,
  sortedMeanAbsoluteDeviation,
  sortedMedian,
} from '../../stats/robust.ts';

/**
 * The last points of one series, bounded by a duration and by a capacity, with their values
 * also kept sorted so the median and the MAD need no sort. Memory is fixed when constructed:
 * three Float64Arrays of `capacity` values, 24 bytes per point. `push` and eviction cost
 * O(capacity) in the worst case (a `copyWithin` in the sorted copy) and allocate nothing.
 */
export class RollingRobustWindow {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get count(): number {
    return this.size;
  }

  /** Drops the points whose time is at or before `cutoff` (epoch ms). */
  evictThrough(cutoff: number): void {
    while (this.size > 0 && this.times[this.head]! <= cutoff) this.dropOldest();
  }

  /** Appends a point, dropping the oldest when the window is at capacity. */
  push(time: number, value: number): void {
    if (this.size === this.capacity) this.dropOldest();

    const slot = (this.head + this.size) % this.capacity;
    this.times[slot] = time;
    this.values[slot] = value;

    const position = this.upperBound(value);
    this.sorted.copyWithin(position + 1, position, this.size);
    this.sorted[position] = value;
    this.size += 1;
  }

  /**
   * Computes the robust z of `value` against the window: (value - median) / (1.4826 · MAD).
   * A MAD of 0 (more than half the window is one value) falls back to sqrt(pi / 2) times the
   * mean absolute deviation from the median. If that is 0 too (a constant window), the scale
   * is `scaleFloor`, so nothing divides by zero. The result is NaN for an empty window.
   */
  robustZ(value: number, scaleFloor: number): number {
    const center = sortedMedian(this.sorted, this.size);
    let scale = MAD_TO_SIGMA * sortedMad(this.sorted, this.size);
    if (scale === 0) scale = MEAN_AD_TO_SIGMA * sortedMeanAbsoluteDeviation(this.sorted, this.size);
    if (scale === 0) scale = scaleFloor;
    return (value - center) / scale;
  }

  private dropOldest(): void {
    const value = this.values[this.head]!;
    const position = this.lowerBound(value);
    this.sorted.copyWithin(position, position + 1, this.size);
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
  }

  /** First index in the sorted copy whose value is >= `value`. */
  private lowerBound(value: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.sorted[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First index in the sorted copy whose value is > `value`. */
  private upperBound(value: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.sorted[middle]! <= value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
